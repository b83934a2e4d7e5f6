//! A distributor's owner creates resellers under it (issue 21, item 1): the
//! first owner is invited by email exactly as the operator invites one (an
//! existing login is offered the organisation, never attached to it); bad
//! input is named next to its field in the person's language, with nothing
//! created; only owners may create, every role sees the resellers.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::MembershipState;
use partnerdesk::db::schema::{logins, memberships, partner_organisations};
use partnerdesk::i18n::Lang;

use crate::customers::page_of;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, location, spawn_app};

fn resellers_of(app: &TestApp, partner: &str) -> Vec<(String, String)> {
    partner_organisations::table
        .filter(partner_organisations::parent_id.eq(partner))
        .select((partner_organisations::id, partner_organisations::name))
        .load(&mut app.conn())
        .expect("resellers")
}

/// The state of `username`'s membership of `partner`, if any.
fn membership_of(
    app: &TestApp,
    partner: &str,
    username: &str,
) -> Option<(MembershipState, String)> {
    memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq(partner))
        .filter(logins::username_key.eq(username))
        .select((memberships::state, memberships::role))
        .first(&mut app.conn())
        .optional()
        .expect("membership")
}

async fn create(
    app: &TestApp,
    browser: &reqwest::Client,
    name: &str,
    owner: &str,
    email: &str,
) -> reqwest::Response {
    let form = [
        ("name", name),
        ("owner_name", owner),
        ("owner_email", email),
        ("language", "en"),
    ];
    app.post_as(browser, "/partner/resellers/new", &form).await
}

#[tokio::test]
async fn an_owner_creates_a_reseller_whose_owner_is_invited_by_email() {
    let app = spawn_app().await;
    let (distributor, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let (_, empty) = page_of(&owner, &app, "/partner/resellers").await;
    assert!(empty.contains("id=\"resellers-empty\"") && empty.contains("id=\"create-reseller\""));

    let done = create(
        &app,
        &owner,
        "Tailspin IT",
        "Tom Tailspin",
        "tom@tailspin.example",
    )
    .await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/partner/resellers");
    let created = resellers_of(&app, &distributor);
    assert_eq!(created.len(), 1);
    let (reseller, name) = &created[0];
    assert_eq!(name, "Tailspin IT");
    let (state, role) = membership_of(&app, reseller, "tom@tailspin.example").expect("invited");
    assert_eq!(
        (state, role.as_str()),
        (MembershipState::Invited, PartnerRole::Owner.as_str())
    );
    let emails = app.drain_outbox().await;
    assert!(
        emails
            .iter()
            .any(|e| e.to.iter().any(|to| to == "tom@tailspin.example")),
        "an invitation to the first owner"
    );
    let (_, page) = page_of(&owner, &app, "/partner/resellers").await;
    assert!(page.contains(&format!("id=\"reseller-{reseller}\"")) && page.contains("Tailspin IT"));
    let (_, log) = page_of(&owner, &app, "/partner/activity").await;
    assert!(
        log.contains("Created a reseller") && log.contains("tom@tailspin.example"),
        "{log}"
    );

    // An existing login is offered the organisation, not attached to it.
    app.active_member(&distributor, "sam@contoso.example", PartnerRole::SalesAgent);
    let offered = create(&app, &owner, "Litware", "Sam Sales", "sam@contoso.example").await;
    assert_eq!(offered.status(), 303);
    let litware = resellers_of(&app, &distributor)
        .into_iter()
        .find(|(_, name)| name == "Litware")
        .expect("created")
        .0;
    let (state, _) = membership_of(&app, &litware, "sam@contoso.example").expect("offered");
    assert_eq!(state, MembershipState::Invited);
}

#[tokio::test]
async fn bad_input_is_named_next_to_its_field_in_each_language_and_creates_nothing() {
    let app = spawn_app().await;
    for (lang, required) in [
        (Lang::En, "This field is required."),
        (Lang::Fr, "Ce champ est obligatoire."),
    ] {
        let distributor = app.invite_partner_owner(
            &format!("Distributor {}", lang.code()),
            &format!("first-{}@distributor.example", lang.code()),
            lang,
        );
        let username = format!("owner-{}@distributor.example", lang.code());
        app.active_member(&distributor, &username, PartnerRole::Owner);
        let owner = app.browser_signed_in(&username, PASSWORD).await;
        app.post_as(&owner, "/language", &[("lang", lang.code()), ("next", "/")])
            .await;
        let answer = create(&app, &owner, "", "Tom Typed", "not an address").await;
        assert_eq!(answer.status(), 200, "{lang:?}: {}", location(&answer));
        let page = answer.text().await.expect("page");
        assert!(
            page.contains(r#"id="name-error""#) && page.contains(required),
            "{lang:?}: {page}"
        );
        assert!(
            page.contains(r#"id="owner_email-error""#),
            "{lang:?}: {page}"
        );
        assert!(!page.contains(r#"id="owner_name-error""#), "{lang:?}");
        assert!(
            page.contains(r#"value="Tom Typed""#) && page.contains(r#"value="not an address""#)
        );
        assert!(resellers_of(&app, &distributor).is_empty(), "{lang:?}");
    }
}

#[tokio::test]
async fn only_owners_create_resellers_and_every_role_sees_them() {
    let app = spawn_app().await;
    let (distributor, _) = app.contoso_owner_signed_in(Lang::En).await;
    for role in [
        PartnerRole::AdminAgent,
        PartnerRole::SalesAgent,
        PartnerRole::HelpdeskAgent,
    ] {
        let username = format!("{}@contoso.example", role.as_str());
        app.active_member(&distributor, &username, role);
        let browser = app.browser_signed_in(&username, PASSWORD).await;
        let (status, page) = page_of(&browser, &app, "/partner/resellers").await;
        assert_eq!(status, 200, "{role:?}");
        assert!(!page.contains("id=\"create-reseller\""), "{role:?}");
        let (status, _) = page_of(&browser, &app, "/partner/resellers/new").await;
        assert_eq!(status, 403, "{role:?}");
        let refused = create(&app, &browser, "Sneaky", "Sue", "sue@sneaky.example").await;
        assert_eq!(refused.status(), 403, "{role:?}");
    }
    assert!(resellers_of(&app, &distributor).is_empty());
}

//! Partner staff, password reset and change, and the activity log.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::memberships;
use partnerdesk::i18n::Lang;

use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app};

/// An organisation whose owner is signed in on `app.client`; returns its id.
async fn signed_in_owner(app: &TestApp) -> String {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    assert_eq!(
        app.sign_in("owner@contoso.example", PASSWORD)
            .await
            .status(),
        303
    );
    partner
}

pub(crate) fn path_of(link: &str) -> String {
    url::Url::parse(link).expect("link").path().to_owned()
}

fn membership_id_of(app: &TestApp, partner: &str, role: PartnerRole) -> Vec<String> {
    memberships::table
        .filter(memberships::partner_id.eq(partner))
        .filter(memberships::role.eq(role.as_str()))
        .filter(memberships::state.eq("active"))
        .select(memberships::id)
        .load(&mut app.conn())
        .expect("memberships")
}

#[tokio::test]
async fn the_owner_invites_a_staff_member_who_activates_and_signs_in() {
    let app = spawn_app().await;
    signed_in_owner(&app).await;
    let form = app.get_text("/partner/staff/invite").await;
    assert!(form.contains("Invite a staff member"));

    a_faulty_invitation_keeps_what_was_typed(&app).await;

    invite_hugo(&app).await;
    let staff = app.get_text("/partner/staff").await;
    assert!(staff.contains("The invitation has been sent."));
    assert!(staff.contains("Hugo Helpdesk") && staff.contains("Invitation pending"));

    hugo_activates_and_reads_the_portal_in_french(&app).await;

    // Inviting the same username again is refused next to the field.
    let again = app
        .post_form(
            "/partner/staff/invite",
            &[
                ("full_name", "Hugo"),
                ("email", "hugo@contoso.example"),
                ("username", ""),
                ("role", "sales_agent"),
                ("language", "en"),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(again.contains("already a member"), "{again}");

    let activity = app.get_text("/partner/activity").await;
    assert!(
        activity.contains("Invited a staff member") && activity.contains("Hugo Helpdesk"),
        "{activity}"
    );
    assert!(activity.contains("Activated their login"));
}

/// The owner invites Hugo Helpdesk, in French, as a helpdesk agent.
async fn invite_hugo(app: &TestApp) {
    let sent = app
        .post_form(
            "/partner/staff/invite",
            &[
                ("full_name", "Hugo Helpdesk"),
                ("email", "hugo@contoso.example"),
                ("username", ""),
                ("role", "helpdesk_agent"),
                ("language", "fr"),
            ],
        )
        .await;
    assert_eq!(location(&sent), "/partner/staff");
}

/// Faulty input: messages next to the fields, what was typed is kept.
async fn a_faulty_invitation_keeps_what_was_typed(app: &TestApp) {
    let faulty = app
        .post_form(
            "/partner/staff/invite",
            &[
                ("full_name", "Hugo Helpdesk"),
                ("email", "not-an-email"),
                ("username", ""),
                ("role", ""),
                ("language", "fr"),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(faulty.contains(r#"id="email-error""#), "{faulty}");
    assert!(faulty.contains(r#"id="role-error""#));
    assert!(faulty.contains(r#"value="Hugo Helpdesk""#));
    assert!(faulty.contains(r#"value="not-an-email""#));
}

/// Hugo's invitation is in French; he activates, signs in and reads the
/// portal in his language, without a staff page.
async fn hugo_activates_and_reads_the_portal_in_french(app: &TestApp) {
    let emails = app.mail.wait_for_to("hugo@contoso.example", 1).await;
    assert!(emails[0].subject.contains("Contoso"));
    assert!(
        emails[0].text.starts_with("Bonjour Hugo Helpdesk"),
        "in the invitee's language"
    );
    let link = path_of(&emails[0].links()[0]);
    let hugo = client();
    let done = app
        .post_as(
            &hugo,
            &link,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(done.status(), 303);
    let hugo = app
        .browser_signed_in("hugo@contoso.example", PASSWORD)
        .await;
    let home = hugo
        .get(app.url("/partner"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(
        home.contains("Agent du support"),
        "Hugo reads the portal in his own language"
    );
    assert_eq!(
        hugo.get(app.url("/partner/staff"))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
}

#[tokio::test]
async fn invitation_errors_are_shown_in_french() {
    let app = spawn_app().await;
    signed_in_owner(&app).await;
    app.post_form("/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let faulty = app
        .post_form(
            "/partner/staff/invite",
            &[
                ("full_name", ""),
                ("email", "x"),
                ("role", "owner"),
                ("language", "fr"),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(faulty.contains("Ce champ est obligatoire."), "{faulty}");
    assert!(
        faulty.contains("Cette valeur n&#39;est pas valide.")
            || faulty.contains("Cette valeur n'est pas valide.")
    );
}

/// The signed-in owner gives the member `membership_id` the role `role`.
async fn change_role(app: &TestApp, membership_id: &str, role: &str) {
    let path = format!("/partner/staff/{membership_id}/role");
    let changed = app.post_form(&path, &[("role", role)]).await;
    assert_eq!(location(&changed), "/partner/staff");
}

#[tokio::test]
async fn roles_change_and_the_last_owner_cannot_be_demoted_or_disabled() {
    let app = spawn_app().await;
    let partner = signed_in_owner(&app).await;
    let sam = app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    change_role(&app, &sam, "admin_agent").await;
    assert_eq!(
        membership_id_of(&app, &partner, PartnerRole::AdminAgent),
        vec![sam.clone()]
    );

    // The only active owner is owner@, the one signed in: olga was invited as
    // owner but never accepted, and an invitation counts for nothing.
    let mine = app.active_member_id(&partner, "owner@contoso.example");
    assert_eq!(
        membership_id_of(&app, &partner, PartnerRole::Owner),
        vec![mine.clone()],
        "olga's pending invitation is not an owner"
    );
    let refused = app
        .post_form(
            &format!("/partner/staff/{mine}/role"),
            &[("role", "sales_agent")],
        )
        .await;
    assert_eq!(location(&refused), "/partner/staff");
    let page = app.get_text("/partner/staff").await;
    assert!(
        page.contains("must keep at least one active owner"),
        "{page}"
    );
    assert_eq!(
        membership_id_of(&app, &partner, PartnerRole::Owner),
        vec![mine.clone()]
    );

    let activity = app.get_text("/partner/activity?action=role_changed").await;
    assert!(activity.contains("Sales agent → Admin agent"), "{activity}");
    assert!(activity.contains("<td>Changed a role</td>"));
    assert!(
        !activity.contains("<td>Invited a staff member</td>"),
        "filtered by action"
    );
}

#[tokio::test]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let olga: String = memberships::table
        .filter(memberships::partner_id.eq(&partner))
        .select(memberships::id)
        .first(&mut app.conn())
        .expect("olga's invitation");
    app.post_form("/language", &[("lang", "en"), ("next", "/")])
        .await;
    // olga never activated: disable her membership directly so two active owners remain.
    diesel::update(memberships::table.filter(memberships::id.eq(&olga)))
        .set(memberships::state.eq("disabled"))
        .execute(&mut app.conn())
        .expect("disable");
    let ann = app.active_member(&partner, "ann@contoso.example", PartnerRole::Owner);
    let bob = app.active_member(&partner, "bob@contoso.example", PartnerRole::Owner);
    let ann_browser = app.browser_signed_in("ann@contoso.example", PASSWORD).await;
    let bob_browser = app.browser_signed_in("bob@contoso.example", PASSWORD).await;
    let ann_token = app.csrf_token_of(&ann_browser).await;
    let bob_token = app.csrf_token_of(&bob_browser).await;
    let demote = |browser: &reqwest::Client, target: &str, token: &str| {
        browser
            .post(app.url(&format!("/partner/staff/{target}/role")))
            .form(&[("role", "sales_agent"), ("csrf_token", token)])
            .send()
    };
    let (first, second) = tokio::join!(
        demote(&ann_browser, &bob, &ann_token),
        demote(&bob_browser, &ann, &bob_token)
    );
    first.expect("ann's request");
    second.expect("bob's request");
    let owners = membership_id_of(&app, &partner, PartnerRole::Owner);
    assert_eq!(owners.len(), 1, "exactly one owner remains: {owners:?}");
}

#[tokio::test]
async fn disabling_a_member_ends_their_sessions_at_once() {
    let app = spawn_app().await;
    let partner = signed_in_owner(&app).await;
    let sam = app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let sam_browser = app.browser_signed_in("sam@contoso.example", PASSWORD).await;
    assert_eq!(
        sam_browser
            .get(app.url("/partner"))
            .send()
            .await
            .expect("GET")
            .status(),
        200
    );
    let disabled = app
        .post_confirmed(&app.client, &format!("/partner/staff/{sam}/disable"), &[])
        .await;
    assert_eq!(disabled.status(), 303);
    let after = sam_browser
        .get(app.url("/partner"))
        .send()
        .await
        .expect("GET");
    assert_eq!(after.status(), 303);
    assert!(location(&after).starts_with("/login"));
    let page = app.get_text("/partner/staff").await;
    assert!(page.contains("Disabled"));
}

/// The activation page an invitation email opens speaks the invitee's
/// language, whatever the browser prefers, and remembers it for the browser;
/// a browser that chose a language keeps its choice.
#[tokio::test]
async fn the_activation_page_speaks_the_invited_persons_language() {
    let app = spawn_app().await;
    signed_in_owner(&app).await;
    invite_hugo(&app).await;
    let email = app.mail.wait_for_to("hugo@contoso.example", 1).await;
    let link = email[0]
        .links()
        .into_iter()
        .find(|l| l.contains("/activate/"))
        .expect("an activation link");
    let path = path_of(&link);
    let fresh = client();
    let page = fresh
        .get(app.url(&path))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("GET");
    assert_eq!(page.status(), 200);
    let remembered = page.headers().get_all("set-cookie").iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.starts_with("partnerdesk_lang=fr"))
    });
    assert!(remembered, "the language is remembered for the browser");
    let body = page.text().await.expect("body");
    assert!(body.contains(r#"<html lang="fr""#), "{body}");
    // A refused password comes back in French too.
    let refused = app
        .post_as(
            &fresh,
            &path,
            &[("password", "short"), ("password_confirmation", "short")],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(refused.contains(r#"<html lang="fr""#), "{refused}");

    let chose_english = client();
    app.post_as(
        &chose_english,
        "/language",
        &[("lang", "en"), ("next", "/")],
    )
    .await;
    let body = chose_english
        .get(app.url(&path))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(
        body.contains(r#"<html lang="en""#),
        "a chosen language stays"
    );
}

/// The activity log names roles, not their codes, in the reader's language.
#[tokio::test]
async fn the_activity_log_names_the_roles_a_change_went_between() {
    let app = spawn_app().await;
    let partner = signed_in_owner(&app).await;
    let sam = app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    change_role(&app, &sam, "helpdesk_agent").await;
    let log = app.get_text("/partner/activity").await;
    assert!(log.contains("Sales agent → Helpdesk agent"), "{log}");
    assert!(!log.contains("sales_agent") && !log.contains("helpdesk_agent"));
    app.post_form("/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let french = app.get_text("/partner/activity").await;
    assert!(!french.contains("sales_agent → helpdesk_agent"), "{french}");
}

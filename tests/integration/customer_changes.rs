//! Changing a customer through the real server: rename, groups, billing and term,
//! the administrator's username, and dissociation.

use crate::customers::error_next_to;
use chrono::Duration;
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::BillingType;
use partnerdesk::i18n::Lang;

use crate::customers::{listed_ids, listed_names, page_of};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app_frozen};

/// Contoso, its owner signed in, and one customer, on a frozen clock: the
/// term and billing changes count days from today.
pub async fn owner_with_customer(spec: CustomerSpec) -> (TestApp, String, String, reqwest::Client) {
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &spec);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    (app, partner, customer, owner)
}

#[tokio::test]
async fn a_rename_shows_everywhere_at_once_and_a_blank_name_is_refused() {
    let (app, partner, id, owner) = owner_with_customer(CustomerSpec::named("Adatum")).await;
    app.customer_administrator(&id, "admin@adatum.example");
    let blank = app
        .post_as(
            &owner,
            &format!("/partner/customers/{id}/rename"),
            &[("name", "   ")],
        )
        .await;
    assert_eq!(blank.status(), 200);
    let page = blank.text().await.expect("body");
    assert!(page.contains(r#"id="name-error""#));
    let renamed = app
        .post_as(
            &owner,
            &format!("/partner/customers/{id}/rename"),
            &[("name", "Adatum Corporation")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    let (_, list) = page_of(&owner, &app, "/partner/customers").await;
    assert_eq!(listed_names(&list), ["Adatum Corporation"]);
    let (_, found) = page_of(&owner, &app, "/partner/customers?q=corporation").await;
    assert_eq!(
        listed_names(&found),
        ["Adatum Corporation"],
        "search follows the new name"
    );
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, console) = page_of(&admin, &app, "/customer").await;
    assert!(
        console.contains("Adatum Corporation"),
        "the customer's own console too"
    );
    let (_, log) = page_of(&owner, &app, "/partner/activity?action=customer_renamed").await;
    assert!(log.contains("Adatum → Adatum Corporation"));
    assert!(!partner.is_empty());
}

#[tokio::test]
async fn owners_manage_groups_and_put_customers_in_several() {
    let (app, partner, id, owner) = owner_with_customer(CustomerSpec::named("Adatum")).await;
    for name in ["Retail", "Priority"] {
        let created = app
            .post_as(&owner, "/partner/groups", &[("name", name)])
            .await;
        assert_eq!(created.status(), 303);
    }
    let duplicate = app
        .post_as(&owner, "/partner/groups", &[("name", "retail")])
        .await;
    assert_eq!(duplicate.status(), 200);
    let page = duplicate.text().await.expect("body");
    assert!(page.contains("A group already has this name.") && page.contains(r#"value="retail""#));
    let (_, groups_page) = page_of(&owner, &app, "/partner/groups").await;
    let group_ids: Vec<String> = regex::Regex::new(r#"data-group="([^"]+)""#)
        .expect("regex")
        .captures_iter(&groups_page)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(group_ids.len(), 2);
    for group in &group_ids {
        let added = app
            .post_as(
                &owner,
                &format!("/partner/customers/{id}/groups"),
                &[("group_id", group)],
            )
            .await;
        assert_eq!(added.status(), 303);
    }
    for group in &group_ids {
        let (_, filtered) =
            page_of(&owner, &app, &format!("/partner/customers?group={group}")).await;
        assert_eq!(listed_names(&filtered), ["Adatum"]);
    }
    let renamed = app
        .post_as(
            &owner,
            &format!("/partner/groups/{}/rename", group_ids[0]),
            &[("name", "VIP")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{id}")).await;
    assert!(details.contains(">VIP<"));
    let deleted = app
        .post_confirmed(
            &owner,
            &format!("/partner/groups/{}/delete", group_ids[0]),
            &[],
        )
        .await;
    assert_eq!(deleted.status(), 303);
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{id}")).await;
    assert!(
        !details.contains(">VIP<"),
        "a deleted group leaves its customers"
    );
    assert_eq!(
        listed_ids(&page_of(&owner, &app, "/partner/customers").await.1),
        std::slice::from_ref(&id)
    );
    // Only owners manage groups.
    app.active_member(&partner, "admin@contoso.example", PartnerRole::AdminAgent);
    let admin = app
        .browser_signed_in("admin@contoso.example", PASSWORD)
        .await;
    assert_eq!(page_of(&admin, &app, "/partner/groups").await.0, 403);
    let refused = app
        .post_as(
            &admin,
            &format!("/partner/customers/{id}/groups"),
            &[("group_id", &group_ids[1])],
        )
        .await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn a_trial_converts_to_monthly_usage() {
    let (app, _, id, owner) = owner_with_customer(CustomerSpec {
        billing: BillingType::Trial,
        ..CustomerSpec::named("Adatum")
    })
    .await;
    let (_, before) = page_of(&owner, &app, "/partner/customers?billing=trial").await;
    assert_eq!(listed_names(&before), ["Adatum"]);
    let converted = app
        .post_confirmed(
            &owner,
            &format!("/partner/customers/{id}/billing/convert"),
            &[],
        )
        .await;
    assert_eq!(converted.status(), 303);
    let (_, after) = page_of(&owner, &app, "/partner/customers?billing=monthly_usage").await;
    assert_eq!(listed_names(&after), ["Adatum"]);
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{id}")).await;
    assert!(!details.contains(r#"id="convert-trial""#));
}

#[tokio::test]
async fn a_term_change_is_immediate_without_devices_and_waits_for_the_period_end_with_them() {
    let (app, partner, bare, owner) = owner_with_customer(CustomerSpec::named("Bare")).await;
    change_term(&app, &owner, &bare, "annual").await;
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{bare}")).await;
    assert!(details.contains(r#"id="term">Annual"#), "in effect at once");

    let cameras = app.customer(
        &partner,
        &CustomerSpec {
            age_minutes: 60 * 24 * 10,
            ..CustomerSpec::named("Cameras")
        },
    );
    app.enrolled_devices(&cameras, 2);
    let (_, before) = page_of(&owner, &app, &format!("/partner/customers/{cameras}")).await;
    let started = app.clock_now().date() - Duration::days(10);
    let period_end = started
        .checked_add_months(chrono::Months::new(1))
        .expect("date");
    let end_text = partnerdesk::i18n::format_date(period_end, partnerdesk::i18n::Lang::En);
    assert!(
        before.contains(&end_text),
        "the page says from when: {end_text}"
    );
    change_term(&app, &owner, &cameras, "annual").await;
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{cameras}")).await;
    assert!(
        details.contains(r#"id="term">Monthly"#),
        "still monthly until the period ends"
    );
    assert!(details.contains(&format!("changes to Annual on {end_text}")));

    // Choosing the current term again calls the waiting change off, in the log too.
    change_term(&app, &owner, &cameras, "monthly").await;
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{cameras}")).await;
    assert!(details.contains("The scheduled change of subscription term is cancelled"));
    assert!(!details.contains("changes to Annual on"));
    let (_, log) = page_of(&owner, &app, "/partner/activity?action=term_changed").await;
    assert!(
        log.contains(&format!("Monthly → Annual ({end_text}) ✗")),
        "{log}"
    );
    change_term(&app, &owner, &cameras, "annual").await;
    app.clock.advance(Duration::days(25));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, later) = page_of(&owner, &app, &format!("/partner/customers/{cameras}")).await;
    assert!(
        later.contains(r#"id="term">Annual"#),
        "in effect once the period has ended"
    );
}

/// The owner changes the customer's term, confirmed.
async fn change_term(app: &TestApp, owner: &reqwest::Client, customer: &str, term: &str) {
    let changed = app
        .post_confirmed(
            owner,
            &format!("/partner/customers/{customer}/term"),
            &[("term", term)],
        )
        .await;
    assert_eq!(changed.status(), 303);
}

#[tokio::test]
async fn the_username_changes_only_after_activation() {
    let (app, partner, id, owner) = owner_with_customer(CustomerSpec::named("Adatum")).await;
    let membership = app.customer_administrator(&id, "admin@adatum.example");
    let changed = app
        .post_as(
            &owner,
            &format!("/partner/customers/{id}/administrator/username"),
            &[
                ("membership_id", &membership),
                ("username", "it@adatum.example"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200, "another address is refused");
    assert!(
        changed
            .text()
            .await
            .expect("body")
            .contains("must be the person’s own address")
    );
    let changed = app
        .post_as(
            &owner,
            &format!("/partner/customers/{id}/administrator/username"),
            &[("membership_id", &membership), ("username", "adatum-it")],
        )
        .await;
    assert_eq!(changed.status(), 303);
    app.browser_signed_in("adatum-it", PASSWORD).await;

    // A pending administrator's username stays as it is.
    let pending_customer = app.customer(&partner, &CustomerSpec::named("Pending"));
    let response = app
        .post_as(&owner, "/partner/customers/new", &[("step", "1")])
        .await;
    assert_eq!(response.status(), 200);
    let pending_login = partnerdesk::accounts::insert(
        &mut app.conn(),
        app.clock_now(),
        &crate::helpers::people::new_login("wait@pending.example", Lang::En),
        partnerdesk::accounts::LoginState::Pending,
        None,
    )
    .expect("login");
    let pending_membership = partnerdesk::customers::create::add_customer_member(
        &mut app.conn(),
        app.clock_now(),
        &partnerdesk::ids::CustomerId::new(pending_customer.clone()),
        &pending_login,
        "administrator",
    )
    .expect("membership");
    let refused = app
        .post_as(
            &owner,
            &format!("/partner/customers/{pending_customer}/administrator/username"),
            &[
                ("membership_id", &pending_membership),
                ("username", "other@pending.example"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.expect("body");
    assert!(page.contains("once its owner has activated"), "{page}");
    assert!(
        page.contains(r#"value="other@pending.example""#),
        "what was typed stays"
    );
}

#[tokio::test]
async fn dissociating_removes_access_but_keeps_the_account() {
    let (app, partner, id, owner) = owner_with_customer(CustomerSpec::named("Adatum")).await;
    app.customer_administrator(&id, "admin@adatum.example");
    app.active_member(&partner, "sales@contoso.example", PartnerRole::SalesAgent);
    let sales = app
        .browser_signed_in("sales@contoso.example", PASSWORD)
        .await;
    assert_eq!(
        page_of(&sales, &app, &format!("/partner/customers/{id}/dissociate"))
            .await
            .0,
        403
    );
    let unconfirmed = app
        .post_as(&owner, &format!("/partner/customers/{id}/dissociate"), &[])
        .await;
    assert_eq!(unconfirmed.status(), 200);
    let done = app
        .post_as(
            &owner,
            &format!("/partner/customers/{id}/dissociate"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        page_of(&owner, &app, &format!("/partner/customers/{id}"))
            .await
            .0,
        404
    );
    assert!(listed_names(&page_of(&owner, &app, "/partner/customers").await.1).is_empty());
    let (_, log) = page_of(
        &owner,
        &app,
        "/partner/activity?action=customer_dissociated",
    )
    .await;
    assert!(log.contains("Adatum"));
    // The customer's account and people remain.
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (status, console) = page_of(&admin, &app, "/customer").await;
    assert_eq!(status, 200);
    assert!(console.contains("Adatum") && console.contains(r#"id="account-partner">None<"#));
}

async fn refused(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> String {
    let response = app.post_as(browser, path, form).await;
    assert_eq!(response.status(), 200, "{path} is refused on the page");
    response.text().await.expect("body")
}

#[tokio::test]
async fn refused_changes_are_explained_in_english_and_in_french_and_keep_what_was_typed() {
    for (lang, required, group_taken, after_activation, confirm) in [
        (
            Lang::En,
            "This field is required.",
            "A group already has this name.",
            "The username can be changed once its owner has activated the login.",
            "Tick the box to confirm the dissociation.",
        ),
        (
            Lang::Fr,
            "Ce champ est obligatoire.",
            "Un groupe porte déjà ce nom.",
            "Le nom d’utilisateur ne peut être modifié qu’après l’activation du compte par son titulaire.",
            "Cochez la case pour confirmer la dissociation.",
        ),
    ] {
        refusals_in(lang, [required, group_taken, after_activation, confirm]).await;
    }
}

/// In `lang`, each refused change says why next to its field and keeps what
/// was typed.
async fn refusals_in(lang: Lang, [required, group_taken, after_activation, confirm]: [&str; 4]) {
    let (app, partner, id, owner) = owner_with_customer(CustomerSpec::named("Adatum")).await;
    if lang == Lang::Fr {
        app.post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
            .await;
    }
    let page = refused(
        &app,
        &owner,
        &format!("/partner/customers/{id}/rename"),
        &[("name", "  ")],
    )
    .await;
    assert_eq!(error_next_to(&page, "name").as_deref(), Some(required));

    let retail = app.group_with(&partner, "Retail", &[]);
    let vip = app.group_with(&partner, "VIP", &[]);
    let page = refused(&app, &owner, "/partner/groups", &[("name", "retail")]).await;
    assert_eq!(error_next_to(&page, "name").as_deref(), Some(group_taken));
    assert!(page.contains(r#"value="retail""#), "what was typed stays");
    let page = refused(
        &app,
        &owner,
        &format!("/partner/groups/{vip}/rename"),
        &[("name", "RETAIL")],
    )
    .await;
    assert_eq!(error_next_to(&page, "rename").as_deref(), Some(group_taken));
    assert!(page.contains(r#"value="RETAIL""#), "what was typed stays");
    assert!(!retail.is_empty());

    let membership = pending_administrator(&app, &id);
    let page = refused(
        &app,
        &owner,
        &format!("/partner/customers/{id}/administrator/username"),
        &[
            ("membership_id", &membership),
            ("username", "it@adatum.example"),
        ],
    )
    .await;
    assert_eq!(
        error_next_to(&page, "username").as_deref(),
        Some(after_activation)
    );
    assert!(
        page.contains(r#"value="it@adatum.example""#),
        "what was typed stays"
    );

    let page = refused(
        &app,
        &owner,
        &format!("/partner/customers/{id}/dissociate"),
        &[],
    )
    .await;
    assert_eq!(error_next_to(&page, "confirm").as_deref(), Some(confirm));
}

/// An administrator of the customer who has not activated their login yet;
/// returns the membership id.
fn pending_administrator(app: &TestApp, customer: &str) -> String {
    let pending_login = partnerdesk::accounts::insert(
        &mut app.conn(),
        app.clock_now(),
        &crate::helpers::people::new_login("wait@adatum.example", Lang::En),
        partnerdesk::accounts::LoginState::Pending,
        None,
    )
    .expect("login");
    partnerdesk::customers::create::add_customer_member(
        &mut app.conn(),
        app.clock_now(),
        &partnerdesk::ids::CustomerId::new(customer),
        &pending_login,
        "administrator",
    )
    .expect("membership")
}

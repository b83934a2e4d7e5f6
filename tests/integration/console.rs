//! The customer console through the real server: partner assistance turned on and
//! off by the customer's administrators, its history, and what a user may not do.

use partnerdesk::access::PartnerRole;
use partnerdesk::customers::BillingType;
use partnerdesk::i18n::Lang;

use crate::customers::page_of;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

fn assistance_of(page: &str, id: &str) -> Option<bool> {
    regex::Regex::new(&format!(r#"id="{id}" data-enabled="(true|false)""#))
        .expect("regex")
        .captures(page)
        .map(|c| &c[1] == "true")
}

#[tokio::test]
async fn the_administrator_turns_assistance_on_and_off_and_everyone_sees_its_history() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(
        &partner,
        &CustomerSpec {
            billing: BillingType::TermSubscription,
            ..CustomerSpec::named("Adatum")
        },
    );
    app.customer_administrator(&customer, "admin@adatum.example");
    app.customer_member(&customer, "user@adatum.example", "user");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;

    let (status, page) = page_of(&admin, &app, "/customer/assistance").await;
    assert_eq!(status, 200);
    assert_eq!(
        assistance_of(&page, "assistance-state"),
        Some(false),
        "off for a term subscription"
    );
    assert!(page.contains("people at Contoso can open your account"));
    assert!(page.contains(r#"id="assistance-history-empty""#));

    let turned_on = app
        .post_as(&admin, "/customer/assistance", &[("enabled", "on")])
        .await;
    assert_eq!(turned_on.status(), 303);
    let (_, page) = page_of(&admin, &app, "/customer/assistance").await;
    assert_eq!(assistance_of(&page, "assistance-state"), Some(true));
    assert!(
        page.contains("Partner assistance is on."),
        "the change is confirmed"
    );
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{customer}")).await;
    assert_eq!(
        assistance_of(&details, "partner-assistance"),
        Some(true),
        "the partner sees it at once"
    );

    a_user_sees_the_state_but_cannot_change_it(&app, &user).await;

    let turned_off = app
        .post_as(&admin, "/customer/assistance", &[("enabled", "off")])
        .await;
    assert_eq!(turned_off.status(), 303);
    let (_, page) = page_of(&user, &app, "/customer/assistance").await;
    assert_eq!(assistance_of(&page, "assistance-state"), Some(false));
    the_history_names_each_change_newest_first(&page);
    the_role_help_says_the_same(&app, &user).await;

    // The partner's activity log has both changes, by the customer's administrator.
    let (_, log) = page_of(
        &owner,
        &app,
        "/partner/activity?action=assistance_turned_off",
    )
    .await;
    assert!(
        log.contains("Turned partner assistance off")
            && log.contains("Person admin@adatum.example"),
        "{log}"
    );
}

/// A user sees the state and its history but cannot change it.
async fn a_user_sees_the_state_but_cannot_change_it(app: &TestApp, user: &reqwest::Client) {
    let refused = app
        .post_as(user, "/customer/assistance", &[("enabled", "off")])
        .await;
    assert_eq!(refused.status(), 403);
    let (status, page) = page_of(user, app, "/customer/assistance").await;
    assert_eq!(status, 200);
    assert_eq!(assistance_of(&page, "assistance-state"), Some(true));
    assert!(!page.contains(r#"id="assistance-toggle""#));
    assert!(page.contains("administrators can turn partner assistance on or off"));
}

/// Both changes are in the history, newest first, each naming who made it.
fn the_history_names_each_change_newest_first(page: &str) {
    let history: Vec<&str> = page
        .split("<tbody>")
        .nth(1)
        .expect("a history table")
        .matches("Turned o")
        .collect();
    assert_eq!(history.len(), 2, "{page}");
    let off_at = page.find("Turned off").expect("off in the history");
    let on_at = page.find("Turned on").expect("on in the history");
    assert!(off_at < on_at, "newest first");
    assert_eq!(
        page.matches("<td>Person admin@adatum.example</td>").count(),
        2,
        "each change names who made it"
    );
}

/// The role help shows the same rule, read from the same matrix.
async fn the_role_help_says_the_same(app: &TestApp, user: &reqwest::Client) {
    let (_, help) = page_of(user, app, "/help/roles").await;
    let customer_matrix = help
        .split(r#"id="customer-matrix""#)
        .nth(1)
        .expect("the customer matrix");
    assert!(
        regex::Regex::new(
            r#"Turn partner assistance on or off</th>\s*<td class="yes">[^<]+</td>\s*<td class="no">"#
        )
        .expect("regex")
        .is_match(customer_matrix),
        "administrators may, users may not"
    );
}

#[tokio::test]
async fn the_console_answers_only_for_the_membership_in_use() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let fabrikam = app.customer(
        &partner,
        &CustomerSpec {
            billing: BillingType::TermSubscription,
            ..CustomerSpec::named("Fabrikam")
        },
    );
    app.customer_administrator(&adatum, "admin@adatum.example");
    app.customer_administrator(&fabrikam, "admin@fabrikam.example");
    let adatum_admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    // Turning assistance off in one account leaves the other as it was.
    let off = app
        .post_as(&adatum_admin, "/customer/assistance", &[("enabled", "off")])
        .await;
    assert_eq!(off.status(), 303);
    let fabrikam_admin = app
        .browser_signed_in("admin@fabrikam.example", PASSWORD)
        .await;
    let (_, page) = page_of(&fabrikam_admin, &app, "/customer/assistance").await;
    assert_eq!(assistance_of(&page, "assistance-state"), Some(false));
    assert!(
        page.contains(r#"id="assistance-history-empty""#),
        "no history of Adatum's"
    );
    let on = app
        .post_as(
            &fabrikam_admin,
            "/customer/assistance",
            &[("enabled", "on")],
        )
        .await;
    assert_eq!(on.status(), 303);
    let (_, page) = page_of(&adatum_admin, &app, "/customer/assistance").await;
    assert_eq!(
        assistance_of(&page, "assistance-state"),
        Some(false),
        "Adatum's stays off"
    );
}

#[tokio::test]
async fn a_login_in_two_customer_accounts_sees_each_only_as_the_membership_it_chose() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let fabrikam = app.customer(&partner, &CustomerSpec::named("Fabrikam"));
    let in_adatum = app.customer_administrator(&adatum, "it@shared.example");
    let in_fabrikam = app.customer_administrator(&fabrikam, "it@shared.example");
    let it = app.browser_signed_in("it@shared.example", PASSWORD).await;
    for (membership, account, other) in [
        (&in_adatum, "Adatum", "Fabrikam"),
        (&in_fabrikam, "Fabrikam", "Adatum"),
    ] {
        let switched = app
            .post_as(&it, "/memberships/switch", &[("membership_id", membership)])
            .await;
        assert_eq!(switched.status(), 303);
        let (_, sites) = page_of(&it, &app, "/customer/sites").await;
        assert!(sites.contains(&format!(r#"<td class="site-name">{account}</td>"#)));
        assert!(!sites.contains(&format!(r#"<td class="site-name">{other}</td>"#)));
        let (_, home) = page_of(&it, &app, "/customer").await;
        assert!(home.contains(&format!(r#"id="account-name">{account}<"#)));
    }
    // The site of the account not chosen cannot be reached from this one.
    let adatum_site = app.first_site(&adatum);
    let refused = app
        .post_as(
            &it,
            &format!("/customer/sites/{adatum_site}/rename"),
            &[("name", "X")],
        )
        .await;
    assert_eq!(
        refused.status(),
        404,
        "acting as Fabrikam, Adatum's site is missing"
    );
}

#[tokio::test]
async fn the_overview_shows_the_account_its_subscription_licences_and_sites() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(
        &partner,
        &CustomerSpec {
            billing: BillingType::Trial,
            licences: vec![(partnerdesk::customers::LicenceStatus::Trial, true)],
            ..CustomerSpec::named("Adatum")
        },
    );
    app.customer_member(&adatum, "user@adatum.example", "user");
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    let (status, home) = page_of(&user, &app, "/customer").await;
    assert_eq!(status, 200);
    for expected in [
        r#"id="account-name">Adatum<"#,
        "adatum.example",
        "REF-1",
        r#"id="data-region">eu-central<"#,
        r#"id="account-partner">Contoso<"#,
        "Endpoint Protection",
        r#"class="licence-trial""#,
        r#"id="term">Monthly<"#,
        "1 rue de la Paix",
    ] {
        assert!(home.contains(expected), "{expected} in {home}");
    }
    assert!(
        home.contains(r#"id="billing-type">Trial · "#),
        "the trial's end shows"
    );
}

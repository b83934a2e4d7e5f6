//! Single sign-on for a customer account's own people, through the account's
//! provider (a real one, `sso_helpers`): the administrator connects it and
//! proves the domain; the account's users sign in through it into the
//! console; "required" closes their password form; people are created at
//! first sign-in as users only; and the partner's staff, though they share
//! the domain, are never signed in or joined by the customer's provider.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{activity_log, logins, memberships};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, location, spawn_app_with};
use crate::sso_helpers::{
    CUSTOMER_PAGE, Mode, OidcProvider, claim_and_prove_at, connect_at, email_first,
    sign_in_as_another, sign_in_through,
};

/// Contoso's customer Fabrikam, whose administrator connected the account's
/// provider and proved fabrikam.example; (app, provider, partner, customer,
/// the administrator's browser).
async fn fabrikam_connected(
    required: bool,
    new_member_role: &str,
) -> Option<(TestApp, OidcProvider, String, String, reqwest::Client)> {
    let app = spawn_app_with(|settings| settings.sso_allow_http_issuers = true).await;
    let provider = OidcProvider::start(&app).await?;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Fabrikam"));
    app.customer_administrator(&customer, "admin@fabrikam.example");
    let admin = app
        .browser_signed_in("admin@fabrikam.example", PASSWORD)
        .await;
    let saved = connect_at(
        &app,
        &admin,
        CUSTOMER_PAGE,
        &provider,
        required,
        new_member_role,
    )
    .await;
    assert_eq!(location(&saved), CUSTOMER_PAGE, "the connection is saved");
    claim_and_prove_at(
        &app,
        &admin,
        CUSTOMER_PAGE,
        &provider,
        "fabrikam.example",
        "admin@fabrikam.example",
    )
    .await;
    Some((app, provider, partner, customer, admin))
}

fn customer_actions(app: &TestApp, customer: &str) -> Vec<String> {
    activity_log::table
        .filter(activity_log::customer_id.eq(customer))
        .order(activity_log::occurred_at.asc())
        .select(activity_log::action)
        .load(&mut app.conn())
        .expect("activity")
}

#[tokio::test]
async fn the_accounts_users_sign_in_through_its_provider_into_the_console() {
    let Some((app, provider, _, customer, _)) = fabrikam_connected(false, "").await else {
        return;
    };
    app.customer_member(&customer, "uma@fabrikam.example", "user");
    provider
        .account("uma@fabrikam.example", true, Mode::Normal)
        .await;
    let browser = client();
    let (answer, _) = sign_in_through(&app, &browser, "Uma@Fabrikam.example").await;
    assert_eq!(location(&answer), "/customer");
    let console = browser.get(app.url("/customer")).send().await.expect("GET");
    assert_eq!(console.status(), 200);
    let actions = customer_actions(&app, &customer);
    for expected in [
        "sso_connection_changed",
        "sso_domain_claimed",
        "sso_domain_proven",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
    // A user is not the account's administrator: the page is refused.
    let settings = browser
        .get(app.url(CUSTOMER_PAGE))
        .send()
        .await
        .expect("GET");
    assert_eq!(settings.status(), 403);
}

#[tokio::test]
async fn required_single_sign_on_closes_the_password_form_to_the_accounts_people() {
    let Some((app, _, _, customer, _)) = fabrikam_connected(true, "").await else {
        return;
    };
    app.customer_member(&customer, "uma@fabrikam.example", "user");
    let refused = app
        .post_as(
            &client(),
            "/login",
            &[
                ("username", "uma@fabrikam.example"),
                ("password", PASSWORD),
                ("method", "password"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let page = refused.text().await.expect("page");
    assert!(page.contains("requires you to sign in with its identity provider"));
}

#[tokio::test]
async fn people_created_at_first_sign_in_are_users_and_never_administrators() {
    let Some((app, provider, _, customer, admin)) = fabrikam_connected(false, "user").await else {
        return;
    };
    provider
        .account("new@fabrikam.example", true, Mode::Normal)
        .await;
    let (answer, _) = sign_in_through(&app, &client(), "new@fabrikam.example").await;
    assert_eq!(location(&answer), "/customer");
    let role: String = memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq("new@fabrikam.example"))
        .filter(memberships::customer_id.eq(&customer))
        .select(memberships::role)
        .first(&mut app.conn())
        .expect("a membership");
    assert_eq!(role, "user");
    assert!(customer_actions(&app, &customer).contains(&"sso_member_created".to_owned()));

    for role in ["administrator", "owner", "admin_agent"] {
        let answer = connect_at(&app, &admin, CUSTOMER_PAGE, &provider, false, role).await;
        assert_eq!(answer.status(), 422, "{role} is refused");
        let page = answer.text().await.expect("page");
        assert!(page.contains(r#"id="new_member_role-error""#), "{role}");
    }
}

/// The partner's staff member sam@fabrikam.example shares the customer's
/// domain: the customer's provider neither receives nor signs him in, and
/// cannot join him to the account.
#[tokio::test]
async fn the_partners_staff_are_never_reached_by_the_customers_provider() {
    let Some((app, provider, partner, customer, _)) = fabrikam_connected(true, "user").await else {
        return;
    };
    app.active_member(&partner, "sam@fabrikam.example", PartnerRole::SalesAgent);
    let stays = email_first(&app, &client(), "sam@fabrikam.example").await;
    let page = stays.text().await.expect("page");
    assert!(
        !page.contains(&provider.issuer),
        "not sent to the customer's provider"
    );
    let with_password = app
        .post_as(
            &client(),
            "/login",
            &[
                ("username", "sam@fabrikam.example"),
                ("password", PASSWORD),
                ("method", "password"),
            ],
        )
        .await;
    assert_eq!(
        location(&with_password),
        "/partner",
        "his password still works"
    );

    provider
        .account("sam@fabrikam.example", true, Mode::Normal)
        .await;
    let browser = client();
    let (answer, _) = sign_in_as_another(
        &app,
        &browser,
        "someone@fabrikam.example",
        "sam@fabrikam.example",
    )
    .await;
    assert_eq!(answer.status(), 403);
    let joined: i64 = memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq("sam@fabrikam.example"))
        .filter(memberships::customer_id.eq(&customer))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(joined, 0);
    let home = browser.get(app.url("/partner")).send().await.expect("GET");
    assert_ne!(home.status(), 200, "not signed in");
}

//! Creating a customer with its administrator: the account is written in
//! 'creating' and activation makes it active; an existing username is offered the
//! account; who may create; partner assistance by default.

use crate::customer_create::{ADDRESS, STEP_1, customer_count, signed_in_sales_agent, with};
use crate::customers::{listed_names, page_of};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_frozen};
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{customer_accounts, logins, memberships};
use partnerdesk::i18n::Lang;

pub(crate) fn administrator_step(username: &str) -> Vec<(&str, &str)> {
    with(
        &with(STEP_1, ADDRESS),
        &[
            ("step", "3"),
            ("go", "create"),
            ("admin_full_name", "Kim Abercrombie"),
            ("admin_language", "fr"),
            ("identity_provider", "local"),
            ("admin_username", username),
            ("email_same", "1"),
        ],
    )
}

#[tokio::test]
async fn creating_writes_the_account_in_creating_and_activation_makes_it_active() {
    let app = spawn_app().await;
    let (partner, browser) = signed_in_sales_agent(&app, Lang::En).await;
    let response = app
        .post_as(
            &browser,
            "/partner/customers/new",
            &administrator_step("kim@fourthcoffee.example"),
        )
        .await;
    assert_eq!(response.status(), 303);
    let details_path = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("redirect to the details")
        .to_owned();
    let (status, details) = page_of(&browser, &app, &details_path).await;
    assert_eq!(status, 200);
    assert!(details.contains(r#"id="customer-state">Creating<"#));
    assert!(details.contains("ACC-4411"));
    assert!(
        details.contains(r#"id="data-region">ca-central<"#),
        "Canada picks its data region"
    );
    assert!(
        details.contains("readonly"),
        "the username waits for activation"
    );
    let (_, list) = page_of(&browser, &app, "/partner/customers?q=fourth").await;
    assert_eq!(listed_names(&list), ["Fourth Coffee"]);

    // The administrator's activation email is in French, as chosen.
    let email = app
        .mail
        .wait_for_to("kim@fourthcoffee.example", 1)
        .await
        .remove(0);
    assert!(email.subject.contains("Fourth Coffee"), "{}", email.subject);
    assert!(email.text.contains("Bonjour"), "{}", email.text);
    let link = email
        .links()
        .into_iter()
        .find(|l| l.contains("/activate/"))
        .expect("an activation link");
    let path = link.trim_start_matches(&app.address).to_owned();
    let admin = crate::helpers::client();
    let activated = app
        .post_as(
            &admin,
            &path,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(activated.status(), 303);
    let (_, details) = page_of(&browser, &app, &details_path).await;
    assert!(details.contains(r#"id="customer-state">Active<"#));
    // The administrator signs in to their console.
    let console = app
        .browser_signed_in("kim@fourthcoffee.example", PASSWORD)
        .await;
    let (status, home) = page_of(&console, &app, "/customer").await;
    assert_eq!(status, 200);
    assert!(home.contains("Fourth Coffee") && home.contains("Contoso"));
    assert!(!partner.is_empty());
    // The administrator named at creation administers the first site: the
    // console warns of no site without one.
    assert!(
        home.contains(r#"id="sites-count" data-count="1""#),
        "{home}"
    );
    assert!(!home.contains(r#"id="sites-unassigned""#), "{home}");
    let (_, unassigned) = page_of(&console, &app, "/customer/sites?administrators=none").await;
    assert!(!unassigned.contains("data-site=\""), "{unassigned}");
}

#[tokio::test]
async fn an_existing_username_is_offered_the_account_and_accepts_it_signed_in() {
    let app = spawn_app().await;
    let (partner, browser) = signed_in_sales_agent(&app, Lang::En).await;
    // Someone who already administers another customer, with an active login.
    let other = app.customer(
        &partner,
        &crate::helpers::customers::CustomerSpec::named("Alpine Ski"),
    );
    app.customer_administrator(&other, "kim@fourthcoffee.example");
    let logins_before: i64 = logins::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    let response = app
        .post_as(
            &browser,
            "/partner/customers/new",
            &administrator_step("KIM@fourthcoffee.example"),
        )
        .await;
    assert_eq!(response.status(), 303);
    let logins_after: i64 = logins::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(logins_before, logins_after, "no second login");
    assert_eq!(
        (
            kims_memberships(&app, "active"),
            kims_memberships(&app, "invited")
        ),
        (1, 1),
        "an offer, not a grant"
    );
    let state = || -> String {
        customer_accounts::table
            .filter(customer_accounts::name.eq("Fourth Coffee"))
            .select(customer_accounts::state)
            .first(&mut app.conn())
            .expect("state")
    };
    assert_eq!(
        state(),
        "creating",
        "nobody administers it until kim accepts"
    );
    let path = invitation_path(&app, "kim@fourthcoffee.example").await;
    // Signed in, kim holds only the account she already had.
    let kim = app
        .browser_signed_in("kim@fourthcoffee.example", PASSWORD)
        .await;
    let (_, picker) = page_of(&kim, &app, "/memberships").await;
    assert!(!picker.contains("Fourth Coffee") && picker.contains("Alpine Ski"));
    let (status, offer) = page_of(&kim, &app, &path).await;
    assert_eq!(status, 200);
    assert!(offer.contains("Fourth Coffee"), "{offer}");
    // A second account offered to kim, still waiting while she accepts the first.
    let second = another_account_offered_to_kim(&app, &partner);
    let accepted = app.post_as(&kim, &format!("{path}/accept"), &[]).await;
    assert_eq!(accepted.status(), 303);
    let second_state: String = customer_accounts::table
        .find(&second)
        .select(customer_accounts::state)
        .first(&mut app.conn())
        .expect("state");
    assert_eq!(
        second_state, "creating",
        "an offer not yet accepted activates nothing"
    );
    assert_eq!(
        state(),
        "active",
        "accepted: the account has its administrator"
    );
    let (_, picker) = page_of(&kim, &app, "/memberships").await;
    assert!(picker.contains("Fourth Coffee") && picker.contains("Alpine Ski"));
    // The link served once.
    let (_, again) = page_of(&kim, &app, &path).await;
    assert!(again.contains("can no longer be used"));
}

/// How many customer memberships kim's login holds in `state`.
fn kims_memberships(app: &TestApp, state: &str) -> i64 {
    memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq("kim@fourthcoffee.example"))
        .filter(memberships::scope.eq("customer"))
        .filter(memberships::state.eq(state))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// The path of the invitation link emailed to `address` for Fourth Coffee.
async fn invitation_path(app: &TestApp, address: &str) -> String {
    let email = app.mail.wait_for_to(address, 1).await.remove(0);
    assert!(email.subject.contains("Fourth Coffee"));
    let link = email
        .links()
        .into_iter()
        .find(|l| l.contains("/invitations/"))
        .expect("an invitation link");
    link.trim_start_matches(&app.address).to_owned()
}

#[tokio::test]
async fn a_helpdesk_agent_cannot_create_customers() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "help@contoso.example", PartnerRole::HelpdeskAgent);
    let helpdesk = app
        .browser_signed_in("help@contoso.example", PASSWORD)
        .await;
    assert_eq!(
        page_of(&helpdesk, &app, "/partner/customers/new").await.0,
        403
    );
    let (_, list) = page_of(&helpdesk, &app, "/partner/customers").await;
    assert!(!list.contains(r#"id="create-customer""#));
    let refused = app
        .post_as(
            &helpdesk,
            "/partner/customers/new",
            &administrator_step("x@y.example"),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(customer_count(&app), 0);
}

#[tokio::test]
async fn partner_assistance_starts_on_for_trials_monthly_usage_and_managed_orders() {
    let app = spawn_app_frozen().await;
    let (_, browser) = signed_in_sales_agent(&app, Lang::En).await;
    let trial_end = (app.clock_now().date() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    for (n, billing, managed, expected) in [
        (1, "trial", false, true),
        (2, "monthly_usage", false, true),
        (3, "term_subscription", false, false),
        (4, "term_subscription", true, true),
    ] {
        let domain = format!("customer{n}.example");
        let username = format!("admin@customer{n}.example");
        let mut form = with(
            &administrator_step(&username),
            &[
                ("primary_domain", domain.as_str()),
                ("billing_type", billing),
                ("trial_ends_on", trial_end.as_str()),
            ],
        );
        if managed {
            form.push(("managed_order", "1"));
        }
        let response = app.post_as(&browser, "/partner/customers/new", &form).await;
        assert_eq!(response.status(), 303, "{billing}");
        let details_path = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("redirect to the details")
            .to_owned();
        let (_, details) = page_of(&browser, &app, &details_path).await;
        assert!(
            details.contains(&format!(
                r#"id="partner-assistance" data-enabled="{expected}""#
            )),
            "{billing}, managed order {managed}: assistance {expected}"
        );
    }
}

/// A second account, still being created, offered to kim as administrator;
/// returns its id.
fn another_account_offered_to_kim(app: &TestApp, partner: &str) -> String {
    let second = app.customer(
        partner,
        &crate::helpers::customers::CustomerSpec::named("Contoso Cafe"),
    );
    diesel::update(customer_accounts::table.find(&second))
        .set(customer_accounts::state.eq("creating"))
        .execute(&mut app.conn())
        .expect("creating");
    app.invitation(
        crate::helpers::customers::Target::Customer(&second),
        "kim@fourthcoffee.example",
        "administrator",
    );
    second
}

//! Offers across tenants: a login of another tenant learns of an offer and accepts
//! it signed in, only the login it was made to can accept it, one membership
//! disabled leaves the others, and an assisting partner grants nothing.

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::{PASSWORD, password_hash};
use crate::helpers::{TestApp, client, spawn_app};
use crate::identity::{northwind, only_link};
use crate::monitoring_helpers::page;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use partnerdesk::db::schema::{customer_accounts, memberships};
use partnerdesk::i18n::Lang;

/// An active login, with a known password, whose email differs from its name.
fn login_with_address(app: &TestApp, username: &str, email: &str, full_name: &str) -> String {
    let hash = password_hash();
    accounts::insert(
        &mut app.conn(),
        app.clock_now(),
        &NewLogin {
            username: Username::parse(username).expect("username"),
            email: EmailAddress::parse(email).expect("email"),
            full_name: DisplayName::parse(full_name).expect("name"),
            language: Lang::En,
            time_zone: chrono_tz::Europe::Paris,
        },
        LoginState::Active,
        Some(hash),
    )
    .expect("login")
}

#[tokio::test]
async fn another_tenants_login_learns_of_the_offer_and_accepts_it_signed_in() {
    let app = spawn_app().await;
    let n = northwind(&app).await;
    // Petra already works for Fabrikam under her own login.
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&fabrikam, "petra@fabrikam.example", PartnerRole::Owner);
    let invited = app
        .post_as(
            &n.owner,
            "/partner/staff/invite",
            &[
                ("full_name", "P. Consultant"),
                ("email", "petra@fabrikam.example"),
                ("username", "petra@fabrikam.example"),
                ("role", "helpdesk_agent"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(invited.status(), 303);
    let (_, staff) = page(&n.owner, &app, "/partner/staff").await;
    assert!(staff.contains("P. Consultant"));
    assert!(
        !staff.contains("Person petra@fabrikam.example"),
        "the login's own name stays unknown"
    );
    // Her sign-ins do not show in Northwind's log while the offer waits.
    let petra = app
        .browser_signed_in("petra@fabrikam.example", PASSWORD)
        .await;
    let (_, log) = page(&n.owner, &app, "/partner/activity?action=signed_in").await;
    assert!(!log.contains("petra"), "{log}");
    // She accepts from the link, signed in, and works for Northwind at once.
    let link = only_link(&app, "petra@fabrikam.example", 1, "/invitations/").await;
    let (_, offer) = page(&petra, &app, &link).await;
    assert!(offer.contains("Northwind") && offer.contains(r#"id="accept""#));
    let accepted = app.post_as(&petra, &format!("{link}/accept"), &[]).await;
    assert_eq!(accepted.status(), 303);
    let (status, _) = page(&petra, &app, "/partner/customers").await;
    assert_eq!(status, 200);
    let (_, log) = page(&n.owner, &app, "/partner/activity").await;
    assert!(log.contains("Accepted an invitation"));
    // She is told at her own address that her login was given access.
    let emails = app.mail.wait_for_to("petra@fabrikam.example", 2).await;
    assert!(
        emails[1].subject.contains("Northwind"),
        "{:?}",
        emails[1].subject
    );
    assert!(n.partner.len() > 1);
}

#[tokio::test]
async fn an_offer_is_accepted_only_by_the_login_it_was_made_to() {
    let app = spawn_app().await;
    let n = northwind(&app).await;
    login_with_address(&app, "petra", "petra@fabrikam.example", "Petra");
    login_with_address(&app, "eve", "eve@evil.example", "Eve");
    app.post_as(
        &n.owner,
        "/partner/staff/invite",
        &[
            ("full_name", "Petra"),
            ("email", "petra@fabrikam.example"),
            ("username", "petra"),
            ("role", "admin_agent"),
            ("language", "en"),
        ],
    )
    .await;
    let link = only_link(&app, "petra@fabrikam.example", 1, "/invitations/").await;
    // Eve got hold of the link: signed in as herself, she cannot accept it.
    let eve = app.browser_signed_in("eve", PASSWORD).await;
    let (_, offer) = page(&eve, &app, &link).await;
    assert!(offer.contains(r#"id="invitation-other-login""#));
    let refused = app.post_as(&eve, &format!("{link}/accept"), &[]).await;
    assert_eq!(refused.status(), 404);
    let (status, _) = page(&eve, &app, "/partner").await;
    assert_ne!(status, 200);
    // Not signed in, accepting sends to the sign-in page.
    let anonymous = app.post_as(&client(), &format!("{link}/accept"), &[]).await;
    assert_eq!(anonymous.status(), 303);
    assert!(
        anonymous
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login"))
    );
}

#[tokio::test]
async fn disabling_one_membership_of_a_shared_login_leaves_its_other_tenant_signed_in() {
    let app = spawn_app().await;
    let n = northwind(&app).await;
    // Sam is Northwind staff and administrator of Fabrikam's customer.
    app.active_member(&n.partner, "sam@shared.example", PartnerRole::SalesAgent);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let theirs = app.customer(&fabrikam, &CustomerSpec::named("Contoso Ltd"));
    let sams_admin = app.customer_administrator(&theirs, "sam@shared.example");
    app.customer_administrator(&theirs, "other@contoso.example");
    let other_admin = app
        .browser_signed_in("other@contoso.example", PASSWORD)
        .await;
    // Two browsers of Sam's, one in each tenant.
    let sam_staff = app.browser_signed_in("sam@shared.example", PASSWORD).await;
    let switched = app
        .post_as(
            &sam_staff,
            "/memberships/switch",
            &[(
                "membership_id",
                &app.active_member_id(&n.partner, "sam@shared.example"),
            )],
        )
        .await;
    assert_eq!(switched.status(), 303);
    let sam_customer = app.browser_signed_in("sam@shared.example", PASSWORD).await;
    app.post_as(
        &sam_customer,
        "/memberships/switch",
        &[("membership_id", &sams_admin)],
    )
    .await;
    assert_eq!(page(&sam_staff, &app, "/partner/customers").await.0, 200);
    assert_eq!(page(&sam_customer, &app, "/customer/users").await.0, 200);
    // Contoso Ltd's other administrator disables Sam there.
    let disabled = app
        .post_confirmed(
            &other_admin,
            &format!("/customer/users/{sams_admin}/disable"),
            &[],
        )
        .await;
    assert_eq!(disabled.status(), 303);
    let (status, _) = page(&sam_customer, &app, "/customer/users").await;
    assert_ne!(status, 200, "the disabled membership's session ended");
    let (status, _) = page(&sam_staff, &app, "/partner/customers").await;
    assert_eq!(status, 200, "Northwind's session goes on");
    // And Contoso Ltd sees only its own membership of Sam: no Northwind there.
    let (_, users) = page(&other_admin, &app, "/customer/users").await;
    assert!(!users.contains("Northwind"));
}

#[tokio::test]
async fn an_assisting_partner_cannot_grant_access_to_the_account() {
    let app = spawn_app().await;
    let n = northwind(&app).await;
    app.active_member(
        &n.partner,
        "help@northwind.example",
        PartnerRole::HelpdeskAgent,
    );
    diesel::update(customer_accounts::table.find(&n.customer))
        .set(customer_accounts::partner_assistance.eq(true))
        .execute(&mut app.conn())
        .expect("assistance on");
    let help = app
        .browser_signed_in("help@northwind.example", PASSWORD)
        .await;
    let opened = app
        .post_as(
            &help,
            &format!("/partner/customers/{}/open", n.customer),
            &[("reason", "Ticket 42")],
        )
        .await;
    assert_eq!(opened.status(), 303);
    assert_eq!(page(&help, &app, "/customer").await.0, 200, "inside");
    let sub_account = app.sub_account(&n.customer, "NetOps", None);
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/customer/users".to_owned(),
            vec![
                ("full_name", "Help Desk"),
                ("email", "help@northwind.example"),
                ("username", "help@northwind.example"),
                ("role", "administrator"),
                ("language", "en"),
            ],
        ),
        (
            format!("/customer/sub-accounts/{sub_account}/operators"),
            vec![
                ("full_name", "Help Desk"),
                ("email", "help@northwind.example"),
                ("username", "help@northwind.example"),
                ("language", "en"),
            ],
        ),
        (
            "/customer/sub-accounts".to_owned(),
            vec![("name", "Backdoor")],
        ),
        (
            "/customer/api-tokens".to_owned(),
            vec![("name", "Backdoor")],
        ),
        (
            "/customer/assistance".to_owned(),
            vec![("partner_assistance", "on")],
        ),
    ];
    for (path, form) in attempts {
        let refused = app.post_as(&help, &path, &form).await;
        assert_eq!(refused.status(), 403, "{path}");
    }
    let offers: i64 = memberships::table
        .filter(memberships::customer_id.eq(&n.customer))
        .filter(memberships::state.eq("invited"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(offers, 0, "nothing was offered");
    let (_, users) = page(&help, &app, "/customer/users").await;
    assert!(
        !users.contains(r#"action="/customer/users""#),
        "no invite form"
    );
}

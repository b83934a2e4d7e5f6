//! Issue 16 replayed as an attacker would: taking over access through
//! invitations, shared logins, "open customer", revoked links and old reset
//! links. Each attack is run through the real server and its SMTP receiver, and
//! shown refused.

use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use partnerdesk::auth::password::hash_password;
use partnerdesk::db::schema::{customer_accounts, logins, memberships};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, eventually, spawn_app};
use crate::monitoring_helpers::page;

const REAL_ADDRESS: &str = "newhire@northwind.example";
const SQUATTED: &str = "newhire";
const ATTACKER_ADDRESS: &str = "mallory@evil.example";
const ATTACKER_NAME: &str = "Mallory Squatter";

/// The partner whose staff and customers are attacked ("Northwind"), its
/// owner's browser, and one of its customers administered by `admin@…`.
struct Northwind {
    partner: String,
    owner: reqwest::Client,
    customer: String,
    admin: reqwest::Client,
}

async fn northwind(app: &TestApp) -> Northwind {
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    app.active_member(&partner, "owner@northwind.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&customer, "admin@adatum.example");
    Northwind {
        owner: app
            .browser_signed_in("owner@northwind.example", PASSWORD)
            .await,
        admin: app
            .browser_signed_in("admin@adatum.example", PASSWORD)
            .await,
        partner,
        customer,
    }
}

/// Mallory administers a customer of another partner and, from its console,
/// tries to take the new hire's address as a username (refused), then takes a
/// plain username with her own address and activates it from her mailbox.
async fn squatter(app: &TestApp) -> reqwest::Client {
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let evil = app.customer(&fabrikam, &CustomerSpec::named("Evil Corp"));
    app.customer_administrator(&evil, "boss@evil.example");
    let boss = app.browser_signed_in("boss@evil.example", PASSWORD).await;
    let invite = |username: &'static str| {
        [
            ("full_name", ATTACKER_NAME),
            ("email", ATTACKER_ADDRESS),
            ("username", username),
            ("role", "user"),
            ("language", "en"),
        ]
    };
    let refused = app
        .post_as(&boss, "/customer/users", &invite(REAL_ADDRESS))
        .await;
    assert_eq!(refused.status(), 200);
    let body = refused.text().await.expect("body");
    assert!(
        body.contains("must be the person’s own address"),
        "another person's address is refused as a username: {body}"
    );
    assert_eq!(login_count(app, REAL_ADDRESS), 0);

    let taken = app
        .post_as(&boss, "/customer/users", &invite(SQUATTED))
        .await;
    assert_eq!(taken.status(), 303);
    let link = only_link(app, ATTACKER_ADDRESS, 1, "/activate/").await;
    let activated = app
        .post_as(
            &client(),
            &link,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(activated.status(), 303);
    app.browser_signed_in(SQUATTED, PASSWORD).await
}

fn login_count(app: &TestApp, username: &str) -> i64 {
    logins::table
        .filter(logins::username_key.eq(username.to_lowercase()))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// The path of the `nth` email to `address`, whose link contains `kind`.
async fn only_link(app: &TestApp, address: &str, nth: usize, kind: &str) -> String {
    let emails = app.mail.wait_for_to(address, nth).await;
    assert!(emails.len() >= nth, "{nth} emails to {address}");
    let link = emails[nth - 1]
        .links()
        .into_iter()
        .find(|l| l.contains(kind))
        .unwrap_or_else(|| panic!("a {kind} link in {:?}", emails[nth - 1].text));
    url::Url::parse(&link).expect("link").path().to_owned()
}

fn emails_to(app: &TestApp, address: &str) -> usize {
    app.mail
        .received()
        .iter()
        .filter(|e| e.to.iter().any(|to| to.contains(address)))
        .count()
}

/// The squatted login's memberships by state.
fn squatter_memberships(app: &TestApp, state: &str) -> i64 {
    memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq(SQUATTED))
        .filter(memberships::state.eq(state))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// After an invitation of the squatted username at the real address: the real
/// address has the link, the squatter got nothing and holds nothing new, and
/// the inviter's page shows only what was typed. Returns the link.
async fn offered_not_granted(
    app: &TestApp,
    squatter: &reqwest::Client,
    inviter: &reqwest::Client,
    inviter_page: &str,
    nth: usize,
) -> String {
    let link = only_link(app, REAL_ADDRESS, nth, "/invitations/").await;
    assert_eq!(
        emails_to(app, ATTACKER_ADDRESS),
        1,
        "only the squatter's own activation"
    );
    assert_eq!(squatter_memberships(app, "active"), 1, "Evil Corp only");
    let (_, picker) = page(squatter, app, "/memberships").await;
    assert!(!picker.contains("Northwind") && !picker.contains("Adatum"));
    let (status, shown) = page(inviter, app, inviter_page).await;
    assert_eq!(status, 200);
    assert!(shown.contains("New Hire"), "what was typed is shown");
    assert!(
        !shown.contains(ATTACKER_NAME) && !shown.contains(ATTACKER_ADDRESS),
        "nothing of the existing login: {shown}"
    );
    // The real person, not signed in as the squatted login, can only decline.
    let (_, offer) = page(&client(), app, &link).await;
    assert!(offer.contains(r#"id="sign-in-to-accept""#));
    assert!(!offer.contains(r#"id="accept""#));
    link
}

fn typed_person() -> Vec<(&'static str, &'static str)> {
    vec![
        ("full_name", "New Hire"),
        ("email", REAL_ADDRESS),
        ("username", SQUATTED),
        ("language", "en"),
    ]
}

#[tokio::test]
async fn a_squatted_username_gains_nothing_on_any_invitation_path() {
    let app = spawn_app().await;
    let n = northwind(&app).await;
    let mallory = squatter(&app).await;

    // 1. Staff.
    let mut staff = typed_person();
    staff.push(("role", "admin_agent"));
    let invited = app.post_as(&n.owner, "/partner/staff/invite", &staff).await;
    assert_eq!(invited.status(), 303);
    let staff_link = offered_not_granted(&app, &mallory, &n.owner, "/partner/staff", 1).await;

    // 2. A customer's people.
    let mut user = typed_person();
    user.push(("role", "administrator"));
    let invited = app.post_as(&n.admin, "/customer/users", &user).await;
    assert_eq!(invited.status(), 303);
    offered_not_granted(&app, &mallory, &n.admin, "/customer/users", 2).await;

    // 3. The administrator named when a customer is created.
    let created = app
        .post_as(
            &n.owner,
            "/partner/customers/new",
            &[
                ("step", "3"),
                ("go", "create"),
                ("name", "Fourth Coffee"),
                ("primary_domain", "fourthcoffee.example"),
                ("country", "CA"),
                ("time_zone", "America/Toronto"),
                ("term", "annual"),
                ("billing_type", "monthly_usage"),
                ("address_line1", "12 King Street"),
                ("city", "Toronto"),
                ("admin_full_name", "New Hire"),
                ("admin_language", "en"),
                ("identity_provider", "local"),
                ("admin_username", SQUATTED),
                ("admin_email", REAL_ADDRESS),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let details = created
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("the new customer's page")
        .to_owned();
    offered_not_granted(&app, &mallory, &n.owner, &details, 3).await;

    // 4. The CSV import's administrator_username column.
    let file = format!(
        "name,primary_domain,country,address_line1,city,contact_name,contact_email,administrator_username\n\
         Tailspin,tailspin.example,FR,1 rue de la Paix,Paris,New Hire,{REAL_ADDRESS},{SQUATTED}\n"
    );
    let (_, import_page) = page(&n.owner, &app, "/partner/customers/import").await;
    let action =
        regex::Regex::new(r#"action="(/partner/customers/import\?csrf_token=[0-9a-f]{64})""#)
            .expect("regex")
            .captures(&import_page)
            .map(|c| c[1].to_owned())
            .expect("the upload form");
    let part = reqwest::multipart::Part::bytes(file.into_bytes())
        .file_name("customers.csv")
        .mime_str("text/csv")
        .expect("mime");
    let uploaded = n
        .owner
        .post(app.url(&action))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    assert_eq!(uploaded.status(), 303);
    eventually("the import", Duration::from_secs(20), || {
        customer_accounts::table
            .filter(customer_accounts::name.eq("Tailspin"))
            .count()
            .get_result::<i64>(&mut app.conn())
            .expect("count")
            == 1
    })
    .await;
    let tailspin: String = customer_accounts::table
        .filter(customer_accounts::name.eq("Tailspin"))
        .select(customer_accounts::id)
        .first(&mut app.conn())
        .expect("imported");
    offered_not_granted(
        &app,
        &mallory,
        &n.owner,
        &format!("/partner/customers/{tailspin}"),
        4,
    )
    .await;

    // 5. A sub-account's operators.
    let sub_account = app.sub_account(&n.customer, "NetOps", None);
    let invited = app
        .post_as(
            &n.admin,
            &format!("/customer/sub-accounts/{sub_account}/operators"),
            &typed_person(),
        )
        .await;
    assert_eq!(invited.status(), 303);
    offered_not_granted(
        &app,
        &mallory,
        &n.admin,
        &format!("/customer/sub-accounts/{sub_account}"),
        5,
    )
    .await;

    // Five offers wait, none granted: accepting needs the link, which went only
    // to the real address. The real person declines the staff offer from it.
    assert_eq!(squatter_memberships(&app, "invited"), 5);
    let declined = app
        .post_as(&client(), &format!("{staff_link}/decline"), &[])
        .await;
    assert_eq!(declined.status(), 200);
    assert_eq!(squatter_memberships(&app, "invited"), 4);
    let (_, log) = page(&n.owner, &app, "/partner/activity").await;
    assert!(log.contains("Declined an invitation"), "{log}");
    assert!(!log.contains(ATTACKER_NAME), "the log names what was typed");
}

/// An active login, with a known password, whose email differs from its name.
fn login_with_address(app: &TestApp, username: &str, email: &str, full_name: &str) -> String {
    let hash = hash_password(PASSWORD).expect("hash");
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
        Some(&hash),
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

#[tokio::test]
async fn a_revoked_invitation_cannot_be_revived() {
    let app = spawn_app().await;
    let n = northwind(&app).await;
    app.post_as(
        &n.owner,
        "/partner/staff/invite",
        &[
            ("full_name", "Rita Revoked"),
            ("email", "rita@northwind.example"),
            ("username", "rita@northwind.example"),
            ("role", "sales_agent"),
            ("language", "en"),
        ],
    )
    .await;
    let link = only_link(&app, "rita@northwind.example", 1, "/activate/").await;
    let rita: String = memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq("rita@northwind.example"))
        .select(memberships::id)
        .first(&mut app.conn())
        .expect("invitation");
    let revoked = app
        .post_confirmed(&n.owner, &format!("/partner/staff/{rita}/revoke"), &[])
        .await;
    assert_eq!(revoked.status(), 303);
    let (_, withdrawn) = page(&client(), &app, &link).await;
    assert!(withdrawn.contains(r#"id="link-withdrawn""#), "{withdrawn}");
    assert!(!withdrawn.contains("/activate/renew"), "offers nothing");
    let activated = app
        .post_as(
            &client(),
            &link,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert!(
        activated
            .text()
            .await
            .expect("body")
            .contains(r#"id="link-withdrawn""#)
    );
    // Asking for a new link by username sends nothing to anyone.
    let before = app.mail.received().len();
    app.post_as(
        &client(),
        "/activate/renew",
        &[("identifier", "rita@northwind.example")],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.mail.received().len(), before);
    assert_eq!(
        app.sign_in("rita@northwind.example", PASSWORD)
            .await
            .status(),
        200,
        "no password was ever set: the sign-in page answers again"
    );
}

#[tokio::test]
async fn an_old_reset_link_dies_when_the_password_changes() {
    let app = spawn_app().await;
    let n = northwind(&app).await;
    let requested = app
        .post_as(
            &client(),
            "/password-reset",
            &[("identifier", "owner@northwind.example")],
        )
        .await;
    assert!(requested.status().is_success() || requested.status().is_redirection());
    let link = only_link(&app, "owner@northwind.example", 1, "/reset-password/").await;
    let changed = app
        .post_as(
            &n.owner,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", "another long passphrase"),
                ("password_confirmation", "another long passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    let reset = app
        .post_as(
            &client(),
            &link,
            &[
                ("password", "the attacker's passphrase"),
                ("password_confirmation", "the attacker's passphrase"),
            ],
        )
        .await;
    assert_eq!(reset.status(), 200);
    assert_eq!(
        app.sign_in("owner@northwind.example", "the attacker's passphrase")
            .await
            .status(),
        200,
        "refused: the sign-in form again"
    );
    let signed_in = app
        .sign_in("owner@northwind.example", "another long passphrase")
        .await;
    assert_eq!(signed_in.status(), 303);
}

#[tokio::test]
async fn two_partners_inviting_the_same_new_username_at_once_both_succeed() {
    let app = spawn_app().await;
    let first = northwind(&app).await;
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&fabrikam, "owner@fabrikam.example", PartnerRole::Owner);
    let second = app
        .browser_signed_in("owner@fabrikam.example", PASSWORD)
        .await;
    for round in 0..6 {
        let username = format!("shared{round}@contractor.example");
        let form = [
            ("full_name", "Contractor"),
            ("email", username.as_str()),
            ("username", username.as_str()),
            ("role", "sales_agent"),
            ("language", "en"),
        ];
        let (a, b) = tokio::join!(
            app.post_as(&first.owner, "/partner/staff/invite", &form),
            app.post_as(&second, "/partner/staff/invite", &form)
        );
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303));
        assert_eq!(login_count(&app, &username), 1, "one login for both");
        let offers: i64 = memberships::table
            .inner_join(logins::table)
            .filter(logins::username_key.eq(&username))
            .filter(memberships::state.eq("invited"))
            .count()
            .get_result(&mut app.conn())
            .expect("count");
        assert_eq!(offers, 2, "each partner's offer waits");
    }
}

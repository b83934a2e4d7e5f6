//! Issue 16 replayed as an attacker would: taking over access through
//! invitations, shared logins, "open customer", revoked links and old reset
//! links. Each attack is run through the real server and its SMTP receiver, and
//! shown refused.

use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
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
pub(crate) struct Northwind {
    pub(crate) partner: String,
    pub(crate) owner: reqwest::Client,
    pub(crate) customer: String,
    pub(crate) admin: reqwest::Client,
}

pub(crate) async fn northwind(app: &TestApp) -> Northwind {
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
pub(crate) async fn only_link(app: &TestApp, address: &str, nth: usize, kind: &str) -> String {
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
    let details = create_a_customer_naming_the_squatter(&app, &n.owner).await;
    offered_not_granted(&app, &mallory, &n.owner, &details, 3).await;

    // 4. The CSV import's administrator_username column.
    let tailspin = import_a_customer_naming_the_squatter(&app, &n.owner).await;
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

/// Creates a customer whose administrator is named with the squatted username
/// and the real address; returns the customer's page.
async fn create_a_customer_naming_the_squatter(app: &TestApp, owner: &reqwest::Client) -> String {
    let created = app
        .post_as(
            owner,
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
    created
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("the new customer's page")
        .to_owned()
}

/// Imports a customer whose `administrator_username` is the squatted one, and
/// waits for the import; returns the customer's id.
async fn import_a_customer_naming_the_squatter(app: &TestApp, owner: &reqwest::Client) -> String {
    let file = format!(
        "name,primary_domain,country,address_line1,city,contact_name,contact_email,administrator_username\n\
         Tailspin,tailspin.example,FR,1 rue de la Paix,Paris,New Hire,{REAL_ADDRESS},{SQUATTED}\n"
    );
    let (_, import_page) = page(owner, app, "/partner/customers/import").await;
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
    let uploaded = owner
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
    tailspin
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
    let before = app.drain_outbox().await.len();
    app.post_as(
        &client(),
        "/activate/renew",
        &[("identifier", "rita@northwind.example")],
    )
    .await;
    assert_eq!(app.drain_outbox().await.len(), before);
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

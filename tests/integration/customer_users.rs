//! A customer account's people and invitations through the real server: invite,
//! roles, disable with the last administrator kept, resend and revoke killing old
//! links, and an expired link reaching whoever sent the invitation.

use crate::customers::error_next_to;
use chrono::Duration;
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

use crate::customers::page_of;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

async fn link_in_email(app: &TestApp, address: &str, nth: usize) -> String {
    let emails = app.mail.wait_for_to(address, nth).await;
    assert!(
        emails.len() >= nth,
        "{nth} emails to {address}, got {}",
        emails.len()
    );
    let link = emails[nth - 1]
        .links()
        .into_iter()
        .next()
        .expect("a link in the email");
    url::Url::parse(&link).expect("link").path().to_owned()
}

fn membership_of(page: &str, username: &str) -> String {
    regex::Regex::new(&format!(
        r#"<tr id="user-([^"]+)" data-username="{}">"#,
        regex::escape(username)
    ))
    .expect("regex")
    .captures(page)
    .map(|c| c[1].to_owned())
    .unwrap_or_else(|| panic!("{username} listed"))
}

struct Fixture {
    app: TestApp,
    customer: String,
    admin: reqwest::Client,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&customer, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    Fixture {
        app,
        customer,
        admin,
    }
}

impl Fixture {
    /// Invites Ann Lee as a user; the link in her email.
    async fn invite_ann(&self) -> String {
        let invited = self.invite("Ann Lee", "ann@adatum.example", "user").await;
        assert_eq!(invited.status(), 303);
        link_in_email(&self.app, "ann@adatum.example", 1).await
    }

    async fn invite(&self, name: &str, email: &str, role: &str) -> reqwest::Response {
        self.app
            .post_as(
                &self.admin,
                "/customer/users",
                &[
                    ("full_name", name),
                    ("email", email),
                    ("username", ""),
                    ("role", role),
                    ("language", "en"),
                ],
            )
            .await
    }
}

#[tokio::test]
async fn an_administrator_invites_changes_roles_and_disables_but_keeps_one_administrator() {
    let f = fixture().await;
    let app = &f.app;
    let link = f.invite_ann().await;
    let (_, page) = page_of(&f.admin, app, "/customer/users").await;
    let ann = membership_of(&page, "ann@adatum.example");
    assert!(
        page.contains(r#"data-expired="false""#),
        "the pending invitation shows until when"
    );
    assert!(page.contains("the link works until"));
    let activated = app
        .post_form(
            &link,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(activated.status(), 303);
    let ann_browser = app.browser_signed_in("ann@adatum.example", PASSWORD).await;
    assert_eq!(page_of(&ann_browser, app, "/customer").await.0, 200);
    assert_eq!(
        page_of(&ann_browser, app, "/customer/users").await.0,
        403,
        "a user does not manage users"
    );

    // The only administrator cannot step down, until Ann is one too.
    let me = membership_of(&page, "admin@adatum.example");
    the_last_administrator_steps_down_only_after_ann_steps_up(&f, &me, &ann).await;

    // Ann disables the former administrator, whose session ends at once.
    let disabled = app
        .post_confirmed(&ann_browser, &format!("/customer/users/{me}/disable"), &[])
        .await;
    assert_eq!(disabled.status(), 303);
    let after = f.admin.get(app.url("/customer")).send().await.expect("GET");
    assert_eq!(after.status(), 303);
    assert!(
        after
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.starts_with("/login"))
    );
    let (_, activity) = page_of(&ann_browser, app, "/customer/activity").await;
    for action in ["Invited a user", "Changed a role", "Disabled a user"] {
        assert!(activity.contains(action), "{action}");
    }
}

/// The only administrator cannot step down, until Ann is one too.
async fn the_last_administrator_steps_down_only_after_ann_steps_up(
    f: &Fixture,
    me: &str,
    ann: &str,
) {
    let app = &f.app;
    let refused = app
        .post_as(
            &f.admin,
            &format!("/customer/users/{me}/role"),
            &[("role", "user")],
        )
        .await;
    assert_eq!(refused.status(), 303);
    let (_, page) = page_of(&f.admin, app, "/customer/users").await;
    assert!(page.contains("The account must keep at least one active administrator."));
    let promoted = app
        .post_as(
            &f.admin,
            &format!("/customer/users/{ann}/role"),
            &[("role", "administrator")],
        )
        .await;
    assert_eq!(promoted.status(), 303);
    let stepped_down = app
        .post_as(
            &f.admin,
            &format!("/customer/users/{me}/role"),
            &[("role", "user")],
        )
        .await;
    assert_eq!(stepped_down.status(), 303);
    assert_eq!(
        page_of(&f.admin, app, "/customer/users").await.0,
        403,
        "now a user"
    );
}

#[tokio::test]
async fn invitation_refusals_are_explained_in_english_and_french() {
    for (lang, invalid, already) in [
        (
            Lang::En,
            "This value is not valid.",
            "This person already has access to this account, or their login is disabled.",
        ),
        (
            Lang::Fr,
            "Cette valeur n'est pas valide.",
            "Cette personne a déjà accès à ce compte, ou son identifiant est désactivé.",
        ),
    ] {
        let f = fixture().await;
        if lang == Lang::Fr {
            f.app
                .post_as(&f.admin, "/language", &[("lang", "fr"), ("next", "/")])
                .await;
        }
        let response = f.invite("Ann Lee", "not an email", "user").await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.expect("body");
        assert_eq!(error_next_to(&page, "email").as_deref(), Some(invalid));
        assert!(page.contains(r#"value="Ann Lee""#), "what was typed stays");
        let response = f
            .invite("Admin again", "admin@adatum.example", "user")
            .await;
        let page = response.text().await.expect("body");
        assert_eq!(error_next_to(&page, "username").as_deref(), Some(already));
        assert!(
            !f.app
                .mail
                .received()
                .iter()
                .any(|e| e.to.iter().any(|t| t == "not an email"))
        );
        assert!(!f.customer.is_empty());
    }
}

#[tokio::test]
async fn resending_kills_the_old_link_and_revoking_kills_the_invitation() {
    let f = fixture().await;
    let app = &f.app;
    let first = f.invite_ann().await;
    let (_, page) = page_of(&f.admin, app, "/customer/users").await;
    let ann = membership_of(&page, "ann@adatum.example");
    let resent = app
        .post_as(&f.admin, &format!("/customer/users/{ann}/resend"), &[])
        .await;
    assert_eq!(resent.status(), 303);
    let second = link_in_email(app, "ann@adatum.example", 2).await;
    assert_ne!(first, second);
    assert!(app.get_text(&first).await.contains("can no longer be used"));
    assert!(
        !app.get_text(&second)
            .await
            .contains("can no longer be used")
    );

    let revoked = app
        .post_confirmed(&f.admin, &format!("/customer/users/{ann}/revoke"), &[])
        .await;
    assert_eq!(revoked.status(), 303);
    assert!(
        app.get_text(&second)
            .await
            .contains("This invitation was withdrawn"),
        "a revoked invitation's link says it was withdrawn"
    );
    let (_, page) = page_of(&f.admin, app, "/customer/users").await;
    assert!(!page.contains("ann@adatum.example"));
    let (_, activity) = page_of(&f.admin, app, "/customer/activity").await;
    assert!(activity.contains("Revoked an invitation"));
}

#[tokio::test]
async fn an_expired_link_asks_whoever_invited_for_a_new_one() {
    let f = fixture().await;
    let app = &f.app;
    let first = f.invite_ann().await;
    app.clock.advance(Duration::hours(73));
    assert!(app.get_text(&first).await.contains("can no longer be used"));
    let asked = app
        .post_form("/activate/renew", &[("identifier", "ann@adatum.example")])
        .await;
    assert!(
        asked
            .text()
            .await
            .expect("body")
            .contains("we have asked for a new link")
    );
    let request = app.mail.wait_for_to("admin@adatum.example", 1).await;
    assert_eq!(request.len(), 1, "the inviting administrator is asked");
    assert!(
        request[0]
            .subject
            .contains("Ann Lee asks for a new invitation link"),
        "{}",
        request[0].subject
    );
    assert!(request[0].text.contains("/customer/users"));
    assert_eq!(
        app.emails_to("ann@adatum.example").await.len(),
        1,
        "no new link goes out before the administrator sends it"
    );

    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, page) = page_of(&admin, app, "/customer/users").await;
    assert!(page.contains(r#"data-expired="true""#) && page.contains("the link has expired"));
    let ann = membership_of(&page, "ann@adatum.example");
    let resent = app
        .post_as(&admin, &format!("/customer/users/{ann}/resend"), &[])
        .await;
    assert_eq!(resent.status(), 303);
    let second = link_in_email(app, "ann@adatum.example", 2).await;
    let activated = app
        .post_form(
            &second,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(activated.status(), 303);
}

#[tokio::test]
async fn partner_staff_invitations_show_their_expiry_reach_the_inviter_and_can_be_revoked() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let invited = app
        .post_as(
            &owner,
            "/partner/staff/invite",
            &[
                ("full_name", "Sam Sales"),
                ("email", "sam@contoso.example"),
                ("username", ""),
                ("role", "sales_agent"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(invited.status(), 303);
    let link = link_in_email(&app, "sam@contoso.example", 1).await;
    let (_, staff) = page_of(&owner, &app, "/partner/staff").await;
    assert!(staff.contains("the link works until"));
    app.clock.advance(Duration::hours(73));
    assert!(app.get_text(&link).await.contains("can no longer be used"));
    app.post_form("/activate/renew", &[("identifier", "sam@contoso.example")])
        .await;
    let request = app.mail.wait_for_to("owner@contoso.example", 1).await;
    assert_eq!(request.len(), 1);
    assert!(request[0].text.contains("/partner/staff"));

    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, staff) = page_of(&owner, &app, "/partner/staff").await;
    assert!(staff.contains("the link has expired"));
    let sam = regex::Regex::new(r#"action="/partner/staff/([^/]+)/revoke""#)
        .expect("regex")
        .captures_iter(&staff)
        .map(|c| c[1].to_owned())
        .collect::<Vec<_>>();
    // Olga (invited from the command line) and Sam are both pending.
    assert_eq!(sam.len(), 2);
    for id in &sam {
        let revoked = app
            .post_confirmed(&owner, &format!("/partner/staff/{id}/revoke"), &[])
            .await;
        assert_eq!(revoked.status(), 303);
    }
    let (_, staff) = page_of(&owner, &app, "/partner/staff").await;
    assert!(!staff.contains("sam@contoso.example") && !staff.contains("olga@contoso.example"));
}

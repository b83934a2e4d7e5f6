//! Second factors through the real server, with a clock the test moves:
//! enrolling an authenticator app, signing in with a code (each code once),
//! recovery codes, the organisation's policy with its grace period, step-up
//! before actions that hand out access, and a reset by the owner.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::second_factors;
use partnerdesk::i18n::Lang;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app};
use crate::monitoring_helpers::page;

/// The code an authenticator app shows for `secret` at the app's clock.
fn code_at(app: &TestApp, secret: &str) -> String {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .expect("secret");
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes, None, String::new());
    let seconds = u64::try_from(app.clock_now().and_utc().timestamp()).expect("time");
    totp.generate(seconds)
}

fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).expect(start) + start.len();
    let to = page[from..].find(end).expect(end) + from;
    &page[from..to]
}

/// Enrols an authenticator for the signed-in browser; returns its secret, the
/// recovery codes shown once and the code that confirmed it.
pub(crate) async fn enrol(
    app: &TestApp,
    browser: &reqwest::Client,
) -> (String, Vec<String>, String) {
    let (status, form) = page(browser, app, "/account/security/totp").await;
    assert_eq!(status, 200);
    assert!(form.contains("<svg"), "a QR code drawn on the server");
    let secret = between(&form, r#"id="totp-secret">"#, "</code>").to_owned();
    let wrong = app
        .post_as(
            browser,
            "/account/security/totp",
            &[("label", "Phone"), ("code", "000000")],
        )
        .await;
    assert!(
        wrong
            .text()
            .await
            .expect("body")
            .contains(r#"id="code-error""#),
        "a wrong first code is refused next to the field"
    );
    let first_code = code_at(app, &secret);
    let done = app
        .post_as(
            browser,
            "/account/security/totp",
            &[("label", "Phone"), ("code", &first_code)],
        )
        .await;
    assert_eq!(done.status(), 200);
    let shown = done.text().await.expect("body");
    let codes: Vec<String> = regex::Regex::new(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>")
        .expect("regex")
        .captures_iter(&shown)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    (secret, codes, first_code)
}

/// Signs in with a password then a code; returns the browser and the answer to
/// the code.
async fn sign_in_with(app: &TestApp, username: &str, code: &str) -> (reqwest::Client, u16) {
    let browser = client();
    let first = app
        .post_as(
            &browser,
            "/login",
            &[("username", username), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(location(&first), "/login/second-factor");
    // The password alone signs nobody in.
    assert_ne!(page(&browser, app, "/partner").await.0, 200);
    let second = app
        .post_as(&browser, "/login/second-factor", &[("code", code)])
        .await;
    let status = second.status().as_u16();
    (browser, status)
}

#[tokio::test]
async fn an_authenticator_is_enrolled_and_then_asked_for_at_every_sign_in() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    app.active_member(&partner, "owner@northwind.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@northwind.example", PASSWORD)
        .await;
    let (secret, codes, first_code) = enrol(&app, &owner).await;
    let emails = app.mail.wait_for_to("owner@northwind.example", 1).await;
    assert!(emails[0].text.contains("authenticator app was added"));
    let (_, security) = page(&owner, &app, "/account/security").await;
    assert!(security.contains("10 recovery codes left"), "{security}");

    // The enrolment's code is used up: the same step cannot sign in.
    let (_, status) = sign_in_with(&app, "owner@northwind.example", &first_code).await;
    assert_eq!(status, 200, "refused: the form again");
    app.clock.advance(Duration::seconds(30));
    let code = code_at(&app, &secret);
    let (browser, status) = sign_in_with(&app, "owner@northwind.example", &code).await;
    assert_eq!(status, 303);
    assert_eq!(page(&browser, &app, "/partner").await.0, 200);
    // Each code serves once, even from another browser.
    let (_, again) = sign_in_with(&app, "owner@northwind.example", &code).await;
    assert_eq!(again, 200);

    // A recovery code works once, in any form typed.
    let recovery = codes[3].to_lowercase().replace('-', " ");
    let (browser, status) = sign_in_with(&app, "owner@northwind.example", &recovery).await;
    assert_eq!(status, 303);
    assert_eq!(page(&browser, &app, "/partner").await.0, 200);
    let (_, status) = sign_in_with(&app, "owner@northwind.example", &codes[3]).await;
    assert_eq!(status, 200, "a used recovery code is refused");
    let (_, security) = page(&browser, &app, "/account/security").await;
    assert!(security.contains("9 recovery codes left"));
    let (_, log) = page(&browser, &app, "/partner/activity").await;
    assert!(log.contains("Signed in with a recovery code"));

    // A pending second step expires: five minutes later the code is not asked.
    let late = client();
    app.post_as(
        &late,
        "/login",
        &[
            ("username", "owner@northwind.example"),
            ("password", PASSWORD),
        ],
    )
    .await;
    app.clock.advance(Duration::minutes(6));
    let expired = app
        .post_as(
            &late,
            "/login/second-factor",
            &[("code", &code_at(&app, &secret))],
        )
        .await;
    assert_eq!(location(&expired), "/login");
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_passwords() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    app.active_member(&partner, "owner@northwind.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@northwind.example", PASSWORD)
        .await;
    let (secret, _, _) = enrol(&app, &owner).await;
    app.clock.advance(Duration::seconds(30));
    let browser = client();
    app.post_as(
        &browser,
        "/login",
        &[
            ("username", "owner@northwind.example"),
            ("password", PASSWORD),
        ],
    )
    .await;
    for _ in 0..5 {
        let wrong = app
            .post_as(&browser, "/login/second-factor", &[("code", "123456")])
            .await;
        assert_eq!(wrong.status(), 200);
    }
    let throttled = app
        .post_as(
            &browser,
            "/login/second-factor",
            &[("code", &code_at(&app, &secret))],
        )
        .await;
    assert_eq!(throttled.status(), 429, "even the right code waits");
}

#[tokio::test]
async fn the_owner_requires_a_second_factor_and_staff_enrol_after_the_grace_period() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    app.active_member(&partner, "owner@northwind.example", PartnerRole::Owner);
    app.active_member(&partner, "sam@northwind.example", PartnerRole::SalesAgent);
    let owner = app
        .browser_signed_in("owner@northwind.example", PASSWORD)
        .await;
    let refused = app
        .post_as(
            &owner,
            "/partner/security",
            &[("required", "on"), ("grace_days", "400")],
        )
        .await;
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains(r#"id="grace_days-error""#)
    );
    let saved = app
        .post_as(
            &owner,
            "/partner/security",
            &[("required", "on"), ("grace_days", "3")],
        )
        .await;
    assert_eq!(location(&saved), "/partner/security");

    // Within the grace period Sam works, told until when.
    let sam = app
        .browser_signed_in("sam@northwind.example", PASSWORD)
        .await;
    let (status, customers) = page(&sam, &app, "/partner/customers").await;
    assert_eq!(status, 200);
    assert!(customers.contains(r#"id="second-factor-banner""#));
    // After it, Northwind's pages send him to enrol first.
    app.clock.advance(Duration::days(4));
    let sam = app
        .browser_signed_in("sam@northwind.example", PASSWORD)
        .await;
    let blocked = sam
        .get(app.url("/partner/customers"))
        .send()
        .await
        .expect("GET");
    assert_eq!(location(&blocked), "/account/security");
    enrol(&app, &sam).await;
    assert_eq!(page(&sam, &app, "/partner/customers").await.0, 200);
    let (_, customers) = page(&sam, &app, "/partner/customers").await;
    assert!(!customers.contains(r#"id="second-factor-banner""#));
}

#[tokio::test]
async fn handing_out_access_asks_for_a_fresh_second_factor() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    app.active_member(&partner, "owner@northwind.example", PartnerRole::Owner);
    let sam = app.active_member(&partner, "sam@northwind.example", PartnerRole::SalesAgent);
    let owner = app
        .browser_signed_in("owner@northwind.example", PASSWORD)
        .await;
    let (secret, _, _) = enrol(&app, &owner).await;
    // Just enrolled: fresh for fifteen minutes.
    let changed = app
        .post_as(
            &owner,
            &format!("/partner/staff/{sam}/role"),
            &[("role", "admin_agent")],
        )
        .await;
    assert_eq!(location(&changed), "/partner/staff");
    app.clock.advance(Duration::minutes(16));
    let asked = app
        .post_as(
            &owner,
            &format!("/partner/staff/{sam}/role"),
            &[("role", "sales_agent")],
        )
        .await;
    assert!(
        location(&asked).starts_with("/account/step-up"),
        "{}",
        location(&asked)
    );
    let (_, staff) = page(&owner, &app, "/partner/staff").await;
    assert!(staff.contains("Admin agent"), "nothing changed yet");
    let confirmed = app
        .post_as(
            &owner,
            "/account/step-up?next=/partner/staff",
            &[("code", &code_at(&app, &secret))],
        )
        .await;
    assert_eq!(location(&confirmed), "/partner/staff");
    let changed = app
        .post_as(
            &owner,
            &format!("/partner/staff/{sam}/role"),
            &[("role", "sales_agent")],
        )
        .await;
    assert_eq!(location(&changed), "/partner/staff");
}

#[tokio::test]
async fn the_owner_resets_a_members_factors_unless_the_login_belongs_elsewhere() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    app.active_member(&partner, "owner@northwind.example", PartnerRole::Owner);
    let sam = app.active_member(&partner, "sam@northwind.example", PartnerRole::SalesAgent);
    let pat = app.active_member(&partner, "pat@shared.example", PartnerRole::SalesAgent);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&fabrikam, "pat@shared.example", PartnerRole::Owner);
    for who in ["sam@northwind.example", "pat@shared.example"] {
        let browser = app.browser_signed_in(who, PASSWORD).await;
        if who.starts_with("pat") {
            let switched = app
                .post_as(&browser, "/memberships/switch", &[("membership_id", &pat)])
                .await;
            assert_eq!(switched.status(), 303);
        }
        enrol(&app, &browser).await;
    }
    let factors = |username: &str| -> i64 {
        second_factors::table
            .inner_join(partnerdesk::db::schema::logins::table)
            .filter(partnerdesk::db::schema::logins::username_key.eq(username))
            .count()
            .get_result(&mut app.conn())
            .expect("count")
    };
    let owner = app
        .browser_signed_in("owner@northwind.example", PASSWORD)
        .await;
    let reset = app
        .post_as(
            &owner,
            &format!("/partner/staff/{sam}/second-factor/reset"),
            &[],
        )
        .await;
    assert_eq!(location(&reset), "/partner/staff");
    assert_eq!(factors("sam@northwind.example"), 0);
    let emails = app.mail.wait_for_to("sam@northwind.example", 2).await;
    assert!(
        emails[1]
            .text
            .contains("Your organisation removed the second factors")
    );
    let (_, log) = page(&owner, &app, "/partner/activity").await;
    assert!(
        log.contains("Reset a person&#39;s second factors")
            || log.contains("Reset a person's second factors")
    );
    // Pat also owns Fabrikam: Northwind cannot strip what guards Fabrikam.
    app.post_as(
        &owner,
        &format!("/partner/staff/{pat}/second-factor/reset"),
        &[],
    )
    .await;
    assert_eq!(factors("pat@shared.example"), 1);
    let (_, staff) = page(&owner, &app, "/partner/staff").await;
    assert!(staff.contains("belongs to other organisations"));
}

#[tokio::test]
async fn a_customer_administrator_requires_a_second_factor_of_the_accounts_people() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    let customer = app.customer(
        &partner,
        &crate::helpers::customers::CustomerSpec::named("Adatum"),
    );
    app.customer_administrator(&customer, "admin@adatum.example");
    app.customer_member(&customer, "user@adatum.example", "user");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (status, form) = page(&admin, &app, "/customer/security").await;
    assert_eq!(status, 200);
    assert!(form.contains(r#"id="required""#));
    let saved = app
        .post_as(
            &admin,
            "/customer/security",
            &[("required", "on"), ("grace_days", "0")],
        )
        .await;
    assert_eq!(location(&saved), "/customer/security");
    app.clock.advance(Duration::minutes(1));
    // The account's user is sent to enrol; the rule is the account's, not the
    // partner's: Northwind's pages are not concerned.
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    let blocked = user.get(app.url("/customer")).send().await.expect("GET");
    assert_eq!(location(&blocked), "/account/security");
    let (status, _) = page(&user, &app, "/account/security").await;
    assert_eq!(status, 200, "enrolling stays reachable");
    enrol(&app, &user).await;
    assert_eq!(page(&user, &app, "/customer").await.0, 200);
    // A user may not change the rule.
    let refused = app
        .post_as(&user, "/customer/security", &[("grace_days", "5")])
        .await;
    assert_eq!(refused.status(), 403);
    let logged: i64 = partnerdesk::db::schema::activity_log::table
        .filter(partnerdesk::db::schema::activity_log::customer_id.eq(&customer))
        .filter(partnerdesk::db::schema::activity_log::action.eq("second_factor_policy_changed"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(logged, 1, "in the account's activity log");
}

#[tokio::test]
async fn the_second_factor_forms_explain_errors_in_french_and_english() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Northwind", "olga@northwind.example", Lang::En);
    app.active_member(&partner, "owner@northwind.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@northwind.example", PASSWORD)
        .await;
    for (lang, grace_error, code_error) in [
        (
            "en",
            "Enter a number of days from 0 to 90.",
            "This code is not right",
        ),
        (
            "fr",
            "Indiquez un nombre de jours entre 0 et 90.",
            "Ce code est erroné",
        ),
    ] {
        app.post_as(&owner, "/language", &[("lang", lang), ("next", "/")])
            .await;
        let refused = app
            .post_as(
                &owner,
                "/partner/security",
                &[("required", "on"), ("grace_days", "-1")],
            )
            .await
            .text()
            .await
            .expect("body");
        assert!(refused.contains(grace_error), "{lang}: {refused}");
        assert!(refused.contains(r#"value="-1""#), "what was typed is kept");
        page(&owner, &app, "/account/security/totp").await;
        let wrong = app
            .post_as(
                &owner,
                "/account/security/totp",
                &[("label", "Téléphone"), ("code", "000000")],
            )
            .await
            .text()
            .await
            .expect("body");
        assert!(wrong.contains(code_error), "{lang}: {wrong}");
        assert!(wrong.contains(r#"value="Téléphone""#), "the label is kept");
    }
}

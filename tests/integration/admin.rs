//! The instance operator's area (`/admin`): the role granted and revoked on the
//! command line, who reaches the area, its second factor, creating a partner
//! with its first owner, the outbox and the instance's activity log.

use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, run_cli, spawn_app, spawn_app_frozen};

pub(crate) const ROOT: &str = "root@instance.example";

/// A browser signed in as a new instance operator.
pub(crate) async fn operator_signed_in(app: &TestApp) -> reqwest::Client {
    app.instance_operator(ROOT);
    app.browser_signed_in(ROOT, PASSWORD).await
}

/// The page's body with the path it was asked for taken out (the language
/// switch comes back to it), to compare two pages at different paths.
async fn body_without(response: reqwest::Response, path: &str) -> String {
    let body = response.text().await.expect("body");
    body.replace(path, "PATH")
}

/// `partnerdesk operator <args>`: whether it succeeded, and what it said.
fn operator_cli(app: &TestApp, args: &[&str]) -> (bool, String) {
    let output = run_cli(app, &[&["operator"], args].concat());
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), said)
}

/// The status `browser` gets for `path`.
pub(crate) async fn status_of(app: &TestApp, browser: &reqwest::Client, path: &str) -> u16 {
    let response = browser.get(app.url(path)).send().await.expect("GET");
    response.status().as_u16()
}

#[tokio::test]
async fn the_command_line_grants_the_role_to_active_logins_only_and_revokes_it() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "alice@contoso.example", PartnerRole::Owner);
    let refusals = [
        (
            "nobody@nowhere.example",
            "no login has this username or email",
        ),
        // The invited owner has not activated yet.
        ("olga@contoso.example", "not been activated yet"),
    ];
    for (email, why) in refusals {
        let (done, said) = operator_cli(&app, &["grant", "--email", email]);
        assert!(!done && said.contains(why), "{email}: {said}");
    }
    let (done, said) = operator_cli(&app, &["grant", "--email", "alice@contoso.example"]);
    assert!(done, "{said}");
    let (done, said) = operator_cli(&app, &["grant", "--username", "alice@contoso.example"]);
    assert!(
        !done && said.contains("already an instance operator"),
        "{said}"
    );
    let alice = app
        .browser_signed_in("alice@contoso.example", PASSWORD)
        .await;
    assert_eq!(status_of(&app, &alice, "/admin").await, 200);
    // Her membership goes on as before.
    assert_eq!(status_of(&app, &alice, "/partner").await, 200);

    let (done, said) = operator_cli(&app, &["revoke", "--email", "alice@contoso.example"]);
    assert!(done, "{said}");
    // The same session loses the area on its next request.
    assert_eq!(status_of(&app, &alice, "/admin").await, 404);

    let root = operator_signed_in(&app).await;
    let log = app.page_as(&root, "/admin/activity").await;
    assert_eq!(
        log.matches("data-action=\"operator_granted\"").count(),
        2,
        "{log}"
    );
    assert_eq!(log.matches("data-action=\"operator_revoked\"").count(), 1);
    assert!(log.contains("Command line") && log.contains("alice@contoso.example"));
}

#[tokio::test]
async fn everyone_but_an_operator_finds_no_operator_area() {
    let app = spawn_app().await;
    let anonymous = client()
        .get(app.url("/admin/outbox"))
        .send()
        .await
        .expect("GET");
    assert_eq!(anonymous.status(), 303);
    assert!(crate::helpers::location(&anonymous).starts_with("/login?next=%2Fadmin%2Foutbox"));

    let (_, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let refused = owner
        .get(app.url("/admin/outbox"))
        .send()
        .await
        .expect("GET");
    assert_eq!(refused.status(), 404);
    let missing = owner
        .get(app.url("/admin/no-such-page"))
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status(), 404);
    assert_eq!(
        body_without(refused, "/admin/outbox").await,
        body_without(missing, "/admin/no-such-page").await,
        "refused exactly like a missing page"
    );
    let posted = app
        .post_as(&owner, "/admin/outbox/retry", &[("confirmed", "yes")])
        .await;
    assert_eq!(posted.status(), 404);
}

#[tokio::test]
async fn an_operator_without_a_second_factor_must_enrol_once_the_grace_period_is_over() {
    let app = spawn_app_frozen().await;
    let root = operator_signed_in(&app).await;
    let page = root.get(app.url("/admin")).send().await.expect("GET");
    assert_eq!(page.status(), 200);
    // The picker offers the area to a login with no membership.
    let picker = root.get(app.url("/memberships")).send().await.expect("GET");
    assert!(
        picker
            .text()
            .await
            .expect("page")
            .contains("id=\"admin-area\"")
    );

    app.clock.advance(chrono::Duration::days(8));
    let root = app.browser_signed_in(ROOT, PASSWORD).await;
    let sent = root.get(app.url("/admin")).send().await.expect("GET");
    assert_eq!(sent.status(), 303);
    assert_eq!(crate::helpers::location(&sent), "/account/security");
}

#[tokio::test]
async fn an_operator_creates_a_partner_whose_owner_is_invited_by_email() {
    let app = spawn_app().await;
    let root = operator_signed_in(&app).await;
    let form = app.page_as(&root, "/admin/partners/new").await;
    assert!(form.contains("name=\"owner_username\""));

    let mut typed = vec![
        ("name", "Tailspin Toys"),
        ("owner_name", "Tara Tailspin"),
        ("owner_username", "tara@tailspin.example"),
        ("owner_email", "someone@else.example"),
        ("language", "fr"),
        ("time_zone", "Europe/Paris"),
    ];
    let refused = app.post_as(&root, "/admin/partners/new", &typed).await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.expect("page");
    assert!(page.contains("id=\"owner_username-error\""), "{page}");
    assert!(
        page.contains("value=\"Tailspin Toys\"") && page.contains("value=\"someone@else.example\"")
    );
    assert!(
        app.emails_to("someone@else.example").await.is_empty(),
        "nothing half-saved"
    );

    typed[3] = ("owner_email", "");
    let created = app.post_as(&root, "/admin/partners/new", &typed).await;
    assert_eq!(created.status(), 303);
    let emails = app.emails_to("tara@tailspin.example").await;
    assert_eq!(emails.len(), 1, "the owner's invitation");
    let list = app.page_as(&root, "/admin?q=tailSPIN").await;
    assert!(
        list.contains("Tailspin Toys") && list.contains("Tara Tailspin"),
        "{list}"
    );
    let none = app.page_as(&root, "/admin?q=fabrikam").await;
    assert!(none.contains("id=\"partners-empty\""));
    let log = app.page_as(&root, "/admin/activity").await;
    assert!(log.contains("data-action=\"partner_created\""));
}

#[tokio::test]
async fn the_outbox_shows_failed_emails_without_bodies_and_retries_them() {
    let app = spawn_app().await;
    let first = app.failed_email("first@elsewhere.example");
    app.failed_email("second@elsewhere.example");
    let root = operator_signed_in(&app).await;
    let page = app.page_as(&root, "/admin/outbox").await;
    assert!(
        page.contains("id=\"outbox-failed\" data-count=\"2\""),
        "{page}"
    );
    assert!(page.contains("550 mailbox unavailable") && page.contains("first@elsewhere.example"));
    assert!(!page.contains("secret activation link"), "no body is shown");

    let retried = app
        .post_as(&root, &format!("/admin/outbox/{first}/retry"), &[])
        .await;
    assert_eq!(retried.status(), 303);
    let sent = app.emails_to("first@elsewhere.example").await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text.contains("secret activation link"));
    assert!(app.emails_to("second@elsewhere.example").await.is_empty());

    // Retrying them all asks first.
    let review = app.post_as(&root, "/admin/outbox/retry", &[]).await;
    let review = review.text().await.expect("page");
    assert!(
        review.contains("1 email will be tried once more now"),
        "{review}"
    );
    assert!(app.emails_to("second@elsewhere.example").await.is_empty());
    let all = app
        .post_as(&root, "/admin/outbox/retry", &[("confirmed", "yes")])
        .await;
    assert_eq!(all.status(), 303);
    assert_eq!(app.emails_to("second@elsewhere.example").await.len(), 1);
    let page = app.page_as(&root, "/admin/outbox").await;
    assert!(
        page.contains("id=\"outbox-sent\" data-count=\"2\""),
        "{page}"
    );
    let log = app.page_as(&root, "/admin/activity").await;
    assert!(
        log.contains("data-action=\"email_retried\"")
            && log.contains("data-action=\"failed_emails_retried\"")
    );
}

#[tokio::test]
async fn the_create_partner_form_names_each_problem_in_the_operators_language() {
    let app = spawn_app().await;
    let root = operator_signed_in(&app).await;
    let typed = [
        ("name", ""),
        ("owner_name", "Tara Tailspin"),
        ("owner_username", "tara@tailspin.example"),
        ("owner_email", "someone@else.example"),
        ("language", "en"),
        ("time_zone", "Europe/Paris"),
    ];
    for (lang, required, another_email) in [
        (
            "en",
            "This field is required.",
            "A username that is an email address must be the person’s own address",
        ),
        (
            "fr",
            "Ce champ est obligatoire.",
            "Un nom d’utilisateur qui est une adresse e-mail doit être l’adresse de la personne elle-même",
        ),
    ] {
        let switched = app
            .post_as(&root, "/language", &[("lang", lang), ("next", "/")])
            .await;
        assert_eq!(switched.status(), 303);
        let refused = app.post_as(&root, "/admin/partners/new", &typed).await;
        assert_eq!(refused.status(), 200);
        let page = crate::customers::unescape(&refused.text().await.expect("page"));
        assert!(page.contains(required), "{lang}: {page}");
        assert!(page.contains(another_email), "{lang}: {page}");
        assert!(
            page.contains("value=\"Tara Tailspin\""),
            "what was typed stays"
        );
    }
}

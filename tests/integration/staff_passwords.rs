//! Staff passwords: resets that end sessions and notify, links that expire, a
//! change that keeps this session only, and the sign-in and password forms in
//! French.

use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::staff::path_of;
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

#[tokio::test]
async fn a_password_reset_sets_a_new_password_ends_sessions_and_notifies() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let elsewhere = app.browser_signed_in("sam@contoso.example", PASSWORD).await;

    the_same_answer_for_a_known_and_an_unknown_name(&app).await;

    let email = app
        .mail
        .wait_for_to("sam@contoso.example", 1)
        .await
        .remove(0);
    assert!(email.text.contains("60 minutes"));
    let link = path_of(&email.links()[0]);
    let form = app.get_text(&link).await;
    assert!(form.contains("Choose a new password"));
    let new_password = "an entirely different passphrase";
    let done = app
        .post_form(
            &link,
            &[
                ("password", new_password),
                ("password_confirmation", new_password),
            ],
        )
        .await;
    assert_eq!(location(&done), "/login");

    let after = elsewhere
        .get(app.url("/partner"))
        .send()
        .await
        .expect("GET");
    assert!(
        location(&after).starts_with("/login"),
        "the other session ended"
    );
    assert_eq!(
        app.sign_in("sam@contoso.example", PASSWORD).await.status(),
        200,
        "old password refused"
    );
    assert_eq!(
        app.sign_in("sam@contoso.example", new_password)
            .await
            .status(),
        303
    );
    let notices = app.mail.wait_for_to("sam@contoso.example", 2).await;
    assert!(
        notices[1].subject.contains("password was changed"),
        "{}",
        notices[1].subject
    );
    assert!(app.get_text(&link).await.contains("can no longer be used"));
}

/// Asking for a reset answers the same for a known and an unknown name.
async fn the_same_answer_for_a_known_and_an_unknown_name(app: &TestApp) {
    let asked = app
        .post_form("/password-reset", &[("identifier", "sam@contoso.example")])
        .await;
    let asked_text = asked.text().await.expect("body");
    let unknown = app
        .post_form(
            "/password-reset",
            &[("identifier", "ghost@contoso.example")],
        )
        .await;
    let strip = |body: &str| {
        regex::Regex::new(r#"value="[0-9a-f]{64}""#)
            .expect("regex")
            .replace_all(body, "")
            .into_owned()
    };
    assert_eq!(
        strip(&asked_text),
        strip(&unknown.text().await.expect("body")),
        "same answer either way"
    );
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.post_form("/password-reset", &[("identifier", "sam@contoso.example")])
        .await;
    let link = path_of(&app.mail.wait_for_to("sam@contoso.example", 1).await[0].links()[0]);
    app.clock.advance(chrono::Duration::minutes(61));
    assert!(app.get_text(&link).await.contains("can no longer be used"));
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let elsewhere = app.browser_signed_in("sam@contoso.example", PASSWORD).await;
    app.sign_in("sam@contoso.example", PASSWORD).await;
    let wrong = app
        .post_form(
            "/account/password",
            &[
                ("current_password", "not it at all"),
                ("password", "short"),
                ("password_confirmation", "short"),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(
        wrong.contains(r#"id="current_password-error""#)
            && wrong.contains(r#"id="password-error""#),
        "{wrong}"
    );
    let new_password = "another long passphrase";
    let done = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", new_password),
                ("password_confirmation", new_password),
            ],
        )
        .await;
    assert_eq!(location(&done), "/partner");
    assert_eq!(
        app.get("/partner").await.status(),
        200,
        "this session continues"
    );
    let other = elsewhere
        .get(app.url("/partner"))
        .send()
        .await
        .expect("GET");
    assert!(
        location(&other).starts_with("/login"),
        "the other session ended"
    );
    let notice = app.mail.wait_for_to("sam@contoso.example", 1).await;
    assert!(notice[0].subject.contains("password was changed"));
}

#[tokio::test]
async fn sign_in_and_password_forms_explain_errors_in_french() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::Fr);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.post_form("/language", &[("lang", "fr"), ("next", "/")])
        .await;

    let failed = app
        .sign_in("sam@contoso.example", "pas le bon mot de passe")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        failed.contains("Nom d&#39;utilisateur ou mot de passe incorrect.")
            || failed.contains("Nom d'utilisateur ou mot de passe incorrect."),
        "{failed}"
    );
    assert!(
        failed.contains(r#"value="sam@contoso.example""#),
        "the username is kept"
    );

    app.post_form("/password-reset", &[("identifier", "sam@contoso.example")])
        .await;
    let link = path_of(&app.mail.wait_for_to("sam@contoso.example", 1).await[0].links()[0]);
    let reset = app
        .post_form(
            &link,
            &[("password", "abc"), ("password_confirmation", "abc")],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(reset.contains("au moins 8 caractères"), "{reset}");

    app.sign_in("sam@contoso.example", PASSWORD).await;
    app.post_form("/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let change = app
        .post_form(
            "/account/password",
            &[
                ("current_password", "faux"),
                ("password", PASSWORD),
                ("password_confirmation", "autre chose encore"),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(
        change.contains("Ce n&#39;est pas votre mot de passe actuel.")
            || change.contains("Ce n'est pas votre mot de passe actuel."),
        "{change}"
    );
    assert!(change.contains("ne sont pas identiques"));
}

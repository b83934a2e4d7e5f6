//! The page shell: pages in both languages, the language switch, error pages,
//! security headers, static files, the body cap.

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_check_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/health_check").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), "ok");
}

#[tokio::test]
async fn the_front_page_follows_the_browser_language() {
    let app = spawn_app().await;
    let french = app
        .client
        .get(app.url("/"))
        .header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("GET /");
    assert_eq!(french.status(), 200);
    let body = french.text().await.expect("body");
    assert!(body.contains(r#"<html lang="fr">"#), "{body}");
    assert!(body.contains("Le portail partenaires"));

    let english = app.get_text("/").await;
    assert!(english.contains(r#"<html lang="en">"#));
    assert!(english.contains("The partner portal"));
}

#[tokio::test]
async fn the_language_switch_changes_the_language_and_returns_to_the_page() {
    let app = spawn_app().await;
    let switched = app
        .post_form("/language", &[("lang", "fr"), ("next", "/?from=switch")])
        .await;
    assert_eq!(switched.status(), 303);
    assert_eq!(switched.headers()["location"], "/?from=switch");
    let body = app.get_text("/?from=switch").await;
    assert!(body.contains(r#"<html lang="fr">"#));
    // The switch now offers English.
    assert!(body.contains(r#"value="en""#));

    let back = app
        .post_form("/language", &[("lang", "en"), ("next", "/")])
        .await;
    assert_eq!(back.status(), 303);
    let body = app.get_text("/").await;
    assert!(body.contains(r#"<html lang="en">"#));
}

#[tokio::test]
async fn the_language_switch_never_redirects_off_site_and_rejects_unknown_languages() {
    let app = spawn_app().await;
    let response = app
        .post_form("/language", &[("lang", "fr"), ("next", "//evil.example/")])
        .await;
    assert_eq!(response.headers()["location"], "/");
    let response = app
        .post_form("/language", &[("lang", "klingon"), ("next", "/")])
        .await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn a_missing_page_is_a_translated_404_without_internals() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/no/such/page"))
        .header("Accept-Language", "fr")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    let body = response.text().await.expect("body");
    assert!(body.contains("Page introuvable"), "{body}");
    assert!(!body.to_lowercase().contains("panicked"));

    let english = app.get("/static/nothing-here.css").await;
    assert_eq!(english.status(), 404);
    assert!(
        english
            .text()
            .await
            .expect("body")
            .contains("Page not found")
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/no/such/page", "/static/style.css"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        // Plain http here, so no HSTS.
        assert!(headers.get("strict-transport-security").is_none());
    }
}

#[tokio::test]
async fn the_stylesheet_is_served_from_the_binary() {
    let app = spawn_app().await;
    let response = app.get("/static/style.css").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/css");
    assert!(response.text().await.expect("body").contains("--accent"));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let big = "x".repeat(300 * 1024);
    let response = app
        .client
        .post(app.url("/language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("lang=fr&next={big}"))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 413);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Too much data")
    );
}

#[tokio::test]
async fn pages_stay_light() {
    let app = spawn_app().await;
    let html = app.get_text("/").await;
    let css = app.get_text("/static/style.css").await;
    assert!(
        html.len() + css.len() < 50 * 1024,
        "page weight {}",
        html.len() + css.len()
    );
    assert!(
        !html.contains("<script"),
        "no JavaScript framework on the front page"
    );
}

#[tokio::test]
async fn ready_answers_while_the_database_does_and_503_once_its_file_is_gone() {
    let app = spawn_app().await;
    let ready = app.get("/ready").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.expect("body"), "ready");
    // PostgreSQL out of reach is tried in outage.rs; here, SQLite's file moved
    // away under the running instance.
    let Some(file) = app.settings.database_url.strip_prefix("sqlite://") else {
        return;
    };
    let away = format!("{file}.away");
    std::fs::rename(file, &away).expect("move the database file away");
    let unready = app.get("/ready").await;
    assert_eq!(unready.status(), 503);
    assert_eq!(app.get("/health_check").await.status(), 200, "still alive");
    std::fs::rename(&away, file).expect("put the database file back");
    assert_eq!(app.get("/ready").await.status(), 200, "ready again");
}

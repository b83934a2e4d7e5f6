//! `/metrics`: only for the metrics token, off without one, and its figures
//! move with what the instance does.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use partnerdesk::i18n::Lang;

use crate::helpers::{METRICS_TOKEN, TestApp, spawn_app, spawn_app_with};

/// Every sample of a scrape, by its name and labels as written
/// (`partnerdesk_http_requests_total{method="GET",route="/",status="200"}`).
async fn scrape(app: &TestApp) -> HashMap<String, f64> {
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("scrape");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().expect("ascii");
    assert!(content_type.starts_with("application/openmetrics-text"));
    let text = response.text().await.expect("body");
    assert!(text.ends_with("# EOF\n"), "{text}");
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' '))
        .filter_map(|(name, value)| Some((name.to_owned(), value.parse().ok()?)))
        .collect()
}

fn sample(samples: &HashMap<String, f64>, name: &str) -> f64 {
    samples.get(name).copied().unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_answer_only_the_token_and_are_not_served_without_one() {
    let app = spawn_app().await;
    let without = app.get("/metrics").await;
    assert_eq!(without.status(), 401);
    assert_eq!(without.headers()["www-authenticate"], "Bearer");
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("test-metrics-token-0123456789abcdeX")
        .send()
        .await
        .expect("GET");
    assert_eq!(wrong.status(), 401);
    assert!(!wrong.text().await.expect("body").contains("partnerdesk_"));

    let unset = spawn_app_with(|settings| settings.metrics_token = None).await;
    let answer = unset
        .client
        .get(unset.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("GET");
    assert_eq!(answer.status(), 404);
}

#[tokio::test]
async fn requests_wrong_passwords_and_the_pool_are_counted() {
    let app = spawn_app().await;
    let first = scrape(&app).await;
    // Signing in reads the front page for its form's token first.
    app.sign_in("nobody@contoso.example", "not the password")
        .await;
    let before = scrape(&app).await;
    let wrong = r#"partnerdesk_failed_secret_checks_total{kind="sign_in"}"#;
    assert_eq!(sample(&before, wrong) - sample(&first, wrong), 1.0);
    for _ in 0..3 {
        assert_eq!(app.get("/").await.status(), 200);
    }
    assert_eq!(app.get("/no/such/page/42").await.status(), 404);
    let after = scrape(&app).await;

    let front = r#"{method="GET",route="/",status="200"}"#;
    let requests = |s: &HashMap<String, f64>, labels: &str| {
        sample(s, &format!("partnerdesk_http_requests_total{labels}"))
    };
    assert_eq!(requests(&after, front) - requests(&before, front), 3.0);
    let missing = r#"{method="GET",route="unmatched",status="404"}"#;
    assert_eq!(requests(&after, missing) - requests(&before, missing), 1.0);
    assert!(
        !after.keys().any(|name| name.contains("/no/such/page/42")),
        "paths never become labels"
    );
    let timed = r#"partnerdesk_http_request_duration_seconds_count{method="GET",route="/"}"#;
    assert_eq!(sample(&after, timed) - sample(&before, timed), 3.0);
    assert!(sample(&after, "partnerdesk_db_pool_connections") >= 1.0);
    assert!(sample(&after, "partnerdesk_db_pool_wait_seconds_count") > 0.0);
}

#[tokio::test]
async fn the_outbox_backlog_and_sent_emails_are_reported() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    assert_eq!(sample(&before, "partnerdesk_emails_sent_total"), 0.0);
    // The owner's invitation is written to the outbox; the app's worker sends it.
    app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.mail.wait_for(1, Duration::from_secs(10)).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let after = loop {
        let samples = scrape(&app).await;
        let sent = r#"partnerdesk_outbox_emails{state="sent"}"#;
        if sample(&samples, sent) == 1.0 || Instant::now() > deadline {
            break samples;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        sample(&after, r#"partnerdesk_outbox_emails{state="sent"}"#),
        1.0
    );
    assert_eq!(sample(&after, "partnerdesk_emails_sent_total"), 1.0);
    assert_eq!(sample(&after, "partnerdesk_emails_failed_total"), 0.0);
    assert_eq!(
        sample(&after, "partnerdesk_outbox_oldest_pending_seconds"),
        0.0
    );
}

//! Webhooks end to end: a real HTTP receiver in the test process gets the
//! partner's events signed, retried after failures, and nothing of another
//! partner's; an endpoint down for the whole window is disabled and its owner
//! emailed; an event not yet delivered when the server stops is delivered by
//! the next one.

use diesel::prelude::*;
use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::db::schema::{activity_log, webhook_deliveries, webhook_endpoints};
use partnerdesk::i18n::Lang;
use partnerdesk::webhooks::EventType;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, eventually, spawn_app, spawn_app_with};
use crate::partner_api_helpers::{CUSTOMERS, new_customer};
use crate::webhooks_helpers::{Received, Receiver, signed_with};

/// A partner with an active owner and a token of every scope:
/// (partner id, owner's membership id, token).
pub fn partner(app: &TestApp, name: &str, domain: &str) -> (String, String, String) {
    let partner = app.invite_partner_owner(name, &format!("olga@{domain}"), Lang::En);
    let owner = app.active_member(&partner, &format!("owner@{domain}"), PartnerRole::Owner);
    let (_, token) = app.partner_api_token(&owner, &TokenScope::ALL, None);
    (partner, owner, token)
}

/// Creates a customer through the API; returns its id.
pub async fn create_customer(app: &TestApp, token: &str, name: &str) -> String {
    let answer = app
        .api_post(
            token,
            CUSTOMERS,
            &new_customer(name, &format!("ada@{}.example", name.to_lowercase())),
            None,
        )
        .await;
    assert_eq!(answer.status(), 201);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    body["id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn events_arrive_signed_to_the_partners_subscribed_endpoints_only() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let other_receiver = Receiver::start(&[]).await;
    let (partner_id, owner, token) = partner(&app, "Contoso", "contoso.example");
    let (_, other_owner, _) = partner(&app, "Northwind", "northwind.example");
    let (endpoint, secret) = app.webhook_endpoint(
        &owner,
        &receiver.url(),
        &[EventType::CustomerCreated, EventType::CustomerRenamed],
    );
    // The other partner listens to everything, and hears nothing of Contoso.
    app.webhook_endpoint(&other_owner, &other_receiver.url(), EventType::ALL);
    // Contoso's endpoint for orders only is not sent customers.
    let (orders_only, _) = app.webhook_endpoint(&owner, &receiver.url(), &[EventType::OrderPlaced]);

    let customer = create_customer(&app, &token, "Fabrikam").await;
    let browser = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let renamed = app
        .post_as(
            &browser,
            &format!("/partner/customers/{customer}/rename"),
            &[("name", "Fabrikam Europe")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    app.drain_webhooks().await;

    let received = receiver.received();
    assert_eq!(received.len(), 2, "{received:?}");
    check_created(&app, &received[0], &secret, &partner_id, &customer);
    let renamed = received[1].json();
    assert_eq!(received[1].header("partnerdesk-event"), "customer.renamed");
    assert_eq!(renamed["data"]["customer"]["name"], "Fabrikam Europe");
    assert_eq!(renamed["data"]["previous_name"], "Fabrikam");
    assert!(signed_with(
        received[1].header("partnerdesk-signature"),
        &received[1].body,
        &secret
    ));

    assert!(
        other_receiver.received().is_empty(),
        "another partner's events"
    );
    assert!(app.deliveries_of(&orders_only).is_empty());
    let log = app.deliveries_of(&endpoint);
    assert_eq!(log.len(), 2);
    for (state, attempts, status, error) in log {
        assert_eq!(
            (state.as_str(), attempts, status, error),
            ("delivered", 1, Some(200), None)
        );
    }
}

/// The `customer.created` request: its headers, its signature, its payload.
fn check_created(
    app: &TestApp,
    created: &Received,
    secret: &str,
    partner_id: &str,
    customer: &str,
) {
    assert_eq!(created.header("content-type"), "application/json");
    assert_eq!(created.header("partnerdesk-event"), "customer.created");
    assert!(signed_with(
        created.header("partnerdesk-signature"),
        &created.body,
        secret
    ));
    assert!(!signed_with(
        created.header("partnerdesk-signature"),
        &created.body,
        "whsec_someone_else"
    ));
    let payload = created.json();
    assert_eq!(payload["type"], "customer.created");
    assert_eq!(payload["partner_id"], partner_id);
    assert_eq!(payload["data"]["customer"]["id"], customer);
    assert_eq!(payload["data"]["customer"]["name"], "Fabrikam");
    assert!(
        payload["created_at"]
            .as_str()
            .expect("a time")
            .ends_with('Z')
    );
    let delivery_id: String = webhook_deliveries::table
        .filter(webhook_deliveries::event_id.eq(payload["id"].as_str().expect("an id")))
        .select(webhook_deliveries::id)
        .first(&mut app.conn())
        .expect("the delivery");
    assert_eq!(created.header("partnerdesk-delivery"), delivery_id);
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_third_attempt() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[500, 503]).await;
    let (_, owner, token) = partner(&app, "Contoso", "contoso.example");
    let (endpoint, _) =
        app.webhook_endpoint(&owner, &receiver.url(), &[EventType::CustomerCreated]);
    create_customer(&app, &token, "Fabrikam").await;
    app.drain_webhooks().await;
    assert_eq!(receiver.received().len(), 1, "the first attempt, at once");
    let (state, attempts, status, error) = app.deliveries_of(&endpoint).remove(0);
    assert_eq!(
        (state.as_str(), attempts, status),
        ("pending", 1, Some(500))
    );
    assert!(error.expect("an error").starts_with("HTTP 500"));

    // Not due before its backoff (a minute at least).
    app.drain_webhooks().await;
    assert_eq!(receiver.received().len(), 1);
    app.clock.advance(chrono::Duration::minutes(2));
    app.drain_webhooks().await;
    assert_eq!(receiver.received().len(), 2);
    app.clock.advance(chrono::Duration::minutes(5));
    app.drain_webhooks().await;

    let received = receiver.received();
    assert_eq!(received.len(), 3);
    assert!(
        received.iter().all(|r| r.body == received[0].body),
        "the same body"
    );
    let ids: Vec<&str> = received
        .iter()
        .map(|r| r.header("partnerdesk-delivery"))
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "the same delivery id");
    let (state, attempts, status, error) = app.deliveries_of(&endpoint).remove(0);
    assert_eq!(
        (state.as_str(), attempts, status, error),
        ("delivered", 3, Some(200), None)
    );
    let failing: Option<chrono::NaiveDateTime> = webhook_endpoints::table
        .find(&endpoint)
        .select(webhook_endpoints::failing_since)
        .first(&mut app.conn())
        .expect("the endpoint");
    assert_eq!(failing, None, "a success ends the failure window");
}

#[tokio::test]
async fn an_endpoint_down_for_the_whole_window_is_disabled_and_its_owner_emailed() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    receiver.always(500);
    let (_, owner, token) = partner(&app, "Contoso", "contoso.example");
    let (endpoint, _) =
        app.webhook_endpoint(&owner, &receiver.url(), &[EventType::CustomerCreated]);
    create_customer(&app, &token, "Fabrikam").await;
    app.drain_webhooks().await;
    let disabled = || -> Option<chrono::NaiveDateTime> {
        webhook_endpoints::table
            .find(&endpoint)
            .select(webhook_endpoints::disabled_at)
            .first(&mut app.conn())
            .expect("the endpoint")
    };
    // Retries every few hours at most; disabled after three days, not before.
    let mut hours = 0;
    while disabled().is_none() {
        assert!(hours < 84, "still enabled after {hours} hours");
        hours += 7;
        app.clock.advance(chrono::Duration::hours(7));
        app.drain_webhooks().await;
    }
    assert!(hours >= 72, "disabled after {hours} hours");
    let attempts = receiver.received().len();
    assert!((10..=14).contains(&attempts), "{attempts} attempts");
    let (state, _, status, _) = app.deliveries_of(&endpoint).remove(0);
    assert_eq!((state.as_str(), status), ("failed", Some(500)));

    let emails = app.emails_to("owner@contoso.example").await;
    let email = emails
        .iter()
        .find(|e| e.subject.contains("webhook"))
        .expect("an email to the owner");
    assert!(email.text.contains(&receiver.url()), "{}", email.text);
    assert!(email.text.contains("HTTP 500"), "the last error");
    assert!(
        email
            .text
            .contains(&format!("/partner/webhooks/{endpoint}"))
    );
    let logged: i64 = activity_log::table
        .filter(activity_log::action.eq("webhook_disabled_for_failures"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(logged, 1);

    // A disabled endpoint is sent nothing new.
    create_customer(&app, &token, "Tailspin").await;
    app.drain_webhooks().await;
    assert_eq!(app.deliveries_of(&endpoint).len(), 1);
    assert_eq!(receiver.received().len(), attempts);
    reason_shown_in_each_language(&app, &endpoint).await;
}

/// The endpoint's page says why Partnerdesk disabled it in the reader's language.
async fn reason_shown_in_each_language(app: &TestApp, endpoint: &str) {
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let path = format!("/partner/webhooks/{endpoint}");
    for (lang, said) in [
        (
            "en",
            "Partnerdesk disabled it: no delivery accepted for 3 days. Last error: HTTP 500",
        ),
        (
            "fr",
            "Partnerdesk l'a désactivé : aucun envoi accepté depuis 3 jours. Dernière erreur : HTTP 500",
        ),
    ] {
        let switched = app
            .post_as(&owner, "/language", &[("lang", lang), ("next", "/")])
            .await;
        assert_eq!(switched.status(), 303);
        let page = crate::customers::unescape(&app.page_as(&owner, &path).await);
        let reason = page
            .split(r#"<dd id="disabled-reason">"#)
            .nth(1)
            .and_then(|rest| rest.split("</dd>").next())
            .expect("the reason");
        assert!(reason.starts_with(said), "{lang}: {reason}");
    }
}

#[tokio::test]
async fn an_event_not_yet_delivered_when_the_server_stops_is_delivered_by_the_next() {
    let mut app = spawn_app().await;
    let receiver = Receiver::start(&[503]).await;
    let (_, owner, token) = partner(&app, "Contoso", "contoso.example");
    let (endpoint, secret) =
        app.webhook_endpoint(&owner, &receiver.url(), &[EventType::CustomerCreated]);
    create_customer(&app, &token, "Fabrikam").await;
    // The server's own worker makes the first attempt, which fails.
    eventually(
        "a first attempt",
        std::time::Duration::from_secs(10),
        || {
            app.deliveries_of(&endpoint)
                .first()
                .is_some_and(|(state, attempts, ..)| state == "pending" && *attempts == 1)
        },
    )
    .await;
    app.stop().await;

    let next = app.another_instance();
    next.clock.advance(chrono::Duration::minutes(10));
    eventually("the delivery", std::time::Duration::from_secs(10), || {
        app.deliveries_of(&endpoint)
            .first()
            .is_some_and(|(state, ..)| state == "delivered")
    })
    .await;
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    assert!(signed_with(
        received[1].header("partnerdesk-signature"),
        &received[1].body,
        &secret
    ));
    next.stop().await;
}

#[tokio::test]
async fn a_silent_receiver_holds_back_neither_another_partner_nor_its_own_order() {
    // Longer than the test waits: a worker that waited on the silent receiver
    // would deliver nothing else in time.
    let app = spawn_app_with(|settings| {
        settings.webhooks.timeout = std::time::Duration::from_secs(120);
    })
    .await;
    let silent = Receiver::holding().await;
    let prompt = Receiver::start(&[]).await;
    let (_, slow_owner, slow_token) = partner(&app, "Contoso", "contoso.example");
    let (_, owner, token) = partner(&app, "Northwind", "northwind.example");
    app.webhook_endpoint(&slow_owner, &silent.url(), &[EventType::CustomerCreated]);
    app.webhook_endpoint(&owner, &prompt.url(), &[EventType::CustomerCreated]);
    for name in ["Fabrikam", "Tailspin", "Litware"] {
        create_customer(&app, &slow_token, name).await;
    }
    // Northwind's event comes due last.
    app.clock.advance(chrono::Duration::seconds(1));
    create_customer(&app, &token, "Adatum").await;

    let wait = std::time::Duration::from_secs(20);
    eventually("Northwind's event", wait, || prompt.received().len() == 1).await;
    assert_eq!(
        silent.received().len(),
        1,
        "one delivery at a time to each endpoint"
    );
    silent.release();
    eventually("Contoso's events", wait, || silent.received().len() == 3).await;
}

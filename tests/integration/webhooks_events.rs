//! The events of the customer console, the service desk, orders, opening and
//! dissociation, and monitors: each delivered to the partner's endpoint only,
//! monitors only while the customer shares them.

use chrono::{Duration, NaiveDateTime};
use partnerdesk::webhooks::EventType;
use serde_json::json;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::monitoring_helpers::{api_post, rfc3339};
use crate::webhooks::partner;
use crate::webhooks_helpers::{Receiver, assistance_turned_off_and_on};

#[tokio::test]
async fn assistance_and_service_requests_reach_the_partners_endpoint() {
    let (app, receiver, other_receiver, _, customer) = two_partners_listening().await;
    app.customer_administrator(&customer, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;

    // The fixture's customer has assistance on.
    assistance_turned_off_and_on(&app, &admin).await;
    let opened = app
        .post_as(
            &admin,
            "/customer/requests/new",
            &[
                ("title", "VPN down"),
                ("category", "technical"),
                ("description", "Nobody connects."),
            ],
        )
        .await;
    assert_eq!(opened.status(), 303);
    let location = crate::helpers::location(&opened);
    let answered = app
        .post_as(
            &admin,
            &format!("{location}/messages"),
            &[("body", "Still down.")],
        )
        .await;
    assert_eq!(answered.status(), 303);
    app.drain_webhooks().await;

    let received = receiver.received();
    let types: Vec<&str> = received
        .iter()
        .map(|r| r.header("partnerdesk-event"))
        .collect();
    assert_eq!(
        types,
        [
            "assistance.disabled",
            "assistance.enabled",
            "request.opened",
            "request.answered"
        ]
    );
    let assistance = received[0].json();
    assert_eq!(assistance["data"]["customer"]["id"], customer.as_str());
    assert_eq!(assistance["data"]["customer"]["name"], "Adatum");
    let request = received[2].json();
    assert_eq!(request["data"]["request"]["title"], "VPN down");
    assert_eq!(request["data"]["by"]["side"], "customer");
    assert!(
        other_receiver.received().is_empty(),
        "another partner's events"
    );
}

#[tokio::test]
async fn a_customer_is_activated_when_its_administrator_activates() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let (_, owner, token) = partner(&app, "Contoso", "contoso.example");
    app.webhook_endpoint(&owner, &receiver.url(), &[EventType::CustomerActivated]);
    let customer = crate::webhooks::create_customer(&app, &token, "Fabrikam").await;
    let emails = app.mail.wait_for_to("ada@fabrikam.example", 1).await;
    let link = emails[0].links().into_iter().next().expect("a link");
    let path = url::Url::parse(&link).expect("a URL").path().to_owned();
    let done = app
        .post_form(
            &path,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(done.status(), 303);
    app.drain_webhooks().await;
    let received = receiver.received();
    assert_eq!(received.len(), 1, "only the event subscribed to");
    let activated = received[0].json();
    assert_eq!(activated["type"], "customer.activated");
    assert_eq!(activated["data"]["customer"]["id"], customer.as_str());
}

/// Posts `results` (check time, success) of `monitor` with the customer's token.
async fn checks(app: &TestApp, token: &str, monitor: &str, results: &[(NaiveDateTime, bool)]) {
    let results: Vec<_> = results
        .iter()
        .map(|(at, success)| json!({"checked_at": rfc3339(*at), "success": success}))
        .collect();
    let path = format!("/api/v1/monitors/{monitor}/results");
    let (status, body) = api_post(app, token, &path, json!({ "results": results })).await;
    assert_eq!(status, 201, "{body}");
}

/// The types the receiver got since `seen` of them were checked.
fn types_after(receiver: &Receiver, seen: usize) -> Vec<String> {
    receiver.received()[seen..]
        .iter()
        .map(|r| r.header("partnerdesk-event").to_owned())
        .collect()
}

/// Contoso listening to every event, Northwind too, and Contoso's customer
/// Adatum: (app, Contoso's receiver, Northwind's, Contoso's token, Adatum).
async fn two_partners_listening() -> (TestApp, Receiver, Receiver, String, String) {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let other_receiver = Receiver::start(&[]).await;
    let (partner_id, owner, token) = partner(&app, "Contoso", "contoso.example");
    let (_, other_owner, _) = partner(&app, "Northwind", "northwind.example");
    app.webhook_endpoint(&owner, &receiver.url(), EventType::ALL);
    app.webhook_endpoint(&other_owner, &other_receiver.url(), EventType::ALL);
    let customer = app.customer(&partner_id, &CustomerSpec::named("Adatum"));
    (app, receiver, other_receiver, token, customer)
}

#[tokio::test]
async fn an_order_an_opening_and_a_dissociation_reach_the_partners_endpoint() {
    let (app, receiver, other_receiver, token, customer) = two_partners_listening().await;
    let customer_path = format!("/api/v1/partner/customers/{customer}");
    let usage = app.offer("Azure plan", "usage_subscription", "0", None);
    let order = json!({"offer_id": usage, "quantity": 1});
    let placed = app
        .api_post(&token, &format!("{customer_path}/orders"), &order, None)
        .await;
    assert_eq!(placed.status(), 201);
    app.drain_webhooks().await;
    assert_eq!(types_after(&receiver, 0), ["order.placed"]);
    let placed = receiver.received()[0].json();
    assert_eq!(placed["data"]["order"]["placed_by"], "partner");
    assert_eq!(placed["data"]["customer"]["id"], customer.as_str());

    // The fixture's customer has assistance on.
    let staff = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let open = format!("/partner/customers/{customer}/open");
    let opened = app.post_as(&staff, &open, &[("reason", "Ticket 42")]).await;
    assert_eq!(opened.status(), 303);
    app.drain_webhooks().await;
    assert_eq!(types_after(&receiver, 1), ["customer.opened"]);
    let opened = receiver.received()[1].json();
    assert_eq!(opened["data"]["opened_by"]["reason"], "Ticket 42");

    let confirm = json!({"confirm": true});
    let gone = app
        .api_post(
            &token,
            &format!("{customer_path}/dissociate"),
            &confirm,
            None,
        )
        .await;
    assert_eq!(gone.status(), 200);
    app.drain_webhooks().await;
    assert_eq!(types_after(&receiver, 2), ["customer.dissociated"]);
    let gone = receiver.received()[2].json();
    assert_eq!(gone["data"]["customer"]["id"], customer.as_str());
    assert!(
        other_receiver.received().is_empty(),
        "another partner's events"
    );
}

#[tokio::test]
async fn a_monitor_going_down_and_recovering_reaches_the_partner_only_while_shared() {
    let (app, receiver, other_receiver, _, customer) = two_partners_listening().await;
    // Nothing while the customer does not share its monitors; then the
    // state's changes only, not each failure, nor a batch that goes down and
    // comes back.
    let monitor = app.monitor(&customer, "Website");
    let (_, monitor_token) = app.customer_api_token(&customer);
    let start = app.clock_now() - Duration::minutes(30);
    let at = |minutes: i64| start + Duration::minutes(minutes);
    checks(&app, &monitor_token, &monitor, &[(at(0), false)]).await;
    checks(&app, &monitor_token, &monitor, &[(at(1), true)]).await;
    app.drain_webhooks().await;
    assert_eq!(
        types_after(&receiver, 0),
        Vec::<String>::new(),
        "not shared"
    );
    app.customer_administrator(&customer, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let share = "/customer/assistance/monitor-events";
    let shared = app.post_as(&admin, share, &[("share", "1")]).await;
    assert_eq!(shared.status(), 303);
    checks(&app, &monitor_token, &monitor, &[(at(2), false)]).await;
    checks(&app, &monitor_token, &monitor, &[(at(3), false)]).await;
    checks(&app, &monitor_token, &monitor, &[(at(4), true)]).await;
    let flap = [(at(5), false), (at(6), true)];
    checks(&app, &monitor_token, &monitor, &flap).await;
    app.drain_webhooks().await;
    assert_eq!(
        types_after(&receiver, 0),
        ["monitor.down", "monitor.recovered"]
    );
    let down = receiver.received()[0].json();
    assert_eq!(down["data"]["monitor"]["id"], monitor.as_str());
    assert_eq!(down["data"]["monitor"]["name"], "Website");
    assert_eq!(down["data"]["customer"]["id"], customer.as_str());
    let checked_at = at(2).and_utc();
    let checked_at = checked_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(down["data"]["checked_at"], checked_at);
    assert_eq!(app.logged("monitor_events_shared").len(), 1);

    // Stopped sharing: nothing more.
    assert_eq!(app.post_as(&admin, share, &[]).await.status(), 303);
    assert_eq!(app.logged("monitor_events_unshared").len(), 1);
    checks(&app, &monitor_token, &monitor, &[(at(7), false)]).await;
    app.drain_webhooks().await;
    assert_eq!(types_after(&receiver, 2), Vec::<String>::new(), "unshared");
    assert!(
        other_receiver.received().is_empty(),
        "another partner's events"
    );
}

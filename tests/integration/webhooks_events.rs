//! The events of the customer console and the service desk: assistance
//! turned on and off by the customer's administrator, a request opened and
//! answered, each delivered to the partner's endpoint only.

use partnerdesk::webhooks::EventType;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app;
use crate::webhooks::partner;
use crate::webhooks_helpers::Receiver;

#[tokio::test]
async fn assistance_and_service_requests_reach_the_partners_endpoint() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let other_receiver = Receiver::start(&[]).await;
    let (partner_id, owner, _) = partner(&app, "Contoso", "contoso.example");
    let (_, other_owner, _) = partner(&app, "Northwind", "northwind.example");
    app.webhook_endpoint(&owner, &receiver.url(), EventType::ALL);
    app.webhook_endpoint(&other_owner, &other_receiver.url(), EventType::ALL);
    let customer = app.customer(&partner_id, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&customer, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;

    // The fixture's customer has assistance on.
    for enabled in ["off", "on"] {
        let changed = app
            .post_as(&admin, "/customer/assistance", &[("enabled", enabled)])
            .await;
        assert_eq!(changed.status(), 303);
    }
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

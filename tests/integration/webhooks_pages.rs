//! The webhook pages: an owner adds an endpoint (its secret shown once, its
//! URL checked), rotates the secret (both signing for a day), disables,
//! enables, redelivers and deletes; another partner's endpoint is not found.

use diesel::prelude::*;
use partnerdesk::db::schema::{activity_log, webhook_deliveries, webhook_endpoints};
use partnerdesk::webhooks::EventType;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::webhooks::{create_customer, partner};
use crate::webhooks_helpers::{Receiver, signed_with};

fn logged(app: &TestApp, action: &str) -> i64 {
    activity_log::table
        .filter(activity_log::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

fn secret_in(page: &str) -> String {
    let start = page.find("whsec_").expect("a secret on the page");
    page[start..start + 6 + 64].to_owned()
}

#[tokio::test]
async fn the_form_refuses_private_addresses_other_schemes_and_no_events() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    partner(&app, "Contoso", "contoso.example");
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for (url, events, field_message) in [
        (
            "https://169.254.169.254/latest",
            "customer.created",
            "not on the public internet",
        ),
        (
            "https://10.1.2.3/hooks",
            "customer.created",
            "not on the public internet",
        ),
        (
            "ftp://hooks.example/",
            "customer.created",
            "Only https URLs",
        ),
        (receiver.url().as_str(), "", "Choose at least one event"),
    ] {
        let mut form = vec![("url", url), ("description", "PSA")];
        if !events.is_empty() {
            form.push(("event", events));
        }
        let refused = app.post_as(&owner, "/partner/webhooks", &form).await;
        assert_eq!(refused.status(), 200);
        let page = refused.text().await.expect("page");
        assert!(page.contains(field_message), "{url}: {page}");
    }
    let count = || -> i64 {
        webhook_endpoints::table
            .count()
            .get_result(&mut app.conn())
            .expect("count")
    };
    assert_eq!(count(), 0);
}

#[tokio::test]
async fn an_owner_adds_an_endpoint_whose_secret_is_shown_once() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let (_, _, token) = partner(&app, "Contoso", "contoso.example");
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let url = receiver.url();
    let form = [
        ("url", url.as_str()),
        ("description", "  PSA sync  "),
        ("event", "customer.created"),
        ("event", "order.placed"),
    ];
    let added = app.post_as(&owner, "/partner/webhooks", &form).await;
    assert_eq!(added.status(), 200);
    assert_eq!(
        added
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().ok()),
        Some(Some("no-store"))
    );
    let secret = secret_in(&added.text().await.expect("page"));
    let (description, events): (String, String) = webhook_endpoints::table
        .select((webhook_endpoints::description, webhook_endpoints::events))
        .first(&mut app.conn())
        .expect("the endpoint");
    assert_eq!(
        (description.as_str(), events.as_str()),
        ("PSA sync", "customer.created order.placed")
    );
    assert_eq!(logged(&app, "webhook_created"), 1);
    let list = app.page_as(&owner, "/partner/webhooks").await;
    assert!(list.contains(&url) && !list.contains(&secret), "shown once");

    create_customer(&app, &token, "Fabrikam").await;
    app.drain_webhooks().await;
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert!(signed_with(
        received[0].header("partnerdesk-signature"),
        &received[0].body,
        &secret
    ));
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_old_one_for_a_day() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let (_, owner_membership, token) = partner(&app, "Contoso", "contoso.example");
    let (endpoint, old) = app.webhook_endpoint(
        &owner_membership,
        &receiver.url(),
        &[EventType::CustomerCreated],
    );
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let rotated = app
        .post_as(&owner, &format!("/partner/webhooks/{endpoint}/rotate"), &[])
        .await;
    assert_eq!(rotated.status(), 200);
    let new = secret_in(&rotated.text().await.expect("page"));
    assert_ne!(new, old);
    assert_eq!(logged(&app, "webhook_secret_rotated"), 1);

    create_customer(&app, &token, "Fabrikam").await;
    app.drain_webhooks().await;
    app.clock.advance(chrono::Duration::hours(25));
    create_customer(&app, &token, "Tailspin").await;
    app.drain_webhooks().await;
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    let signed = |n: usize, secret: &str| {
        signed_with(
            received[n].header("partnerdesk-signature"),
            &received[n].body,
            secret,
        )
    };
    assert!(
        signed(0, &new) && signed(0, &old),
        "both during the overlap"
    );
    assert!(
        signed(1, &new) && !signed(1, &old),
        "the new one only after a day"
    );
}

#[tokio::test]
async fn an_owner_disables_enables_redelivers_and_deletes() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let (_, owner_membership, token) = partner(&app, "Contoso", "contoso.example");
    let (endpoint, _) = app.webhook_endpoint(
        &owner_membership,
        &receiver.url(),
        &[EventType::CustomerCreated],
    );
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let path = |action: &str| format!("/partner/webhooks/{endpoint}/{action}");

    let disabled = app.post_as(&owner, &path("disable"), &[]).await;
    assert_eq!(disabled.status(), 303);
    let shown = app
        .page_as(&owner, &format!("/partner/webhooks/{endpoint}"))
        .await;
    assert!(
        shown.contains(r#"<dd id="disabled-reason">Disabled by "#),
        "who disabled it: {shown}"
    );
    create_customer(&app, &token, "Fabrikam").await;
    app.drain_webhooks().await;
    assert!(
        app.deliveries_of(&endpoint).is_empty(),
        "nothing for a disabled endpoint"
    );
    let enabled = app.post_as(&owner, &path("enable"), &[]).await;
    assert_eq!(enabled.status(), 303);
    create_customer(&app, &token, "Tailspin").await;
    app.drain_webhooks().await;
    assert_eq!(receiver.received().len(), 1);
    assert_eq!(
        (
            logged(&app, "webhook_disabled"),
            logged(&app, "webhook_enabled")
        ),
        (1, 1)
    );

    let page = app
        .page_as(&owner, &format!("/partner/webhooks/{endpoint}"))
        .await;
    assert!(
        page.contains("Delivered") && page.contains("Customer created"),
        "{page}"
    );
    let delivery: String = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(&endpoint))
        .select(webhook_deliveries::id)
        .first(&mut app.conn())
        .expect("a delivery");
    let again = app
        .post_as(
            &owner,
            &format!("/partner/webhooks/{endpoint}/deliveries/{delivery}/redeliver"),
            &[],
        )
        .await;
    assert_eq!(again.status(), 303);
    app.drain_webhooks().await;
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body, "the same event again");
    assert_eq!(logged(&app, "webhook_redelivered"), 1);
}

#[tokio::test]
async fn an_endpoint_is_deleted_with_its_log_once_confirmed() {
    let app = spawn_app().await;
    let (_, owner_membership, _) = partner(&app, "Contoso", "contoso.example");
    let endpoint = app.webhook_with_delivery(&owner_membership);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let path = |action: &str| format!("/partner/webhooks/{endpoint}/{action}");
    let review = app.post_as(&owner, &path("delete"), &[]).await;
    assert_eq!(review.status(), 200);
    assert!(
        review
            .text()
            .await
            .expect("page")
            .contains("https://hooks.example/partnerdesk")
    );
    assert_eq!(
        app.deliveries_of(&endpoint).len(),
        1,
        "kept until confirmed"
    );
    let deleted = app
        .post_as(&owner, &path("delete"), &[("confirmed", "yes")])
        .await;
    assert_eq!(deleted.status(), 303);
    assert!(app.deliveries_of(&endpoint).is_empty());
    let left: i64 = webhook_endpoints::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(left, 0);
    assert_eq!(logged(&app, "webhook_deleted"), 1);
}

#[tokio::test]
async fn another_partners_endpoint_is_not_found() {
    let app = spawn_app().await;
    let (_, ours, _) = partner(&app, "Contoso", "contoso.example");
    partner(&app, "Northwind", "northwind.example");
    let endpoint = app.webhook_with_delivery(&ours);
    let other = app
        .browser_signed_in("owner@northwind.example", PASSWORD)
        .await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for id in [endpoint.as_str(), unknown.as_str()] {
        let page = other
            .get(app.url(&format!("/partner/webhooks/{id}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(page.status(), 404, "{id}");
        for action in [
            "rotate",
            "disable",
            "enable",
            &format!("deliveries/{endpoint}/redeliver"),
        ] {
            let refused = app
                .post_as(&other, &format!("/partner/webhooks/{id}/{action}"), &[])
                .await;
            assert_eq!(refused.status(), 404, "{id}/{action}");
        }
        let refused = app
            .post_as(
                &other,
                &format!("/partner/webhooks/{id}/delete"),
                &[("confirmed", "yes")],
            )
            .await;
        assert_eq!(refused.status(), 404);
    }
    let (disabled, secret): (Option<chrono::NaiveDateTime>, String) = webhook_endpoints::table
        .find(&endpoint)
        .select((webhook_endpoints::disabled_at, webhook_endpoints::secret))
        .first(&mut app.conn())
        .expect("still there");
    assert!(disabled.is_none());
    assert!(secret.starts_with("whsec_"));
    let list = app.page_as(&other, "/partner/webhooks").await;
    assert!(!list.contains(&endpoint));
}

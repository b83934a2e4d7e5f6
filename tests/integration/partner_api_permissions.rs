//! A customer's permissions and service health through the partner API: each
//! permission with its state and prerequisites, turned on only when they are
//! met (409 naming the missing one), logged once per effective change through
//! the token; and what the partner's health page of the customer shows.

use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::commerce::PlacedBy;
use partnerdesk::customers::Health;
use reqwest::Method;
use serde_json::json;

use crate::helpers::error_fields;
use crate::partner_api_helpers::{CUSTOMERS, Orgs, body_of, replayed};

fn permissions_path(customer: &str) -> String {
    format!("{CUSTOMERS}/{customer}/permissions")
}

fn buy_path(customer: &str) -> String {
    format!("{}/buy_reservations", permissions_path(customer))
}

async fn refused_with(orgs: &Orgs, body: serde_json::Value, code: &str) {
    let answer = orgs
        .send(Method::PUT, &buy_path(&orgs.ours), &body, None)
        .await;
    assert_eq!(answer.status(), 409);
    assert_eq!(body_of(answer).await, json!({"error": code}));
}

#[tokio::test]
async fn the_permission_lists_its_state_and_what_turning_it_on_needs() {
    let orgs = Orgs::new().await;
    // Sales agents see permissions, read-only.
    let sales = orgs.token_of(PartnerRole::SalesAgent);
    let list = orgs
        .app
        .api_get(&sales, &permissions_path(&orgs.ours))
        .await;
    assert_eq!(list.status(), 200);
    assert_eq!(
        body_of(list).await,
        json!({"permissions": [{
            "permission": "buy_reservations",
            "enabled": false,
            "can_turn_on": false,
            "prerequisites": [
                {"prerequisite": "usage_subscription", "met": false},
                {"prerequisite": "subscription_owner", "met": false},
            ],
        }]})
    );
    orgs.foreign_is_missing(
        Method::GET,
        permissions_path,
        &orgs.theirs,
        &json!({}),
        "customer",
    )
    .await;
    let without = orgs.token_without(TokenScope::ReadPermissions);
    let refused = orgs
        .app
        .api_get(&without, &permissions_path(&orgs.ours))
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(body_of(refused).await["reason"], "missing_scope");
}

#[tokio::test]
async fn turning_on_needs_each_prerequisite_and_is_logged_once_through_the_token() {
    let orgs = Orgs::new().await;
    let on = json!({"enabled": true});
    refused_with(&orgs, on.clone(), "missing_usage_subscription").await;
    let usage = orgs
        .app
        .offer("Azure plan", "usage_subscription", "0", None);
    let subscription = orgs
        .app
        .ordered(&orgs.partner, &orgs.ours, &usage, None, PlacedBy::Partner);
    refused_with(&orgs, on.clone(), "missing_subscription_owner").await;
    assert!(orgs.app.logged("purchase_permissions_created").is_empty());
    let person = orgs
        .app
        .customer_member(&orgs.ours, "ina@adatum.example", "user");
    orgs.app.subscription_owner(&subscription, &person);

    let path = buy_path(&orgs.ours);
    let turned = orgs.send(Method::PUT, &path, &on, Some("p-1")).await;
    assert_eq!(turned.status(), 200);
    let turned = body_of(turned).await;
    assert_eq!(turned["enabled"], true);
    assert_eq!(turned["can_turn_on"], true);
    let again = orgs.send(Method::PUT, &path, &on, Some("p-1")).await;
    assert!(replayed(&again));
    assert_eq!(body_of(again).await, turned);
    let unchanged = orgs.send(Method::PUT, &path, &on, None).await;
    assert_eq!(unchanged.status(), 200, "already on: nothing changes");
    let created = orgs.app.logged("purchase_permissions_created");
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0].2.as_deref(), Some(orgs.owner.0.as_str()));

    let off = orgs
        .send(Method::PUT, &path, &json!({"enabled": false}), None)
        .await;
    assert_eq!(off.status(), 200);
    assert_eq!(body_of(off).await["enabled"], false);
    assert_eq!(orgs.app.logged("purchase_permissions_deleted").len(), 1);
}

#[tokio::test]
async fn a_permission_change_is_refused_where_the_page_refuses_it() {
    let orgs = Orgs::new().await;
    let path = buy_path(&orgs.ours);
    for (body, problem) in [
        (json!({}), "required"),
        (json!({"enabled": "yes"}), "must_be_a_boolean"),
        (json!({"enabled": true, "scope": "all"}), "unknown"),
    ] {
        let answer = orgs.send(Method::PUT, &path, &body, None).await;
        assert_eq!(answer.status(), 422, "{body}");
        let fields = error_fields(&body_of(answer).await);
        assert_eq!(fields.len(), 1, "{fields:?}");
        assert_eq!(fields[0].1, problem);
    }
    let other = format!("{}/buy_licences", permissions_path(&orgs.ours));
    let missing = orgs
        .send(Method::PUT, &other, &json!({"enabled": false}), None)
        .await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        body_of(missing).await,
        json!({"error": "not_found", "resource": "permission"})
    );
    let off = json!({"enabled": false});
    orgs.foreign_is_missing(Method::PUT, buy_path, &orgs.theirs, &off, "customer")
        .await;
    let sales = orgs.token_of(PartnerRole::SalesAgent);
    orgs.forbidden(&sales, Method::PUT, &path, &off, "role_not_allowed")
        .await;
    let without = orgs.token_without(TokenScope::WritePermissions);
    orgs.forbidden(&without, Method::PUT, &path, &off, "missing_scope")
        .await;
    assert!(orgs.app.logged("purchase_permissions_deleted").is_empty());
}

#[tokio::test]
async fn the_health_shows_the_services_and_incidents_with_their_updates() {
    let orgs = Orgs::new().await;
    let incident = orgs.app.incident(&orgs.ours, "Backup", Health::Advisory);
    orgs.app.incident(&orgs.theirs, "Mail", Health::Incident);
    let path = |id: &str| format!("{CUSTOMERS}/{id}/health");
    let helpdesk = orgs.token_of(PartnerRole::HelpdeskAgent);
    let health = orgs.app.api_get(&helpdesk, &path(&orgs.ours)).await;
    assert_eq!(health.status(), 200);
    let health = body_of(health).await;
    assert_eq!(health["customer_id"], orgs.ours.as_str());
    assert_eq!(health["health"], "advisory");
    assert_eq!(health["services"].as_array().map(Vec::len), Some(1));
    assert_eq!(health["services"][0]["name"], "Backup");
    assert_eq!(health["services"][0]["state"], "advisory");
    let incidents = health["incidents"].as_array().expect("incidents");
    assert_eq!(incidents.len(), 1, "only this customer's: {health}");
    assert_eq!(incidents[0]["id"], incident.as_str());
    assert_eq!(incidents[0]["title"], "Backup trouble");
    assert!(incidents[0]["resolved_at"].is_null());
    assert_eq!(incidents[0]["updates"][0]["body"], "Investigating.");
    orgs.foreign_is_missing(Method::GET, path, &orgs.theirs, &json!({}), "customer")
        .await;
    let without = orgs.token_without(TokenScope::ReadCustomers);
    let refused = orgs.app.api_get(&without, &path(&orgs.ours)).await;
    assert_eq!(refused.status(), 403);
}

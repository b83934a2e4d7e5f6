//! Orders, subscriptions and reservations through the partner API: the order
//! and reservation pages' rules, the activity log naming the token, retries
//! with `Idempotency-Key` that act once, and another organisation's customers
//! and reservations answering exactly like missing ones.

use diesel::prelude::*;
use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::commerce::PlacedBy;
use partnerdesk::db::schema::{activity_log, orders, reservations};
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::{TestApp, error_fields, spawn_app};

/// An organisation with a customer holding a usage subscription and a
/// reservation on it, and another organisation with a customer of its own.
struct Shop {
    partner: String,
    owner: String,
    customer: String,
    usage: String,
    reserved: String,
    subscription: String,
    reservation: String,
    theirs: String,
    their_reservation: String,
}

fn shop(app: &TestApp) -> Shop {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let usage = app.offer("Azure plan", "usage_subscription", "0", None);
    let reserved = app.offer("Reserved VM", "reservation", "610", Some(12));
    let subscription = app.ordered(&partner, &customer, &usage, None, PlacedBy::Partner);
    let reservation = app.ordered(
        &partner,
        &customer,
        &reserved,
        Some(&subscription),
        PlacedBy::Partner,
    );
    let other = app.invite_partner_owner("Fabrikam", "fiona@fabrikam.example", Lang::En);
    let theirs = app.customer(&other, &CustomerSpec::named("Northwind"));
    let their_usage = app.ordered(&other, &theirs, &usage, None, PlacedBy::Partner);
    let their_reservation = app.ordered(
        &other,
        &theirs,
        &reserved,
        Some(&their_usage),
        PlacedBy::Partner,
    );
    Shop {
        partner,
        owner,
        customer,
        usage,
        reserved,
        subscription,
        reservation,
        theirs,
        their_reservation,
    }
}

fn token(app: &TestApp, shop: &Shop) -> (String, String) {
    app.partner_api_token(&shop.owner, &TokenScope::ALL, None)
}

fn orders_of(customer: &str) -> String {
    format!("/api/v1/partner/customers/{customer}/orders")
}

fn reservation_path(customer: &str, reservation: &str, action: &str) -> String {
    format!("/api/v1/partner/customers/{customer}/reservations/{reservation}/{action}")
}

fn count_orders(app: &TestApp, customer: &str) -> i64 {
    orders::table
        .filter(orders::customer_id.eq(customer))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// The activity log's entries of `action`: (details, api token id).
fn logged(app: &TestApp, action: &str) -> Vec<(String, Option<String>)> {
    activity_log::table
        .filter(activity_log::action.eq(action))
        .select((activity_log::details, activity_log::api_token_id))
        .load(&mut app.conn())
        .expect("entries")
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn an_order_is_placed_as_the_page_places_it_logged_through_the_token_and_listed() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (token_id, token) = token(&app, &s);
    let body = json!({"offer_id": s.reserved, "quantity": 3, "subscription_id": s.subscription});
    let placed = app
        .api_post(&token, &orders_of(&s.customer), &body, None)
        .await;
    assert_eq!(placed.status(), 201);
    let order = json_of(placed).await;
    assert_eq!(order["placed_by"], "partner");
    assert_eq!(order["purpose"], "purchase");
    assert_eq!(order["billed_to"], "Contoso");
    assert_eq!(order["lines"][0]["quantity"], 3);
    assert_eq!(order["lines"][0]["offer_id"], s.reserved.as_str());
    assert_eq!(order["total_cents"], 3 * 61000);
    let rows: i64 = reservations::table
        .filter(reservations::customer_id.eq(&s.customer))
        .filter(reservations::quantity.eq(3))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(rows, 1, "the order became a reservation");
    assert_eq!(
        logged(&app, "order_placed"),
        vec![("3 × Reserved VM (12 m)".to_owned(), Some(token_id))]
    );

    // The customer's own purchase shows beside the partner's orders.
    app.ordered(
        &s.partner,
        &s.customer,
        &s.reserved,
        Some(&s.subscription),
        PlacedBy::Customer,
    );
    let listed = json_of(app.api_get(&token, &orders_of(&s.customer)).await).await;
    let orders = listed["orders"].as_array().expect("orders");
    assert_eq!(orders.len(), 4);
    assert!(orders.iter().any(|o| o["placed_by"] == "customer"));
    assert!(orders.iter().any(|o| o["id"] == order["id"]));
    assert!(listed["next_cursor"].is_null());
}

#[tokio::test]
async fn orders_page_by_cursor_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (_, token) = token(&app, &s);
    for _ in 0..3 {
        app.ordered(&s.partner, &s.customer, &s.usage, None, PlacedBy::Partner);
    }
    let mut seen = Vec::new();
    let mut path = format!("{}?limit=2", orders_of(&s.customer));
    loop {
        let page = json_of(app.api_get(&token, &path).await).await;
        for order in page["orders"].as_array().expect("orders") {
            seen.push(order["id"].as_str().expect("id").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => path = format!("{}?limit=2&cursor={next}", orders_of(&s.customer)),
            None => break,
        }
        // An order placed meanwhile is newer: it does not shift what follows.
        app.ordered(&s.partner, &s.customer, &s.usage, None, PlacedBy::Partner);
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no order twice: {seen:?}");
    assert_eq!(seen.len(), 5, "the five orders there at the start");
    let bad = app
        .api_get(
            &token,
            &format!("{}?cursor=nonsense", orders_of(&s.customer)),
        )
        .await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn an_order_retried_with_its_key_is_placed_once() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (_, token) = token(&app, &s);
    let path = orders_of(&s.customer);
    let body = json!({"offer_id": s.usage, "quantity": 5});
    let before = count_orders(&app, &s.customer);
    let first = app.api_post(&token, &path, &body, Some("order-1")).await;
    assert_eq!(first.status(), 201);
    let first = json_of(first).await;
    let again = app.api_post(&token, &path, &body, Some("order-1")).await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        again
            .headers()
            .get("Idempotent-Replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(json_of(again).await, first);
    assert_eq!(count_orders(&app, &s.customer), before + 1);
    assert_eq!(logged(&app, "order_placed").len(), 1);
}

#[tokio::test]
async fn a_faulty_order_names_its_fields_and_places_nothing() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (_, token) = token(&app, &s);
    let path = orders_of(&s.customer);
    let before = count_orders(&app, &s.customer);
    let cases = [
        (
            json!({"offer_id": s.usage, "quantity": 0}),
            "quantity",
            "out_of_range",
        ),
        (
            json!({"offer_id": "nope", "quantity": 1}),
            "offer_id",
            "invalid",
        ),
        (
            json!({"offer_id": s.reserved, "quantity": 1}),
            "subscription_id",
            "invalid",
        ),
        (
            json!({"offer_id": s.usage, "quantity": "1"}),
            "quantity",
            "must_be_an_integer",
        ),
        (
            json!({"offer_id": s.usage, "quantity": 1, "price": 0}),
            "price",
            "unknown",
        ),
    ];
    for (body, field, problem) in cases {
        let refused = app.api_post(&token, &path, &body, None).await;
        assert_eq!(refused.status(), 422, "{body}");
        let answer = json_of(refused).await;
        assert_eq!(
            error_fields(&answer),
            vec![(field.to_owned(), problem.to_owned())],
            "{body}"
        );
        assert!(answer["fields"][0]["message"].is_string());
    }
    assert_eq!(count_orders(&app, &s.customer), before);
}

#[tokio::test]
async fn another_organisations_customer_and_reservation_answer_as_missing() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (_, token) = token(&app, &s);
    let body = json!({"offer_id": s.usage, "quantity": 1});
    for suffix in ["orders", "subscriptions", "reservations"] {
        let theirs = format!("/api/v1/partner/customers/{}/{suffix}", s.theirs);
        let missing = format!("/api/v1/partner/customers/no-such-customer/{suffix}");
        let (a, b) = (
            app.api_get(&token, &theirs).await,
            app.api_get(&token, &missing).await,
        );
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (404, 404));
        assert_eq!(a.bytes().await.ok(), b.bytes().await.ok());
    }
    let theirs = app
        .api_post(&token, &orders_of(&s.theirs), &body, None)
        .await;
    assert_eq!(theirs.status(), 404);
    assert_eq!(
        json_of(theirs).await,
        json!({"error": "not_found", "resource": "customer"})
    );
    assert_eq!(count_orders(&app, &s.theirs), 2, "nothing ordered for them");
    for action in ["renew", "cancel", "exchange"] {
        let body = json!({});
        let (theirs, missing) = (
            reservation_path(&s.customer, &s.their_reservation, action),
            reservation_path(&s.customer, "no-such-reservation", action),
        );
        let a = app.api_post(&token, &theirs, &body, None).await;
        let b = app.api_post(&token, &missing, &body, None).await;
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (404, 404));
        assert_eq!(a.bytes().await.ok(), b.bytes().await.ok());
        let wrong_customer = reservation_path(&s.theirs, &s.their_reservation, action);
        let c = app.api_post(&token, &wrong_customer, &body, None).await;
        assert_eq!(json_of(c).await["resource"], "customer");
    }
    let state: String = reservations::table
        .find(&s.their_reservation)
        .select(reservations::state)
        .first(&mut app.conn())
        .expect("theirs");
    assert_eq!(state, "active");
}

#[tokio::test]
async fn tokens_without_the_scope_or_whose_creator_may_not_order_are_refused() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (_, reader) = app.partner_api_token(&s.owner, &[TokenScope::ReadOrders], None);
    let helpdesk = app.active_member(&s.partner, "hd@contoso.example", PartnerRole::HelpdeskAgent);
    let (_, helpdesk) = app.partner_api_token(&helpdesk, &TokenScope::ALL, None);
    let body = json!({"offer_id": s.usage, "quantity": 1});
    let cancel = reservation_path(&s.customer, &s.reservation, "cancel");
    for token in [&reader, &helpdesk] {
        let placed = app
            .api_post(token, &orders_of(&s.customer), &body, None)
            .await;
        assert_eq!(placed.status(), 403);
        let cancelled = app.api_post(token, &cancel, &json!({}), None).await;
        assert_eq!(cancelled.status(), 403);
    }
    let (_, no_read) = app.partner_api_token(&s.owner, &[TokenScope::WriteOrders], None);
    let listed = app.api_get(&no_read, &orders_of(&s.customer)).await;
    assert_eq!(json_of(listed).await["reason"], "missing_scope");
    // The helpdesk agent sees customers: reading is allowed.
    let read = app.api_get(&helpdesk, &orders_of(&s.customer)).await;
    assert_eq!(read.status(), 200);
    assert_eq!(count_orders(&app, &s.customer), 2);
}

#[tokio::test]
async fn subscriptions_and_reservations_are_listed_with_their_days() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (_, token) = token(&app, &s);
    let base = format!("/api/v1/partner/customers/{}", s.customer);
    let subs = json_of(app.api_get(&token, &format!("{base}/subscriptions")).await).await;
    let subs = subs["subscriptions"].as_array().expect("list");
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0]["id"], s.subscription.as_str());
    assert_eq!(subs[0]["kind"], "usage_subscription");
    assert!(subs[0]["ends_on"].is_null());
    let held = json_of(app.api_get(&token, &format!("{base}/reservations")).await).await;
    let held = held["reservations"].as_array().expect("list");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["id"], s.reservation.as_str());
    assert_eq!(held[0]["subscription_id"], s.subscription.as_str());
    assert_eq!(held[0]["state"], "active");
    assert_eq!(held[0]["bought_by"], "partner");
    let today = app.clock_now().date();
    assert_eq!(held[0]["starts_on"], today.format("%Y-%m-%d").to_string());
}

#[tokio::test]
async fn a_reservation_is_renewed_exchanged_and_cancelled_as_the_page_does() {
    let app = spawn_app().await;
    let s = shop(&app);
    let (token_id, token) = token(&app, &s);
    let renew = reservation_path(&s.customer, &s.reservation, "renew");
    let renewed = app
        .api_post(&token, &renew, &json!({}), Some("renew-1"))
        .await;
    assert_eq!(renewed.status(), 200);
    let renewed = json_of(renewed).await;
    let today = app.clock_now().date();
    let in_two_years = today
        .checked_add_months(chrono::Months::new(24))
        .expect("a day");
    assert_eq!(
        renewed["ends_on"],
        in_two_years.format("%Y-%m-%d").to_string()
    );
    let again = app
        .api_post(&token, &renew, &json!({}), Some("renew-1"))
        .await;
    assert_eq!(again.headers()["Idempotent-Replayed"], "true");
    assert_eq!(logged(&app, "reservation_renewed").len(), 1, "renewed once");

    let exchange = reservation_path(&s.customer, &s.reservation, "exchange");
    let faulty = app
        .api_post(
            &token,
            &exchange,
            &json!({"offer_id": s.usage, "quantity": 2}),
            None,
        )
        .await;
    assert_eq!(faulty.status(), 422);
    assert_eq!(
        error_fields(&json_of(faulty).await),
        vec![("offer_id".to_owned(), "invalid".to_owned())]
    );
    let bigger = app.offer("Reserved VM large", "reservation", "900", Some(12));
    let exchanged = app
        .api_post(
            &token,
            &exchange,
            &json!({"offer_id": bigger, "quantity": 2}),
            None,
        )
        .await;
    assert_eq!(exchanged.status(), 200);
    let exchanged = json_of(exchanged).await;
    assert_eq!(exchanged["exchanged"]["state"], "exchanged");
    assert_eq!(exchanged["reservation"]["offer_id"], bigger.as_str());
    assert_eq!(exchanged["reservation"]["state"], "active");
    let (_, via) = logged(&app, "reservation_exchanged").remove(0);
    assert_eq!(via.as_deref(), Some(token_id.as_str()));

    // The reservation it ended may not change again: 409, with a code.
    let ended = app.api_post(&token, &renew, &json!({}), None).await;
    assert_eq!(ended.status(), 409);
    assert_eq!(json_of(ended).await["error"], "reservation_not_active");

    let new_id = exchanged["reservation"]["id"].as_str().expect("id");
    let cancel = reservation_path(&s.customer, new_id, "cancel");
    let unknown_field = app
        .api_post(&token, &cancel, &json!({"why": "x"}), None)
        .await;
    assert_eq!(unknown_field.status(), 422);
    let cancelled = app
        .api_post(&token, &cancel, &json!({}), Some("cancel-1"))
        .await;
    assert_eq!(cancelled.status(), 200);
    assert_eq!(json_of(cancelled).await["state"], "cancelled");
    let replayed = app
        .api_post(&token, &cancel, &json!({}), Some("cancel-1"))
        .await;
    assert_eq!(replayed.status(), 200, "the first answer, again");
    let twice = app.api_post(&token, &cancel, &json!({}), None).await;
    assert_eq!(twice.status(), 409);
    assert_eq!(logged(&app, "reservation_cancelled").len(), 1);
}

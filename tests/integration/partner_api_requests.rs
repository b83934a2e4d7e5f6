//! Service requests through the partner API: opened on a customer's behalf,
//! answered and resolved with the pages' rules, emails to the customer's side
//! and the activity log naming the token; lists filtered and paged; another
//! organisation's requests and customers answering like missing ones.

use diesel::prelude::*;
use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::db::schema::{activity_log, service_request_messages, service_requests};
use partnerdesk::i18n::Lang;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::{TestApp, error_fields, spawn_app};

const REQUESTS: &str = "/api/v1/partner/requests";

struct Desk {
    partner: String,
    token_id: String,
    token: String,
    adatum: String,
    bellows: String,
    theirs: String,
    their_request: String,
}

fn desk(app: &TestApp) -> Desk {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let (token_id, token) = app.partner_api_token(&owner, &TokenScope::ALL, None);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let bellows = app.customer(&partner, &CustomerSpec::named("Bellows"));
    app.customer_administrator(&bellows, "admin@bellows.example");
    let other = app.invite_partner_owner("Fabrikam", "fiona@fabrikam.example", Lang::En);
    let theirs = app.customer(&other, &CustomerSpec::named("Northwind"));
    app.customer_administrator(&theirs, "admin@northwind.example");
    let their_request = app.service_request(&theirs, "admin@northwind.example", "Theirs");
    Desk {
        partner,
        token_id,
        token,
        adatum,
        bellows,
        theirs,
        their_request,
    }
}

fn customer_requests(customer: &str) -> String {
    format!("/api/v1/partner/customers/{customer}/requests")
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.expect("JSON")
}

fn new_request(title: &str) -> Value {
    json!({"title": title, "category": "billing", "description": "Opened after our call."})
}

fn entries_through(app: &TestApp, action: &str, token_id: &str) -> i64 {
    activity_log::table
        .filter(activity_log::action.eq(action))
        .filter(activity_log::api_token_id.eq(token_id))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn a_request_is_opened_answered_and_resolved_as_the_pages_do() {
    let app = spawn_app().await;
    let d = desk(&app);
    let path = customer_requests(&d.adatum);
    let opened = app
        .api_post(
            &d.token,
            &path,
            &new_request("Licence renewal"),
            Some("open-1"),
        )
        .await;
    let opened = json_of(opened, 201).await;
    assert_eq!(opened["status"], "open");
    assert_eq!(opened["opened_by_side"], "partner");
    assert_eq!(opened["customer_name"], "Adatum");
    let id = opened["id"].as_str().expect("id").to_owned();
    let again = app
        .api_post(
            &d.token,
            &path,
            &new_request("Licence renewal"),
            Some("open-1"),
        )
        .await;
    assert_eq!(again.headers()["Idempotent-Replayed"], "true");
    let mail = app.mail.wait_for_to("admin@adatum.example", 1).await;
    assert!(
        mail[0].subject.contains("Licence renewal"),
        "{}",
        mail[0].subject
    );
    assert_eq!(
        entries_through(&app, "service_request_opened", &d.token_id),
        1
    );

    let reply = format!("{REQUESTS}/{id}/messages");
    let replied = app
        .api_post(
            &d.token,
            &reply,
            &json!({"body": "We are on it."}),
            Some("reply-1"),
        )
        .await;
    let replied = json_of(replied, 201).await;
    assert_eq!(replied["messages"][0]["body"], "We are on it.");
    assert_eq!(replied["messages"][0]["side"], "partner");
    let twice = app
        .api_post(
            &d.token,
            &reply,
            &json!({"body": "We are on it."}),
            Some("reply-1"),
        )
        .await;
    assert_eq!(twice.status(), 201);
    let messages: i64 = service_request_messages::table
        .filter(service_request_messages::request_id.eq(&id))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(messages, 1, "replied once");
    app.mail.wait_for_to("admin@adatum.example", 2).await;

    resolved_and_read(&app, &d, &id).await;
}

/// Resolves the request `id` through the token and reads it back.
async fn resolved_and_read(app: &TestApp, d: &Desk, id: &str) {
    let status = format!("{REQUESTS}/{id}/status");
    let resolved = app
        .api_json(
            Method::PUT,
            &d.token,
            &status,
            &json!({"status": "resolved"}),
            None,
        )
        .await;
    assert_eq!(json_of(resolved, 200).await["status"], "resolved");
    assert_eq!(
        entries_through(app, "service_request_status_changed", &d.token_id),
        1
    );
    let mail = app.mail.wait_for_to("admin@adatum.example", 3).await;
    assert_eq!(mail.len(), 3, "opened, answered, resolved");
    let read = json_of(
        app.api_get(&d.token, &format!("{REQUESTS}/{id}")).await,
        200,
    )
    .await;
    assert_eq!(read["status"], "resolved");
    assert_eq!(read["messages"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn faulty_requests_replies_and_statuses_name_their_fields() {
    let app = spawn_app().await;
    let d = desk(&app);
    let path = customer_requests(&d.adatum);
    let faulty = app
        .api_post(
            &d.token,
            &path,
            &json!({"title": "x".repeat(121), "category": "weather", "urgent": true}),
            None,
        )
        .await;
    let answer = json_of(faulty, 422).await;
    assert_eq!(
        error_fields(&answer),
        vec![("urgent".to_owned(), "unknown".to_owned())]
    );
    let faulty = app
        .api_post(
            &d.token,
            &path,
            &json!({"title": "x".repeat(121), "category": "weather"}),
            None,
        )
        .await;
    let mut fields = error_fields(&json_of(faulty, 422).await);
    fields.sort();
    let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, ["category", "description", "title"]);
    let request = app.service_request(&d.adatum, "admin@adatum.example", "Printer");
    let empty = app
        .api_post(
            &d.token,
            &format!("{REQUESTS}/{request}/messages"),
            &json!({"body": " "}),
            None,
        )
        .await;
    assert_eq!(error_fields(&json_of(empty, 422).await)[0].0, "body");
    let status = format!("{REQUESTS}/{request}/status");
    let wrong = app
        .api_json(
            Method::PUT,
            &d.token,
            &status,
            &json!({"status": "closed"}),
            None,
        )
        .await;
    assert_eq!(
        error_fields(&json_of(wrong, 422).await),
        vec![("status".to_owned(), "invalid".to_owned())]
    );
    let count: i64 = service_requests::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 2, "the fixtures only");
}

#[tokio::test]
async fn lists_filter_by_status_and_customer_and_page_without_repeats() {
    let app = spawn_app().await;
    let d = desk(&app);
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(app.service_request(&d.adatum, "admin@adatum.example", &format!("A{n}")));
        app.clock.advance(chrono::Duration::seconds(1));
    }
    app.service_request(&d.bellows, "admin@bellows.example", "B");
    let status = format!("{REQUESTS}/{}/status", ids[0]);
    let waiting = app
        .api_json(
            Method::PUT,
            &d.token,
            &status,
            &json!({"status": "waiting"}),
            None,
        )
        .await;
    assert_eq!(waiting.status(), 200);

    let titles = |page: &Value| -> Vec<String> {
        page["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| r["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let all = json_of(app.api_get(&d.token, REQUESTS).await, 200).await;
    assert_eq!(
        titles(&all),
        ["B", "A2", "A1", "A0"],
        "not the other organisation's"
    );
    let adatum = json_of(
        app.api_get(&d.token, &customer_requests(&d.adatum)).await,
        200,
    )
    .await;
    assert_eq!(titles(&adatum), ["A2", "A1", "A0"]);
    let by_query = app
        .api_get(&d.token, &format!("{REQUESTS}?customer={}", d.bellows))
        .await;
    assert_eq!(titles(&json_of(by_query, 200).await), ["B"]);
    let waiting = json_of(
        app.api_get(&d.token, &format!("{REQUESTS}?status=waiting"))
            .await,
        200,
    )
    .await;
    assert_eq!(titles(&waiting), ["A0"]);
    let wrong = app
        .api_get(&d.token, &format!("{REQUESTS}?status=closed"))
        .await;
    assert_eq!(wrong.status(), 422);

    let mut seen = Vec::new();
    let mut path = format!("{REQUESTS}?limit=2");
    loop {
        let page = json_of(app.api_get(&d.token, &path).await, 200).await;
        seen.extend(titles(&page));
        let Some(next) = page["next_cursor"].as_str() else {
            break;
        };
        path = format!("{REQUESTS}?limit=2&cursor={next}");
        // A request opened meanwhile is newer: it does not shift the pages.
        app.service_request(&d.bellows, "admin@bellows.example", "Later");
    }
    assert_eq!(seen, ["B", "A2", "A1", "A0"]);
}

#[tokio::test]
async fn another_organisations_requests_and_customers_answer_as_missing() {
    let app = spawn_app().await;
    let d = desk(&app);
    let pairs = [
        (
            format!("{REQUESTS}/{}", d.their_request),
            format!("{REQUESTS}/no-such-request"),
        ),
        (
            customer_requests(&d.theirs),
            customer_requests("no-such-customer"),
        ),
        (
            format!("{REQUESTS}?customer={}", d.theirs),
            format!("{REQUESTS}?customer=no-such-customer"),
        ),
    ];
    for (theirs, missing) in pairs {
        let a = app.api_get(&d.token, &theirs).await;
        let b = app.api_get(&d.token, &missing).await;
        assert_eq!(
            (a.status().as_u16(), b.status().as_u16()),
            (404, 404),
            "{theirs}"
        );
        assert_eq!(a.bytes().await.ok(), b.bytes().await.ok());
    }
    let writes = [
        (
            Method::POST,
            format!("{REQUESTS}/{}/messages", d.their_request),
            json!({"body": "hi"}),
        ),
        (
            Method::PUT,
            format!("{REQUESTS}/{}/status", d.their_request),
            json!({"status": "resolved"}),
        ),
        (
            Method::POST,
            customer_requests(&d.theirs),
            new_request("Theirs too"),
        ),
    ];
    for (method, path, body) in writes {
        let refused = app.api_json(method, &d.token, &path, &body, None).await;
        assert_eq!(refused.status(), 404, "{path}");
    }
    let (status, messages): (String, i64) = (
        service_requests::table
            .find(&d.their_request)
            .select(service_requests::status)
            .first(&mut app.conn())
            .expect("theirs"),
        service_request_messages::table
            .count()
            .get_result(&mut app.conn())
            .expect("count"),
    );
    assert_eq!((status.as_str(), messages), ("open", 0));
}

#[tokio::test]
async fn tokens_without_the_scope_or_whose_creator_may_not_handle_requests_are_refused() {
    let app = spawn_app().await;
    let d = desk(&app);
    let owner = app.active_member_id(&d.partner, "owner@contoso.example");
    let (_, reader) = app.partner_api_token(&owner, &[TokenScope::ReadRequests], None);
    let sales = app.active_member(&d.partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let (_, sales) = app.partner_api_token(&sales, &TokenScope::ALL, None);
    let path = customer_requests(&d.adatum);
    let refused = app.api_post(&reader, &path, &new_request("No"), None).await;
    assert_eq!(json_of(refused, 403).await["reason"], "missing_scope");
    for read in [REQUESTS.to_owned(), path.clone()] {
        let refused = app.api_get(&sales, &read).await;
        assert_eq!(json_of(refused, 403).await["reason"], "role_not_allowed");
    }
    let refused = app.api_post(&sales, &path, &new_request("No"), None).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(app.api_get(&reader, REQUESTS).await.status(), 200);
    let count: i64 = service_requests::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 1, "the other organisation's fixture only");
}

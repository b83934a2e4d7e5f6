//! Creating customers through the partner API: the creation steps' rules, the
//! administrator's invitation, the activity log naming the token and its
//! creator, and `Idempotency-Key` retries that act once.

use diesel::prelude::*;
use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::db::schema::{activity_log, customer_accounts};
use partnerdesk::i18n::Lang;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, error_fields, spawn_app};
use crate::partner_api_helpers::{CUSTOMERS, new_customer};

/// An organisation's owner's token of every scope: (partner id, token id, token).
fn owners_token(app: &TestApp) -> (String, String, String) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let (id, token) = app.partner_api_token(&owner, &TokenScope::ALL, None);
    (partner, id, token)
}

fn customers_named(app: &TestApp, name: &str) -> i64 {
    customer_accounts::table
        .filter(customer_accounts::name.eq(name))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn a_customer_is_created_invited_and_logged_in_the_tokens_name() {
    let app = spawn_app().await;
    let (_, token_id, token) = owners_token(&app);
    let created = app
        .api_post(
            &token,
            CUSTOMERS,
            &new_customer("Fabrikam", "ada@fabrikam.example"),
            None,
        )
        .await;
    assert_eq!(created.status(), 201);
    let location = crate::helpers::location(&created);
    let body: serde_json::Value = created.json().await.expect("JSON");
    assert_eq!(
        location,
        format!("{CUSTOMERS}/{}", body["id"].as_str().expect("id"))
    );
    assert_eq!(body["state"], "creating");
    assert_eq!(body["billing_type"], "trial");
    assert_eq!(body["country"], "FR");
    assert_eq!(body["time_zone"], "Europe/Paris", "the country's zone");
    assert!(body["trial_ends_on"].is_string(), "a trial ends 30 days on");
    let read: serde_json::Value = app
        .api_get(&token, &location)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(read, body);

    let invitations = app.emails_to("ada@fabrikam.example").await;
    assert_eq!(invitations.len(), 1, "the administrator is invited");
    let (actor, via): (Option<String>, Option<String>) = activity_log::table
        .filter(activity_log::action.eq("customer_created"))
        .select((
            activity_log::actor_name.nullable(),
            activity_log::api_token_id,
        ))
        .first(&mut app.conn())
        .expect("an entry");
    assert_eq!(via.as_deref(), Some(token_id.as_str()));
    assert!(actor.is_some());
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let log = app.page_as(&owner, "/partner/activity").await;
    assert!(log.contains("through the API token “fixture”"), "{log}");
}

#[tokio::test]
async fn the_same_key_and_body_create_one_customer_and_send_one_email() {
    let app = spawn_app().await;
    let (_, _, token) = owners_token(&app);
    let body = new_customer("Fabrikam", "ada@fabrikam.example");
    let first = app
        .api_post(&token, CUSTOMERS, &body, Some("retry-1"))
        .await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: serde_json::Value = first.json().await.expect("JSON");
    // The same body with its keys in another order is the same request.
    let reordered: serde_json::Value =
        serde_json::from_str(&serde_json::to_string_pretty(&body).expect("JSON")).expect("JSON");
    let again = app
        .api_post(&token, CUSTOMERS, &reordered, Some("retry-1"))
        .await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        again
            .headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    let again: serde_json::Value = again.json().await.expect("JSON");
    assert_eq!(again, first, "the first answer, given again");
    assert_eq!(customers_named(&app, "Fabrikam"), 1);
    assert_eq!(app.emails_to("ada@fabrikam.example").await.len(), 1);

    let other = new_customer("Northwind", "nina@northwind.example");
    let reused = app
        .api_post(&token, CUSTOMERS, &other, Some("retry-1"))
        .await;
    assert_eq!(reused.status(), 422);
    let reused: serde_json::Value = reused.json().await.expect("JSON");
    assert_eq!(reused["error"], "idempotency_key_reused");
    assert_eq!(customers_named(&app, "Northwind"), 0);

    // A day later the key is free again.
    app.clock.advance(chrono::Duration::hours(25));
    let later = app
        .api_post(&token, CUSTOMERS, &other, Some("retry-1"))
        .await;
    assert_eq!(later.status(), 201);
    assert_eq!(customers_named(&app, "Northwind"), 1);
}

#[tokio::test]
async fn two_requests_with_one_key_at_once_create_one_customer() {
    let app = spawn_app().await;
    let (_, _, token) = owners_token(&app);
    let body = new_customer("Fabrikam", "ada@fabrikam.example");
    let (a, b) = tokio::join!(
        app.api_post(&token, CUSTOMERS, &body, Some("race")),
        app.api_post(&token, CUSTOMERS, &body, Some("race")),
    );
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (201, 201));
    let a: serde_json::Value = a.json().await.expect("JSON");
    let b: serde_json::Value = b.json().await.expect("JSON");
    assert_eq!(a["id"], b["id"]);
    assert_eq!(customers_named(&app, "Fabrikam"), 1);
    assert_eq!(app.emails_to("ada@fabrikam.example").await.len(), 1);
}

#[tokio::test]
async fn every_faulty_field_is_named_with_a_message_and_nothing_is_saved() {
    let app = spawn_app().await;
    let (_, _, token) = owners_token(&app);
    let body = serde_json::json!({
        "name": "",
        "primary_domain": "not a domain",
        "country": "ZZ",
        "term": "monthly",
        "billing_type": "trial",
        "trial_ends_on": "2001-01-01",
        "address_line1": "1 rue de la Paix",
        "city": 75,
        "admin_full_name": "Ada Admin",
        "admin_username": "ada@fabrikam.example",
        "colour": "blue",
    });
    let refused = app.api_post(&token, CUSTOMERS, &body, Some("k")).await;
    assert_eq!(refused.status(), 422);
    let refused: serde_json::Value = refused.json().await.expect("JSON");
    let mut fields = error_fields(&refused);
    fields.sort();
    assert_eq!(
        fields,
        [
            ("city".to_owned(), "must_be_a_string".to_owned()),
            ("colour".to_owned(), "unknown".to_owned()),
        ]
    );
    let mut body = body;
    body["city"] = serde_json::json!("Paris");
    body.as_object_mut().expect("object").remove("colour");
    let refused = app.api_post(&token, CUSTOMERS, &body, Some("k")).await;
    assert_eq!(refused.status(), 422, "a refusal is not kept for the key");
    let refused: serde_json::Value = refused.json().await.expect("JSON");
    let mut fields = error_fields(&refused);
    fields.sort();
    let named: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        named,
        ["country", "name", "primary_domain", "trial_ends_on"]
    );
    assert!(
        refused["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    let not_json = reqwest::Client::new()
        .post(app.url(CUSTOMERS))
        .bearer_auth(&token)
        .body("name=Fabrikam")
        .send()
        .await
        .expect("POST");
    assert_eq!(not_json.status(), 400);
    let count: i64 = customer_accounts::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 0);
    assert!(app.emails_to("ada@fabrikam.example").await.is_empty());
}

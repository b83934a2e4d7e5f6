//! Service health (E1) through the real server: recorded by the operator through
//! the JSON API and the command line, shown in the customer list's health column
//! (filter, sort, count) and on the health pages of both sides.

use crate::helpers::error_fields as fields;
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::Health;
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::customers::{listed_names, listed_total, page_of};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, run_cli, spawn_app};

async fn api(app: &TestApp, token: &str, path: impl AsRef<str>, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url(path.as_ref()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) ours: String,
    pub(crate) adatum: String,
    pub(crate) bellows: String,
}

pub(crate) async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&ours, &CustomerSpec::named("Bellows"));
    app.customer(&ours, &CustomerSpec::named("Cobalt"));
    Fixture {
        app,
        ours,
        adatum,
        bellows,
    }
}

#[tokio::test]
async fn health_recorded_through_the_api_drives_the_list_column() {
    let Fixture {
        app,
        adatum,
        bellows,
        ..
    } = fixture().await;
    let token = app.api_token();
    for (customer, service) in [(&adatum, "Backup"), (&bellows, "Exchange Online")] {
        let (status, body) = api(
            &app,
            &token,
            &format!("/api/v1/customers/{customer}/services"),
            json!({"name": service}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, incident) = api(
        &app,
        &token,
        &format!("/api/v1/customers/{bellows}/incidents"),
        json!({"service": "exchange online", "title": "Mail delayed", "state": "incident", "text": "Looking into it."}),
    )
    .await;
    assert_eq!(status, 201, "{incident}");
    let incident_id = incident["id"].as_str().expect("incident id").to_owned();
    let (status, _) = api(
        &app,
        &token,
        &format!("/api/v1/customers/{adatum}/incidents"),
        json!({"service": "Backup", "title": "Slow backups", "state": "advisory", "text": "Slower than usual."}),
    )
    .await;
    assert_eq!(status, 201);

    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    the_list_filters_and_sorts_by_health(&app, &owner, &bellows).await;

    // Resolving gives the service and the customer their health back.
    let (status, _) = api(
        &app,
        &token,
        &format!("/api/v1/customers/{bellows}/incidents/{incident_id}/updates"),
        json!({"text": "Fixed.", "resolved": true}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, page) = page_of(&owner, &app, "/partner/customers?health=incident").await;
    assert!(listed_names(&page).is_empty());
    let (_, page) = page_of(&owner, &app, "/partner/customers?health=healthy").await;
    assert_eq!(listed_names(&page), ["Bellows", "Cobalt"]);
    assert_eq!(listed_total(&page), Some(2));
    // Resolving twice is refused.
    let (status, body) = api(
        &app,
        &token,
        &format!("/api/v1/customers/{bellows}/incidents/{incident_id}/updates"),
        json!({"text": "Again."}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_resolved"))
    );
}

/// Bellows has an incident and Adatum an advisory: the list filters and sorts
/// by health, and the column links to the health page.
async fn the_list_filters_and_sorts_by_health(
    app: &TestApp,
    owner: &reqwest::Client,
    bellows: &str,
) {
    let (_, page) = page_of(owner, app, "/partner/customers?health=incident").await;
    assert_eq!(listed_names(&page), ["Bellows"]);
    assert_eq!(listed_total(&page), Some(1), "the count agrees");
    let (_, page) = page_of(owner, app, "/partner/customers?health=advisory").await;
    assert_eq!(listed_names(&page), ["Adatum"]);
    assert_eq!(listed_total(&page), Some(1));
    let (_, page) = page_of(owner, app, "/partner/customers?sort=health").await;
    assert_eq!(
        listed_names(&page),
        ["Bellows", "Adatum", "Cobalt"],
        "worst first"
    );
    assert!(
        page.contains(&format!(
            "href=\"/partner/customers/{bellows}/health\"><span aria-hidden=\"true\">✕</span> Incident</a>"
        )),
        "icon with text, linking to the health page"
    );
}

#[tokio::test]
async fn api_errors_name_the_field_and_unknown_ids_are_missing() {
    let Fixture { app, adatum, .. } = fixture().await;
    let token = app.api_token();
    let incidents = format!("/api/v1/customers/{adatum}/incidents");
    let services = format!("/api/v1/customers/{adatum}/services");
    assert_eq!(
        refused_fields(
            &app,
            &token,
            &incidents,
            json!({"service": "Backup", "title": "", "state": "broken", "text": 42})
        )
        .await,
        [
            ("title".to_owned(), "required".to_owned()),
            ("state".to_owned(), "invalid".to_owned()),
            ("text".to_owned(), "must_be_a_string".to_owned()),
        ]
    );
    assert_eq!(
        refused_fields(
            &app,
            &token,
            &incidents,
            json!({"service": "Nothing", "title": "T", "state": "incident", "text": "x"})
        )
        .await,
        [("service".to_owned(), "unknown".to_owned())]
    );
    assert_eq!(
        refused_fields(&app, &token, &services, json!({"name": "x".repeat(200)})).await,
        [("name".to_owned(), "too_long".to_owned())]
    );
    api(&app, &token, &services, json!({"name": "Backup"})).await;
    assert_eq!(
        refused_fields(&app, &token, &services, json!({"name": "BACKUP"})).await,
        [("name".to_owned(), "taken".to_owned())]
    );

    let response = reqwest::Client::new()
        .post(app.url(&incidents))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 400);

    let (status, body) = api(
        &app,
        &token,
        "/api/v1/customers/no-such-customer/services",
        json!({"name": "Backup"}),
    )
    .await;
    assert_eq!((status, body["resource"].as_str()), (404, Some("customer")));
    let (status, body) = api(
        &app,
        &token,
        &format!("/api/v1/customers/{adatum}/incidents/no-such-incident/updates"),
        json!({"text": "x"}),
    )
    .await;
    assert_eq!((status, body["resource"].as_str()), (404, Some("incident")));
}

/// Posts `body` to `path`, expects it refused, and returns the fields named.
async fn refused_fields(
    app: &TestApp,
    token: &str,
    path: &str,
    body: Value,
) -> Vec<(String, String)> {
    let (status, answer) = api(app, token, path, body).await;
    assert_eq!(status, 422, "{answer}");
    fields(&answer)
}

#[tokio::test]
async fn only_a_live_token_opens_the_api_and_it_opens_nothing_else() {
    let Fixture { app, adatum, .. } = fixture().await;
    let path = format!("/api/v1/customers/{adatum}/services");
    let (status, body) = api(&app, "pd_wrong", &path, json!({"name": "Backup"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
    let response = reqwest::Client::new()
        .get(app.url(&path))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 401, "no token at all");

    // The command line creates a token, shown once, and revokes it.
    let created = run_cli(&app, &["api-token", "create", "--name", "Monitoring"]);
    assert!(created.status.success(), "{created:?}");
    let printed = String::from_utf8_lossy(&created.stdout).to_string();
    let token = printed
        .lines()
        .find_map(|l| l.split(": ").nth(1).filter(|t| t.starts_with("pd_")))
        .expect("the token is printed")
        .to_owned();
    let id = printed
        .lines()
        .find_map(|l| l.strip_prefix("Token id: "))
        .expect("the token's id is printed")
        .to_owned();
    let response = reqwest::Client::new()
        .get(app.url(&path))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    // Only its hash is stored.
    {
        use diesel::prelude::*;
        use partnerdesk::db::schema::api_tokens;
        let stored: Vec<String> = api_tokens::table
            .select(api_tokens::token_hash)
            .load(&mut app.conn())
            .expect("tokens");
        assert!(!stored.contains(&token));
    }
    // The token is no session: pages send its bearer to sign in.
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(app.url("/partner/customers"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 303);

    let revoked = run_cli(&app, &["api-token", "revoke", "--id", &id]);
    assert!(revoked.status.success(), "{revoked:?}");
    let (status, _) = api(&app, &token, &path, json!({"name": "Backup"})).await;
    assert_eq!(status, 401, "a revoked token is refused");
}

#[tokio::test]
async fn every_role_and_the_customer_see_the_health_page_and_no_one_else() {
    let Fixture {
        app, ours, adatum, ..
    } = fixture().await;
    app.incident(&adatum, "Backup", Health::Incident);
    let path = format!("/partner/customers/{adatum}/health");
    for role in PartnerRole::ALL {
        let username = format!("{}@contoso.example", role.as_str());
        if role != PartnerRole::Owner {
            app.active_member(&ours, &username, role);
        }
        let browser = app.browser_signed_in(&username, PASSWORD).await;
        let (status, page) = page_of(&browser, &app, &path).await;
        assert_eq!(status, 200, "{role:?}");
        assert!(page.contains("Backup trouble") && page.contains("Investigating."));
        assert!(
            page.contains("<span aria-hidden=\"true\">✕</span> Incident"),
            "icon and text"
        );
    }
    for (username, role) in [
        ("admin@adatum.example", "administrator"),
        ("user@adatum.example", "user"),
    ] {
        app.customer_member(&adatum, username, role);
        let browser = app.browser_signed_in(username, PASSWORD).await;
        let (status, page) = page_of(&browser, &app, "/customer/health").await;
        assert_eq!(status, 200, "{username}");
        assert!(page.contains("Backup trouble"));
    }
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&theirs, "owner@fabrikam.example", PartnerRole::Owner);
    let other = app
        .browser_signed_in("owner@fabrikam.example", PASSWORD)
        .await;
    let (status, _) = page_of(&other, &app, &path).await;
    assert_eq!(status, 404, "another partner's customer is missing");
    let (status, _) = page_of(&other, &app, "/partner/customers/no-such-id/health").await;
    assert_eq!(status, 404);
}

/// Changes to one customer's services at the same moment still leave its
/// health the worst of its services: they take turns on the account.
#[tokio::test]
async fn concurrent_changes_leave_the_worst_state() {
    let Fixture { app, ours, .. } = fixture().await;
    let token = app.api_token();
    let mut customers = Vec::new();
    for n in 0..6 {
        let customer = app.customer(&ours, &CustomerSpec::named(&format!("Racer {n}")));
        let incident = app.incident(&customer, "Backup", Health::Incident);
        api(
            &app,
            &token,
            &format!("/api/v1/customers/{customer}/services"),
            json!({"name": "Mail"}),
        )
        .await;
        customers.push((customer, incident));
    }
    let mut calls = Vec::new();
    for (customer, incident) in &customers {
        calls.push(api(
            &app,
            &token,
            format!("/api/v1/customers/{customer}/incidents/{incident}/updates"),
            json!({"text": "Fixed.", "resolved": true}),
        ));
        calls.push(api(
            &app,
            &token,
            format!("/api/v1/customers/{customer}/incidents"),
            json!({"service": "Mail", "title": "Slow", "state": "advisory", "text": "Slow."}),
        ));
    }
    for (status, body) in futures_util::future::join_all(calls).await {
        assert_eq!(status, 201, "{body}");
    }
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(&owner, &app, "/partner/customers?health=advisory&q=racer").await;
    assert_eq!(listed_total(&page), Some(6), "every racer ends on advisory");
}

//! The partner API's limits: each token has a budget of requests a minute; a
//! request over it answers 429 with `Retry-After`, and other tokens, even of the
//! same organisation, keep theirs.

use std::num::NonZeroU32;

use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::i18n::Lang;

use crate::helpers::spawn_app_with;
use crate::partner_api_helpers::CUSTOMERS;

#[tokio::test]
async fn a_token_over_its_budget_is_told_to_wait_and_another_token_is_not() {
    let app = spawn_app_with(|settings| {
        settings.partner_api_requests_per_minute = NonZeroU32::new(3).expect("three");
    })
    .await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let (_, busy) = app.partner_api_token(&owner, &[TokenScope::ReadCustomers], None);
    let (_, other) = app.partner_api_token(&owner, &[TokenScope::ReadCustomers], None);

    for _ in 0..3 {
        assert_eq!(app.api_get(&busy, CUSTOMERS).await.status(), 200);
    }
    let refused = app.api_get(&busy, CUSTOMERS).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!(
        (1..=20).contains(&wait),
        "one request comes back every 20 s: {wait}"
    );
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(body["error"], "rate_limited");
    assert_eq!(body["retry_after"], wait);

    assert_eq!(app.api_get(&other, CUSTOMERS).await.status(), 200);
}

#[tokio::test]
async fn every_partner_api_operation_documents_the_429() {
    let app = crate::helpers::spawn_app().await;
    let document: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths
        .iter()
        .filter(|(p, _)| p.starts_with("/api/v1/partner/"))
    {
        for (method, operation) in item.as_object().expect("a path item") {
            operations += 1;
            let limited = &operation["responses"]["429"];
            assert!(limited.is_object(), "{method} {path} documents 429");
            assert!(
                limited["headers"]["Retry-After"].is_object(),
                "{method} {path}'s 429 names Retry-After"
            );
        }
    }
    assert!(operations >= 3, "{operations}");
}

//! The OpenAPI document describes the three JSON APIs the routes table serves
//! (partner, operator, monitoring), each operation with the token it takes,
//! and nothing the table does not route.

use partnerdesk::access::Access;
use partnerdesk::routes::{ROUTES, Route};

use crate::helpers::spawn_app;

/// The security scheme a route's operation must name; None for a route that
/// is not one of the JSON APIs.
fn scheme_of(route: &Route) -> Option<&'static str> {
    match route.access {
        Access::ApiPartner(..) => Some("partner_token"),
        Access::ApiOperator => Some("operator_token"),
        Access::ApiCustomer => Some("monitoring_token"),
        _ => None,
    }
}

/// The statuses every operation of a scheme can answer whatever it does.
fn always_answered(scheme: &str) -> &'static [&'static str] {
    match scheme {
        // The token's budget, and its scope or its creator's role.
        "partner_token" => &["401", "403", "429", "503"],
        _ => &["401", "503"],
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route_with_its_token() {
    let app = spawn_app().await;
    let served = app.get("/api/v1/openapi.json").await;
    assert_eq!(served.status(), 200);
    let document: serde_json::Value = served.json().await.expect("a JSON document");
    let version = document["openapi"].as_str().expect("a version");
    assert!(version.starts_with("3.1."), "{version}");
    for scheme in ["partner_token", "operator_token", "monitoring_token"] {
        let described = &document["components"]["securitySchemes"][scheme];
        assert_eq!(described["scheme"], "bearer", "{scheme}");
        let intro = document["info"]["description"].as_str().unwrap_or_default();
        assert!(
            intro.contains(scheme),
            "the introduction says what {scheme} is for"
        );
    }
    let api_routes: Vec<(&Route, &str)> = ROUTES
        .iter()
        .filter_map(|route| scheme_of(route).map(|scheme| (route, scheme)))
        .collect();
    for (route, scheme) in &api_routes {
        let operation = &document["paths"][route.path][route.method.to_lowercase()];
        let named = format!("{} {}", route.method, route.path);
        assert!(operation.is_object(), "{named} is described");
        let security = operation["security"].as_array().expect("security");
        assert_eq!(security.len(), 1, "{named} takes one kind of token");
        let schemes: Vec<&String> = security[0]
            .as_object()
            .expect("a requirement")
            .keys()
            .collect();
        assert_eq!(schemes, vec![scheme], "{named}");
        let responses = operation["responses"].as_object().expect("responses");
        for status in always_answered(scheme) {
            assert!(responses.contains_key(*status), "{named}: {status}");
        }
        if *scheme != "partner_token" {
            assert!(
                !responses.contains_key("429"),
                "{named}: only partner tokens are rate limited"
            );
            assert!(
                !responses.contains_key("403"),
                "{named}: its token may do all its API does"
            );
        }
        if route.method != "GET" && *scheme != "partner_token" {
            for status in ["400", "413", "422"] {
                assert!(responses.contains_key(status), "{named}: {status}");
            }
        }
    }
    for route in ROUTES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
        assert!(
            scheme_of(route).is_some() || matches!(route.access, Access::Public),
            "{} {} is one of the JSON APIs or public",
            route.method,
            route.path
        );
    }
    let described: usize = document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| item.as_object().map_or(0, |ops| ops.len()))
        .sum();
    assert_eq!(
        described,
        api_routes.len(),
        "nothing described that is not routed"
    );
    for api in ["partner_token", "operator_token", "monitoring_token"] {
        assert!(
            api_routes.iter().any(|(_, s)| *s == api),
            "{api} has routes"
        );
    }
}

/// Every schema an operation names is in the document: a body type left out
/// of `components` would make the reference and the fuzzer guess.
#[tokio::test]
async fn every_schema_the_document_names_is_in_it() {
    let app = spawn_app().await;
    let document: serde_json::Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("schemas");
    let text = document.to_string();
    let mut named = 0;
    for piece in text.split("\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap_or_default();
        assert!(schemas.contains_key(name), "{name} is described");
        named += 1;
    }
    assert!(named > 50, "{named}");
    for name in [
        "ServicesOverview",
        "LicenceUsageList",
        "MonitorList",
        "ResultsRequest",
    ] {
        assert!(schemas.contains_key(name), "{name}");
    }
}

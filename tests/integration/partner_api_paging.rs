//! Cursor paging of the customers API over 1,000 customers, in every sort (the
//! OpenAPI document is checked against the routes in `api_document`).

use std::collections::HashSet;

use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::{TestApp, spawn_app};
use crate::partner_api_helpers::CUSTOMERS;

/// Every customer of the list at `query`, page by page: (ids in order, pages).
async fn walk(app: &TestApp, token: &str, query: &str, limit: u32) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path = format!("{CUSTOMERS}?{query}&limit={limit}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = app.api_get(token, &path).await;
        assert_eq!(page.status(), 200, "{path}");
        let page: serde_json::Value = page.json().await.expect("JSON");
        pages += 1;
        let customers = page["customers"].as_array().expect("customers");
        assert!(customers.len() <= limit as usize);
        ids.extend(
            customers
                .iter()
                .map(|c| c["id"].as_str().expect("id").to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 1_000, "paging ends");
    }
    (ids, pages)
}

#[tokio::test]
async fn cursor_paging_returns_every_customer_exactly_once_in_every_sort() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let seeded = app.seeded_customers(&partner, app.clock_now(), 990, &["Retail"], 20);
    // Ten customers alike in every sort key but their id.
    let mut all: HashSet<String> = seeded.into_iter().collect();
    for n in 0..10 {
        let mut twin = CustomerSpec::named("Twin");
        twin.domain = format!("twin-{n}.example");
        all.insert(app.customer(&partner, &twin));
    }
    assert_eq!(all.len(), 1_000);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.customer(&theirs, &CustomerSpec::named("Twin"));
    let (_, token) = app.partner_api_token(&owner, &[TokenScope::ReadCustomers], None);

    for query in [
        "sort=name",
        "sort=name&dir=desc",
        "sort=state",
        "sort=health",
        "sort=health&dir=asc",
        "sort=created",
        "sort=created&dir=asc",
    ] {
        let (ids, pages) = walk(&app, &token, query, 200).await;
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{query}: no customer twice");
        assert_eq!(unique.len(), 1_000, "{query}: every customer");
        assert!(
            ids.iter().all(|id| all.contains(id)),
            "{query}: only the organisation's"
        );
        assert_eq!(pages, 5, "{query}");
    }
    let (twins, _) = walk(&app, &token, "q=twin&sort=state", 3).await;
    assert_eq!(twins.len(), 10, "a search, paged by three");
}

#[tokio::test]
async fn a_cursor_or_limit_out_of_place_is_refused() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    for n in 0..3 {
        app.customer(&partner, &CustomerSpec::named(&format!("Customer {n}")));
    }
    let (_, token) = app.partner_api_token(&owner, &[TokenScope::ReadCustomers], None);
    let page: serde_json::Value = app
        .api_get(&token, &format!("{CUSTOMERS}?limit=2"))
        .await
        .json()
        .await
        .expect("JSON");
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let other_sort = app
        .api_get(&token, &format!("{CUSTOMERS}?sort=created&cursor={cursor}"))
        .await;
    assert_eq!(other_sort.status(), 422);
    for limit in ["0", "201", "many"] {
        let refused = app
            .api_get(&token, &format!("{CUSTOMERS}?limit={limit}"))
            .await;
        assert_eq!(refused.status(), 422, "limit={limit}");
    }
    // A filter or sort value the list does not know is named, not ignored
    // (which would hand back every customer).
    for (query, fields) in [
        ("state=activ", vec!["state"]),
        ("billing=yearly&health=fine", vec!["billing", "health"]),
        (
            "trial_ends=2026-01-01&monitors=up",
            vec!["trial_ends", "monitors"],
        ),
        ("sort=size&dir=up", vec!["sort", "dir"]),
        (
            "licence=gold&mine=yes&seats=under&trial=soon",
            vec!["licence", "mine", "trial", "seats"],
        ),
    ] {
        let refused = app.api_get(&token, &format!("{CUSTOMERS}?{query}")).await;
        assert_eq!(refused.status(), 422, "{query}");
        let body: serde_json::Value = refused.json().await.expect("JSON");
        let named: Vec<&str> = body["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["field"].as_str().expect("a field"))
            .collect();
        let mut named = named;
        named.sort_unstable();
        let mut fields = fields;
        fields.sort_unstable();
        assert_eq!(named, fields, "{query}");
    }
    let known = "state=active&billing=trial&health=healthy&sort=created&dir=asc&mine=1";
    let accepted = app.api_get(&token, &format!("{CUSTOMERS}?{known}")).await;
    assert_eq!(accepted.status(), 200);
}

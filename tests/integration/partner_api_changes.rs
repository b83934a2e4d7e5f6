//! Changing customers through the partner API: renaming, converting a trial,
//! changing the term and dissociating, each by the page's own function (the
//! same rules, the same activity log entries, named with the token), once per
//! `Idempotency-Key`, and never on another organisation's customer.

use diesel::prelude::*;
use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::db::schema::customer_accounts;
use reqwest::Method;
use serde_json::json;

use crate::helpers::error_fields;
use crate::partner_api_helpers::{CUSTOMERS, Orgs, body_of, replayed};

fn customer_path(id: &str) -> String {
    format!("{CUSTOMERS}/{id}")
}

fn name_of(orgs: &Orgs, id: &str) -> String {
    customer_accounts::table
        .find(id)
        .select(customer_accounts::name)
        .first(&mut orgs.app.conn())
        .expect("customer")
}

#[tokio::test]
async fn a_customer_is_renamed_once_per_key_and_logged_through_the_token() {
    let orgs = Orgs::new().await;
    let path = customer_path(&orgs.ours);
    let body = json!({"name": "  Adatum Europe "});
    let first = orgs
        .send(Method::PATCH, &path, &body, Some("rename-1"))
        .await;
    assert_eq!(first.status(), 200);
    assert!(!replayed(&first));
    let first = body_of(first).await;
    assert_eq!(first["name"], "Adatum Europe", "trimmed as the form trims");
    assert_eq!(first["id"], orgs.ours.as_str());
    assert_eq!(name_of(&orgs, &orgs.ours), "Adatum Europe");

    let again = orgs
        .send(Method::PATCH, &path, &body, Some("rename-1"))
        .await;
    assert!(replayed(&again));
    assert_eq!(body_of(again).await, first);
    let logged = orgs.app.logged("customer_renamed");
    assert_eq!(logged.len(), 1, "renamed once: {logged:?}");
    assert_eq!(logged[0].0, "Adatum Europe");
    assert_eq!(logged[0].1, "Adatum → Adatum Europe");
    assert_eq!(logged[0].2.as_deref(), Some(orgs.owner.0.as_str()));

    // Nothing to change: the customer as it is.
    let unchanged = orgs.send(Method::PATCH, &path, &json!({}), None).await;
    assert_eq!(unchanged.status(), 200);
    assert_eq!(body_of(unchanged).await["name"], "Adatum Europe");
}

#[tokio::test]
async fn a_rename_is_refused_per_field_in_the_requests_language() {
    let orgs = Orgs::new().await;
    let path = customer_path(&orgs.ours);
    let token = &orgs.owner.1;
    let empty = orgs
        .app
        .api_send_in(
            "fr",
            Method::PATCH,
            token,
            &path,
            Some(&json!({"name": "  "})),
            None,
        )
        .await;
    assert_eq!(empty.status(), 422);
    let empty = body_of(empty).await;
    assert_eq!(
        error_fields(&empty),
        vec![("name".to_owned(), "required".to_owned())]
    );
    assert_eq!(empty["fields"][0]["message"], "Ce champ est obligatoire.");
    let long = "x".repeat(201);
    let answers = [
        (json!({"name": long}), "name", "too_long"),
        (json!({"name": 7}), "name", "must_be_a_string"),
        (json!({"nom": "Adatum"}), "nom", "unknown"),
    ];
    for (body, field, problem) in answers {
        let answer = orgs.send(Method::PATCH, &path, &body, None).await;
        assert_eq!(answer.status(), 422, "{body}");
        let answer = body_of(answer).await;
        assert_eq!(
            error_fields(&answer),
            vec![(field.to_owned(), problem.to_owned())]
        );
    }
    let not_json = orgs
        .app
        .api_send(Method::PATCH, token, &path, Some(&json!([1])), None)
        .await;
    assert_eq!(not_json.status(), 400);
    assert_eq!(name_of(&orgs, &orgs.ours), "Adatum");
    assert!(orgs.app.logged("customer_renamed").is_empty());
}

#[tokio::test]
async fn changes_refuse_other_organisations_customers_scopes_and_roles() {
    let orgs = Orgs::new().await;
    let cases = [
        (Method::PATCH, "", json!({"name": "Mine now"})),
        (Method::POST, "/billing/convert", json!({})),
        (Method::PUT, "/term", json!({"term": "annual"})),
        (Method::POST, "/dissociate", json!({"confirm": true})),
    ];
    for (method, tail, body) in &cases {
        let path_of = |id: &str| format!("{}{tail}", customer_path(id));
        orgs.foreign_is_missing(method.clone(), path_of, &orgs.theirs, body, "customer")
            .await;
        let without = orgs.token_without(TokenScope::WriteCustomers);
        let ours = format!("{}{tail}", customer_path(&orgs.ours));
        orgs.forbidden(&without, method.clone(), &ours, body, "missing_scope")
            .await;
    }
    // Helpdesk agents may not manage customers; sales agents may not dissociate.
    let helpdesk = orgs.token_of(PartnerRole::HelpdeskAgent);
    let sales = orgs.token_of(PartnerRole::SalesAgent);
    for (token, (method, tail, body)) in [
        (&helpdesk, &cases[0]),
        (&helpdesk, &cases[1]),
        (&helpdesk, &cases[2]),
        (&sales, &cases[3]),
    ] {
        let ours = format!("{}{tail}", customer_path(&orgs.ours));
        orgs.forbidden(token, method.clone(), &ours, body, "role_not_allowed")
            .await;
    }
    let theirs: (String, String, Option<String>) = customer_accounts::table
        .find(&orgs.theirs)
        .select((
            customer_accounts::name,
            customer_accounts::billing_type,
            customer_accounts::partner_id,
        ))
        .first(&mut orgs.app.conn())
        .expect("their customer");
    assert_eq!(
        theirs,
        (
            "Northwind".to_owned(),
            "trial".to_owned(),
            Some(orgs.their_partner.clone())
        ),
        "nothing changed on the other organisation's customer"
    );
    assert_eq!(name_of(&orgs, &orgs.ours), "Adatum");
}

#[tokio::test]
async fn a_trial_is_converted_once_and_a_second_conversion_conflicts() {
    let orgs = Orgs::new().await;
    let path = format!("{}/billing/convert", customer_path(&orgs.ours));
    let converted = orgs
        .send(Method::POST, &path, &json!({}), Some("c-1"))
        .await;
    assert_eq!(converted.status(), 200);
    let converted = body_of(converted).await;
    assert_eq!(converted["billing_type"], "monthly_usage");
    assert!(converted["trial_ends_on"].is_null());
    let again = orgs
        .send(Method::POST, &path, &json!({}), Some("c-1"))
        .await;
    assert!(replayed(&again));
    assert_eq!(body_of(again).await, converted);
    let logged = orgs.app.logged("trial_converted");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].2.as_deref(), Some(orgs.owner.0.as_str()));

    let refused = orgs.send(Method::POST, &path, &json!({}), None).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(body_of(refused).await, json!({"error": "not_a_trial"}));
    let unknown = orgs
        .send(Method::POST, &path, &json!({"confirm": true}), None)
        .await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(
        error_fields(&body_of(unknown).await),
        vec![("confirm".to_owned(), "unknown".to_owned())]
    );
    assert_eq!(orgs.app.logged("trial_converted").len(), 1);
}

#[tokio::test]
async fn the_term_changes_at_once_without_devices_and_at_the_period_end_with_them() {
    let orgs = Orgs::new().await;
    let path = format!("{}/term", customer_path(&orgs.ours));
    for (body, problem) in [
        (json!({}), "required"),
        (json!({"term": "weekly"}), "invalid"),
    ] {
        let answer = orgs.send(Method::PUT, &path, &body, None).await;
        assert_eq!(answer.status(), 422);
        assert_eq!(
            error_fields(&body_of(answer).await),
            vec![("term".to_owned(), problem.to_owned())]
        );
    }
    let annual = json!({"term": "annual"});
    let now = orgs.send(Method::PUT, &path, &annual, Some("t-1")).await;
    assert_eq!(now.status(), 200);
    let now = body_of(now).await;
    assert_eq!(now["change"], "now");
    assert_eq!(now["customer"]["term"], "annual");
    let again = orgs.send(Method::PUT, &path, &annual, Some("t-1")).await;
    assert!(replayed(&again));
    let same = orgs.send(Method::PUT, &path, &annual, None).await;
    assert_eq!(body_of(same).await["change"], "unchanged");

    orgs.app.enrolled_devices(&orgs.ours, 2);
    let later = orgs
        .send(Method::PUT, &path, &json!({"term": "monthly"}), None)
        .await;
    assert_eq!(later.status(), 200);
    let later = body_of(later).await;
    assert_eq!(later["change"], "at_period_end");
    assert!(later["effective_on"].is_string());
    assert_eq!(later["customer"]["term"], "annual", "until the period ends");
    let logged = orgs.app.logged("term_changed");
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert_eq!(logged[0].1, "monthly → annual");
    assert!(logged.iter().all(|e| e.2.as_deref() == Some(&orgs.owner.0)));
}

#[tokio::test]
async fn a_dissociation_needs_confirming_and_then_the_customer_is_gone() {
    let orgs = Orgs::new().await;
    let path = format!("{}/dissociate", customer_path(&orgs.ours));
    for body in [json!({}), json!({"confirm": false})] {
        let answer = orgs.send(Method::POST, &path, &body, None).await;
        assert_eq!(answer.status(), 422);
        assert_eq!(
            error_fields(&body_of(answer).await),
            vec![("confirm".to_owned(), "required".to_owned())]
        );
    }
    let group = orgs.app.group_with(&orgs.partner, "Retail", &[&orgs.ours]);
    let confirm = json!({"confirm": true});
    let done = orgs.send(Method::POST, &path, &confirm, Some("d-1")).await;
    assert_eq!(done.status(), 200);
    let done = body_of(done).await;
    assert_eq!(done, json!({"id": orgs.ours, "dissociated": true}));
    let again = orgs.send(Method::POST, &path, &confirm, Some("d-1")).await;
    assert!(replayed(&again), "the same key answers the same again");
    assert_eq!(body_of(again).await, done);

    let partner: Option<String> = customer_accounts::table
        .find(&orgs.ours)
        .select(customer_accounts::partner_id)
        .first(&mut orgs.app.conn())
        .expect("the account stays");
    assert_eq!(partner, None);
    let read = orgs
        .app
        .api_get(&orgs.owner.1, &customer_path(&orgs.ours))
        .await;
    assert_eq!(read.status(), 404);
    let groups = body_of(
        orgs.app
            .api_get(&orgs.owner.1, "/api/v1/partner/groups")
            .await,
    )
    .await;
    assert_eq!(groups["groups"][0]["id"], group.as_str());
    assert_eq!(groups["groups"][0]["customers"], 0, "the groups forget it");
    let logged = orgs.app.logged("customer_dissociated");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].2.as_deref(), Some(orgs.owner.0.as_str()));
}

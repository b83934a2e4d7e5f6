//! Customer groups through the partner API: listed with their counts, created,
//! renamed and deleted with the groups page's rules on names, customers put in
//! and taken out; each change logged once through the token, and another
//! organisation's groups and customers answering 404 like missing ones.

use diesel::prelude::*;
use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::db::schema::{customer_accounts, customer_group_members, customer_groups};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{error_fields, location};
use crate::partner_api_helpers::{CUSTOMERS, Orgs, body_of, replayed};

const GROUPS: &str = "/api/v1/partner/groups";

fn group_path(id: &str) -> String {
    format!("{GROUPS}/{id}")
}

fn groups_named(orgs: &Orgs, name: &str) -> i64 {
    customer_groups::table
        .filter(customer_groups::name.eq(name))
        .count()
        .get_result(&mut orgs.app.conn())
        .expect("count")
}

fn members_of(orgs: &Orgs, group: &str) -> Vec<String> {
    customer_group_members::table
        .filter(customer_group_members::group_id.eq(group))
        .select(customer_group_members::customer_id)
        .load(&mut orgs.app.conn())
        .expect("members")
}

#[tokio::test]
async fn the_list_holds_the_organisations_groups_with_their_counts() {
    let orgs = Orgs::new().await;
    let retail = orgs.app.group_with(&orgs.partner, "Retail", &[&orgs.ours]);
    orgs.app.group_with(&orgs.partner, "Banks", &[]);
    orgs.app
        .group_with(&orgs.their_partner, "Theirs", &[&orgs.theirs]);
    // Sales agents see customers, and so the groups.
    let sales = orgs.token_of(PartnerRole::SalesAgent);
    let list = orgs.app.api_get(&sales, GROUPS).await;
    assert_eq!(list.status(), 200);
    let list = body_of(list).await;
    let groups = list["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{list}");
    assert_eq!(groups[0]["name"], "Banks");
    assert_eq!(
        groups[1],
        json!({"id": retail, "name": "Retail", "customers": 1})
    );
    let without = orgs.token_without(TokenScope::ReadCustomers);
    let refused = orgs.app.api_get(&without, GROUPS).await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn a_group_is_created_once_per_key_with_the_pages_rules_on_names() {
    let orgs = Orgs::new().await;
    let body = json!({"name": " Retail "});
    let created = orgs.send(Method::POST, GROUPS, &body, Some("g-1")).await;
    assert_eq!(created.status(), 201);
    let at = location(&created);
    let created = body_of(created).await;
    assert_eq!(created["name"], "Retail");
    assert_eq!(created["customers"], 0);
    assert_eq!(at, group_path(created["id"].as_str().expect("id")));
    let again = orgs.send(Method::POST, GROUPS, &body, Some("g-1")).await;
    assert!(replayed(&again));
    assert_eq!(body_of(again).await, created);
    assert_eq!(groups_named(&orgs, "Retail"), 1);
    let logged = orgs.app.logged("group_created");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].0, "Retail");
    assert_eq!(logged[0].2.as_deref(), Some(orgs.owner.0.as_str()));

    let cases = [
        (json!({"name": "RETAIL"}), "taken"),
        (json!({"name": ""}), "required"),
        (json!({"name": "g".repeat(101)}), "too_long"),
        (json!({"name": true}), "must_be_a_string"),
    ];
    for (body, problem) in cases {
        let answer = orgs.send(Method::POST, GROUPS, &body, None).await;
        assert_eq!(answer.status(), 422, "{body}");
        let answer = body_of(answer).await;
        assert_eq!(
            error_fields(&answer),
            vec![("name".to_owned(), problem.to_owned())]
        );
        assert!(answer["fields"][0]["message"].is_string());
    }
    // Only owners manage groups.
    let admin = orgs.token_of(PartnerRole::AdminAgent);
    orgs.forbidden(
        &admin,
        Method::POST,
        GROUPS,
        &json!({"name": "Banks"}),
        "role_not_allowed",
    )
    .await;
    let without = orgs.token_without(TokenScope::WriteCustomers);
    orgs.forbidden(
        &without,
        Method::POST,
        GROUPS,
        &json!({"name": "Banks"}),
        "missing_scope",
    )
    .await;
    assert_eq!(groups_named(&orgs, "Banks"), 0);
}

#[tokio::test]
async fn a_group_is_renamed_and_deleted_and_another_organisations_is_missing() {
    let orgs = Orgs::new().await;
    let retail = orgs.app.group_with(&orgs.partner, "Retail", &[&orgs.ours]);
    orgs.app.group_with(&orgs.partner, "Banks", &[]);
    let theirs = orgs.app.group_with(&orgs.their_partner, "Theirs", &[]);
    let rename = json!({"name": "Shops"});
    orgs.foreign_is_missing(Method::PATCH, group_path, &theirs, &rename, "group")
        .await;
    orgs.foreign_is_missing(Method::DELETE, group_path, &theirs, &json!({}), "group")
        .await;
    assert_eq!(groups_named(&orgs, "Theirs"), 1);

    let taken = orgs
        .send(
            Method::PATCH,
            &group_path(&retail),
            &json!({"name": "banks"}),
            None,
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert_eq!(
        error_fields(&body_of(taken).await),
        vec![("name".to_owned(), "taken".to_owned())]
    );
    let renamed = orgs
        .send(Method::PATCH, &group_path(&retail), &rename, Some("r-1"))
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(
        body_of(renamed).await,
        json!({"id": retail, "name": "Shops", "customers": 1})
    );
    let logged = orgs.app.logged("group_renamed");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].1, "Retail → Shops");
    assert_eq!(logged[0].2.as_deref(), Some(orgs.owner.0.as_str()));

    let path = group_path(&retail);
    let deleted = orgs
        .send(Method::DELETE, &path, &json!({}), Some("x-1"))
        .await;
    assert_eq!(deleted.status(), 200);
    let deleted = body_of(deleted).await;
    assert_eq!(
        deleted,
        json!({"id": retail, "deleted": true, "customers": 1})
    );
    let again = orgs
        .send(Method::DELETE, &path, &json!({}), Some("x-1"))
        .await;
    assert!(replayed(&again));
    assert_eq!(body_of(again).await, deleted);
    let gone = orgs.send(Method::DELETE, &path, &json!({}), None).await;
    assert_eq!(gone.status(), 404);
    assert_eq!(groups_named(&orgs, "Shops"), 0);
    assert!(members_of(&orgs, &retail).is_empty());
    let customers: i64 = customer_accounts::table
        .filter(customer_accounts::id.eq(&orgs.ours))
        .count()
        .get_result(&mut orgs.app.conn())
        .expect("count");
    assert_eq!(customers, 1, "its customers stay");
    assert_eq!(orgs.app.logged("group_deleted").len(), 1);
}

#[tokio::test]
async fn a_customer_is_put_in_and_taken_out_of_a_group_once() {
    let orgs = Orgs::new().await;
    let retail = orgs.app.group_with(&orgs.partner, "Retail", &[]);
    let theirs = orgs.app.group_with(&orgs.their_partner, "Theirs", &[]);
    let path = |customer: &str, group: &str| format!("{CUSTOMERS}/{customer}/groups/{group}");
    let ours = path(&orgs.ours, &retail);
    for _ in 0..2 {
        let put = orgs.send(Method::PUT, &ours, &json!({}), None).await;
        assert_eq!(put.status(), 200);
        assert_eq!(
            body_of(put).await,
            json!({"customer_id": orgs.ours, "group_id": retail, "member": true})
        );
    }
    assert_eq!(members_of(&orgs, &retail), vec![orgs.ours.clone()]);
    let read = body_of(
        orgs.app
            .api_get(&orgs.owner.1, &format!("{CUSTOMERS}/{}", orgs.ours))
            .await,
    )
    .await;
    assert_eq!(
        read["group_ids"],
        json!([retail]),
        "the customer names its groups"
    );
    let list = body_of(orgs.app.api_get(&orgs.owner.1, CUSTOMERS).await).await;
    assert_eq!(list["customers"][0]["group_ids"], json!([retail]));
    let logged = orgs.app.logged("customer_added_to_group");
    assert_eq!(logged.len(), 1, "putting twice logs once");
    assert_eq!(logged[0].1, "Retail");
    assert_eq!(logged[0].2.as_deref(), Some(orgs.owner.0.as_str()));

    for method in [Method::PUT, Method::DELETE] {
        let their_group = |id: &str| path(&orgs.ours, id);
        orgs.foreign_is_missing(method.clone(), their_group, &theirs, &json!({}), "group")
            .await;
        let their_customer = |id: &str| path(id, &retail);
        orgs.foreign_is_missing(method, their_customer, &orgs.theirs, &json!({}), "customer")
            .await;
    }
    assert!(members_of(&orgs, &theirs).is_empty());
    let admin = orgs.token_of(PartnerRole::AdminAgent);
    orgs.forbidden(
        &admin,
        Method::DELETE,
        &ours,
        &json!({}),
        "role_not_allowed",
    )
    .await;

    let removed = orgs
        .send(Method::DELETE, &ours, &json!({}), Some("m-1"))
        .await;
    assert_eq!(removed.status(), 200);
    assert_eq!(body_of(removed).await["member"], false);
    let again = orgs
        .send(Method::DELETE, &ours, &json!({}), Some("m-1"))
        .await;
    assert!(replayed(&again));
    assert!(members_of(&orgs, &retail).is_empty());
    assert_eq!(orgs.app.logged("customer_removed_from_group").len(), 1);
    let unknown = orgs
        .send(Method::PUT, &ours, &json!({"group": "x"}), None)
        .await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(
        error_fields(&body_of(unknown).await),
        vec![("group".to_owned(), "unknown".to_owned())]
    );
}

#[tokio::test]
async fn group_changes_need_the_write_scope_and_an_owners_token() {
    let orgs = Orgs::new().await;
    let retail = orgs.app.group_with(&orgs.partner, "Retail", &[&orgs.ours]);
    let member = format!("{CUSTOMERS}/{}/groups/{retail}", orgs.ours);
    let cases = [
        (Method::PATCH, group_path(&retail), json!({"name": "Shops"})),
        (Method::DELETE, group_path(&retail), json!({})),
        (Method::PUT, member.clone(), json!({})),
        (Method::DELETE, member, json!({})),
    ];
    let without = orgs.token_without(TokenScope::WriteCustomers);
    let admin = orgs.token_of(PartnerRole::AdminAgent);
    for (method, path, body) in &cases {
        orgs.forbidden(&without, method.clone(), path, body, "missing_scope")
            .await;
        orgs.forbidden(&admin, method.clone(), path, body, "role_not_allowed")
            .await;
    }
    assert_eq!(groups_named(&orgs, "Retail"), 1);
    assert_eq!(members_of(&orgs, &retail), vec![orgs.ours.clone()]);

    // A rename sent again with its key is answered again, not done again.
    let rename = json!({"name": "Shops"});
    let first = orgs
        .send(Method::PATCH, &group_path(&retail), &rename, Some("k"))
        .await;
    assert_eq!(first.status(), 200);
    let again = orgs
        .send(Method::PATCH, &group_path(&retail), &rename, Some("k"))
        .await;
    assert!(replayed(&again));
    assert_eq!(orgs.app.logged("group_renamed").len(), 1);
}

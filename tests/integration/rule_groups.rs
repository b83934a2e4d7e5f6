//! Rule-based customer groups (issue 21): a group defined by conditions over
//! the customers' fields, evaluated where the group is read, so that a
//! customer whose country changes is in or out of it, and of the reach of
//! the staff limited to it, on the next request.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::BillingType;
use partnerdesk::db::schema::{customer_accounts, customer_group_members, customer_groups};
use partnerdesk::i18n::Lang;

use crate::customers::page_of;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::partner_home::list_total;

fn set(app: &TestApp, customer: &str, country: &str, reference: &str) {
    diesel::update(customer_accounts::table.find(customer))
        .set((
            customer_accounts::country.eq(country),
            customer_accounts::reference_number.eq(reference),
        ))
        .execute(&mut app.conn())
        .expect("customer fields");
}

fn group_id(app: &TestApp, name: &str) -> String {
    customer_groups::table
        .filter(customer_groups::name.eq(name))
        .select(customer_groups::id)
        .first(&mut app.conn())
        .expect("a group")
}

/// The names of the customers `browser` sees in the list at `path`.
async fn listed(app: &TestApp, browser: &reqwest::Client, path: &str) -> Vec<String> {
    let (status, page) = page_of(browser, app, path).await;
    assert_eq!(status, 200, "{path}");
    let mut names: Vec<String> = ["Adatum", "Bellows", "Coho", "Datum"]
        .into_iter()
        .filter(|name| page.contains(&format!(">{name}<")))
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_rule_group_holds_whoever_meets_it_now_for_lists_counts_and_limited_staff() {
    let app = spawn_app().await;
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&partner, &CustomerSpec::named("Bellows"));
    let coho = app.customer(
        &partner,
        &CustomerSpec {
            billing: BillingType::Trial,
            ..CustomerSpec::named("Coho")
        },
    );
    let datum = app.customer(&partner, &CustomerSpec::named("Datum"));
    set(&app, &adatum, "FR", "AB-1");
    set(&app, &bellows, "DE", "AB-2");
    set(&app, &coho, "FR", "XY-3");
    set(&app, &datum, "BE", "ab-4");
    let keyed = app.group_with(&partner, "Key accounts", &[&adatum, &bellows, &datum]);
    // France, and the key accounts whose reference starts with "AB-".
    for form in [
        vec![("rule_name", "France"), ("country", "FR")],
        vec![
            ("rule_name", "AB keys"),
            ("reference_prefix", "AB-"),
            ("in_group", keyed.as_str()),
        ],
    ] {
        let created = app.post_as(&owner, "/partner/groups/rules", &form).await;
        assert_eq!(created.status(), 303, "{form:?}");
    }
    let (france, keys) = (group_id(&app, "France"), group_id(&app, "AB keys"));
    let in_france = format!("/partner/customers?group={france}");
    assert_eq!(listed(&app, &owner, &in_france).await, ["Adatum", "Coho"]);
    let in_keys = format!("/partner/customers?group={keys}");
    assert_eq!(
        listed(&app, &owner, &in_keys).await,
        ["Adatum", "Bellows"],
        "case as typed: Datum's \"ab-4\" is not \"AB-\""
    );
    let trials = format!("{in_france}&billing=trial");
    assert_eq!(
        list_total(&app, &owner, &trials).await,
        1,
        "with other filters"
    );
    let (_, groups) = page_of(&owner, &app, "/partner/groups").await;
    assert!(groups.contains("Rule-based · country France"), "{groups}");

    // An agent limited to France reaches France's customers.
    let agent = app.active_member(&partner, "agent@contoso.example", PartnerRole::SalesAgent);
    let path = format!("/partner/staff/{agent}/customers");
    let limited = app
        .post_as(&owner, &path, &[("reach", "groups"), ("groups", &france)])
        .await;
    assert_eq!(limited.status(), 303);
    let browser = app
        .browser_signed_in("agent@contoso.example", PASSWORD)
        .await;
    assert_eq!(
        listed(&app, &browser, "/partner/customers").await,
        ["Adatum", "Coho"]
    );
    let search = "/partner/customers?q=bell";
    assert_eq!(list_total(&app, &browser, search).await, 0);
    // Bellows moves to France, Coho leaves: the next request says so.
    set(&app, &bellows, "FR", "AB-2");
    set(&app, &coho, "ES", "XY-3");
    assert_eq!(
        listed(&app, &browser, "/partner/customers").await,
        ["Adatum", "Bellows"]
    );
    assert_eq!(list_total(&app, &browser, search).await, 1);
    let coho_page = format!("/partner/customers/{coho}");
    assert_eq!(page_of(&browser, &app, &coho_page).await.0, 404);
    assert_eq!(
        listed(&app, &owner, &in_france).await,
        ["Adatum", "Bellows"]
    );
}

#[tokio::test]
async fn customers_are_not_put_in_or_taken_out_of_a_rule_group_by_hand() {
    let app = spawn_app().await;
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let created = app
        .post_as(
            &owner,
            "/partner/groups/rules",
            &[("rule_name", "Germany"), ("country", "DE")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let germany = group_id(&app, "Germany");
    let added = app
        .post_as(
            &owner,
            &format!("/partner/customers/{adatum}/groups"),
            &[("group_id", &germany)],
        )
        .await;
    assert_eq!(added.status(), 303);
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{adatum}")).await;
    assert!(
        details.contains("not added to it or removed from it by hand"),
        "{details}"
    );
    let members: i64 = customer_group_members::table
        .filter(customer_group_members::group_id.eq(&germany))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(members, 0);
    // The details page shows the rule group once the customer meets it, and
    // never offers it in the choice of groups to add to.
    let shown = format!(r#"id="rule-group-{germany}""#);
    let offered = format!(r#"<option value="{germany}">"#);
    assert!(!details.contains(&shown) && !details.contains(&offered));
    set(&app, &adatum, "DE", "");
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{adatum}")).await;
    assert!(
        details.contains(&shown) && !details.contains(&offered),
        "{details}"
    );
    let owner_id = app.active_member_id(&partner, "owner@contoso.example");
    let (_, token) = app.partner_api_token(&owner_id, &partnerdesk::access::TokenScope::ALL, None);
    let path = format!("/api/v1/partner/customers/{adatum}/groups/{germany}");
    let answer = app
        .api_send(reqwest::Method::PUT, &token, &path, None, None)
        .await;
    assert_eq!(answer.status(), 422);
}

#[tokio::test]
async fn an_owner_changes_a_rules_conditions_and_they_apply_at_once() {
    let app = spawn_app().await;
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&partner, &CustomerSpec::named("Bellows"));
    set(&app, &adatum, "FR", "AB-1");
    set(&app, &bellows, "DE", "AB-2");
    let france = app.rule_group(&partner, "Market", "FR");
    let path = format!("/partner/groups/{france}/rule");
    let (status, page) = page_of(&owner, &app, &path).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"<option value="FR" selected>"#),
        "the stored condition"
    );
    let in_group = format!("/partner/customers?group={france}");
    assert_eq!(listed(&app, &owner, &in_group).await, ["Adatum"]);

    // A day it cannot read is named in the person's language, and the
    // conditions stay as stored.
    app.post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let refused = app
        .post_as(
            &owner,
            &path,
            &[("country", "DE"), ("created_from", "soon")],
        )
        .await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.expect("body");
    assert!(
        page.contains("Saisissez une date au format AAAA-MM-JJ."),
        "{page}"
    );
    assert!(page.contains(r#"value="soon""#), "what was typed stays");
    assert_eq!(listed(&app, &owner, &in_group).await, ["Adatum"]);

    // Changed: the group is Germany's from the next request, and it is logged.
    let changed = app.post_as(&owner, &path, &[("country", "DE")]).await;
    assert_eq!(changed.status(), 303);
    assert_eq!(listed(&app, &owner, &in_group).await, ["Bellows"]);
    let (_, log) = page_of(&owner, &app, "/partner/activity").await;
    assert!(log.contains("groupe par règle"), "{log}");
    // A hand-kept group has no conditions to change.
    let kept = app.group_with(&partner, "Kept", &[&adatum]);
    let kept_path = format!("/partner/groups/{kept}/rule");
    assert_eq!(page_of(&owner, &app, &kept_path).await.0, 404);
    let answer = app.post_as(&owner, &kept_path, &[("country", "DE")]).await;
    assert_eq!(answer.status(), 404);
}

#[tokio::test]
async fn a_rule_form_names_each_problem_in_both_languages_and_keeps_what_was_typed() {
    for (language, nothing, day) in [
        (
            Lang::En,
            "Choose at least one condition.",
            "Enter a date as YYYY-MM-DD.",
        ),
        (
            Lang::Fr,
            "Choisissez au moins une condition.",
            "Saisissez une date au format AAAA-MM-JJ.",
        ),
    ] {
        let app = spawn_app().await;
        let (_, owner) = app.contoso_owner_signed_in(language).await;
        let refused = app
            .post_as(
                &owner,
                "/partner/groups/rules",
                &[("rule_name", "Nothing asked")],
            )
            .await;
        assert_eq!(refused.status(), 200);
        let page = refused.text().await.expect("body");
        assert!(page.contains(nothing), "{page}");
        assert!(
            page.contains(r#"value="Nothing asked""#),
            "the name is kept"
        );
        let refused = app
            .post_as(
                &owner,
                "/partner/groups/rules",
                &[
                    ("rule_name", "Recent"),
                    ("created_from", "2026-13-40"),
                    ("country", "ZZ"),
                ],
            )
            .await;
        let page = refused.text().await.expect("body");
        assert!(page.contains(day), "{page}");
        assert!(page.contains(r#"id="created_from-error""#));
        assert!(page.contains(r#"id="country-error""#));
        let groups: i64 = customer_groups::table
            .count()
            .get_result(&mut app.conn())
            .expect("count");
        assert_eq!(groups, 0, "nothing saved");
    }
}

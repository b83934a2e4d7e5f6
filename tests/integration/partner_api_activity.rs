//! The activity log and the staff list through the partner API: the page's
//! entries and filters, newest first, paged by cursor without gaps or repeats
//! while entries are added; entries made through a token naming it; the staff
//! page's people; and nothing of another organisation.

use diesel::prelude::*;
use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::audit::{self, Action, Actor, Entry};
use partnerdesk::db::schema::{logins, second_factors};
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::{TestApp, error_fields, spawn_app};

const ACTIVITY: &str = "/api/v1/partner/activity";
const STAFF: &str = "/api/v1/partner/staff";

/// An entry in `partner`'s log by `name`, about `customer` if given.
fn logged(app: &TestApp, partner: &str, customer: Option<&str>, name: &str, action: Action) {
    let actor = Actor {
        login_id: None,
        name,
        membership_id: None,
        on_behalf_of: None,
        api_token_id: None,
    };
    let entry = Entry {
        partner_id: Some(partner),
        customer_id: customer,
        actor,
        action,
        target: "fixture",
        details: "",
    };
    audit::record(&mut app.conn(), app.clock_now(), entry).expect("an entry");
}

async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

/// An organisation with its owner, and its owner's token of every scope:
/// (partner id, owner's membership id, token).
fn contoso(app: &TestApp) -> (String, String, String) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let (_, token) = app.partner_api_token(&owner, &TokenScope::ALL, None);
    (partner, owner, token)
}

#[tokio::test]
async fn the_log_pages_newest_first_without_gaps_or_repeats_while_entries_are_added() {
    let app = spawn_app().await;
    let (partner, _, token) = contoso(&app);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let offer = app.offer("Azure plan", "usage_subscription", "0", None);
    for n in 0..5 {
        logged(
            &app,
            &partner,
            None,
            &format!("Person {n}"),
            Action::RoleChanged,
        );
        if n % 2 == 0 {
            app.clock.advance(chrono::Duration::seconds(1));
        }
    }
    let first = json_of(app.api_get(&token, ACTIVITY).await).await;
    let all: Vec<String> = first["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_owned())
        .collect();
    let mut seen = Vec::new();
    let mut path = format!("{ACTIVITY}?limit=2");
    loop {
        let page = json_of(app.api_get(&token, &path).await).await;
        let entries = page["entries"].as_array().expect("entries");
        seen.extend(
            entries
                .iter()
                .map(|e| e["id"].as_str().expect("id").to_owned()),
        );
        let Some(next) = page["next_cursor"].as_str() else {
            break;
        };
        path = format!("{ACTIVITY}?limit=2&cursor={next}");
        // An order placed through the token meanwhile: a newer entry.
        let order = json!({"offer_id": offer, "quantity": 1});
        let placed = app
            .api_post(
                &token,
                &format!("/api/v1/partner/customers/{customer}/orders"),
                &order,
                None,
            )
            .await;
        assert_eq!(placed.status(), 201);
    }
    assert_eq!(seen, all, "every entry once, in the first listing's order");
    let now = json_of(app.api_get(&token, ACTIVITY).await).await;
    let newest = &now["entries"][0];
    assert_eq!(newest["action"], "order_placed");
    assert_eq!(newest["api_token"], "fixture", "named through its token");
    assert_eq!(newest["customer_id"], customer.as_str());
    assert_eq!(newest["customer_name"], "Adatum");
    let bad = app.api_get(&token, &format!("{ACTIVITY}?cursor=xyz")).await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn the_pages_filters_select_and_faulty_ones_are_named() {
    let app = spawn_app().await;
    let (partner, _, token) = contoso(&app);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let tailspin = app.customer(&partner, &CustomerSpec::named("Tailspin"));
    logged(
        &app,
        &partner,
        Some(&adatum),
        "Ann",
        Action::CustomerRenamed,
    );
    logged(&app, &partner, Some(&tailspin), "Bob", Action::OrderPlaced);
    let other = app.invite_partner_owner("Fabrikam", "fiona@fabrikam.example", Lang::En);
    let theirs = app.customer(&other, &CustomerSpec::named("Adatum Two"));
    logged(&app, &other, Some(&theirs), "Ann", Action::CustomerRenamed);

    let ids = |page: &Value| -> Vec<String> {
        page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["person"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let by_customer = json_of(
        app.api_get(&token, &format!("{ACTIVITY}?customer=adatum"))
            .await,
    )
    .await;
    assert_eq!(
        ids(&by_customer),
        vec!["Ann"],
        "not the other organisation's"
    );
    let by_action = json_of(
        app.api_get(&token, &format!("{ACTIVITY}?action=order_placed"))
            .await,
    )
    .await;
    assert_eq!(ids(&by_action), vec!["Bob"]);
    assert_eq!(
        by_action["entries"][0]["action_label"]
            .as_str()
            .map(str::is_empty),
        Some(false)
    );
    let by_person = json_of(app.api_get(&token, &format!("{ACTIVITY}?person=Ann")).await).await;
    assert_eq!(ids(&by_person), vec!["Ann"]);
    let today = app.clock_now().date();
    let tomorrow = (today + chrono::Duration::days(1)).format("%Y-%m-%d");
    let later = json_of(
        app.api_get(&token, &format!("{ACTIVITY}?from={tomorrow}"))
            .await,
    )
    .await;
    assert!(ids(&later).is_empty());

    let faulty = app
        .api_get(&token, &format!("{ACTIVITY}?from=yesterday&action=nothing"))
        .await;
    assert_eq!(faulty.status(), 422);
    let mut fields = error_fields(&faulty.json().await.expect("JSON"));
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("action".to_owned(), "invalid".to_owned()),
            ("from".to_owned(), "invalid".to_owned())
        ]
    );
}

#[tokio::test]
async fn the_log_and_staff_need_their_scope_and_an_owners_token() {
    let app = spawn_app().await;
    let (partner, owner, _) = contoso(&app);
    let (_, staff_only) = app.partner_api_token(&owner, &[TokenScope::ReadStaff], None);
    let refused = app.api_get(&staff_only, ACTIVITY).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        refused.json::<Value>().await.expect("JSON")["reason"],
        "missing_scope"
    );
    let admin = app.active_member(&partner, "adam@contoso.example", PartnerRole::AdminAgent);
    let (_, admins) = app.partner_api_token(&admin, &TokenScope::ALL, None);
    for path in [ACTIVITY, STAFF] {
        let refused = app.api_get(&admins, path).await;
        assert_eq!(refused.status(), 403, "{path}");
        assert_eq!(
            refused.json::<Value>().await.expect("JSON")["reason"],
            "role_not_allowed"
        );
    }
    assert_eq!(app.api_get(&staff_only, STAFF).await.status(), 200);
}

#[tokio::test]
async fn the_staff_list_shows_the_pages_people_with_invitations_and_second_factors() {
    let app = spawn_app().await;
    let (partner, owner, token) = contoso(&app);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let sam: String = logins::table
        .filter(logins::username_key.eq("sam@contoso.example"))
        .select(logins::id)
        .first(&mut app.conn())
        .expect("login");
    diesel::insert_into(second_factors::table)
        .values((
            second_factors::id.eq("factor-1"),
            second_factors::login_id.eq(&sam),
            second_factors::kind.eq("totp"),
            second_factors::label.eq("Phone"),
            second_factors::secret.eq(Some("JBSWY3DPEHPK3PXP")),
            second_factors::created_at.eq(app.clock_now()),
        ))
        .execute(&mut app.conn())
        .expect("a factor");
    let other = app.invite_partner_owner("Fabrikam", "fiona@fabrikam.example", Lang::En);
    app.active_member(&other, "frank@fabrikam.example", PartnerRole::Owner);

    let listed = json_of(app.api_get(&token, STAFF).await).await;
    let staff = listed["staff"].as_array().expect("staff");
    let of = |username: &str| {
        staff
            .iter()
            .find(|p| p["username"] == username)
            .unwrap_or_else(|| panic!("{username} listed: {staff:?}"))
            .clone()
    };
    assert_eq!(staff.len(), 3, "{staff:?}");
    let me = of("owner@contoso.example");
    assert_eq!(me["membership_id"], owner.as_str());
    assert_eq!(
        (me["role"].as_str(), me["state"].as_str()),
        (Some("owner"), Some("active"))
    );
    assert_eq!(me["second_factor_enrolled"], false);
    let sam = of("sam@contoso.example");
    assert_eq!(sam["role"], "sales_agent");
    assert_eq!(sam["second_factor_enrolled"], true);
    let olga = of("olga@contoso.example");
    assert_eq!(olga["state"], "invited");
    assert_eq!(olga["invitation"]["expired"], false);
    assert!(olga["invitation"]["expires_at"].is_string());
    assert!(
        staff
            .iter()
            .all(|p| p["username"] != "frank@fabrikam.example")
    );
    let expiring = json_of(
        app.api_get(&token, &format!("{STAFF}?pending=expiring"))
            .await,
    )
    .await;
    assert!(
        expiring["staff"]
            .as_array()
            .expect("staff")
            .iter()
            .all(|p| p["state"] == "invited")
    );
}

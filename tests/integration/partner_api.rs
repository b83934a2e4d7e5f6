//! The partner API's tokens: the owners' page creates one (shown once) and
//! revokes it after confirming; a token acts only while it is live, within its
//! scopes and its creator's role, and in its own organisation only.

use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::partner_api_helpers::{CUSTOMERS, new_customer};

/// An organisation with an active owner and one customer: (partner id, owner's
/// membership id, customer id).
fn organisation(app: &TestApp) -> (String, String, String) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    (partner, owner, customer)
}

#[tokio::test]
async fn an_owner_creates_a_token_sees_it_once_uses_it_and_revokes_it() {
    let app = spawn_app().await;
    let (_, _, customer) = organisation(&app);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let created = app
        .post_as(
            &owner,
            "/partner/api-tokens",
            &[
                ("name", "PSA"),
                ("scope", "customers:read"),
                ("scope", "activity:read"),
                ("expires_on", ""),
            ],
        )
        .await;
    assert_eq!(created.status(), 200);
    let page = created.text().await.expect("page");
    let token = page
        .split("<code id=\"token-value\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the token, shown")
        .to_owned();
    assert!(token.starts_with("pdp_") && token.len() == 68, "{token}");

    let listed = app
        .api_get(&token, &format!("{CUSTOMERS}/{customer}"))
        .await;
    assert_eq!(listed.status(), 200);
    let again = app.page_as(&owner, "/partner/api-tokens").await;
    assert!(!again.contains(&token), "the token is shown only once");
    assert!(again.contains("PSA") && again.contains("Read the activity log"));

    let token_id = again
        .split("data-token=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a token row")
        .to_owned();
    let path = format!("/partner/api-tokens/{token_id}/revoke");
    let review = app.post_as(&owner, &path, &[]).await;
    assert_eq!(review.status(), 200, "revoking asks to confirm first");
    assert_eq!(app.api_get(&token, CUSTOMERS).await.status(), 200);
    let revoked = app.post_as(&owner, &path, &[("confirmed", "yes")]).await;
    assert_eq!(revoked.status(), 303);

    let refused = app.api_get(&token, CUSTOMERS).await;
    assert_eq!(refused.status(), 401);
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(body["error"], "unauthorized");
    let log = app.page_as(&owner, "/partner/activity").await;
    assert!(log.contains("Created an API token") && log.contains("Revoked an API token"));
    assert!(
        log.contains("Read customers · Read the activity log"),
        "the scopes, by their names"
    );
}

#[tokio::test]
async fn the_token_form_keeps_what_was_typed_and_names_each_problem() {
    let app = spawn_app().await;
    organisation(&app);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let refused = app
        .post_as(
            &owner,
            "/partner/api-tokens",
            &[("name", "Billing sync"), ("expires_on", "2001-01-01")],
        )
        .await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.expect("page");
    assert!(page.contains("value=\"Billing sync\""));
    assert!(page.contains("Choose at least one scope."));
    assert!(page.contains("Choose today or a later day."));
    assert!(!page.contains("token-value"));
    let count: i64 = {
        use diesel::prelude::*;
        partnerdesk::db::schema::partner_api_tokens::table
            .count()
            .get_result(&mut app.conn())
            .expect("count")
    };
    assert_eq!(count, 0, "nothing was saved");
}

#[tokio::test]
async fn only_a_live_token_with_the_scope_and_an_able_creator_acts() {
    let app = spawn_app().await;
    let (partner, owner, _) = organisation(&app);
    let all = TokenScope::ALL;
    let past = app.clock_now() - chrono::Duration::seconds(1);
    let (_, expired) = app.partner_api_token(&owner, &all, Some(past));
    assert_eq!(app.api_get(&expired, CUSTOMERS).await.status(), 401);
    assert_eq!(app.api_get("pdp_unknown", CUSTOMERS).await.status(), 401);

    let (_, reader) = app.partner_api_token(&owner, &[TokenScope::ReadCustomers], None);
    assert_eq!(app.api_get(&reader, CUSTOMERS).await.status(), 200);
    let body = new_customer("Fabrikam", "admin@fabrikam.example");
    let refused = app.api_post(&reader, CUSTOMERS, &body, None).await;
    assert_eq!(refused.status(), 403);
    let refusal: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(refusal["reason"], "missing_scope");

    // A helpdesk agent's token may read customers but never create them, whatever its scopes.
    let helpdesk = app.active_member(
        &partner,
        "helpdesk@contoso.example",
        PartnerRole::HelpdeskAgent,
    );
    let (_, agents) = app.partner_api_token(&helpdesk, &all, None);
    assert_eq!(app.api_get(&agents, CUSTOMERS).await.status(), 200);
    let refused = app.api_post(&agents, CUSTOMERS, &body, None).await;
    assert_eq!(refused.status(), 403);
    let refusal: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(refusal["reason"], "role_not_allowed");

    // Its creator disabled: the token acts no more.
    {
        use diesel::prelude::*;
        use partnerdesk::db::schema::memberships;
        diesel::update(memberships::table.filter(memberships::id.eq(&helpdesk)))
            .set(memberships::state.eq("disabled"))
            .execute(&mut app.conn())
            .expect("disabled");
    }
    assert_eq!(app.api_get(&agents, CUSTOMERS).await.status(), 401);
}

#[tokio::test]
async fn a_session_counts_for_nothing_and_another_partners_customer_is_missing() {
    let app = spawn_app().await;
    let (_, owner, ours) = organisation(&app);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let foreign = app.customer(&theirs, &CustomerSpec::named("Northwind"));
    let browser = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let by_session = browser.get(app.url(CUSTOMERS)).send().await.expect("GET");
    assert_eq!(by_session.status(), 401);

    let (_, token) = app.partner_api_token(&owner, &TokenScope::ALL, None);
    let found = app.api_get(&token, &format!("{CUSTOMERS}/{ours}")).await;
    assert_eq!(found.status(), 200);
    let found: serde_json::Value = found.json().await.expect("JSON");
    assert_eq!(found["name"], "Adatum");
    let other = app.api_get(&token, &format!("{CUSTOMERS}/{foreign}")).await;
    let missing = app
        .api_get(&token, &format!("{CUSTOMERS}/no-such-customer"))
        .await;
    assert_eq!(other.status(), 404);
    assert_eq!(missing.status(), 404);
    let other: serde_json::Value = other.json().await.expect("JSON");
    let missing: serde_json::Value = missing.json().await.expect("JSON");
    assert_eq!(
        other, missing,
        "a foreign id answers exactly like a missing one"
    );
    let listed: serde_json::Value = app
        .api_get(&token, CUSTOMERS)
        .await
        .json()
        .await
        .expect("JSON");
    let names: Vec<&str> = listed["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Adatum"]);
}

#[tokio::test]
async fn a_use_is_noted_at_most_once_a_minute() {
    let app = spawn_app().await;
    let (_, owner, _) = organisation(&app);
    let (id, token) = app.partner_api_token(&owner, &TokenScope::ALL, None);
    let last_use = || {
        use diesel::prelude::*;
        use partnerdesk::db::schema::partner_api_tokens;
        partner_api_tokens::table
            .filter(partner_api_tokens::id.eq(&id))
            .select(partner_api_tokens::last_used_at)
            .first::<Option<chrono::NaiveDateTime>>(&mut app.conn())
            .expect("the token")
    };
    assert_eq!(last_use(), None);
    app.api_get(&token, CUSTOMERS).await;
    let first = last_use().expect("noted");
    app.api_get(&token, CUSTOMERS).await;
    assert_eq!(last_use(), Some(first), "not again within the minute");
    app.clock.advance(chrono::Duration::minutes(2));
    app.api_get(&token, CUSTOMERS).await;
    assert!(last_use().expect("noted") > first);
}

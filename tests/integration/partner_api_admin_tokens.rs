//! Admin agents and API tokens: refused until an owner allows it; then an admin
//! agent creates tokens that act with its own role, and sees and revokes only
//! its own, while the owners see and may revoke every one. Only owners change
//! the rule; turning it off leaves the admin agents' tokens acting until an
//! owner revokes them.

use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::i18n::Lang;

use crate::helpers::TestApp;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app;
use crate::monitoring_helpers::shown_token;
use crate::partner_api_helpers::{CUSTOMERS, body_of};

const PAGE: &str = "/partner/api-tokens";
const POLICY: &str = "/partner/api-tokens/policy";

/// The ids of the token rows a tokens page lists.
fn listed_ids(page: &str) -> Vec<String> {
    page.split("data-token=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn create_token(app: &TestApp, browser: &reqwest::Client, name: &str) -> reqwest::Response {
    let form = [
        ("name", name),
        ("scope", "customers:read"),
        ("scope", "customers:write"),
        ("expires_on", ""),
    ];
    app.post_as(browser, PAGE, &form).await
}

#[tokio::test]
async fn admin_agents_manage_their_own_tokens_only_while_the_owners_allow_it() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner_id = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    app.active_member(&partner, "ada@contoso.example", PartnerRole::AdminAgent);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let (owners_token_id, _) = app.partner_api_token(&owner_id, &TokenScope::ALL, None);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let admin = app.browser_signed_in("ada@contoso.example", PASSWORD).await;

    // Off until an owner turns it on; an admin agent cannot turn it on.
    let refused = admin.get(app.url(PAGE)).send().await.expect("GET");
    assert_eq!(refused.status(), 403);
    assert_eq!(create_token(&app, &admin, "Mine").await.status(), 403);
    let allow = [("admin_agents", "on")];
    assert_eq!(app.post_as(&admin, POLICY, &allow).await.status(), 403);
    let page = app.page_as(&owner, PAGE).await;
    assert!(page.contains(r#"id="admin-agents-policy""#));
    assert!(!page.contains("aria-describedby=\"admin_agents-hint\" checked"));

    assert_eq!(app.post_as(&owner, POLICY, &allow).await.status(), 303);
    assert_eq!(app.logged("api_tokens_allowed_for_admin_agents").len(), 1);
    let page = app.page_as(&owner, PAGE).await;
    assert!(
        page.contains("aria-describedby=\"admin_agents-hint\" checked"),
        "{page}"
    );

    let (admins_token, admins_id) = admin_creates_its_own(&app, &admin, &owners_token_id).await;

    // The token acts with the admin agent's role: customers yes, groups no.
    let read = app
        .api_get(&admins_token, &format!("{CUSTOMERS}/{customer}"))
        .await;
    assert_eq!(read.status(), 200);
    let group = serde_json::json!({"name": "Retail"});
    let groups = app
        .api_post(&admins_token, "/api/v1/partner/groups", &group, None)
        .await;
    assert_eq!(groups.status(), 403);
    assert_eq!(body_of(groups).await["reason"], "role_not_allowed");

    // The owners see it with its creator, and may revoke it.
    let page = app.page_as(&owner, PAGE).await;
    assert!(listed_ids(&page).contains(&admins_id));
    assert!(page.contains("Ada sync"));

    // Turned off: the admin agent is refused again; its token still acts
    // until an owner revokes it.
    assert_eq!(app.post_as(&owner, POLICY, &[]).await.status(), 303);
    assert_eq!(
        app.logged("api_tokens_disallowed_for_admin_agents").len(),
        1
    );
    let refused = admin.get(app.url(PAGE)).send().await.expect("GET");
    assert_eq!(refused.status(), 403);
    let yes = [("confirmed", "yes")];
    let own = format!("{PAGE}/{}/revoke", admins_id);
    assert_eq!(app.post_as(&admin, &own, &yes).await.status(), 403);
    assert_eq!(app.api_get(&admins_token, CUSTOMERS).await.status(), 200);
    assert_eq!(app.post_as(&owner, &own, &yes).await.status(), 303);
    assert_eq!(app.api_get(&admins_token, CUSTOMERS).await.status(), 401);
}

/// The admin agent's page, once allowed: the form, its own tokens only, no
/// rule to change; another's token answers as a missing one. Creates a token
/// named "Ada sync": (the token, its id).
async fn admin_creates_its_own(
    app: &TestApp,
    admin: &reqwest::Client,
    owners_token_id: &str,
) -> (String, String) {
    let created = create_token(app, admin, "Ada sync").await;
    assert_eq!(created.status(), 200);
    let admins_token = shown_token(&created.text().await.expect("page"));
    let page = app.page_as(admin, PAGE).await;
    assert!(page.contains(r#"id="own-tokens-only""#));
    assert!(!page.contains(r#"id="admin-agents-policy""#));
    let admins_ids = listed_ids(&page);
    assert_eq!(admins_ids.len(), 1, "only its own: {admins_ids:?}");
    assert!(!admins_ids.contains(&owners_token_id.to_owned()));
    // Another's token, revoked by an admin agent, answers as a missing one.
    let theirs = format!("{PAGE}/{owners_token_id}/revoke");
    let missing = format!("{PAGE}/{}/revoke", uuid::Uuid::new_v4());
    let yes = [("confirmed", "yes")];
    let foreign = app.post_as(admin, &theirs, &yes).await;
    let unknown = app.post_as(admin, &missing, &yes).await;
    assert_eq!(
        (foreign.status().as_u16(), unknown.status().as_u16()),
        (404, 404)
    );
    // The pages differ only by the path they echo (the language switch's).
    assert_eq!(
        foreign.text().await.expect("page").replace(&theirs, "PATH"),
        unknown
            .text()
            .await
            .expect("page")
            .replace(&missing, "PATH")
    );

    (admins_token, admins_ids[0].clone())
}

//! Fixtures of the partner API: tokens written straight into the database, and
//! requests carrying them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use partnerdesk::access::TokenScope;
use partnerdesk::auth::tokens::digest;
use partnerdesk::db::schema::{memberships, partner_api_tokens};

use crate::helpers::TestApp;

pub const CUSTOMERS: &str = "/api/v1/partner/customers";

impl TestApp {
    /// A live token of the organisation of `membership_id`, created by that
    /// member, with `scopes`, until `expires_at`: (its id, the token).
    pub fn partner_api_token(
        &self,
        membership_id: &str,
        scopes: &[TokenScope],
        expires_at: Option<NaiveDateTime>,
    ) -> (String, String) {
        let mut conn = self.conn();
        let (login_id, partner_id): (String, Option<String>) = memberships::table
            .filter(memberships::id.eq(membership_id))
            .select((memberships::login_id, memberships::partner_id))
            .first(&mut conn)
            .expect("a partner membership");
        let id = uuid::Uuid::new_v4().to_string();
        let token = format!("pdp_{}", hex::encode(rand::random::<[u8; 32]>()));
        let now = self.clock_now();
        diesel::insert_into(partner_api_tokens::table)
            .values((
                partner_api_tokens::id.eq(&id),
                partner_api_tokens::partner_id.eq(partner_id.expect("a partner's")),
                partner_api_tokens::token_hash.eq(digest(&token)),
                partner_api_tokens::name.eq("fixture"),
                partner_api_tokens::creator_login_id.eq(login_id),
                partner_api_tokens::creator_membership_id.eq(membership_id),
                partner_api_tokens::scopes.eq(TokenScope::list(scopes)),
                partner_api_tokens::created_at.eq(now - chrono::Duration::minutes(1)),
                partner_api_tokens::expires_at.eq(expires_at),
            ))
            .execute(&mut conn)
            .expect("a partner token");
        (id, token)
    }

    /// GET `path` of the API with `token`.
    pub async fn api_get(&self, token: &str, path: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
    }

    /// The page at `path` as `browser` reads it.
    pub async fn page_as(&self, browser: &reqwest::Client, path: &str) -> String {
        let answer = browser.get(self.url(path)).send().await.expect("GET");
        answer.text().await.expect("page")
    }

    /// `method` `path` of the API with `token`, a JSON `body` and an
    /// idempotency key if given, in `Accept-Language: en`.
    pub async fn api_send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        key: Option<&str>,
    ) -> reqwest::Response {
        self.api_send_in("en", method, token, path, body, key).await
    }

    /// As `api_send`, asking for answers in `language`.
    pub async fn api_send_in(
        &self,
        language: &str,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        key: Option<&str>,
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("Accept-Language", language);
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("request")
    }

    /// The activity log's entries of `action`, oldest first: (target, details,
    /// the token the change came through).
    pub fn logged(&self, action: &str) -> Vec<(String, String, Option<String>)> {
        use partnerdesk::db::schema::activity_log;
        activity_log::table
            .filter(activity_log::action.eq(action))
            .order((activity_log::occurred_at.asc(), activity_log::id.asc()))
            .select((
                activity_log::target,
                activity_log::details,
                activity_log::api_token_id,
            ))
            .load(&mut self.conn())
            .expect("log")
    }

    /// POST `body` to `path` of the API with `token`, and an idempotency key if given.
    pub async fn api_post(
        &self,
        token: &str,
        path: &str,
        body: &serde_json::Value,
        key: Option<&str>,
    ) -> reqwest::Response {
        self.api_json(reqwest::Method::POST, token, path, body, key)
            .await
    }

    /// `method` with the JSON `body` to `path` of the API with `token`, and an
    /// idempotency key if given.
    pub async fn api_json(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: &serde_json::Value,
        key: Option<&str>,
    ) -> reqwest::Response {
        self.api_send(method, token, path, Some(body), key).await
    }
}

/// The JSON body of an answer.
pub async fn body_of(answer: reqwest::Response) -> serde_json::Value {
    answer.json().await.expect("a JSON body")
}

/// Whether an answer was given again for its `Idempotency-Key`.
pub fn replayed(answer: &reqwest::Response) -> bool {
    answer
        .headers()
        .get("idempotent-replayed")
        .and_then(|v| v.to_str().ok())
        == Some("true")
}

/// A customer the API accepts, its administrator `admin`.
pub fn new_customer(name: &str, admin: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "primary_domain": format!("{}.example", name.to_lowercase().replace(' ', "-")),
        "country": "FR",
        "term": "monthly",
        "billing_type": "trial",
        "address_line1": "1 rue de la Paix",
        "city": "Paris",
        "admin_full_name": "Ada Admin",
        "admin_username": admin,
    })
}

/// Contoso with an owner and a customer on a trial (Adatum), and Fabrikam
/// with a customer of its own (Northwind), for the suites of the changes.
pub struct Orgs {
    pub app: TestApp,
    /// (token id, token) of Contoso's owner, with every scope.
    pub owner: (String, String),
    pub partner: String,
    /// Contoso's customer.
    pub ours: String,
    /// Fabrikam's customer.
    pub theirs: String,
    pub their_partner: String,
}

impl Orgs {
    pub async fn new() -> Orgs {
        use partnerdesk::access::PartnerRole;
        use partnerdesk::i18n::Lang;
        let app = crate::helpers::spawn_app().await;
        let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
        let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
        let ours = app.customer(&partner, &on_trial("Adatum"));
        let their_partner = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
        let theirs = app.customer(&their_partner, &on_trial("Northwind"));
        let owner = app.partner_api_token(&owner, &TokenScope::ALL, None);
        Orgs {
            app,
            owner,
            partner,
            ours,
            theirs,
            their_partner,
        }
    }

    /// A token of every scope made by a new member of `role`.
    pub fn token_of(&self, role: partnerdesk::access::PartnerRole) -> String {
        let username = format!("{}@contoso.example", role.as_str());
        let member = self.app.active_member(&self.partner, &username, role);
        self.app
            .partner_api_token(&member, &TokenScope::ALL, None)
            .1
    }

    /// An owner's token with every scope but `missing`.
    pub fn token_without(&self, missing: TokenScope) -> String {
        let scopes: Vec<TokenScope> = TokenScope::ALL
            .into_iter()
            .filter(|s| *s != missing)
            .collect();
        let owner = self
            .app
            .active_member_id(&self.partner, "owner@contoso.example");
        self.app.partner_api_token(&owner, &scopes, None).1
    }

    /// `method` `path` with the owner's token, `body` and `key`.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
        key: Option<&str>,
    ) -> reqwest::Response {
        let token = &self.owner.1;
        self.app
            .api_send(method, token, path, Some(body), key)
            .await
    }

    /// Asserts that `path_of(foreign)` (another organisation's id) answers
    /// exactly as `path_of(an unknown id)`: 404 naming `resource`.
    pub async fn foreign_is_missing(
        &self,
        method: reqwest::Method,
        path_of: impl Fn(&str) -> String,
        foreign: &str,
        body: &serde_json::Value,
        resource: &str,
    ) {
        let theirs = self
            .send(method.clone(), &path_of(foreign), body, None)
            .await;
        let unknown = self.send(method, &path_of("no-such-id"), body, None).await;
        assert_eq!(
            (theirs.status().as_u16(), unknown.status().as_u16()),
            (404, 404)
        );
        let theirs = theirs.bytes().await.expect("body");
        assert_eq!(theirs, unknown.bytes().await.expect("body"));
        let theirs: serde_json::Value = serde_json::from_slice(&theirs).expect("JSON");
        assert_eq!(
            theirs,
            serde_json::json!({"error": "not_found", "resource": resource})
        );
    }

    /// Asserts that `method` `path` answers 403 with `reason` to `token`.
    pub async fn forbidden(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
        reason: &str,
    ) {
        let answer = self
            .app
            .api_send(method, token, path, Some(body), None)
            .await;
        assert_eq!(answer.status(), 403);
        assert_eq!(body_of(answer).await["reason"], reason);
    }
}

/// A customer on a trial.
pub fn on_trial(name: &str) -> crate::helpers::customers::CustomerSpec {
    crate::helpers::customers::CustomerSpec {
        billing: partnerdesk::customers::BillingType::Trial,
        ..crate::helpers::customers::CustomerSpec::named(name)
    }
}

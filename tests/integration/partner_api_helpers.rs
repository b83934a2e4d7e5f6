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

    /// POST `body` to `path` of the API with `token`, and an idempotency key if given.
    pub async fn api_post(
        &self,
        token: &str,
        path: &str,
        body: &serde_json::Value,
        key: Option<&str>,
    ) -> reqwest::Response {
        self.api_send(reqwest::Method::POST, token, path, body, key)
            .await
    }

    /// `method` with `body` to `path` of the API with `token`, and an
    /// idempotency key if given.
    pub async fn api_send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: &serde_json::Value,
        key: Option<&str>,
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("request")
    }
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

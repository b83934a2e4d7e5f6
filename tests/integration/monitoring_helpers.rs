//! Fixtures for the monitoring suites, written straight into the database; what
//! a test examines goes through the server.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use partnerdesk::accounts::{self, MembershipOf};
use partnerdesk::auth::api_tokens as tokens;
use partnerdesk::db::schema::{
    alert_definition_monitors, alert_definitions, dashboard_monitors, dashboards, monitors,
    sub_account_dashboards, sub_account_monitors, sub_accounts,
};
use serde_json::Value;

use crate::helpers::people::known_login;

use crate::helpers::TestApp;

impl TestApp {
    /// A web-check monitor of the customer; returns its id.
    pub fn monitor(&self, customer_id: &str, name: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(monitors::table)
            .values((
                monitors::id.eq(&id),
                monitors::customer_id.eq(customer_id),
                monitors::name.eq(name),
                monitors::name_key.eq(name.to_lowercase()),
                monitors::kind.eq("web"),
                monitors::target.eq("https://fixture.example/"),
                monitors::created_at.eq(self.clock_now()),
                monitors::updated_at.eq(self.clock_now()),
            ))
            .execute(&mut self.conn())
            .expect("monitor fixture");
        id
    }

    /// A dashboard of the customer over `monitor_ids`, SLA target 99.9 %.
    pub fn dashboard(&self, customer_id: &str, name: &str, monitor_ids: &[&str]) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut conn = self.conn();
        diesel::insert_into(dashboards::table)
            .values((
                dashboards::id.eq(&id),
                dashboards::customer_id.eq(customer_id),
                dashboards::name.eq(name),
                dashboards::name_key.eq(name.to_lowercase()),
                dashboards::sla_target.eq(99_900_i64),
                dashboards::created_at.eq(self.clock_now()),
                dashboards::updated_at.eq(self.clock_now()),
            ))
            .execute(&mut conn)
            .expect("dashboard fixture");
        for monitor in monitor_ids {
            diesel::insert_into(dashboard_monitors::table)
                .values((
                    dashboard_monitors::dashboard_id.eq(&id),
                    dashboard_monitors::monitor_id.eq(*monitor),
                ))
                .execute(&mut conn)
                .expect("dashboard monitor fixture");
        }
        id
    }

    /// A live API token of the customer: (its id, the token).
    pub fn customer_api_token(&self, customer_id: &str) -> (String, String) {
        tokens::create_customer_token(
            &mut self.conn(),
            self.clock_now(),
            customer_id,
            None,
            "fixture",
        )
        .expect("customer token")
    }

    /// A live API token of one of the customer's sub-accounts.
    pub fn sub_account_api_token(
        &self,
        customer_id: &str,
        sub_account_id: &str,
    ) -> (String, String) {
        tokens::create_customer_token(
            &mut self.conn(),
            self.clock_now(),
            customer_id,
            Some(sub_account_id),
            "fixture",
        )
        .expect("sub-account token")
    }

    /// A sub-account of the customer: view only, or with every permission and
    /// `quota` monitors when `quota` is given. Returns its id.
    pub fn sub_account(&self, customer_id: &str, name: &str, quota: Option<i32>) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let all = quota.is_some();
        diesel::insert_into(sub_accounts::table)
            .values((
                sub_accounts::id.eq(&id),
                sub_accounts::customer_id.eq(customer_id),
                sub_accounts::name.eq(name),
                sub_accounts::name_key.eq(name.to_lowercase()),
                sub_accounts::can_build_dashboards.eq(all),
                sub_accounts::can_manage_monitors.eq(all),
                sub_accounts::monitor_quota.eq(quota.unwrap_or(0)),
                sub_accounts::can_edit_alerts.eq(all),
                sub_accounts::created_at.eq(self.clock_now()),
                sub_accounts::updated_at.eq(self.clock_now()),
            ))
            .execute(&mut self.conn())
            .expect("sub-account fixture");
        id
    }

    /// Grants dashboards and monitors to the sub-account.
    pub fn grant(&self, sub_account_id: &str, dashboard_ids: &[&str], monitor_ids: &[&str]) {
        let mut conn = self.conn();
        for dashboard in dashboard_ids {
            diesel::insert_into(sub_account_dashboards::table)
                .values((
                    sub_account_dashboards::sub_account_id.eq(sub_account_id),
                    sub_account_dashboards::dashboard_id.eq(*dashboard),
                ))
                .execute(&mut conn)
                .expect("dashboard grant");
        }
        for monitor in monitor_ids {
            diesel::insert_into(sub_account_monitors::table)
                .values((
                    sub_account_monitors::sub_account_id.eq(sub_account_id),
                    sub_account_monitors::monitor_id.eq(*monitor),
                ))
                .execute(&mut conn)
                .expect("monitor grant");
        }
    }

    /// A monitor made by the sub-account.
    pub fn sub_account_monitor(
        &self,
        customer_id: &str,
        sub_account_id: &str,
        name: &str,
    ) -> String {
        let id = self.monitor(customer_id, name);
        diesel::update(monitors::table.find(&id))
            .set(monitors::sub_account_id.eq(sub_account_id))
            .execute(&mut self.conn())
            .expect("monitor owner");
        id
    }

    /// A dashboard built by the sub-account.
    pub fn sub_account_dashboard(
        &self,
        customer_id: &str,
        sub_account_id: &str,
        name: &str,
        monitor_ids: &[&str],
    ) -> String {
        let id = self.dashboard(customer_id, name, monitor_ids);
        diesel::update(dashboards::table.find(&id))
            .set(dashboards::sub_account_id.eq(sub_account_id))
            .execute(&mut self.conn())
            .expect("dashboard owner");
        id
    }

    /// Someone invited to operate the sub-account who has not activated yet,
    /// with an activation link sent; returns the membership id.
    pub fn pending_operator(&self, sub_account_id: &str, username: &str) -> String {
        self.invitation(
            crate::helpers::customers::Target::SubAccount(sub_account_id),
            username,
            "operator",
        )
    }

    /// An alert definition of the sub-account over `monitor_id`, alerting
    /// after one failure and emailing nobody; returns its id.
    pub fn alert_definition(
        &self,
        customer_id: &str,
        sub_account_id: &str,
        name: &str,
        monitor_id: &str,
    ) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut conn = self.conn();
        diesel::insert_into(alert_definitions::table)
            .values((
                alert_definitions::id.eq(&id),
                alert_definitions::customer_id.eq(customer_id),
                alert_definitions::sub_account_id.eq(sub_account_id),
                alert_definitions::name.eq(name),
                alert_definitions::name_key.eq(name.to_lowercase()),
                alert_definitions::failures.eq(1),
                alert_definitions::created_at.eq(self.clock_now()),
                alert_definitions::updated_at.eq(self.clock_now()),
            ))
            .execute(&mut conn)
            .expect("alert definition fixture");
        diesel::insert_into(alert_definition_monitors::table)
            .values((
                alert_definition_monitors::alert_definition_id.eq(&id),
                alert_definition_monitors::monitor_id.eq(monitor_id),
                alert_definition_monitors::alerting.eq(false),
            ))
            .execute(&mut conn)
            .expect("alert definition monitor");
        id
    }

    /// An active login with the known password operating the sub-account (a
    /// login that exists already gets the membership); returns the membership id.
    pub fn operator(&self, sub_account_id: &str, username: &str) -> String {
        let mut conn = self.conn();
        let now = self.clock_now();
        let login_id = known_login(&mut conn, now, username);
        let of = MembershipOf::SubAccount(sub_account_id);
        accounts::insert_active_membership(&mut conn, now, &login_id, of, "operator")
            .expect("operator membership")
    }
}

/// POSTs JSON to the API with a bearer token: (status, body).
pub async fn api_post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// GETs a page in a browser session: (status, body).
pub async fn page(browser: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let response = browser.get(app.url(path)).send().await.expect("GET");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

pub fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339()
}

/// The token a token page shows once, after its creation.
pub fn shown_token(page: &str) -> String {
    page.split("<code id=\"token-value\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the token is shown")
        .to_owned()
}

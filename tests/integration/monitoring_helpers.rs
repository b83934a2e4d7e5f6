//! Fixtures for the monitoring suites, written straight into the database; what
//! a test examines goes through the server.

use diesel::prelude::*;
use partnerdesk::db::schema::{dashboard_monitors, dashboards, monitors};
use partnerdesk::support::tokens;

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
        tokens::create_customer_token(&mut self.conn(), self.clock_now(), customer_id, "fixture")
            .expect("customer token")
    }
}

//! Fixtures for the service request suites, written straight into the
//! database; what a test examines goes through the server.

use diesel::prelude::*;
use partnerdesk::db::schema::{logins, service_requests};

use crate::helpers::TestApp;

impl TestApp {
    /// A service request of the customer, opened by `username` on the customer's
    /// side; returns its id.
    pub fn service_request(&self, customer_id: &str, username: &str, title: &str) -> String {
        let mut conn = self.conn();
        let login_id: String = logins::table
            .filter(logins::username_key.eq(username.to_lowercase()))
            .select(logins::id)
            .first(&mut conn)
            .expect("the opener's login");
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(service_requests::table)
            .values((
                service_requests::id.eq(&id),
                service_requests::customer_id.eq(customer_id),
                service_requests::title.eq(title),
                service_requests::category.eq("technical"),
                service_requests::description.eq("Fixture request"),
                service_requests::status.eq("open"),
                service_requests::opened_by_login_id.eq(&login_id),
                service_requests::opened_by_name.eq("Fixture person"),
                service_requests::opened_by_side.eq("customer"),
                service_requests::created_at.eq(self.clock_now()),
                service_requests::updated_at.eq(self.clock_now()),
            ))
            .execute(&mut conn)
            .expect("request fixture");
        id
    }
}

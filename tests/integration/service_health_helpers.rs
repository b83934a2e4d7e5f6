//! Fixtures for the service health suites, and the operator's API token they and
//! the licence usage suites present, written straight into the database; what a
//! test examines goes through the server.

use partnerdesk::auth::api_tokens as tokens;
use partnerdesk::customers::Health;
use partnerdesk::service_health::{self, NewIncident, Recorder};

use crate::helpers::TestApp;

impl TestApp {
    /// A service on the customer with an open incident in `state`; returns the
    /// incident's id.
    pub fn incident(&self, customer_id: &str, service: &str, state: Health) -> String {
        let mut conn = self.conn();
        let now = self.clock_now();
        let by = Recorder("Fixture".to_owned());
        let customer_id = &partnerdesk::ids::CustomerId::new(customer_id);
        service_health::add_service(&mut conn, now, &by, customer_id, service).expect("service");
        service_health::open_incident(
            &mut conn,
            now,
            &by,
            customer_id,
            &NewIncident {
                service: service.to_owned(),
                title: format!("{service} trouble"),
                state,
                text: "Investigating.".to_owned(),
            },
        )
        .expect("incident")
    }

    /// A live token for the operator's JSON API (service health, licence usage).
    pub fn api_token(&self) -> String {
        tokens::create_operator_token(&mut self.conn(), self.clock_now(), "tests")
            .expect("token")
            .1
    }
}

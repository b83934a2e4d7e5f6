//! Demo data for service health and service requests (`serve --demo`): services
//! on the demo partner's first customers, one advisory and one incident with a
//! timeline, and two requests with messages.

use crate::ids::CustomerId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{HealthError, NewIncident, NewUpdate, Recorder};
use crate::customers::Health;
use crate::db::DbConnection;
use crate::db::schema::{
    customer_accounts, logins, service_request_messages, service_requests, services,
};

const SERVICES: [&str; 3] = ["Exchange Online", "Backup", "Microsoft Teams"];

/// Adds the demo's health and requests once, to the partner's first two customers.
pub fn seed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
    customer_login: &str,
    staff_login: &str,
) -> Result<(), HealthError> {
    let customers: Vec<(String, String)> = customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner_id))
        .order((
            customer_accounts::name_key.asc(),
            customer_accounts::id.asc(),
        ))
        .select((customer_accounts::id, customer_accounts::name))
        .limit(2)
        .load(conn)?;
    let [(first, _), (second, _)] = customers.as_slice() else {
        return Ok(());
    };
    let seeded: bool = diesel::select(diesel::dsl::exists(
        services::table.filter(services::customer_id.eq(first)),
    ))
    .get_result(conn)?;
    if seeded {
        return Ok(());
    }
    seed_health(conn, now, first, second)?;
    let logins = DemoLogins::read(conn, customer_login, staff_login)?;
    let earlier = now - Duration::hours(3);
    logins.open_request(
        conn,
        (earlier, now),
        first,
        DemoRequest {
            title: "Restore a deleted folder",
            category: "technical",
            description: "We deleted the Finance folder by mistake yesterday. Can it be restored?",
            side: "customer",
            status: "waiting",
        },
    )?;
    logins.open_request(
        conn,
        (earlier, now),
        second,
        DemoRequest {
            title: "Licence count for next month",
            category: "billing",
            description: "Opened on your behalf after our call: you need 5 more seats from the 1st.",
            side: "partner",
            status: "open",
        },
    )?;
    Ok(())
}

/// The services of both customers, an incident with a timeline on the first and
/// an advisory on the second.
fn seed_health(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    first: &str,
    second: &str,
) -> Result<(), HealthError> {
    let by = Recorder("Operator · demo".to_owned());
    let earlier = now - Duration::hours(3);
    for customer in [first, second] {
        let customer = &CustomerId::new(customer);
        for name in SERVICES {
            super::add_service(conn, earlier, &by, customer, name)?;
        }
    }
    let incident = super::open_incident(
        conn,
        earlier,
        &by,
        &CustomerId::new(first),
        &NewIncident {
            service: "Backup".to_owned(),
            title: "Nightly backups did not complete".to_owned(),
            state: Health::Incident,
            text: "Backups of the file server stopped at 02:10. We are investigating.".to_owned(),
        },
    )?;
    super::post_update(
        conn,
        now - Duration::hours(1),
        &by,
        &CustomerId::new(first),
        &incident,
        &NewUpdate {
            text: "The storage target is full; older snapshots are being pruned.".to_owned(),
            state: None,
            resolve: false,
        },
    )?;
    super::open_incident(
        conn,
        now - Duration::minutes(30),
        &by,
        &CustomerId::new(second),
        &NewIncident {
            service: "Exchange Online".to_owned(),
            title: "Delayed mail delivery".to_owned(),
            state: Health::Advisory,
            text: "Some messages arrive with up to 15 minutes of delay.".to_owned(),
        },
    )?;
    Ok(())
}

/// A demo request: opened by one side, answered by the other.
struct DemoRequest {
    title: &'static str,
    category: &'static str,
    description: &'static str,
    /// `customer` or `partner`: who opened it.
    side: &'static str,
    status: &'static str,
}

/// The two demo people who write the requests, with their names.
struct DemoLogins<'a> {
    customer: &'a str,
    staff: &'a str,
    names: Vec<(String, String)>,
}

impl<'a> DemoLogins<'a> {
    fn read(
        conn: &mut DbConnection,
        customer: &'a str,
        staff: &'a str,
    ) -> Result<Self, HealthError> {
        let names = logins::table
            .filter(logins::id.eq_any([customer, staff]))
            .select((logins::id, logins::full_name))
            .load(conn)?;
        Ok(DemoLogins {
            customer,
            staff,
            names,
        })
    }

    fn name_of(&self, id: &str) -> String {
        self.names
            .iter()
            .find(|(l, _)| l == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }

    /// Opens `request` on `customer` at `opened`, answered at `answered`.
    fn open_request(
        &self,
        conn: &mut DbConnection,
        (opened, answered): (NaiveDateTime, NaiveDateTime),
        customer: &str,
        request: DemoRequest,
    ) -> Result<(), HealthError> {
        let author = match request.side {
            "customer" => self.customer,
            _ => self.staff,
        };
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(service_requests::table)
            .values((
                service_requests::id.eq(&id),
                service_requests::customer_id.eq(customer),
                service_requests::title.eq(request.title),
                service_requests::category.eq(request.category),
                service_requests::description.eq(request.description),
                service_requests::status.eq(request.status),
                service_requests::opened_by_login_id.eq(author),
                service_requests::opened_by_name.eq(self.name_of(author)),
                service_requests::opened_by_side.eq(request.side),
                service_requests::created_at.eq(opened),
                service_requests::updated_at.eq(answered),
            ))
            .execute(conn)?;
        let reply = match request.side {
            "customer" => (
                self.staff,
                "partner",
                "Yes: which version do you need, from Monday or Tuesday?",
            ),
            _ => (self.customer, "customer", "Thank you, confirmed."),
        };
        diesel::insert_into(service_request_messages::table)
            .values((
                service_request_messages::id.eq(uuid::Uuid::new_v4().to_string()),
                service_request_messages::request_id.eq(&id),
                service_request_messages::author_login_id.eq(reply.0),
                service_request_messages::author_name.eq(self.name_of(reply.0)),
                service_request_messages::author_side.eq(reply.1),
                service_request_messages::body.eq(reply.2),
                service_request_messages::created_at.eq(answered),
            ))
            .execute(conn)?;
        Ok(())
    }
}

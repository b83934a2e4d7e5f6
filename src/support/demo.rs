//! Demo data for service health and service requests (`serve --demo`): services
//! on the demo partner's first customers, one advisory and one incident with a
//! timeline, and two requests with messages.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::health::{self, HealthError, NewIncident, NewUpdate, Recorder};
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
    let by = Recorder("Operator · demo".to_owned());
    let earlier = now - Duration::hours(3);
    for customer in [first, second] {
        for name in SERVICES {
            health::add_service(conn, earlier, &by, customer, name)?;
        }
    }
    let incident = health::open_incident(
        conn,
        earlier,
        &by,
        first,
        &NewIncident {
            service: "Backup".to_owned(),
            title: "Nightly backups did not complete".to_owned(),
            state: Health::Incident,
            text: "Backups of the file server stopped at 02:10. We are investigating.".to_owned(),
        },
    )?;
    health::post_update(
        conn,
        now - Duration::hours(1),
        &by,
        first,
        &incident,
        &NewUpdate {
            text: "The storage target is full; older snapshots are being pruned.".to_owned(),
            state: None,
            resolve: false,
        },
    )?;
    health::open_incident(
        conn,
        now - Duration::minutes(30),
        &by,
        second,
        &NewIncident {
            service: "Exchange Online".to_owned(),
            title: "Delayed mail delivery".to_owned(),
            state: Health::Advisory,
            text: "Some messages arrive with up to 15 minutes of delay.".to_owned(),
        },
    )?;
    let names: Vec<(String, String)> = logins::table
        .filter(logins::id.eq_any([customer_login, staff_login]))
        .select((logins::id, logins::full_name))
        .load(conn)?;
    let name_of = |id: &str| {
        names
            .iter()
            .find(|(l, _)| l == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let requests = [
        (
            first,
            "Restore a deleted folder",
            "technical",
            "We deleted the Finance folder by mistake yesterday. Can it be restored?",
            customer_login,
            "customer",
            "waiting",
        ),
        (
            second,
            "Licence count for next month",
            "billing",
            "Opened on your behalf after our call: you need 5 more seats from the 1st.",
            staff_login,
            "partner",
            "open",
        ),
    ];
    for (customer, title, category, description, author, side, status) in requests {
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(service_requests::table)
            .values((
                service_requests::id.eq(&id),
                service_requests::customer_id.eq(customer),
                service_requests::title.eq(title),
                service_requests::category.eq(category),
                service_requests::description.eq(description),
                service_requests::status.eq(status),
                service_requests::opened_by_login_id.eq(author),
                service_requests::opened_by_name.eq(name_of(author)),
                service_requests::opened_by_side.eq(side),
                service_requests::created_at.eq(earlier),
                service_requests::updated_at.eq(now),
            ))
            .execute(conn)?;
        let reply = match side {
            "customer" => (
                staff_login,
                "partner",
                "Yes: which version do you need, from Monday or Tuesday?",
            ),
            _ => (customer_login, "customer", "Thank you, confirmed."),
        };
        diesel::insert_into(service_request_messages::table)
            .values((
                service_request_messages::id.eq(uuid::Uuid::new_v4().to_string()),
                service_request_messages::request_id.eq(&id),
                service_request_messages::author_login_id.eq(reply.0),
                service_request_messages::author_name.eq(name_of(reply.0)),
                service_request_messages::author_side.eq(reply.1),
                service_request_messages::body.eq(reply.2),
                service_request_messages::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

//! Demo service health (`serve --demo`): services on the demo partner's first
//! two customers, an incident with a timeline on the first and an advisory on
//! the second.

use crate::ids::CustomerId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{HealthError, NewIncident, NewUpdate, Recorder};
use crate::customers::Health;
use crate::db::DbConnection;
use crate::db::schema::services;

const SERVICES: [&str; 3] = ["Exchange Online", "Backup", "Microsoft Teams"];

/// Adds the demo's health once, to the partner's first two customers.
pub fn seed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
) -> Result<(), HealthError> {
    let Some((first, second)) = crate::customers::seed::first_two_of(conn, partner_id)? else {
        return Ok(());
    };
    let (first, second) = (&first, &second);
    let seeded: bool = diesel::select(diesel::dsl::exists(
        services::table.filter(services::customer_id.eq(first)),
    ))
    .get_result(conn)?;
    if seeded {
        return Ok(());
    }
    seed_health(conn, now, first, second)
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

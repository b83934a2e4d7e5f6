//! Demo service requests (`serve --demo`): one opened by the customer on the
//! demo partner's first customer and answered by the helpdesk, one opened by
//! the helpdesk on the second customer's behalf and confirmed by the customer.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{logins, service_request_messages, service_requests};

/// Adds the demo's requests once, to the partner's first two customers, written
/// by `customer_login` (the first customer's administrator) and `staff_login`.
pub fn seed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
    customer_login: &str,
    staff_login: &str,
) -> QueryResult<()> {
    let Some((first, second)) = crate::customers::seed::first_two_of(conn, partner_id)? else {
        return Ok(());
    };
    let (first, second) = (&first, &second);
    let seeded: bool = diesel::select(diesel::dsl::exists(
        service_requests::table.filter(service_requests::customer_id.eq(first)),
    ))
    .get_result(conn)?;
    if seeded {
        return Ok(());
    }
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
    )
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
    fn read(conn: &mut DbConnection, customer: &'a str, staff: &'a str) -> QueryResult<Self> {
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
    ) -> QueryResult<()> {
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

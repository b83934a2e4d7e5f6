//! What the details page shows of one customer: its groups, licences, sites,
//! administrators and enrolled devices.

use crate::accounts::LoginState;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::auth::scope::PartnerScope;
use crate::customers::{Customer, CustomerError, CustomerId, LicenceStatus, find};
use crate::db::DbConnection;
use crate::db::schema::{
    customer_accounts, customer_group_members, customer_group_rules, customer_groups, devices,
    licences, logins, memberships, sites,
};
use crate::reach::rules::GroupRule;
use crate::tenancy::kinds::DeviceState;

pub struct Licence {
    pub product: String,
    pub quantity: i32,
    pub status: LicenceStatus,
    pub expires_on: Option<NaiveDate>,
    /// Seats in use as last reported by the operator; None until reported.
    pub seats_used: Option<i32>,
}

impl Licence {
    /// How many more seats are in use than the licence has, when it is over.
    pub fn over_by(&self) -> Option<i32> {
        self.seats_used
            .map(|used| used - self.quantity)
            .filter(|excess| *excess > 0)
    }
}

pub struct Site {
    pub name: String,
    pub time_zone: String,
    pub devices: i64,
}

pub struct Administrator {
    pub membership_id: String,
    pub full_name: String,
    pub username: String,
    pub email: String,
    pub activated: bool,
}

/// Everything the details page shows about one customer.
pub struct Details {
    pub customer: Customer,
    pub groups: Vec<(String, String)>,
    /// The rule-based groups whose conditions the customer meets now: shown
    /// with the others, never added to or removed from by hand.
    pub rule_groups: Vec<(String, String)>,
    /// The hand-kept groups the customer is not in, to add it to.
    pub other_groups: Vec<(String, String)>,
    pub licences: Vec<Licence>,
    pub sites: Vec<Site>,
    pub administrators: Vec<Administrator>,
    pub enrolled_devices: i64,
    pub purchase_permission: crate::tenancy::purchase_permission::PurchasePermission,
}

pub fn enrolled_devices(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<i64> {
    devices::table
        .filter(devices::customer_id.eq(customer_id))
        .filter(devices::state.eq(DeviceState::Enrolled))
        .count()
        .get_result(conn)
}

/// A customer's licences, by product; the caller has scoped `customer_id`.
pub fn licences_of(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<Vec<Licence>> {
    type LicenceRow = (String, i32, String, Option<NaiveDate>, Option<i32>);
    let rows: Vec<LicenceRow> = licences::table
        .filter(licences::customer_id.eq(customer_id))
        .order((licences::product.asc(), licences::id.asc()))
        .select((
            licences::product,
            licences::quantity,
            licences::status,
            licences::expires_on,
            licences::seats_used,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(product, quantity, status, expires_on, seats_used)| {
            Some(Licence {
                product,
                quantity,
                status: LicenceStatus::parse(&status)?,
                expires_on,
                seats_used,
            })
        })
        .collect())
}

/// The partner's rule-based groups with their rules, by name.
fn rule_groups_of(
    conn: &mut DbConnection,
    scope: &PartnerScope,
) -> QueryResult<Vec<(String, String, GroupRule)>> {
    customer_groups::table
        .inner_join(customer_group_rules::table)
        .filter(customer_groups::partner_id.eq(scope.partner_id()))
        .order((customer_groups::name_key.asc(), customer_groups::id.asc()))
        .select((
            customer_groups::id,
            customer_groups::name,
            GroupRule::as_select(),
        ))
        .load(conn)
}

pub fn load(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    customer_id: &CustomerId,
) -> Result<Details, CustomerError> {
    let customer = find(conn, scope, customer_id)?.into_inner();
    let customer_id = &customer.id;
    let groups: Vec<(String, String)> = customer_group_members::table
        .inner_join(customer_groups::table)
        .filter(customer_groups::partner_id.eq(scope.partner_id()))
        .filter(customer_group_members::customer_id.eq(customer_id))
        .order(customer_groups::name_key.asc())
        .select((customer_groups::id, customer_groups::name))
        .load(conn)?;
    let rules = rule_groups_of(conn, scope)?;
    let other_groups = crate::customers::list::groups_of_partner(conn, scope)?
        .into_iter()
        .filter(|(id, _)| !groups.iter().any(|(mine, _)| mine == id))
        .filter(|(id, _)| !rules.iter().any(|(rule_group, ..)| rule_group == id))
        .collect();
    let mut rule_groups = Vec::new();
    for (id, name, rule) in rules {
        let meets: i64 = customer_accounts::table
            .filter(customer_accounts::id.eq(customer_id))
            .filter(rule.predicate::<customer_accounts::table>())
            .count()
            .get_result(conn)?;
        if meets > 0 {
            rule_groups.push((id, name));
        }
    }
    let licences = licences_of(conn, customer_id)?;
    let site_rows: Vec<(String, String, String)> = sites::table
        .filter(sites::customer_id.eq(customer_id))
        .order((sites::created_at.asc(), sites::id.asc()))
        .select((sites::id, sites::name, sites::time_zone))
        .load(conn)?;
    let device_counts: Vec<(String, i64)> = devices::table
        .filter(devices::customer_id.eq(customer_id))
        .group_by(devices::site_id)
        .select((devices::site_id, diesel::dsl::count_star()))
        .load(conn)?;
    let sites = site_rows
        .into_iter()
        .map(|(id, name, time_zone)| Site {
            devices: device_counts
                .iter()
                .find(|(site, _)| *site == id)
                .map(|(_, n)| *n)
                .unwrap_or(0),
            name,
            time_zone,
        })
        .collect();
    let administrators = administrators_of(conn, customer_id)?;
    let enrolled_devices = enrolled_devices(conn, customer_id)?;
    let purchase_permission =
        crate::tenancy::purchase_permission::purchase_permission(conn, customer_id)?;
    Ok(Details {
        purchase_permission,
        customer,
        groups,
        rule_groups,
        other_groups,
        licences,
        sites,
        administrators,
        enrolled_devices,
    })
}

fn administrators_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<Vec<Administrator>> {
    let rows: Vec<(String, String, String, crate::invitations::ShownRow)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::role.eq(crate::customers::create::ADMINISTRATOR_ROLE))
        .order((memberships::created_at.asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::username,
            logins::state,
            crate::invitations::shown_columns(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership_id, username, login_state, shown)| {
            // Until the person accepts, only what the partner typed.
            let shown = crate::invitations::Shown::from_row(shown);
            Administrator {
                membership_id,
                full_name: shown.full_name,
                username,
                email: shown.email,
                activated: !shown.pending && login_state == LoginState::Active.as_str(),
            }
        })
        .collect())
}

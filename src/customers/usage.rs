//! Licence usage: how many seats of each licence are in use, as the
//! platform that runs the products reports it through the operator's API. A
//! report replaces the previous one; the database's triggers (migration 13) turn
//! it into the customer's "over quantity" flag and the partner's counts in the
//! same transaction.

use crate::ids::CustomerId;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{customer_accounts, licences};
use crate::db::{DbConnection, DbError};

/// The most seats a report may claim: far above any real licence, low enough
/// to keep a mistyped number out.
pub const SEATS_USED_MAX: i32 = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("no such customer")]
    CustomerNotFound,
    /// Missing, or a licence of another customer.
    #[error("no such licence")]
    LicenceNotFound,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for UsageError {
    fn from(error: diesel::result::Error) -> Self {
        UsageError::Database(error.into())
    }
}

/// One licence of a customer with its reported usage.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = licences)]
pub struct LicenceUsage {
    pub id: String,
    pub product: String,
    pub quantity: i32,
    pub status: String,
    pub expires_on: Option<NaiveDate>,
    pub seats_used: Option<i32>,
}

fn customer_exists(conn: &mut DbConnection, customer_id: &CustomerId) -> Result<(), UsageError> {
    let found: i64 = customer_accounts::table
        .filter(customer_accounts::id.eq(customer_id))
        .count()
        .get_result(conn)?;
    if found == 0 {
        return Err(UsageError::CustomerNotFound);
    }
    Ok(())
}

/// The customer's licences, by product.
pub fn licences_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> Result<Vec<LicenceUsage>, UsageError> {
    customer_exists(conn, customer_id)?;
    Ok(licences::table
        .filter(licences::customer_id.eq(customer_id))
        .order((licences::product.asc(), licences::id.asc()))
        .select(LicenceUsage::as_select())
        .load(conn)?)
}

/// Records the seats in use of the customer's licence (None: not known any
/// more); the caller has checked `seats_used` against [`SEATS_USED_MAX`].
/// Returns the licence as it now stands.
pub fn report(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    licence_id: &str,
    seats_used: Option<i32>,
) -> Result<LicenceUsage, UsageError> {
    customer_exists(conn, customer_id)?;
    // Scoped by the customer too: another customer's licence is not found.
    let changed = diesel::update(
        licences::table
            .filter(licences::id.eq(licence_id))
            .filter(licences::customer_id.eq(customer_id)),
    )
    .set(licences::seats_used.eq(seats_used))
    .execute(conn)?;
    if changed == 0 {
        return Err(UsageError::LicenceNotFound);
    }
    Ok(licences::table
        .find(licence_id)
        .select(LicenceUsage::as_select())
        .first(conn)?)
}

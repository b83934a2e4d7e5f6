//! The one way to lock a row for the rest of a write transaction.

use diesel::RunQueryDsl;
use diesel::sql_types::Text;

use super::DbConnection;

/// A row whose lock makes the writers of what hangs off it take turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockTarget<'a> {
    Monitor(&'a str),
    SubAccount(&'a str),
    PartnerOrganisation(&'a str),
    CustomerAccount(&'a str),
}

impl<'a> LockTarget<'a> {
    /// The query taking the lock; the table names are ours, never input.
    fn query(self) -> (&'static str, &'a str) {
        match self {
            LockTarget::Monitor(id) => ("SELECT id FROM monitors WHERE id = $1 FOR UPDATE", id),
            LockTarget::SubAccount(id) => {
                ("SELECT id FROM sub_accounts WHERE id = $1 FOR UPDATE", id)
            }
            LockTarget::PartnerOrganisation(id) => (
                "SELECT id FROM partner_organisations WHERE id = $1 FOR UPDATE",
                id,
            ),
            LockTarget::CustomerAccount(id) => (
                "SELECT id FROM customer_accounts WHERE id = $1 FOR UPDATE",
                id,
            ),
        }
    }
}

/// Locks `target`'s row until the transaction ends (call inside
/// `write_transaction`), so that concurrent writers of it take turns.
///
/// On PostgreSQL this is `SELECT … FOR UPDATE`; `write_transaction` begins READ
/// COMMITTED, so what follows the lock sees what the previous holder committed.
/// On SQLite it does nothing: a write transaction begins IMMEDIATE and holds the
/// database's single write lock already. A row that does not exist is not an
/// error: the caller finds out with its next query.
pub fn lock_row(conn: &mut DbConnection, target: LockTarget<'_>) -> diesel::QueryResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        let (sql, id) = target.query();
        diesel::sql_query(sql).bind::<Text, _>(id).execute(pg)?;
    }
    Ok(())
}

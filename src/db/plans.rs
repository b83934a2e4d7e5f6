//! Test support: the statements a piece of code runs on SQLite and the plan
//! SQLite chooses for each, so that a test can hold a query that runs on every
//! request to index look-ups. A plan is structural: a nested outer join that
//! SQLite materialises whole shows on an empty database as it does on a full one.

use std::sync::{Arc, Mutex};

use diesel::connection::{Connection, InstrumentationEvent};
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};

use super::DbConnection;

/// A migrated, empty SQLite database in memory.
pub fn empty_sqlite() -> DbConnection {
    let mut conn = DbConnection::Sqlite(
        diesel::SqliteConnection::establish(":memory:").expect("an in-memory SQLite database"),
    );
    super::run_migrations(&mut conn).expect("migrate the in-memory database");
    conn
}

/// The SQL of every statement `work` runs on `conn`, without its binds.
pub fn statements_of(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection)) -> Vec<String> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            let sql = text
                .split(" -- binds:")
                .next()
                .unwrap_or_default()
                .to_owned();
            recorder.lock().expect("recorder lock").push(sql);
        }
    });
    work(conn);
    conn.set_instrumentation(diesel::connection::get_default_instrumentation());
    seen.lock().expect("recorder lock").clone()
}

/// The steps of the plans of every statement `work` runs on `conn`, in order.
pub fn steps_of(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection)) -> Vec<String> {
    let statements = statements_of(conn, work);
    statements
        .iter()
        .flat_map(|sql| plan_of(conn, sql))
        .collect()
}

#[derive(QueryableByName)]
struct PlanStep {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// SQLite's plan of `sql`, one line a step (`SEARCH t USING INDEX …`,
/// `SCAN t`, `MATERIALIZE …`); unbound parameters count as NULL.
pub fn plan_of(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load::<PlanStep>(conn)
        .unwrap_or_else(|error| panic!("EXPLAIN QUERY PLAN {sql}: {error}"))
        .into_iter()
        .map(|step| step.detail)
        .collect()
}

/// The steps of the statements' plans that read a whole table or build one:
/// a scan of a table, a materialised subquery or join, an automatic index.
pub fn whole_table_steps(conn: &mut DbConnection, statements: &[String]) -> Vec<String> {
    statements
        .iter()
        .flat_map(|sql| {
            plan_of(conn, sql)
                .into_iter()
                .filter(|step| {
                    step.starts_with("SCAN ")
                        || step.starts_with("MATERIALIZE")
                        || step.contains("AUTOMATIC")
                })
                .map(move |step| format!("{step}    in: {sql}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_outer_join_and_a_scan_are_reported_a_key_look_up_is_not() {
        let mut conn = empty_sqlite();
        let nested = "SELECT m.id FROM memberships m LEFT JOIN (customer_accounts c \
                      LEFT JOIN customer_security s ON s.customer_id = c.id) ON c.id = m.customer_id \
                      WHERE m.login_id = ?"
            .to_owned();
        let scan = "SELECT id FROM customer_accounts WHERE name LIKE ?".to_owned();
        let by_key = "SELECT id FROM customer_accounts WHERE id = ?".to_owned();
        let steps = whole_table_steps(&mut conn, &[nested, scan]);
        assert!(
            steps.iter().any(|s| s.starts_with("MATERIALIZE")),
            "{steps:#?}"
        );
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("SCAN customer_accounts")),
            "{steps:#?}"
        );
        assert!(whole_table_steps(&mut conn, &[by_key]).is_empty());
    }
}

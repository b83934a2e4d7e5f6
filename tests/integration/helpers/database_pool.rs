//! On PostgreSQL a test takes a database from a pool rather than cloning the
//! template and dropping the clone. `DROP DATABASE` forces a checkpoint that
//! waits until the disk holds every page the server has dirtied, the other
//! running tests' included, and creating and deleting a clone's several
//! hundred files cost the server as much CPU as a short test. The pool's
//! databases are clones of the template too, made once and kept from one test
//! process to the next; a test empties the one it takes back to the template's
//! state before using it.
//!
//! Database `pd_pool_<digest>_<slot>` belongs to whoever holds the advisory
//! lock of its slot, on a connection kept open as long as the test's
//! `TestDatabase`: a test process that dies frees its slots with its
//! connections. Emptying ends the connections a previous holder may have left,
//! deletes every row, puts back the rows the template has (the migrations' own
//! records) and its sequences' values, in one transaction with triggers and
//! foreign keys off (`session_replication_role = replica`). Only a superuser
//! may turn them off; for any other role each test clones the template as
//! before.

use diesel::connection::SimpleConnection;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::{Connection, PgConnection, RunQueryDsl};

use super::databases::{database_exists, with_database};

/// More slots than tests ever run at once, across every test process.
const SLOTS: i32 = 64;

/// A migrated template, and how to bring one of its clones back to its state
/// (`None` when this role may not).
pub struct Template {
    pub name: String,
    pub digest: String,
    pub reset: Option<String>,
}

/// A database of the pool, emptied, and the connection whose advisory lock
/// keeps it this test's; `None` when the pool is off for this role.
pub fn claim(admin_url: &str, template: &Template) -> Option<(PgConnection, String)> {
    let reset = template.reset.as_deref()?;
    let mut holder =
        PgConnection::establish(admin_url).expect("connect to the test PostgreSQL server");
    let slot = (0..SLOTS)
        .find(|slot| locked(&mut holder, lock_space(&template.digest), *slot))
        .expect("a free slot in the pool of test databases");
    let name = format!("pd_pool_{}_{slot}", template.digest);
    let url = with_database(admin_url, &name);
    if database_exists(&mut holder, &name) {
        empty(&url, reset);
    } else {
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {}", template.name))
            .execute(&mut holder)
            .expect("add a database to the pool");
    }
    Some((holder, url))
}

/// The statements that bring a clone of the template at `template_url` back
/// to the template's state; `None` unless the role is a superuser.
pub fn reset_script(admin: &mut PgConnection, template_url: &str) -> Option<String> {
    #[derive(diesel::QueryableByName)]
    struct Superuser {
        #[diesel(sql_type = Bool)]
        superuser: bool,
    }
    let role = diesel::sql_query("SELECT current_setting('is_superuser') = 'on' AS superuser")
        .get_result::<Superuser>(admin)
        .expect("read the role");
    if !role.superuser {
        return None;
    }
    let mut template = PgConnection::establish(template_url).expect("connect to the template");
    let mut script = String::from("SET LOCAL session_replication_role = replica;\n");
    let mut refill = String::new();
    for table in statements(
        &mut template,
        "SELECT format('%I', tablename) AS statement FROM pg_tables \
         WHERE schemaname = 'public' ORDER BY tablename",
    ) {
        script.push_str(&format!("DELETE FROM {table};\n"));
        if let Some(rows) = rows_of(&mut template, &table) {
            let quoted = rows.replace('\'', "''");
            refill.push_str(&format!(
                "INSERT INTO {table} SELECT * FROM json_populate_recordset(NULL::{table}, '{quoted}');\n"
            ));
        }
    }
    script.push_str(&refill);
    for setval in statements(
        &mut template,
        "SELECT format('SELECT setval(%L, %s, %s);', format('%I.%I', schemaname, sequencename), \
         COALESCE(last_value, start_value), last_value IS NOT NULL) AS statement \
         FROM pg_sequences WHERE schemaname = 'public'",
    ) {
        script.push_str(&setval);
        script.push('\n');
    }
    Some(script)
}

/// Ends every other connection to the database at `url`, then runs `reset` in
/// one transaction.
fn empty(url: &str, reset: &str) {
    let mut conn = PgConnection::establish(url).expect("connect to a pooled database");
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut conn)
    .expect("end a previous holder's connections");
    conn.transaction(|conn| conn.batch_execute(reset))
        .expect("empty a pooled database");
}

/// Takes the advisory lock of `slot` if it is free.
fn locked(holder: &mut PgConnection, space: i32, slot: i32) -> bool {
    #[derive(diesel::QueryableByName)]
    struct Taken {
        #[diesel(sql_type = Bool)]
        taken: bool,
    }
    diesel::sql_query("SELECT pg_try_advisory_lock($1, $2) AS taken")
        .bind::<diesel::sql_types::Integer, _>(space)
        .bind::<diesel::sql_types::Integer, _>(slot)
        .get_result::<Taken>(holder)
        .expect("try a slot's lock")
        .taken
}

/// The advisory locks' first key for the pool of templates with `digest`, so
/// that pools of different migrations do not share slots.
fn lock_space(digest: &str) -> i32 {
    let high = u32::from_str_radix(&digest[..8], 16).expect("a hexadecimal digest");
    i32::from_ne_bytes(high.to_ne_bytes())
}

fn statements(conn: &mut PgConnection, query: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Statement {
        #[diesel(sql_type = Text)]
        statement: String,
    }
    diesel::sql_query(query)
        .load::<Statement>(conn)
        .expect("read the template")
        .into_iter()
        .map(|s| s.statement)
        .collect()
}

/// The rows of `table` as a JSON array, `None` when it has none.
fn rows_of(conn: &mut PgConnection, table: &str) -> Option<String> {
    #[derive(diesel::QueryableByName)]
    struct Rows {
        #[diesel(sql_type = Nullable<Text>)]
        rows: Option<String>,
    }
    diesel::sql_query(format!("SELECT json_agg(t)::text AS rows FROM {table} t"))
        .get_result::<Rows>(conn)
        .expect("read a template table")
        .rows
}

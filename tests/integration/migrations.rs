//! Every migration up, down and up again on each backend, and the two backends'
//! schemas hold the same tables and columns, with the same types (in a common
//! form) and nullability, the same indexes over the same columns, and triggers
//! that correspond. Each backend's own search tables (`customer_search*`) are
//! left out: SQLite's full-text index, to which PostgreSQL's answer is an
//! index, and PostgreSQL's kept counts of common searches (migration 38),
//! which SQLite's index makes needless.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use partnerdesk::db::{self, DbConnection};

use crate::helpers::{POSTGRES_URL_VAR, TestDatabase};

mod triggers;
use triggers::expected_triggers;

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    column_type: String,
    #[diesel(sql_type = Integer)]
    nullable: i32,
}

#[derive(QueryableByName)]
struct IndexColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Integer)]
    position: i32,
    /// `(expression)` for an expression.
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct TriggerRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(Debug, PartialEq, Eq)]
struct Schema {
    /// (table, column, type in a common form, "null" or "not null")
    columns: BTreeSet<(String, String, String, &'static str)>,
    /// (table, index) -> its columns in order (included columns too)
    indexes: BTreeMap<(String, String), Vec<String>>,
    triggers: BTreeSet<String>,
}

impl Schema {
    fn tables_and_columns(&self) -> BTreeSet<(String, String)> {
        self.columns
            .iter()
            .map(|(table, column, _, _)| (table.clone(), column.clone()))
            .collect()
    }
}

/// A column type as both backends can name it: SQLite keeps the declared
/// name, PostgreSQL its own.
fn common_type(declared: &str) -> String {
    match declared.to_lowercase().as_str() {
        "timestamp without time zone" | "timestamp" => "timestamp".to_owned(),
        "character varying" | "varchar" | "text" => "text".to_owned(),
        "int" | "int4" | "integer" => "integer".to_owned(),
        "int8" | "bigint" => "bigint".to_owned(),
        "bool" | "boolean" => "boolean".to_owned(),
        "bytea" | "blob" | "binary" => "binary".to_owned(),
        other => other.to_owned(),
    }
}

fn schema_of(conn: &mut DbConnection) -> Schema {
    Schema {
        columns: columns_of(conn),
        indexes: indexes_of(conn),
        triggers: triggers_of(conn),
    }
}

fn columns_of(conn: &mut DbConnection) -> BTreeSet<(String, String, String, &'static str)> {
    // A primary key column is never null, whatever SQLite declares. Tables
    // only: the replaceable schema's views are not part of it.
    let columns: Vec<ColumnRow> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS column_type, \
                    CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 0 ELSE 1 END AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name <> '__diesel_schema_migrations' \
             AND m.name NOT LIKE 'customer_search%'",
        )
        .load(c),
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                    data_type::text AS column_type, \
                    CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS nullable \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations' \
             AND table_name IN (SELECT table_name FROM information_schema.tables \
                                WHERE table_schema = 'public' AND table_type = 'BASE TABLE') \
             AND table_name NOT LIKE 'customer_search%'",
        )
        .load(c),
    }
    .expect("columns query");
    columns
        .into_iter()
        .map(|r| {
            let nullability = if r.nullable == 1 { "null" } else { "not null" };
            (
                r.table_name,
                r.column_name,
                common_type(&r.column_type),
                nullability,
            )
        })
        .collect()
}

fn indexes_of(conn: &mut DbConnection) -> BTreeMap<(String, String), Vec<String>> {
    // Indexes made by CREATE INDEX, not those behind a key or a unique constraint.
    let index_columns: Vec<IndexColumnRow> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, l.name AS index_name, i.seqno AS position, \
                    CASE WHEN i.cid = -2 THEN '(expression)' ELSE i.name END AS column_name \
             FROM sqlite_master m JOIN pragma_index_list(m.name) l \
             JOIN pragma_index_xinfo(l.name) i \
             WHERE m.type = 'table' AND l.origin = 'c' AND i.key = 1 \
             AND m.name NOT LIKE 'customer_search%'",
        )
        .load(c),
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT t.relname::text AS table_name, i.relname::text AS index_name, \
                    k.position::integer AS position, \
                    COALESCE(a.attname::text, '(expression)') AS column_name \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_class t ON t.oid = x.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position) \
             LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
             WHERE n.nspname = 'public' \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        )
        .load(c),
    }
    .expect("indexes query");
    let mut indexes: BTreeMap<(String, String), Vec<(i32, String)>> = BTreeMap::new();
    for row in index_columns {
        indexes
            .entry((row.table_name, row.index_name))
            .or_default()
            .push((row.position, row.column_name));
    }
    indexes
        .into_iter()
        .map(|(index, mut columns)| {
            columns.sort();
            (index, columns.into_iter().map(|(_, name)| name).collect())
        })
        .collect()
}

fn triggers_of(conn: &mut DbConnection) -> BTreeSet<String> {
    let triggers: Vec<TriggerRow> = match conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'trigger'").load(c)
        }
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT t.tgname::text AS name FROM pg_trigger t \
             JOIN pg_class c ON c.oid = t.tgrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE NOT t.tgisinternal AND n.nspname = 'public'",
        )
        .load(c),
    }
    .expect("triggers query");
    triggers.into_iter().map(|r| r.name).collect()
}

/// Indexes of one backend only: PostgreSQL's trigram search indexes (on the
/// accounts, and on the group members' copies) and the index its searches
/// walk in the order of creation (migration 38) stand for SQLite's full-text
/// search tables.
const POSTGRES_ONLY_INDEXES: &[&str] = &[
    "customer_accounts_search",
    "customer_group_members_search",
    "customer_accounts_by_created_searched",
];

/// Up, down, up; returns the schema after the second up.
fn round_trip(database_url: &str) -> Schema {
    let pool = db::connect(database_url, 1).expect("migrations up");
    let mut conn = pool.get().expect("connection");
    let after_first_up = schema_of(&mut conn);
    assert!(!after_first_up.columns.is_empty());
    db::revert_all_migrations(&mut conn).expect("migrations down");
    let after_down = schema_of(&mut conn);
    assert!(
        after_down.columns.is_empty() && after_down.triggers.is_empty(),
        "down leaves no table or trigger behind: {after_down:?}"
    );
    db::run_migrations(&mut conn).expect("migrations up again");
    let after_second_up = schema_of(&mut conn);
    assert_eq!(after_first_up, after_second_up);
    after_second_up
}

#[test]
fn sqlite_migrations_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("round-trip.db").display());
    let schema = round_trip(&url);
    assert!(
        schema
            .tables_and_columns()
            .contains(&("email_outbox".to_owned(), "next_attempt_at".to_owned()))
    );
    assert_eq!(schema.triggers, expected_triggers(true));
}

#[test]
fn postgres_migrations_round_trip_and_match_sqlite() {
    if std::env::var(POSTGRES_URL_VAR)
        .map(|v| v.is_empty())
        .unwrap_or(true)
    {
        // .ci/run runs the whole suite a second time with the variable set, and
        // fails when no PostgreSQL answers; this pass says it skipped the comparison.
        eprintln!("skipped: {POSTGRES_URL_VAR} is not set");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite_schema = round_trip(&format!(
        "sqlite://{}",
        dir.path().join("compare.db").display()
    ));
    let (_database, url) = TestDatabase::create(dir.path());
    let postgres_schema = round_trip(&url);
    assert_eq!(sqlite_schema.columns, postgres_schema.columns);
    let mut postgres_indexes = postgres_schema.indexes.clone();
    postgres_indexes.retain(|(_, name), _| !POSTGRES_ONLY_INDEXES.contains(&name.as_str()));
    assert_eq!(sqlite_schema.indexes, postgres_indexes);
    assert_eq!(sqlite_schema.triggers, expected_triggers(true));
    assert_eq!(postgres_schema.triggers, expected_triggers(false));
}

/// The sub-account migration rebuilds tables on SQLite: taken down and up again
/// over an account with monitors, results, a dashboard and people, it keeps
/// them all (what sub-accounts made goes with them), on either backend.
#[tokio::test]
async fn the_sub_account_migration_keeps_an_accounts_data_down_and_up() {
    use diesel_migrations::MigrationHarness;
    use partnerdesk::db::schema::{dashboard_monitors, memberships, monitor_results, monitors};
    use partnerdesk::i18n::Lang;

    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;

    let app = crate::helpers::spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&customer, "admin@adatum.example");
    let shop = app.monitor(&customer, "Shop");
    app.dashboard(&customer, "SLA", &[&shop]);
    let checked_at = app.clock_now();
    diesel::insert_into(monitor_results::table)
        .values((
            monitor_results::monitor_id.eq(&shop),
            monitor_results::checked_at.eq(checked_at),
            monitor_results::success.eq(true),
            monitor_results::received_at.eq(checked_at),
        ))
        .execute(&mut app.conn())
        .expect("a result");
    let vendor = app.sub_account(&customer, "Vendor", Some(3));
    app.sub_account_monitor(&customer, &vendor, "Vendor's own");
    app.operator(&vendor, "vera@vendor.example");
    let count = |conn: &mut DbConnection| -> (i64, i64, i64, i64) {
        (
            monitors::table.count().get_result(conn).expect("monitors"),
            monitor_results::table
                .count()
                .get_result(conn)
                .expect("results"),
            dashboard_monitors::table
                .count()
                .get_result(conn)
                .expect("places"),
            memberships::table
                .count()
                .get_result(conn)
                .expect("memberships"),
        )
    };
    let mut conn = app.conn();
    let before = count(&mut conn);
    let sub_accounts = "2026-11-21-000010";
    loop {
        let reverted = match &mut *conn {
            DbConnection::Sqlite(c) => c
                .revert_last_migration(db::SQLITE_MIGRATIONS)
                .map(|v| v.to_string()),
            DbConnection::Postgres(c) => c
                .revert_last_migration(db::POSTGRES_MIGRATIONS)
                .map(|v| v.to_string()),
        }
        .expect("revert");
        if reverted.starts_with(&sub_accounts.replace('-', "")) {
            break;
        }
    }
    let down = count(&mut conn);
    assert_eq!(
        down,
        (before.0 - 1, before.1, before.2, before.3 - 1),
        "only the sub-account's monitor and operator went"
    );
    db::run_migrations(&mut conn).expect("up again");
    assert_eq!(count(&mut conn), down);
    drop(conn);
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let page = admin
        .get(app.url(&format!("/customer/monitors/{shop}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(page.status(), 200);
}

/// Instances started together on one empty database all come up and serve:
/// on PostgreSQL the first migrates under an advisory lock while the others
/// wait (without it, one exited with a duplicate key in `pg_type`).
#[tokio::test]
async fn instances_starting_together_on_an_empty_database_all_serve() {
    for _ in 0..3 {
        let data_dir = tempfile::tempdir().expect("temporary folder");
        let (_database, url) = TestDatabase::create(data_dir.path());
        let mut settings =
            partnerdesk::config::Settings::for_data_dir(data_dir.path()).expect("settings");
        settings.database_url = url;
        settings.http_workers = Some(1);
        settings.db_pool_size = 2;
        let start = std::sync::Arc::new(std::sync::Barrier::new(3));
        let builders: Vec<_> = (0..3)
            .map(|_| {
                let settings = settings.clone();
                let start = start.clone();
                tokio::task::spawn_blocking(move || {
                    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
                    let port = listener.local_addr().expect("address").port();
                    start.wait();
                    partnerdesk::startup::Application::build_on(
                        settings,
                        listener,
                        partnerdesk::clock::system(),
                    )
                    .map(|app| (port, app))
                    .map_err(|e| e.to_string())
                })
            })
            .collect();
        let mut running = Vec::new();
        for builder in builders {
            let (port, app) = builder
                .await
                .expect("the thread")
                .expect("every instance starts");
            running.push((app.shutdown(), tokio::spawn(app.run_until_stopped())));
            let answer = reqwest::get(format!("http://127.0.0.1:{port}/health_check"))
                .await
                .expect("the instance answers");
            assert_eq!(answer.status(), 200);
        }
        // Stopped before their database goes: a worker polling a dropped
        // PostgreSQL database would wait out the pool's connection timeout.
        for (shutdown, _) in &running {
            shutdown.trigger();
        }
        for (_, instance) in running {
            instance
                .await
                .expect("the instance's task")
                .expect("the instance stops");
        }
    }
}

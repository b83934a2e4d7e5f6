//! Every migration up, down and up again on each backend, and the two backends'
//! schemas hold the same tables and columns. SQLite's full-text search tables
//! (`customer_search*`) are left out: PostgreSQL's answer to them is an index.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::Text;
use partnerdesk::db::{self, DbConnection};

use crate::helpers::{POSTGRES_URL_VAR, TestDatabase};

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

type Schema = BTreeSet<(String, String)>;

fn schema_of(conn: &mut DbConnection) -> Schema {
    let rows: Vec<ColumnRow> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name <> '__diesel_schema_migrations' \
             AND m.name NOT LIKE 'customer_search%'",
        )
        .load(c),
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations'",
        )
        .load(c),
    }
    .expect("schema query");
    rows.into_iter()
        .map(|r| (r.table_name, r.column_name))
        .collect()
}

/// Up, down, up; returns the schema after the second up.
fn round_trip(database_url: &str) -> Schema {
    let pool = db::connect(database_url, 1).expect("migrations up");
    let mut conn = pool.get().expect("connection");
    let after_first_up = schema_of(&mut conn);
    assert!(!after_first_up.is_empty());
    db::revert_all_migrations(&mut conn).expect("migrations down");
    assert!(
        schema_of(&mut conn).is_empty(),
        "down leaves no table behind"
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
    assert!(schema.contains(&("email_outbox".to_owned(), "next_attempt_at".to_owned())));
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
    assert_eq!(sqlite_schema, postgres_schema);
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
        for builder in builders {
            let (port, app) = builder
                .await
                .expect("the thread")
                .expect("every instance starts");
            tokio::spawn(app.run_until_stopped());
            let answer = reqwest::get(format!("http://127.0.0.1:{port}/health_check"))
                .await
                .expect("the instance answers");
            assert_eq!(answer.status(), 200);
        }
    }
}

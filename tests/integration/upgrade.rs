//! Upgrading from the last release: a database at the schema of the release
//! recorded in `migrations/RELEASED`, filled with raw SQL the way that release
//! wrote its rows, is upgraded by the portal's own start-up (the migrations
//! since then, the triggers defined again). Every row is still there, what the
//! migrations since then rewrite is rewritten, and each derived figure equals
//! what it derives from, before and after a change made by the new version.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use partnerdesk::db::schema::{customer_imports, sites};
use partnerdesk::db::{self, DbConnection, derived};

use crate::helpers::people::password_hash;
use crate::helpers::{TestApp, TestClock, TestDatabase, spawn_app_on};
use crate::partner_home::{count_of, dissociate, figures_match_lists};

const RELEASED: &str = include_str!("../../migrations/RELEASED");

/// The newest migration of the last release on `backend` ("sqlite" or
/// "postgres"), as its folder is named.
fn released_migration(backend: &str) -> &'static str {
    RELEASED
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once(' '))
        .find(|(name, _)| *name == backend)
        .map(|(_, folder)| folder.trim())
        .unwrap_or_else(|| panic!("migrations/RELEASED names no release for {backend}"))
}

/// diesel's version of a migration folder: its date and number without dashes.
fn version_of(folder: &str) -> String {
    folder.split('_').next().unwrap_or(folder).replace('-', "")
}

/// Takes the database at `url` to the last release's schema: every migration
/// down, then up again one at a time until the release's newest.
fn migrate_to_release(url: &str) -> db::DbPool {
    let pool = db::connect(url, 1).expect("a migrated database");
    let mut conn = pool.get().expect("a connection");
    db::revert_all_migrations(&mut conn).expect("every migration down");
    let backend = match &*conn {
        DbConnection::Sqlite(_) => "sqlite",
        DbConnection::Postgres(_) => "postgres",
    };
    let release = version_of(released_migration(backend));
    loop {
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_next_migration(db::SQLITE_MIGRATIONS),
            DbConnection::Postgres(c) => c.run_next_migration(db::POSTGRES_MIGRATIONS),
        }
        .map(|version| version.to_string())
        .unwrap_or_else(|e| panic!("the migrations up to {release} apply: {e}"));
        if applied.starts_with(&release) {
            break;
        }
    }
    drop(conn);
    pool
}

/// The release's rows (`upgrade_release_data.sql`): Contoso's people,
/// customers in every state and billing, licences (one over its quantity, one
/// expiring, one expired), a group, sites whose names collide (allowed then),
/// monitors (one down), activity, an import under way and an email waiting;
/// beside them another partner's customer and a dissociated one.
fn release_data() -> String {
    include_str!("upgrade_release_data.sql").replace("{password_hash}", password_hash())
}

#[tokio::test]
async fn a_database_of_the_last_release_upgrades_with_its_data_and_figures() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let (database, url) = TestDatabase::create(scratch.path());
    let pool = migrate_to_release(&url);
    pool.get()
        .expect("a connection")
        .batch_execute(&release_data())
        .expect("the release's rows");
    drop(pool);

    let app_url = url.clone();
    let mut app = spawn_app_on(TestClock::frozen(), move |s| s.database_url = app_url).await;
    assert_eq!(derived_differences(&app), Vec::new());
    let figures = figures_match_lists(&app, "olga@contoso.example").await;
    for (id, expected) in [
        ("figure-all", 5),
        ("figure-state-suspended", 1),
        ("figure-state-creating", 1),
        ("figure-billing-trial", 2),
        ("figure-health-incident", 1),
        ("figure-health-advisory", 1),
        ("figure-trials-ending", 1),
        ("figure-trials-ended", 1),
        ("figure-licences-expiring", 1),
        ("figure-licences-over", 1),
        ("figure-monitors-down", 1),
    ] {
        assert_eq!(count_of(&figures, id), expected, "{id}");
    }
    kept_and_rewritten(&app).await;

    dissociate(&app, "olga@contoso.example", "c-fabrikam").await;
    assert_eq!(derived_differences(&app), Vec::new());
    let after = figures_match_lists(&app, "olga@contoso.example").await;
    assert_eq!(count_of(&after, "figure-all"), 4);
    assert_eq!(count_of(&after, "figure-state-suspended"), 0);
    app.stop().await;
    drop(database);
}

fn derived_differences(app: &TestApp) -> Vec<derived::Difference> {
    derived::differences(&mut app.conn()).expect("recompute the derived data")
}

/// What the migrations since the release rewrite, rewritten; what they keep,
/// kept and working.
async fn kept_and_rewritten(app: &TestApp) {
    let mut conn = app.conn();
    let mut site_names: Vec<String> = sites::table
        .filter(sites::customer_id.eq("c-adatum"))
        .select(sites::name)
        .load(&mut conn)
        .expect("Adatum's sites");
    site_names.sort();
    assert_eq!(site_names, ["Head office", "head office (s-2)"]);
    let imports: Vec<(String, String, Option<String>)> = customer_imports::table
        .select((
            customer_imports::id,
            customer_imports::state,
            customer_imports::failure,
        ))
        .order(customer_imports::id)
        .load(&mut conn)
        .expect("the imports");
    let interrupted = Some("import-failed-interrupted".to_owned());
    assert_eq!(
        imports,
        [
            ("i-1".to_owned(), "failed".to_owned(), interrupted),
            ("i-2".to_owned(), "done".to_owned(), None),
        ]
    );
    drop(conn);
    let waiting = app.emails_to("sam@contoso.example").await;
    assert_eq!(
        waiting.len(),
        1,
        "the email queued before the upgrade is sent"
    );
    let customer_admin = app
        .browser_signed_in("admin@adatum.example", crate::helpers::people::PASSWORD)
        .await;
    let (status, console) =
        crate::customers::page_of(&customer_admin, app, "/customer/monitors").await;
    assert_eq!(status, 200);
    assert!(
        console.contains("Shop") && console.contains("Mail"),
        "{console}"
    );
}

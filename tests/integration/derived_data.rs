//! Derived data (counts, flags, history, copies of columns kept by the triggers
//! of `src/db/replaceable/`) equals what `db::derived` recomputes from the base
//! tables after realistic activity; a corrupted value of each is reported, by
//! the library and by `partnerdesk check`; the triggers are defined again when
//! their definitions change.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use partnerdesk::customers::LicenceStatus;
use partnerdesk::db::derived::{self, Difference, licence_flags};
use partnerdesk::db::schema::{customer_accounts, licences, monitors};
use partnerdesk::db::{self, Backend, DbConnection, replaceable};
use partnerdesk::i18n::Lang;

mod corruptions;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::{TestApp, run_cli, spawn_app};
use corruptions::{Corruption, corruptions};

fn backend(conn: &DbConnection) -> Backend {
    match conn {
        DbConnection::Sqlite(_) => Backend::Sqlite,
        DbConnection::Postgres(_) => Backend::Postgres,
    }
}

/// The demo's partner and customers, then the writes that move derived data
/// most: customers changing state, partner, billing, trial and creation time, licences
/// reported over quantity, expired, deleted and moved, monitors added,
/// moved and deleted.
async fn busy_app() -> TestApp {
    let app = spawn_app().await;
    let passwords = partnerdesk::demo::DemoPasswords::new().expect("demo passwords");
    partnerdesk::demo::seed(&mut app.conn(), &app.settings, app.clock_now(), passwords)
        .expect("demo data");
    let other = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let mut spec = CustomerSpec::named("Adatum");
    spec.licences = vec![(LicenceStatus::Active, true), (LicenceStatus::Trial, false)];
    let adatum = app.customer(&other, &spec);
    let fabrikam = app.customer(&other, &CustomerSpec::named("Fabrikam"));
    app.monitor(&adatum, "Shop");
    let moved_monitor = app.monitor(&fabrikam, "Mail");

    let mut conn = app.conn();
    let demo_customers: Vec<String> = customer_accounts::table
        .filter(customer_accounts::partner_id.ne(&other))
        .select(customer_accounts::id)
        .order(customer_accounts::id)
        .limit(6)
        .load(&mut conn)
        .expect("demo customers");
    let later = app.clock_now() + chrono::Duration::hours(3);
    let [first, second, third, fourth, fifth, sixth] = demo_customers.as_slice() else {
        panic!("the demo has customers");
    };
    // Members of a group before they change, so that its copies follow.
    in_a_group(&mut conn, &[first, third, fourth, fifth]);
    for (customer, partner) in [(first, Some(other.as_str())), (second, None)] {
        diesel::update(customer_accounts::table.find(customer))
            .set((
                customer_accounts::partner_id.eq(partner),
                customer_accounts::updated_at.eq(later),
            ))
            .execute(&mut conn)
            .expect("move a customer");
    }
    diesel::update(customer_accounts::table.find(third))
        .set((
            customer_accounts::state.eq("suspended"),
            customer_accounts::health_level.eq(2),
            customer_accounts::billing_type.eq("trial"),
            customer_accounts::trial_ends_on.eq(Some(later.date() + chrono::Duration::days(5))),
            customer_accounts::updated_at.eq(later),
        ))
        .execute(&mut conn)
        .expect("suspend a customer, on a trial");
    diesel::update(customer_accounts::table.find(fourth))
        .set(customer_accounts::created_at.eq(later - chrono::Duration::days(40)))
        .execute(&mut conn)
        .expect("backdate a customer");
    let over = app.licence(fifth, "Backup", 5, LicenceStatus::Active);
    diesel::update(licences::table.find(&over))
        .set(licences::seats_used.eq(Some(9)))
        .execute(&mut conn)
        .expect("usage over quantity");
    let expiring = app.licence(fifth, "Mail", 5, LicenceStatus::Active);
    diesel::update(licences::table.find(&expiring))
        .set(licences::status.eq("expired"))
        .execute(&mut conn)
        .expect("a licence expires");
    let moved_licence = app.licence(sixth, "Office", 3, LicenceStatus::Trial);
    diesel::update(licences::table.find(&moved_licence))
        .set(licences::customer_id.eq(&adatum))
        .execute(&mut conn)
        .expect("a licence moves");
    let gone = app.licence(sixth, "Office", 3, LicenceStatus::Active);
    diesel::delete(licences::table.find(&gone))
        .execute(&mut conn)
        .expect("a licence goes");
    diesel::update(monitors::table.find(&moved_monitor))
        .set(monitors::customer_id.eq(first))
        .execute(&mut conn)
        .expect("a monitor moves");
    let doomed = app.monitor(sixth, "Old");
    diesel::delete(monitors::table.find(&doomed))
        .execute(&mut conn)
        .expect("a monitor goes");
    drop(conn);
    app
}

/// Puts each customer in its partner's first group, if not there already.
fn in_a_group(conn: &mut DbConnection, customers: &[&String]) {
    let ids: Vec<String> = customers.iter().map(|id| format!("'{id}'")).collect();
    conn.batch_execute(&format!(
        "INSERT INTO customer_group_members (group_id, customer_id, added_at) \
         SELECT g.id, c.id, c.created_at FROM customer_groups g, customer_accounts c \
         WHERE g.id = (SELECT MIN(id) FROM customer_groups WHERE partner_id = c.partner_id) \
         AND c.id IN ({}) ON CONFLICT DO NOTHING",
        ids.join(", ")
    ))
    .expect("group members");
}

fn differences(app: &TestApp) -> Vec<Difference> {
    derived::differences(&mut app.conn()).expect("recompute the derived data")
}

#[tokio::test]
async fn derived_data_matches_the_base_tables_after_activity() {
    let app = busy_app().await;
    assert_eq!(differences(&app), Vec::new());
    let output = run_cli(&app, &["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("Derived data matches the base tables"),
        "{stdout}"
    );
}

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    key: String,
}

fn first_key(conn: &mut DbConnection, sql: &str) -> String {
    diesel::sql_query(sql)
        .get_result::<Key>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .key
}

/// Corrupts one derived value, sees it reported, repairs it.
fn corrupted_and_reported(conn: &mut DbConnection, corruption: &Corruption) {
    let key = first_key(conn, corruption.pick);
    let expected_key = corruption
        .reported_key
        .replace("{key|/}", &key.replace('|', " / "))
        .replace("{key}", &key);
    conn.batch_execute(&corruption.corrupt.replace("{key}", &key))
        .expect("corrupt");
    let found = derived::differences(conn).expect("recompute");
    assert!(
        found
            .iter()
            .any(|d| d.derived == corruption.derived && d.key == expected_key),
        "{} of {expected_key} not reported: {found:?}",
        corruption.derived
    );
    conn.batch_execute(&corruption.repair.replace("{key}", &key))
        .expect("repair");
    assert_eq!(
        derived::differences(conn).expect("recompute"),
        Vec::new(),
        "repaired {}",
        corruption.derived
    );
}

#[tokio::test]
async fn check_reports_each_corrupted_derived_value() {
    let app = busy_app().await;
    let mut conn = app.conn();
    let backend = backend(&conn);
    let all = corruptions(backend);
    let covered: Vec<&str> = all.iter().map(|c| c.derived).collect();
    for derived in derived::checked(backend) {
        assert!(covered.contains(&derived), "no corruption of {derived}");
    }
    for corruption in all {
        corrupted_and_reported(&mut conn, corruption);
    }

    // The command line says it too, and fails.
    let counter = first_key(
        &mut conn,
        "SELECT partner_id AS key FROM partner_monitors ORDER BY 1 LIMIT 1",
    );
    conn.batch_execute(&format!(
        "UPDATE partner_monitors SET monitors = monitors + 2 WHERE partner_id = '{counter}'"
    ))
    .expect("corrupt");
    drop(conn);
    let output = run_cli(&app, &["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("partner_monitors")
                && line.contains(&counter)
                && line.contains("expected")),
        "{stdout}"
    );
    assert!(stderr.contains("1 derived values differ"), "{stderr}");
}

/// The bits Rust filters the list on are the ones the one definition of the
/// flags computes.
#[tokio::test]
async fn licence_flags_hold_the_bits_rust_filters_on() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let flags_of = |spec: &CustomerSpec| -> i32 {
        let id = app.customer(&partner, spec);
        customer_accounts::table
            .find(&id)
            .select(customer_accounts::licence_flags)
            .first(&mut app.conn())
            .expect("flags")
    };
    let with = |licences: Vec<(LicenceStatus, bool)>| {
        let mut spec = CustomerSpec::named("Adatum");
        spec.licences = licences;
        spec
    };
    assert_eq!(flags_of(&with(vec![])), 0);
    assert_eq!(
        flags_of(&with(vec![(LicenceStatus::Active, false)])),
        licence_flags::ACTIVE
    );
    assert_eq!(
        flags_of(&with(vec![(LicenceStatus::Trial, false)])),
        licence_flags::TRIAL
    );
    assert_eq!(
        flags_of(&with(vec![(LicenceStatus::Expired, true)])),
        licence_flags::EXPIRED
    );
    assert_eq!(
        flags_of(&with(vec![(LicenceStatus::Trial, true)])),
        licence_flags::TRIAL | licence_flags::OWN_PARTNER
    );
    let customer = app.customer(&partner, &CustomerSpec::named("Fabrikam"));
    let licence = app.licence(&customer, "Backup", 5, LicenceStatus::Active);
    diesel::update(licences::table.find(&licence))
        .set(licences::seats_used.eq(Some(6)))
        .execute(&mut app.conn())
        .expect("usage");
    let flags: i32 = customer_accounts::table
        .find(&customer)
        .select(customer_accounts::licence_flags)
        .first(&mut app.conn())
        .expect("flags");
    assert_eq!(flags, licence_flags::ACTIVE | licence_flags::OVER_QUANTITY);
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

fn triggers_named(conn: &mut DbConnection, name: &str) -> i64 {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT COUNT(*) AS count FROM sqlite_master WHERE type = 'trigger' AND name = ?"
        }
        DbConnection::Postgres(_) => {
            "SELECT COUNT(*) AS count FROM pg_trigger WHERE NOT tgisinternal AND tgname = $1"
        }
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(name)
        .get_result::<Count>(conn)
        .expect("count triggers")
        .count
}

/// A start-up finding definitions other than the ones last applied (here: an
/// older release's, missing a trigger) applies the current ones again.
#[tokio::test]
async fn changed_definitions_are_applied_again_at_start_up() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let (trigger, drop_trigger) = match backend(&conn) {
        Backend::Sqlite => (
            "partner_monitors_insert",
            "DROP TRIGGER partner_monitors_insert",
        ),
        Backend::Postgres => (
            "partner_monitors_insert_delete",
            "DROP TRIGGER partner_monitors_insert_delete ON monitors",
        ),
    };
    conn.batch_execute(drop_trigger).expect("drop a trigger");
    assert_eq!(triggers_named(&mut conn, trigger), 0);

    // The same definitions: nothing to do, even with a trigger missing.
    db::run_migrations(&mut conn).expect("start-up");
    assert_eq!(triggers_named(&mut conn, trigger), 0);

    conn.batch_execute("UPDATE replaceable_schema SET hash = 'an older release'")
        .expect("an older hash");
    drop(conn);
    let pool = db::connect(&app.settings.database_url, 1).expect("start-up");
    let mut conn = pool.get().expect("connection");
    assert_eq!(triggers_named(&mut conn, trigger), 1);
    let stored = first_key(&mut conn, "SELECT hash AS key FROM replaceable_schema");
    let definitions = replaceable::definitions(backend(&conn));
    assert_eq!(stored, replaceable::hash(definitions));
    assert_eq!(derived::differences(&mut conn).expect("check"), Vec::new());
}

//! A copy kept by a trigger stays true when the row it copies changes in
//! another transaction at the same moment, on both backends.

use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::customers::LicenceStatus;
use partnerdesk::db::schema::{
    customer_accounts, customer_group_members, licences, monitors, partner_monitors,
};
use partnerdesk::db::{DbConnection, derived};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::{TestApp, spawn_app};

/// Runs `change` in a transaction and, before it commits, `meanwhile` on
/// another connection; returns what `meanwhile` gave once both are done.
fn meanwhile_uncommitted<T: Send>(
    app: &TestApp,
    change: impl FnOnce(&mut DbConnection) -> QueryResult<usize>,
    meanwhile: impl FnOnce(&mut DbConnection) -> T + Send,
) -> T {
    let mut changer = app.conn();
    let mut other_conn = app.conn();
    std::thread::scope(|scope| {
        let other = changer
            .transaction(|conn| {
                change(conn)?;
                let other = scope.spawn(move || meanwhile(&mut other_conn));
                // Time for the other transaction to finish if nothing held it.
                std::thread::sleep(Duration::from_millis(500));
                QueryResult::Ok(other)
            })
            .expect("the change");
        other.join().expect("the other transaction")
    })
}

/// Contoso's customer Adatum, and Fabrikam, the partner it will move to:
/// (customer, Fabrikam).
fn a_customer_and_another_partner(app: &TestApp) -> (String, String) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let other = app.invite_partner_owner("Fabrikam", "fiona@fabrikam.example", Lang::En);
    (
        app.customer(&partner, &CustomerSpec::named("Adatum")),
        other,
    )
}

/// Moves `customer` to `partner`.
fn moved(conn: &mut DbConnection, customer: &str, partner: &str) -> QueryResult<usize> {
    diesel::update(customer_accounts::table.find(customer))
        .set(customer_accounts::partner_id.eq(partner))
        .execute(conn)
}

fn no_differences(app: &TestApp) {
    assert_eq!(
        derived::differences(&mut app.conn()).expect("recompute"),
        Vec::new()
    );
}

/// A customer is suspended in one transaction while another puts it in a
/// group. Read before the change commits, the member's copy would keep the
/// old state for good: the change's trigger ran before the member existed.
#[tokio::test]
async fn a_member_added_while_its_customer_changes_copies_the_change() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let group = app.group_with(&partner, "Retail", &[]);
    let now = app.clock_now();
    let inserted = meanwhile_uncommitted(
        &app,
        |conn| {
            diesel::update(customer_accounts::table.find(&customer))
                .set(customer_accounts::state.eq("suspended"))
                .execute(conn)
        },
        |conn| {
            diesel::insert_into(customer_group_members::table)
                .values((
                    customer_group_members::group_id.eq(&group),
                    customer_group_members::customer_id.eq(&customer),
                    customer_group_members::added_at.eq(now),
                ))
                .execute(conn)
        },
    );
    assert_eq!(inserted.expect("add to the group"), 1);
    let copied: String = customer_group_members::table
        .filter(customer_group_members::customer_id.eq(&customer))
        .select(customer_group_members::state)
        .first(&mut app.conn())
        .expect("the member");
    assert_eq!(copied, "suspended");
    no_differences(&app);
}

/// The same for the partner a licence carries, while its customer moves.
#[tokio::test]
async fn a_licence_added_while_its_customer_moves_carries_the_new_partner() {
    let app = spawn_app().await;
    let (customer, other) = a_customer_and_another_partner(&app);
    let (licence, now) = (uuid::Uuid::new_v4().to_string(), app.clock_now());
    let inserted = meanwhile_uncommitted(
        &app,
        |conn| moved(conn, &customer, &other),
        |conn| {
            diesel::insert_into(licences::table)
                .values((
                    licences::id.eq(&licence),
                    licences::customer_id.eq(&customer),
                    licences::product.eq("Backup"),
                    licences::quantity.eq(5),
                    licences::status.eq(LicenceStatus::Active.as_str()),
                    licences::expires_on.eq(now.date() + chrono::Duration::days(365)),
                    licences::created_at.eq(now),
                ))
                .execute(conn)
        },
    );
    assert_eq!(inserted.expect("a licence"), 1);
    let carried: Option<String> = licences::table
        .find(&licence)
        .select(licences::partner_id)
        .first(&mut app.conn())
        .expect("the licence");
    assert_eq!(carried.as_deref(), Some(other.as_str()));
    no_differences(&app);
}

/// The same for the partner a monitor is counted for, while its customer moves.
#[tokio::test]
async fn a_monitor_added_while_its_customer_moves_counts_for_the_new_partner() {
    let app = spawn_app().await;
    let (customer, other) = a_customer_and_another_partner(&app);
    let now = app.clock_now();
    let inserted = meanwhile_uncommitted(
        &app,
        |conn| moved(conn, &customer, &other),
        |conn| {
            diesel::insert_into(monitors::table)
                .values((
                    monitors::id.eq(uuid::Uuid::new_v4().to_string()),
                    monitors::customer_id.eq(&customer),
                    monitors::name.eq("Shop"),
                    monitors::name_key.eq("shop"),
                    monitors::kind.eq("web"),
                    monitors::target.eq("https://shop.example/"),
                    monitors::created_at.eq(now),
                    monitors::updated_at.eq(now),
                ))
                .execute(conn)
        },
    );
    assert_eq!(inserted.expect("a monitor"), 1);
    let counted: Vec<(String, i32)> = partner_monitors::table
        .filter(partner_monitors::monitors.ne(0))
        .select((partner_monitors::partner_id, partner_monitors::monitors))
        .load(&mut app.conn())
        .expect("the counts");
    assert_eq!(counted, vec![(other, 1)]);
    no_differences(&app);
}

/// Two licences of one customer expire at once: its licence summary, which
/// each change recomputes from all of them, ends with neither active.
#[tokio::test]
async fn two_licences_of_one_customer_changed_at_once_are_both_summarised() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let first = app.licence(&customer, "Backup", 5, LicenceStatus::Active);
    let second = app.licence(&customer, "Mail", 5, LicenceStatus::Active);
    let expire = |licence: &str, conn: &mut DbConnection| {
        diesel::update(licences::table.find(licence))
            .set(licences::status.eq(LicenceStatus::Expired.as_str()))
            .execute(conn)
    };
    let updated = meanwhile_uncommitted(
        &app,
        |conn| expire(&first, conn),
        |conn| expire(&second, conn),
    );
    assert_eq!(updated.expect("the second expires"), 1);
    let flags: i32 = customer_accounts::table
        .find(&customer)
        .select(customer_accounts::licence_flags)
        .first(&mut app.conn())
        .expect("the customer");
    assert_eq!(flags, derived::licence_flags::EXPIRED);
    no_differences(&app);
}

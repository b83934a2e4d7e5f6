//! A copy kept by a trigger stays true when the row it copies changes in
//! another transaction at the same moment, on both backends.

use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::customers::LicenceStatus;
use partnerdesk::db::schema::{customer_accounts, customer_group_members, licences};
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
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let other = app.invite_partner_owner("Fabrikam", "fiona@fabrikam.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let (licence, now) = (uuid::Uuid::new_v4().to_string(), app.clock_now());
    let inserted = meanwhile_uncommitted(
        &app,
        |conn| {
            diesel::update(customer_accounts::table.find(&customer))
                .set(customer_accounts::partner_id.eq(&other))
                .execute(conn)
        },
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

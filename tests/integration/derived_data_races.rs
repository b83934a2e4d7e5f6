//! A copy kept by a trigger stays true when the row it copies changes in
//! another transaction at the same moment, on both backends.

use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::db::derived;
use partnerdesk::db::schema::{customer_accounts, customer_group_members};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::spawn_app;

/// A customer is suspended in one transaction while another puts it in a
/// group. Read before the change commits, the member's copy would keep the
/// old state for good: the change's trigger ran before the member existed.
#[tokio::test]
async fn a_member_added_while_its_customer_changes_copies_the_change() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let group = app.group_with(&partner, "Retail", &[]);
    let mut changer = app.conn();
    let mut adder = app.conn();
    let added = changer
        .transaction(|conn| {
            diesel::update(customer_accounts::table.find(&customer))
                .set(customer_accounts::state.eq("suspended"))
                .execute(conn)?;
            let (group, customer) = (group.clone(), customer.clone());
            let added = std::thread::spawn(move || {
                diesel::insert_into(customer_group_members::table)
                    .values((
                        customer_group_members::group_id.eq(group),
                        customer_group_members::customer_id.eq(customer),
                        customer_group_members::added_at.eq(chrono::Utc::now().naive_utc()),
                    ))
                    .execute(&mut *adder)
            });
            // Time for the other transaction to finish if nothing held it.
            std::thread::sleep(Duration::from_millis(500));
            diesel::QueryResult::Ok(added)
        })
        .expect("suspend the customer");
    let inserted = added.join().expect("the adding thread");
    assert_eq!(inserted.expect("add to the group"), 1);
    let copied: String = customer_group_members::table
        .filter(customer_group_members::customer_id.eq(&customer))
        .select(customer_group_members::state)
        .first(&mut app.conn())
        .expect("the member");
    assert_eq!(copied, "suspended");
    assert_eq!(
        derived::differences(&mut app.conn()).expect("recompute"),
        Vec::new()
    );
}

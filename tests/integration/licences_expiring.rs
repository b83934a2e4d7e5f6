//! The home's customers with a licence expiring soon are counted from
//! `customer_expiry_dates` (each customer's dates of active licence expiry with
//! the previous one, kept by triggers). Whatever happens to the licences and
//! the customers, the count for any period is that of the licences' distinct
//! customers, on both backends.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use partnerdesk::auth::scope::PartnerScope;
use partnerdesk::customers::list::count_licences_expiring;
use partnerdesk::db::schema::{customer_accounts, licences};
use partnerdesk::db::{DbConnection, derived};
use partnerdesk::i18n::Lang;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::helpers::spawn_app;

/// The plain count: the distinct customers of the partner's active licences
/// expiring from `from` to `to`.
fn distinct_customers(
    conn: &mut DbConnection,
    partner: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> i64 {
    licences::table
        .filter(licences::partner_id.eq(partner))
        .filter(licences::status.eq("active"))
        .filter(licences::expires_on.between(from, to))
        .select(diesel::dsl::count(licences::customer_id).aggregate_distinct())
        .get_result(conn)
        .expect("the plain count")
}

/// One random change of a licence or of a customer's partner.
fn change(
    conn: &mut DbConnection,
    rng: &mut rand::rngs::StdRng,
    (customers, partners): (&[String], &[String; 2]),
    today: NaiveDate,
) {
    let ids: Vec<String> = licences::table
        .select(licences::id)
        .order(licences::id)
        .load(conn)
        .expect("the licences");
    let licence = ids.choose(rng).cloned().unwrap_or_default();
    let customer = customers.choose(rng).cloned().unwrap_or_default();
    let near = today + Duration::days(rng.gen_range(-10..45));
    let done = match rng.gen_range(0..7) {
        0 => diesel::update(licences::table.find(&licence))
            .set(licences::expires_on.eq(near))
            .execute(conn),
        1 => diesel::update(licences::table.find(&licence))
            .set(licences::status.eq(["active", "trial", "expired"][rng.gen_range(0..3)]))
            .execute(conn),
        2 => diesel::update(licences::table.find(&licence))
            .set(licences::customer_id.eq(&customer))
            .execute(conn),
        3 => diesel::delete(licences::table.find(&licence)).execute(conn),
        4 => diesel::update(customer_accounts::table.find(&customer))
            .set(customer_accounts::partner_id.eq(&partners[rng.gen_range(0..2)]))
            .execute(conn),
        // A second licence on a date the customer may already have.
        _ => {
            let same_day: Option<Option<NaiveDate>> = licences::table
                .filter(licences::customer_id.eq(&customer))
                .select(licences::expires_on)
                .first(conn)
                .optional()
                .expect("a licence of the customer");
            diesel::insert_into(licences::table)
                .values((
                    licences::id.eq(uuid::Uuid::new_v4().to_string()),
                    licences::customer_id.eq(&customer),
                    licences::product.eq("Backup"),
                    licences::quantity.eq(5),
                    licences::status.eq("active"),
                    licences::expires_on.eq(same_day.flatten().unwrap_or(near)),
                    licences::created_at.eq(today.and_hms_opt(9, 0, 0).unwrap_or_default()),
                ))
                .execute(conn)
        }
    };
    done.expect("the change");
}

#[tokio::test]
async fn the_customers_with_a_licence_expiring_are_those_of_the_licences_through_every_change() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fiona@fabrikam.example", Lang::En);
    let now = app.clock_now();
    let today = now.date();
    let customers = app.seeded_customers(&contoso, now, 40, &[], 23);
    let partners = [contoso.clone(), fabrikam.clone()];
    let mut conn = app.conn();
    let mut rng = rand::rngs::StdRng::seed_from_u64(23);
    // Bring the seeded expiries near today, so every period below holds some.
    let ids: Vec<String> = licences::table
        .select(licences::id)
        .load(&mut conn)
        .expect("ids");
    for id in &ids {
        diesel::update(licences::table.find(id))
            .set(licences::expires_on.eq(today + Duration::days(rng.gen_range(-10..45))))
            .execute(&mut conn)
            .expect("an expiry near today");
    }
    let periods = [(0, 30), (-5, 5), (10, 10), (-10, 45), (31, 40)];
    let mut counted_some = false;
    for round in 0..120 {
        change(&mut conn, &mut rng, (&customers, &partners), today);
        for partner in &partners {
            let scope = PartnerScope::for_operator(&mut conn, partner)
                .expect("read the partner")
                .expect("the partner");
            for (from, to) in periods {
                let (from, to) = (today + Duration::days(from), today + Duration::days(to));
                let kept = count_licences_expiring(&mut conn, &scope, from, to).expect("the count");
                let plain = distinct_customers(&mut conn, partner, from, to);
                assert_eq!(kept, plain, "round {round}, {partner}, {from} to {to}");
                counted_some |= plain > 1;
            }
        }
    }
    assert!(counted_some, "the periods held customers");
    assert_eq!(derived::differences(&mut conn).expect("check"), Vec::new());
}

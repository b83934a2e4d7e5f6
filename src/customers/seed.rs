//! Generated customers, for the demo (`serve --demo`) and the benchmark: varied
//! countries, states, billing types, health, groups and licences, written in
//! batches. Names come from a seeded generator, so a run can be repeated.

use crate::ids::CustomerId;
use crate::ids::PartnerId;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::regions;
use super::{BillingType, CustomerState, LicenceStatus, Term};
use crate::db::schema::{
    customer_accounts, customer_group_members, customer_groups, licences, sites,
};
use crate::db::{self, DbConnection};
use crate::places::countries::{self, Country};

const FIRST: &[&str] = &[
    "Alder",
    "Beacon",
    "Cobalt",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Maple",
    "Nimbus",
    "Orchid",
    "Pioneer",
    "Quartz",
    "Riverside",
    "Summit",
    "Tundra",
    "Umber",
    "Vertex",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
    "Atlas",
    "Boréal",
    "Céleste",
    "Dune",
];
const SECOND: &[&str] = &[
    "Analytics",
    "Bakery",
    "Clinic",
    "Dental",
    "Engineering",
    "Foods",
    "Garage",
    "Hotels",
    "Insurance",
    "Joinery",
    "Kitchens",
    "Logistics",
    "Media",
    "Notaires",
    "Optics",
    "Pharmacie",
    "Quarry",
    "Robotics",
    "Studios",
    "Transports",
    "Utilities",
    "Ventures",
    "Wines",
    "Yachts",
];
const PRODUCTS: &[&str] = &[
    "Endpoint Protection",
    "Email Security",
    "Firewall",
    "Cloud Backup",
    "Video Surveillance",
    "Mobile Management",
];

pub struct SeedOptions {
    pub partner_id: PartnerId,
    pub count: usize,
    /// Groups to create and spread the customers over.
    pub groups: &'static [&'static str],
    pub seed: u64,
}

/// Writes `count` customers for the partner, in transactions of a few thousand.
/// Returns the ids in creation order.
pub fn generate(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    options: &SeedOptions,
) -> QueryResult<Vec<String>> {
    let mut rng = StdRng::seed_from_u64(options.seed);
    // Seats in use draw from a generator of their own, so the customers of a
    // given seed stay what they were before usage existed.
    let mut usage_rng = StdRng::seed_from_u64(options.seed.wrapping_add(1));
    let group_ids: Vec<String> = db::write_transaction(conn, |conn| {
        options
            .groups
            .iter()
            .map(|name| {
                let id = uuid::Uuid::new_v4().to_string();
                diesel::insert_into(customer_groups::table)
                    .values((
                        customer_groups::id.eq(&id),
                        customer_groups::partner_id.eq(&options.partner_id),
                        customer_groups::name.eq(*name),
                        customer_groups::name_key.eq(name.to_lowercase()),
                        customer_groups::created_at.eq(now),
                    ))
                    .execute(conn)?;
                Ok(id)
            })
            .collect::<QueryResult<Vec<String>>>()
    })?;
    let mut ids = Vec::with_capacity(options.count);
    let batch = 2_000;
    let mut done = 0;
    while done < options.count {
        let size = batch.min(options.count - done);
        db::write_transaction(conn, |conn| -> QueryResult<()> {
            for n in done..done + size {
                let rngs = (&mut rng, &mut usage_rng);
                let id = insert_one(conn, now, options, &group_ids, rngs, n)?;
                ids.push(id);
            }
            Ok(())
        })?;
        done += size;
    }
    Ok(ids)
}

fn insert_one(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    options: &SeedOptions,
    group_ids: &[String],
    (rng, usage_rng): (&mut StdRng, &mut StdRng),
    n: usize,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let customer = Drawn::draw(rng, now, n);
    insert_account(conn, options, &id, &customer, n)?;
    diesel::insert_into(sites::table)
        .values((
            sites::id.eq(uuid::Uuid::new_v4().to_string()),
            sites::customer_id.eq(&id),
            sites::name.eq(&customer.name),
            sites::time_zone.eq(customer.zone),
            sites::created_at.eq(customer.created_at),
        ))
        .execute(conn)?;
    insert_licences(
        conn,
        now,
        options,
        &CustomerId::new(id.clone()),
        &customer,
        (rng, usage_rng),
    )?;
    if !group_ids.is_empty() && rng.gen_bool(0.4) {
        let group = &group_ids[rng.gen_range(0..group_ids.len())];
        diesel::insert_into(customer_group_members::table)
            .values((
                customer_group_members::group_id.eq(group),
                customer_group_members::customer_id.eq(&id),
                customer_group_members::added_at.eq(customer.created_at),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// One generated customer's account, as drawn.
struct Drawn {
    name: String,
    domain: String,
    country: &'static Country,
    zone: &'static str,
    created_at: NaiveDateTime,
    state: CustomerState,
    billing: BillingType,
    managed_order: bool,
    trial_ends_on: Option<NaiveDate>,
    term: Term,
    health: i32,
}

impl Drawn {
    /// Draws customer number `n`, in the order the generator always has, so a
    /// seed keeps giving the same customers.
    fn draw(rng: &mut StdRng, now: NaiveDateTime, n: usize) -> Drawn {
        let first = FIRST[rng.gen_range(0..FIRST.len())];
        let second = SECOND[rng.gen_range(0..SECOND.len())];
        let name = format!("{first} {second} {n}");
        let domain = format!(
            "{}-{}-{n}.example",
            first.to_lowercase().replace(['é', 'ê'], "e"),
            second.to_lowercase()
        );
        let all = countries::all();
        let country = &all[rng.gen_range(0..all.len())];
        let zone = country.zone().unwrap_or(chrono_tz::UTC).name();
        let created_at = now - Duration::minutes(rng.gen_range(0..60 * 24 * 900));
        let state = match rng.gen_range(0..20) {
            0 => CustomerState::Creating,
            1 => CustomerState::Suspended,
            _ => CustomerState::Active,
        };
        let billing = match rng.gen_range(0..10) {
            0..=2 => BillingType::Trial,
            3..=6 => BillingType::MonthlyUsage,
            _ => BillingType::TermSubscription,
        };
        let managed_order = rng.gen_bool(0.15);
        let trial_ends_on = (billing == BillingType::Trial)
            .then(|| now.date() + Duration::days(rng.gen_range(-10..45)));
        let term = if rng.gen_bool(0.3) {
            Term::Annual
        } else {
            Term::Monthly
        };
        let health = match rng.gen_range(0..25) {
            0 => 2,
            1..=3 => 1,
            _ => 0,
        };
        Drawn {
            name,
            domain,
            country,
            zone,
            created_at,
            state,
            billing,
            managed_order,
            trial_ends_on,
            term,
            health,
        }
    }
}

fn insert_account(
    conn: &mut DbConnection,
    options: &SeedOptions,
    id: &str,
    customer: &Drawn,
    n: usize,
) -> QueryResult<usize> {
    let Drawn {
        ref name,
        ref domain,
        country,
        created_at,
        ..
    } = *customer;
    diesel::insert_into(customer_accounts::table)
        .values((
            customer_accounts::id.eq(id),
            customer_accounts::partner_id.eq(&options.partner_id),
            customer_accounts::name.eq(name),
            customer_accounts::name_key.eq(name.to_lowercase()),
            customer_accounts::primary_domain.eq(domain),
            customer_accounts::search_text.eq(super::search_text(name, domain)),
            customer_accounts::country.eq(country.code),
            customer_accounts::data_region.eq(regions::default_region(country)),
            customer_accounts::time_zone.eq(customer.zone),
            customer_accounts::reference_number.eq(format!("REF-{n:06}")),
            customer_accounts::subscription_term.eq(customer.term),
            customer_accounts::term_started_on.eq(created_at.date()),
            customer_accounts::address_line1.eq(format!("{} Main Street", n % 300 + 1)),
            customer_accounts::address_line2.eq(""),
            customer_accounts::postal_code.eq(format!("{:05}", n % 99_999)),
            customer_accounts::city.eq("Springfield"),
            customer_accounts::region.eq(""),
            customer_accounts::contact_name.eq(format!("Contact {n}")),
            customer_accounts::contact_email.eq(format!("admin@{domain}")),
            customer_accounts::contact_phone.eq(""),
            customer_accounts::state.eq(customer.state),
            customer_accounts::billing_type.eq(customer.billing),
            customer_accounts::trial_ends_on.eq(customer.trial_ends_on),
            customer_accounts::managed_order.eq(customer.managed_order),
            customer_accounts::partner_assistance.eq(super::assistance_by_default(
                customer.billing,
                customer.managed_order,
            )),
            customer_accounts::health_level.eq(customer.health),
            customer_accounts::created_at.eq(created_at),
            customer_accounts::updated_at.eq(created_at),
        ))
        .execute(conn)
}

/// None to two licences, drawn after the account.
fn insert_licences(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    options: &SeedOptions,
    customer_id: &CustomerId,
    customer: &Drawn,
    (rng, usage_rng): (&mut StdRng, &mut StdRng),
) -> QueryResult<()> {
    for _ in 0..rng.gen_range(0..3) {
        let status = match customer.billing {
            BillingType::Trial => LicenceStatus::Trial,
            _ if rng.gen_bool(0.1) => LicenceStatus::Expired,
            _ => LicenceStatus::Active,
        };
        let ours = rng.gen_bool(0.7);
        // Drawn in the order they always were.
        let product = PRODUCTS[rng.gen_range(0..PRODUCTS.len())];
        let quantity = rng.gen_range(1..250);
        diesel::insert_into(licences::table)
            .values((
                licences::id.eq(uuid::Uuid::new_v4().to_string()),
                licences::customer_id.eq(customer_id),
                licences::product.eq(product),
                licences::quantity.eq(quantity),
                licences::seats_used.eq(seats_used(usage_rng, quantity)),
                licences::status.eq(status),
                licences::supplied_by_partner_id.eq(ours.then_some(options.partner_id.as_str())),
                licences::expires_on.eq(Some(now.date() + Duration::days(rng.gen_range(-30..400)))),
                licences::created_at.eq(customer.created_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Seats in use of a licence of `quantity` seats: not reported for two licences
/// in five, over the quantity for about one in twenty, else up to the quantity.
fn seats_used(rng: &mut StdRng, quantity: i32) -> Option<i32> {
    match rng.gen_range(0..100) {
        0..=39 => None,
        40..=44 => Some(quantity + rng.gen_range(1..=quantity / 5 + 3)),
        _ => Some(rng.gen_range(0..=quantity)),
    }
}

/// The organisation's first two customers by name, for the demo's service
/// health and requests; `None` while it has fewer.
pub fn first_two_of(
    conn: &mut DbConnection,
    partner_id: &str,
) -> QueryResult<Option<(String, String)>> {
    let customers: Vec<String> = customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner_id))
        .order((
            customer_accounts::name_key.asc(),
            customer_accounts::id.asc(),
        ))
        .select(customer_accounts::id)
        .limit(2)
        .load(conn)?;
    let mut customers = customers.into_iter();
    Ok(customers.next().zip(customers.next()))
}

//! The seeded database: partner A and the other partners with their
//! customers, a distributor over resellers sharing theirs (issue 21), the
//! logins that sign in (A's owner, an agent of A limited to one group, the
//! distributor's owner, a customer's administrator) and a dashboard of
//! monitors. Runs in a child process (`database::prepare`).

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use partnerdesk::auth::password::hash_password;
use partnerdesk::clock::{Clock, SystemClock};
use partnerdesk::customers::seed::{self, SeedOptions};
use partnerdesk::db::schema::{
    customer_group_members, customer_groups, membership_groups, memberships,
};
use partnerdesk::db::{self, DbConnection};
use partnerdesk::i18n::Lang;
use partnerdesk::ids::{CustomerId, PartnerId};
use partnerdesk::organisations;

use crate::env_number;

pub const OWNER: &str = "owner@bench.example";
pub const LIMITED_AGENT: &str = "limited@bench.example";
pub const DISTRIBUTOR_OWNER: &str = "owner@distributor.bench.example";
pub const CUSTOMER_ADMIN: &str = "admin@bench-customer.example";
pub const PASSWORD: &str = "a long enough passphrase";
const GROUPS: &[&str] = &["Retail", "Healthcare", "Public sector", "Priority support"];
/// The one group of partner A the limited agent reaches.
pub const LIMITED_GROUP: &str = "Retail";
pub const RESELLERS: usize = 20;

/// How many organisations and customers a run seeds.
pub struct Sizes {
    /// Partner A's customers (`PARTNERDESK_BENCH_CUSTOMERS`).
    pub customers: usize,
    /// The partners beside A and their customers in all:
    /// `PARTNERDESK_BENCH_OTHER_PARTNERS` (default 1) sharing
    /// `PARTNERDESK_BENCH_OTHER_CUSTOMERS` (default as many as A's). The
    /// instance-sized run is 999 partners sharing 900,000 customers beside
    /// A's 100,000: a million over a thousand partners.
    pub others: usize,
    pub other_customers: usize,
    /// The customers the distributor's `RESELLERS` resellers share
    /// (`PARTNERDESK_BENCH_DISTRIBUTOR_CUSTOMERS`, default as many as A's).
    pub distributor_customers: usize,
}

impl Sizes {
    pub fn of(customers: usize) -> Self {
        Sizes {
            customers,
            others: env_number("PARTNERDESK_BENCH_OTHER_PARTNERS", 1).max(1),
            other_customers: env_number("PARTNERDESK_BENCH_OTHER_CUSTOMERS", customers),
            distributor_customers: env_number("PARTNERDESK_BENCH_DISTRIBUTOR_CUSTOMERS", customers),
        }
    }

    pub fn all_customers(&self) -> usize {
        self.customers + self.other_customers + self.distributor_customers
    }
}

/// `total` shared over `parts` as evenly as it divides: the `n`th part's share.
fn share(total: usize, parts: usize, n: usize) -> usize {
    total / parts + usize::from(n < total % parts)
}

fn name(text: &str) -> DisplayName {
    DisplayName::parse(text).expect("a valid display name")
}

/// An active login that signs in with `PASSWORD`.
fn login(conn: &mut DbConnection, now: NaiveDateTime, username: &str, full_name: &str) -> String {
    let new = NewLogin {
        username: Username::parse(username).expect("a valid username"),
        email: EmailAddress::parse(username).expect("a valid email address"),
        full_name: name(full_name),
        language: Lang::En,
        time_zone: chrono_tz::Europe::Paris,
    };
    let hash = hash_password(PASSWORD).expect("hash the password");
    accounts::insert(conn, now, &new, LoginState::Active, Some(&hash))
        .unwrap_or_else(|e| panic!("insert the login {username}: {e}"))
}

/// `username` as a member of `partner` in `role`: its membership's id.
fn member(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner: &str,
    (username, full_name): (&str, &str),
    role: PartnerRole,
) -> String {
    let login_id = login(conn, now, username, full_name);
    organisations::add_member(conn, now, &PartnerId::new(partner), &login_id, role)
        .unwrap_or_else(|e| panic!("make {username} a member: {e}"))
}

fn organisation(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    text: &str,
    parent: Option<&str>,
) -> String {
    // insert_organisation writes the first row of its parents over time
    // (partner_parent_history) too, as for the demo's resellers.
    organisations::insert_organisation(conn, now, &name(text), parent, false)
        .expect("insert a partner")
}

/// Partner A with its customers and the other partners with theirs, the
/// distributor's resellers with theirs, and every login. Returns the time spent
/// generating the customers.
pub fn seed_database(url: &str, sizes: &Sizes) -> Duration {
    let pool = db::connect(url, 2).expect("open the seeding pool");
    let mut conn = pool.get().expect("a database connection for seeding");
    let now = SystemClock.now();
    let partner_a = organisation(&mut conn, now, "Bench Partner A", None);
    let mut partners = vec![(partner_a.clone(), sizes.customers)];
    for n in 0..sizes.others {
        let id = organisation(&mut conn, now, &format!("Bench Partner {}", n + 2), None);
        partners.push((id, share(sizes.other_customers, sizes.others, n)));
    }
    let distributor = organisation(&mut conn, now, "Bench Distributor", None);
    for n in 0..RESELLERS {
        let text = format!("Bench Reseller {:02}", n + 1);
        let id = organisation(&mut conn, now, &text, Some(&distributor));
        partners.push((id, share(sizes.distributor_customers, RESELLERS, n)));
    }
    member(
        &mut conn,
        now,
        &partner_a,
        (OWNER, "Bench Owner"),
        PartnerRole::Owner,
    );
    let owner = (DISTRIBUTOR_OWNER, "Bench Distributor Owner");
    member(&mut conn, now, &distributor, owner, PartnerRole::Owner);
    let started = Instant::now();
    let mut first_customer = None;
    // The seeds of A and the other partners are those of before the
    // distributor, so their customers are the same as in earlier runs.
    for (seed, (partner_id, count)) in (1..).zip(partners) {
        let options = SeedOptions {
            partner_id: PartnerId::new(partner_id),
            count,
            groups: GROUPS,
            seed,
        };
        let ids = seed::generate(&mut conn, now, &options).expect("seed customers");
        first_customer = first_customer.or(ids.into_iter().next());
    }
    let elapsed = started.elapsed();
    limited_agent(&mut conn, now, &partner_a);
    let customer = first_customer.expect("a customer of partner A");
    dashboard(&mut conn, now, &customer);
    if let db::DbConnection::Sqlite(sqlite) = &mut *conn {
        // The seeding leaves a write-ahead log of over 100 MB: copied back into the
        // database by the first commits of the measured requests, it took minutes
        // on a busy machine, all counted as theirs.
        diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(sqlite)
            .expect("checkpoint the seeded database");
    }
    elapsed
}

/// An admin agent of partner A whom an owner limited to `LIMITED_GROUP`:
/// the rows the staff page's reach form writes (`staff::reach`, whose
/// function needs a signed-in owner's scope).
fn limited_agent(conn: &mut DbConnection, now: NaiveDateTime, partner_a: &str) {
    let agent = (LIMITED_AGENT, "Bench Limited Agent");
    let membership = member(conn, now, partner_a, agent, PartnerRole::AdminAgent);
    let group: String = customer_groups::table
        .filter(customer_groups::partner_id.eq(partner_a))
        .filter(customer_groups::name.eq(LIMITED_GROUP))
        .select(customer_groups::id)
        .first(conn)
        .expect("partner A's group");
    db::write_transaction(conn, |conn| {
        diesel::insert_into(membership_groups::table)
            .values((
                membership_groups::membership_id.eq(&membership),
                membership_groups::group_id.eq(&group),
            ))
            .execute(conn)?;
        diesel::update(memberships::table.filter(memberships::id.eq(&membership)))
            .set(memberships::customers_scoped.eq(true))
            .execute(conn)
    })
    .expect("limit the agent to one group");
    let reached: i64 = customer_group_members::table
        .filter(customer_group_members::group_id.eq(&group))
        .count()
        .get_result(conn)
        .expect("count the group");
    println!(
        "limited agent {LIMITED_AGENT}: {LIMITED_GROUP} holds {reached} of partner A's customers"
    );
}

/// The customer's administrator and a dashboard of monitors on its customer.
fn dashboard(conn: &mut DbConnection, now: NaiveDateTime, customer: &str) {
    let admin_id = login(conn, now, CUSTOMER_ADMIN, "Bench Customer Admin");
    partnerdesk::customers::create::add_customer_member(
        conn,
        now,
        &CustomerId::new(customer.to_owned()),
        &admin_id,
        "administrator",
    )
    .expect("make them the customer's administrator");
    let monitors = env_number("PARTNERDESK_BENCH_MONITORS", 50).max(1);
    let days = env_number("PARTNERDESK_BENCH_MONITOR_DAYS", 90).max(1);
    let started = Instant::now();
    partnerdesk::monitoring::demo::bench_seed(conn, now, customer, monitors, days as i64)
        .expect("seed monitors and a dashboard");
    println!(
        "seeding {monitors} monitors x {days} days at one check a minute (rollups, and raw \
         results for the last day): {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

//! `PARTNERDESK_BENCH_STATEMENTS=<n>`: where a page's database time goes. On
//! one pooled connection and nothing else running, the reads of partner A's
//! owner's home (the identity, the figures, the distributor's roll-up) and of
//! a search of the list (the search scenario's texts in turn) are made `n`
//! times each, and each statement's time is printed, the costliest first,
//! beside its share of the whole. A statement run several times a page is
//! summed under its SQL, and "runs" says how many times a page it ran.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::connection::{Connection, InstrumentationEvent};
use diesel::prelude::*;
use partnerdesk::auth::identity;
use partnerdesk::auth::scope::PartnerScope;
use partnerdesk::customers::list::{self, View};
use partnerdesk::db::schema::{logins, memberships};
use partnerdesk::db::{self, DbConnection};
use partnerdesk::partner::home::{self, Moment, Sections, TRIALS_ENDING_DAYS};

use crate::report::ms;
use crate::scenarios::FRAGMENTS;
use crate::seed::OWNER;

pub const STATEMENTS_VAR: &str = "PARTNERDESK_BENCH_STATEMENTS";

/// Every statement `work` runs on `conn`, without its binds, with the time
/// from its start to its end (its last row read), in order. A statement that
/// never reports its end counts as taking no time.
fn timed_statements_of(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection),
) -> Vec<(String, Duration)> {
    // Each statement's SQL, start, and time once it ends.
    type Recorded = Vec<(String, Instant, Option<Duration>)>;
    let seen: Arc<Mutex<Recorded>> = Arc::default();
    let recorder = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        let mut recorded = recorder.lock().expect("recorder lock");
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                let text = query.to_string();
                let sql = text.split(" -- binds:").next().unwrap_or_default();
                recorded.push((sql.to_owned(), Instant::now(), None));
            }
            InstrumentationEvent::FinishQuery { .. } => {
                let unfinished = recorded
                    .iter_mut()
                    .rev()
                    .find(|(_, _, took)| took.is_none());
                if let Some((_, started, took)) = unfinished {
                    *took = Some(started.elapsed());
                }
            }
            _ => {}
        }
    });
    work(conn);
    conn.set_instrumentation(diesel::connection::get_default_instrumentation());
    let recorded = std::mem::take(&mut *seen.lock().expect("recorder lock"));
    recorded
        .into_iter()
        .map(|(sql, _, took)| (sql, took.unwrap_or_default()))
        .collect()
}

/// A's owner's login and membership, and the scope of A.
fn owner_of_a(conn: &mut DbConnection) -> (String, String, PartnerScope) {
    let (login_id, membership_id, partner_id): (String, String, Option<String>) = logins::table
        .inner_join(memberships::table.on(memberships::login_id.eq(logins::id)))
        .filter(logins::username.eq(OWNER))
        .select((logins::id, memberships::id, memberships::partner_id))
        .first(conn)
        .expect("A's owner and their membership");
    let partner_id = partner_id.expect("A's owner is a partner's member");
    let scope = PartnerScope::for_operator(conn, &partner_id)
        .expect("read partner A")
        .expect("partner A exists");
    (login_id, membership_id, scope)
}

/// One home page's reads, as the handler makes them for A's owner.
fn home_reads(conn: &mut DbConnection, owner: &(String, String, PartnerScope)) {
    let (login_id, membership_id, scope) = owner;
    identity::load(conn, login_id, Some(membership_id)).expect("the owner's identity");
    let zone = chrono_tz::Europe::Paris;
    let now = Utc::now().naive_utc();
    let moment = Moment {
        now,
        today: now.and_utc().with_timezone(&zone).date_naive(),
        zone,
    };
    let sections = Sections {
        activity: true,
        requests: true,
        staff: true,
    };
    home::load(conn, scope, moment, sections).expect("the home's figures");
    partnerdesk::network::rollup::for_home(conn, scope, moment.today, TRIALS_ENDING_DAYS)
        .expect("the distributor's roll-up");
}

/// One search page as the list's handler reads it, the `n`th of the search
/// scenario's texts.
fn search_reads(conn: &mut DbConnection, scope: &PartnerScope, n: usize) {
    let view = View {
        q: FRAGMENTS[n % FRAGMENTS.len()].to_owned(),
        ..View::default()
    };
    list::load(conn, scope, &view).expect("a search page");
}

/// Partner A's owner's home and search pages, each broken down by statement.
pub fn print(database_url: &str, repeats: usize) {
    let pool = db::connect(database_url, 1).expect("open a pool on the benchmark's database");
    let mut conn = pool.get().expect("a pooled connection");
    let owner = owner_of_a(&mut conn);
    breakdown("partner home", repeats, &mut conn, |conn, _| {
        home_reads(conn, &owner)
    });
    breakdown(
        "search, the scenario's texts in turn",
        repeats,
        &mut conn,
        |conn, n| search_reads(conn, &owner.2, n),
    );
}

/// `reads` (given the page's number) `repeats` times, after as many to warm
/// the connection's caches as a served page finds them; prints each statement.
fn breakdown(
    title: &str,
    repeats: usize,
    conn: &mut DbConnection,
    mut reads: impl FnMut(&mut DbConnection, usize),
) {
    for n in 0..repeats.min(20) {
        reads(conn, n);
    }
    let mut by_sql: HashMap<String, (Duration, usize)> = HashMap::new();
    let started = Instant::now();
    for n in 0..repeats {
        for (sql, took) in timed_statements_of(conn, |conn| reads(conn, n)) {
            let entry = by_sql.entry(sql).or_default();
            entry.0 += took;
            entry.1 += 1;
        }
    }
    let whole = started.elapsed();
    let in_statements: Duration = by_sql.values().map(|(took, _)| *took).sum();
    let mut rows: Vec<(String, (Duration, usize))> = by_sql.into_iter().collect();
    rows.sort_by_key(|(_, (took, _))| std::cmp::Reverse(*took));
    let per_page = |took: Duration| ms(took) / repeats as f64;
    println!(
        "\n{title}: {repeats} pages one at a time, {:.3} ms a page, {:.3} ms of it in {} \
         statements",
        per_page(whole),
        per_page(in_statements),
        rows.iter().map(|(_, (_, n))| n).sum::<usize>() / repeats.max(1),
    );
    println!("{:>9} {:>6} {:>7}  statement", "ms/page", "share", "runs");
    for (sql, (took, runs)) in rows {
        let share = 100.0 * took.as_secs_f64() / whole.as_secs_f64();
        let short: String = sql.chars().take(160).collect();
        let runs = runs as f64 / repeats.max(1) as f64;
        println!(
            "{:>9.3} {:>5.1}% {runs:>7.2}  {short}",
            per_page(took),
            share
        );
    }
}

//! Demo monitoring data (`serve --demo`) and the benchmark's: monitors with weeks
//! of check results, their rollups computed here and written in bulk, and a
//! dashboard.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::results::{Rollup, hour_of, insert_rollups};
use crate::db::DbConnection;
use crate::db::schema::{
    customer_accounts, dashboard_monitors, dashboards, monitor_errors, monitor_results, monitors,
};

/// A monitor to generate: name, kind, target, and how often it fails (one
/// check in `fail_every`).
pub struct Generated<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub target: &'a str,
    pub fail_every: u64,
}

/// A cheap deterministic pseudo-random sequence (no need for real randomness).
fn mix(seed: u64) -> u64 {
    let mut x = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Adds a monitor with a result every `every` from `since` to `now`. The raw
/// results are written only for the last `raw_for` (the rollups cover it all).
#[allow(clippy::too_many_arguments)]
pub fn monitor_with_history(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    monitor: &Generated<'_>,
    since: NaiveDateTime,
    every: Duration,
    raw_for: Duration,
    seed: u64,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let mut rollups: Vec<Rollup> = Vec::new();
    let mut raw = Vec::new();
    let mut at = since;
    let mut n: u64 = 0;
    let mut last = None;
    while at <= now {
        let r = mix(seed.wrapping_mul(1_000_003).wrapping_add(n));
        let success = monitor.fail_every == 0 || !r.is_multiple_of(monitor.fail_every);
        let base = 80 + (r >> 8) % 120;
        let slow = if (r >> 20).is_multiple_of(50) { 900 } else { 0 };
        let ms = i32::try_from(base + slow).unwrap_or(i32::MAX);
        let response_ms = success.then_some(ms);
        let hour = hour_of(at);
        if rollups.last().is_none_or(|r| r.hour != hour) {
            rollups.push(Rollup::empty(&id, hour));
        }
        if let Some(rollup) = rollups.last_mut() {
            rollup.add(success, response_ms);
        }
        if now - at <= raw_for {
            raw.push((at, success, response_ms));
        }
        last = Some((at, success));
        at += every;
        n += 1;
    }
    diesel::insert_into(monitors::table)
        .values((
            monitors::id.eq(&id),
            monitors::customer_id.eq(customer_id),
            monitors::name.eq(monitor.name),
            monitors::name_key.eq(monitor.name.to_lowercase()),
            monitors::kind.eq(monitor.kind),
            monitors::target.eq(monitor.target),
            monitors::last_checked_at.eq(last.map(|(at, _)| at)),
            monitors::last_success.eq(last.map(|(_, s)| s)),
            monitors::created_at.eq(since),
            monitors::updated_at.eq(since),
        ))
        .execute(conn)?;
    insert_rollups(conn, &rollups)?;
    for chunk in raw.chunks(400) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(at, success, ms)| {
                (
                    monitor_results::monitor_id.eq(&id),
                    monitor_results::checked_at.eq(*at),
                    monitor_results::success.eq(*success),
                    monitor_results::response_ms.eq(*ms),
                    monitor_results::message.eq((!success).then_some("Timed out")),
                    monitor_results::received_at.eq(*at),
                )
            })
            .collect();
        super::insert_many!(conn, monitor_results::table, rows)?;
    }
    Ok(id)
}

/// A dashboard over the given monitors.
pub fn dashboard(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    name: &str,
    sla_target: i64,
    monitor_ids: &[String],
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(dashboards::table)
        .values((
            dashboards::id.eq(&id),
            dashboards::customer_id.eq(customer_id),
            dashboards::name.eq(name),
            dashboards::name_key.eq(name.to_lowercase()),
            dashboards::sla_target.eq(sla_target),
            dashboards::created_at.eq(now),
            dashboards::updated_at.eq(now),
        ))
        .execute(conn)?;
    for chunk in monitor_ids.chunks(200) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|m| {
                (
                    dashboard_monitors::dashboard_id.eq(&id),
                    dashboard_monitors::monitor_id.eq(m),
                )
            })
            .collect();
        super::insert_many!(conn, dashboard_monitors::table, rows)?;
    }
    Ok(id)
}

const DEMO: [Generated<'static>; 4] = [
    Generated {
        name: "Web shop",
        kind: "web",
        target: "https://shop.example.com/",
        fail_every: 400,
    },
    Generated {
        name: "Orders API",
        kind: "api",
        target: "https://api.example.com/health",
        fail_every: 150,
    },
    Generated {
        name: "Warehouse router",
        kind: "device",
        target: "router-01.warehouse.lan",
        fail_every: 60,
    },
    Generated {
        name: "Mail relay",
        kind: "device",
        target: "10.0.4.25",
        fail_every: 2000,
    },
];

/// The organisation's first customer by name, whose account the demo's
/// monitoring (and its sub-account) is seeded in.
pub fn first_customer_of(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Option<String>> {
    customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner_id))
        .order((
            customer_accounts::name_key.asc(),
            customer_accounts::id.asc(),
        ))
        .select(customer_accounts::id)
        .first(conn)
        .optional()
}

/// Three weeks of results every five minutes on the partner's first customer's
/// monitors, and an SLA dashboard; once. Call inside a write transaction.
pub fn seed(conn: &mut DbConnection, now: NaiveDateTime, partner_id: &str) -> QueryResult<()> {
    let Some(customer_id) = first_customer_of(conn, partner_id)? else {
        return Ok(());
    };
    let seeded: bool = diesel::select(diesel::dsl::exists(
        monitors::table.filter(monitors::customer_id.eq(&customer_id)),
    ))
    .get_result(conn)?;
    if seeded {
        return Ok(());
    }
    let since = hour_of(now) - Duration::days(21);
    let mut ids = Vec::new();
    for (n, monitor) in DEMO.iter().enumerate() {
        let id = monitor_with_history(
            conn,
            now,
            &customer_id,
            monitor,
            since,
            Duration::minutes(5),
            Duration::days(21),
            n as u64 + 1,
        )?;
        ids.push(id);
    }
    if let Some(router) = ids.get(2) {
        let entries = [
            (
                Duration::hours(30),
                "warning",
                "Interface ge-0/0/1 flapping",
            ),
            (
                Duration::hours(6),
                "error",
                "No answer to ping for 3 minutes",
            ),
            (Duration::minutes(40), "info", "Firmware check completed"),
        ];
        for (ago, severity, message) in entries {
            diesel::insert_into(monitor_errors::table)
                .values((
                    monitor_errors::id.eq(uuid::Uuid::new_v4().to_string()),
                    monitor_errors::monitor_id.eq(router),
                    monitor_errors::logged_at.eq(now - ago),
                    monitor_errors::severity.eq(severity),
                    monitor_errors::message.eq(message),
                    monitor_errors::received_at.eq(now - ago),
                ))
                .execute(conn)?;
        }
    }
    dashboard(
        conn,
        now,
        &customer_id,
        "Customer-facing SLA",
        99_500,
        &ids[..3.min(ids.len())],
    )?;
    Ok(())
}

/// The benchmark's monitoring: `count` monitors with a result every minute for
/// `days` days (rollups for all of it, raw results for the last day), and a
/// dashboard over all of them. Returns the dashboard's id.
pub fn bench_seed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    count: usize,
    days: i64,
) -> QueryResult<String> {
    let since = hour_of(now) - Duration::days(days);
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        let name = format!("Bench monitor {n:03}");
        let target = format!("https://service-{n}.bench.example/health");
        let monitor = Generated {
            name: &name,
            kind: "web",
            target: &target,
            fail_every: 200 + (n as u64 % 7) * 300,
        };
        let id = crate::db::write_transaction(conn, |conn| {
            monitor_with_history(
                conn,
                now,
                customer_id,
                &monitor,
                since,
                Duration::minutes(1),
                Duration::days(1),
                n as u64 + 100,
            )
        })?;
        ids.push(id);
    }
    crate::db::write_transaction(conn, |conn| {
        dashboard(conn, now, customer_id, "Bench SLA", 99_900, &ids)
    })
}

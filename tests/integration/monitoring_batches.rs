//! Rollups under load and across the migration: the same batch posted at once is
//! stored once, and the migration backfills the daily rollups from the hourly ones.

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::monitoring_rollups::{
    Raw, api_post, as_json, assert_days_sum_their_hours, from_raw, ms, page, percent, row,
};
use chrono::{Duration, Timelike};
use diesel::prelude::*;
use partnerdesk::db::schema::{monitor_daily_rollups, monitor_results, monitor_rollups};
use partnerdesk::i18n::Lang;
use partnerdesk::monitoring::daily::DailyRollup;
use partnerdesk::monitoring::results::Rollup;

/// Eight agents posting the same batch at the same instant: each answer counts
/// every result as accepted or duplicate, the results are stored once and the
/// rollups count each once. On PostgreSQL the server's default isolation is set
/// to SERIALIZABLE, as some installations do: the write transaction sets its own.
#[tokio::test]
async fn the_same_batch_posted_at_once_is_stored_once_and_the_rest_counted_as_duplicates() {
    let app = spawn_app_with(serializable_on_postgres).await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let monitor = app.monitor(&adatum, "Busy");
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now().with_nanosecond(0).unwrap_or_default();
    let path = format!("/api/v1/monitors/{monitor}/results");
    let batch = |first_minutes_ago: i64| -> Vec<Raw> {
        (0..20)
            .map(|k| {
                let at = now - Duration::minutes(first_minutes_ago) + Duration::seconds(k * 30);
                (
                    at,
                    k % 4 != 0,
                    Some(100 + 50 * i32::try_from(k).unwrap_or(0)),
                )
            })
            .collect()
    };
    // A result from 30 minutes ago first: the older batch then leaves the monitor's
    // row as it is (where a stale snapshot met the primary key); the newer batch
    // updates it (where the row lock met a serialisation failure).
    let between = [(now - Duration::minutes(30), true, Some(90))];
    let (status, _) = api_post(&app, &token, &path, as_json(&between)).await;
    assert_eq!(status, 201);
    let older = batch(50);
    let newer = batch(15);
    for same in [&older, &newer] {
        post_eight_times_at_once(&app, &token, &path, same).await;
    }

    let stored: i64 = monitor_results::table
        .filter(monitor_results::monitor_id.eq(&monitor))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(stored, 41);
    let hourly: Vec<Rollup> = monitor_rollups::table
        .select(Rollup::as_select())
        .load(&mut app.conn())
        .expect("hourly rollups");
    assert_eq!(hourly.iter().map(|r| r.checks).sum::<i64>(), 41);
    assert_days_sum_their_hours(&app);

    let all: Vec<Raw> = between
        .iter()
        .chain(&older)
        .chain(&newer)
        .copied()
        .collect();
    let expected = from_raw(&all, now - Duration::days(1), now + Duration::hours(1));
    let dashboard = app.dashboard(&adatum, "Busy SLA", &[&monitor]);
    let html = page(
        &admin,
        &app,
        &format!("/customer/dashboards/{dashboard}?period=24h"),
    )
    .await;
    let shown = row(&html, &monitor);
    assert!(shown.contains("<td class=\"checks\">41</td>"), "{shown}");
    assert!(shown.contains(&format!(
        "<td class=\"availability\">{}</td>",
        percent(expected.availability())
    )));
    assert!(shown.contains(&format!(
        "<td class=\"average\">{}</td>",
        ms(expected.average_ms())
    )));
    assert!(shown.contains(&format!("<td class=\"p95\">{}</td>", ms(expected.p95_ms()))));
}

/// On PostgreSQL, every transaction serializable: the strictest isolation the
/// batch insert must survive.
fn serializable_on_postgres(settings: &mut partnerdesk::config::Settings) {
    if settings.database_url.starts_with("postgres") {
        let glue = if settings.database_url.contains('?') {
            '&'
        } else {
            '?'
        };
        settings.database_url = format!(
            "{}{glue}options=-c%20default_transaction_isolation%3Dserializable",
            settings.database_url
        );
    }
}

/// Posts `same` eight times at once: every result is accepted exactly once,
/// the rest counted as duplicates.
async fn post_eight_times_at_once(app: &TestApp, token: &str, path: &str, same: &[Raw]) {
    let posts = (0..8).map(|_| {
        let body = as_json(same);
        async move { api_post(app, token, path, body).await }
    });
    let answers = futures_util::future::join_all(posts).await;
    let mut accepted = 0;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
        let (a, d) = (
            body["accepted"].as_u64().unwrap_or(99),
            body["duplicates"].as_u64().unwrap_or(99),
        );
        assert_eq!(a + d, 20, "{body}");
        accepted += a;
    }
    assert_eq!(accepted, 20, "{answers:?}");
}

/// The migration's backfill gives the daily rows that recording the results gave:
/// the daily level reverted and migrated again over three days of results.
#[tokio::test]
async fn the_migration_backfills_the_daily_rollups_from_the_hourly_ones() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let monitor = app.monitor(&adatum, "Shop");
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now().with_nanosecond(0).unwrap_or_default();
    let results: Vec<Raw> = (0..3 * 24 * 60 / 13)
        .map(|n: i64| {
            let ms = i32::try_from(30 + (n * 271) % 5500).unwrap_or(0);
            (now - Duration::minutes(n * 13 + 1), n % 6 != 0, Some(ms))
        })
        .collect();
    let path = format!("/api/v1/monitors/{monitor}/results");
    let (status, body) = api_post(&app, &token, &path, as_json(&results)).await;
    assert_eq!(status, 201, "{body}");
    let daily = || -> Vec<DailyRollup> {
        monitor_daily_rollups::table
            .select(DailyRollup::as_select())
            .order(monitor_daily_rollups::day)
            .load(&mut app.conn())
            .expect("daily rollups")
    };
    let recorded = daily();
    assert!(recorded.len() >= 3, "{recorded:?}");
    {
        use diesel_migrations::MigrationHarness;
        use partnerdesk::db::{self, DbConnection};
        let mut conn = app.conn();
        // Down to the daily rollups' migration (any later one first), then up again.
        let mut reverted = String::new();
        while reverted != "20261121000011" {
            reverted = match &mut *conn {
                DbConnection::Sqlite(c) => c
                    .revert_last_migration(db::SQLITE_MIGRATIONS)
                    .map(|v| v.to_string()),
                DbConnection::Postgres(c) => c
                    .revert_last_migration(db::POSTGRES_MIGRATIONS)
                    .map(|v| v.to_string()),
            }
            .expect("revert a migration");
            assert!(reverted.as_str() >= "20261121000011", "{reverted}");
        }
        db::run_migrations(&mut conn).expect("migrate again, backfilling");
    }
    assert_eq!(daily(), recorded);
}

//! The rollups behind dashboards (issue 6), through the real server: a period's
//! whole days read from the daily rollups and its partial days from the hourly
//! ones give exactly the figures of the raw results; the same batch posted by
//! several agents at once is stored and rolled up once, the rest counted as
//! duplicates.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use diesel::prelude::*;
use partnerdesk::db::schema::{monitor_daily_rollups, monitor_rollups};
use partnerdesk::i18n::Lang;
use partnerdesk::monitoring::daily::DailyRollup;
use partnerdesk::monitoring::format_thousandths;
use partnerdesk::monitoring::results::Rollup;
use partnerdesk::monitoring::stats::{self, Figures, Period, PeriodChoice};
use serde_json::{Value, json};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app_frozen};

pub(crate) async fn api_post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn page(browser: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = browser.get(app.url(path)).send().await.expect("GET");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.expect("body")
}

/// A raw result as posted: (checked at, success, response time).
pub(crate) type Raw = (NaiveDateTime, bool, Option<i32>);

pub(crate) fn as_json(raw: &[Raw]) -> Value {
    let results: Vec<Value> = raw
        .iter()
        .map(|(at, success, ms)| {
            json!({
                "checked_at": at.and_utc().to_rfc3339(),
                "success": success,
                "response_ms": ms,
            })
        })
        .collect();
    json!({ "results": results })
}

/// The figures of the raw results in `[from, to)`, added up one by one.
pub(crate) fn from_raw<'a>(
    raw: impl IntoIterator<Item = &'a Raw>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Figures {
    let mut sum = Rollup::default();
    for (at, success, ms) in raw {
        if *at >= from && *at < to {
            sum.add(*success, *ms);
        }
    }
    Figures {
        checks: sum.checks,
        successes: sum.successes,
        timed: sum.timed,
        response_sum: sum.response_sum,
        response_max: sum.response_max,
        histogram: sum.histogram(),
    }
}

pub(crate) fn percent(value: Option<i64>) -> String {
    value
        .map(|v| format!("{}.{:03} %", v / 1000, v % 1000))
        .unwrap_or_else(|| "—".to_owned())
}

pub(crate) fn ms(value: Option<i64>) -> String {
    value
        .map(|v| format!("{v} ms"))
        .unwrap_or_else(|| "—".to_owned())
}

pub(crate) fn row(html: &str, monitor: &str) -> String {
    html.split(&format!("<tr data-monitor=\"{monitor}\">"))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("the monitor's row")
        .to_owned()
}

/// The period the page shows, read from the `datetime` (UTC) of its line's
/// two `<time>` elements (their text is in the reader's zone).
fn shown_range(html: &str) -> (NaiveDateTime, NaiveDateTime) {
    let line = html
        .split("id=\"period-range\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("the period's line");
    let times: Vec<NaiveDateTime> = line
        .split("<time datetime=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%MZ").expect("a shown time"))
        .collect();
    match times.as_slice() {
        [from, to] => (*from, *to),
        _ => panic!("from – to expected in {line}"),
    }
}

/// The labels of the availability chart's bars that have results.
fn availability_bars(html: &str) -> Vec<String> {
    html.split("id=\"availability-chart\"")
        .nth(1)
        .and_then(|rest| rest.split("</svg>").next())
        .and_then(|chart| chart.split("<g class=\"bars\">").nth(1))
        .expect("the availability chart")
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split("</title>").next())
        .filter(|label| label.ends_with(" %"))
        .map(str::to_owned)
        .collect()
}

/// Every daily rollup row equals the sum of its day's hourly rows.
pub(crate) fn assert_days_sum_their_hours(app: &TestApp) {
    let mut conn = app.conn();
    let hours: Vec<Rollup> = monitor_rollups::table
        .select(Rollup::as_select())
        .load(&mut conn)
        .expect("hourly rollups");
    let mut expected: BTreeMap<(String, NaiveDate), Rollup> = BTreeMap::new();
    for hour in &hours {
        let day = hour.hour.date();
        expected
            .entry((hour.monitor_id.clone(), day))
            .or_insert_with(|| Rollup::empty(&hour.monitor_id, day.and_time(Default::default())))
            .merge(hour);
    }
    let days: Vec<DailyRollup> = monitor_daily_rollups::table
        .select(DailyRollup::as_select())
        .order((
            monitor_daily_rollups::monitor_id,
            monitor_daily_rollups::day,
        ))
        .load(&mut conn)
        .expect("daily rollups");
    assert_eq!(
        days.len(),
        expected.len(),
        "one daily row per monitor and day"
    );
    for day in days {
        let sum = expected
            .get(&(day.monitor_id.clone(), day.day))
            .expect("a day with hours");
        assert_eq!(
            (day.checks, day.successes, day.timed, day.response_sum),
            (sum.checks, sum.successes, sum.timed, sum.response_sum),
            "{} {}",
            day.monitor_id,
            day.day
        );
        assert_eq!(day.response_max, sum.response_max);
        assert_eq!(
            [
                day.h0, day.h1, day.h2, day.h3, day.h4, day.h5, day.h6, day.h7, day.h8, day.h9,
                day.h10, day.h11
            ],
            sum.histogram()
        );
    }
}

/// Nine days of results every 37 minutes on two monitors, posted out of order
/// in batches (so hours and days are added to), one batch resent; then
/// dashboards whose periods start and end mid-day (24 hours, 7 and 30 days),
/// and a custom one of whole days, each monitor's figures, the overall SLA and
/// the chart's daily bars checked against the raw results.
#[tokio::test]
async fn a_dashboard_over_partial_days_equals_the_figures_of_the_raw_results() {
    let app = spawn_app_frozen().await;
    // Mid-day UTC, so the rolling periods start and end inside a day.
    let hour = i64::from(app.clock_now().hour());
    app.clock.advance(Duration::hours((36 - hour) % 24));
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let monitors = [app.monitor(&adatum, "Shop"), app.monitor(&adatum, "API")];
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now().with_nanosecond(0).unwrap_or_default();

    let raw = post_nine_days_of_results(&app, &token, &monitors).await;
    assert_days_sum_their_hours(&app);

    let refs: Vec<&str> = monitors.iter().map(String::as_str).collect();
    let dashboard = app.dashboard(&adatum, "Exact", &refs);
    let today = now.date();
    let custom = format!(
        "custom&from={}&to={}",
        (today - Duration::days(6)).format("%Y-%m-%d"),
        (today - Duration::days(2)).format("%Y-%m-%d")
    );
    for query in ["24h", "7d", "30d", custom.as_str()] {
        let html = page(
            &admin,
            &app,
            &format!("/customer/dashboards/{dashboard}?period={query}"),
        )
        .await;
        let (from, to) = shown_range(&html);
        if query != custom {
            assert_ne!(from.time(), Default::default(), "{query} starts mid-day");
            assert_ne!(to.time(), Default::default(), "{query} ends mid-day");
        }
        let overall = rows_equal_the_raw_results(&html, query, &monitors, &raw, (from, to));
        assert!(
            html.contains(&format!(
                "data-sla=\"missed\">SLA {}",
                percent(overall.availability())
            )),
            "{query}: overall"
        );
        if query == "30d" {
            daily_bars_equal_the_raw_results(&html, &raw, from, to);
        }
    }
}

/// Nine days of results for each monitor, posted in two interleaved halves
/// (so hours and days are added to), then 30 of them again; returns them.
async fn post_nine_days_of_results(
    app: &TestApp,
    token: &str,
    monitors: &[String; 2],
) -> Vec<Vec<Raw>> {
    let now = app.clock_now().with_nanosecond(0).unwrap_or_default();
    let mut raw: Vec<Vec<Raw>> = Vec::new();
    for (m, monitor) in monitors.iter().enumerate() {
        let m = m as i64;
        let results: Vec<Raw> = (0..9 * 24 * 60 / 37)
            .map(|n: i64| {
                let at = now - Duration::minutes(n * 37 + m * 11 + 1);
                let success = n % (7 + m) != 0;
                let ms = (success && n % 5 != 0)
                    .then(|| i32::try_from(20 + (n * 397 + m * 131) % 6000).unwrap_or(0));
                (at, success, ms)
            })
            .collect();
        let path = format!("/api/v1/monitors/{monitor}/results");
        // The odd results first, then the even ones: hours and days are added to.
        for parity in [1, 0] {
            let half: Vec<Raw> = results.iter().skip(parity).step_by(2).copied().collect();
            for batch in half.chunks(60) {
                let (status, body) = api_post(app, token, &path, as_json(batch)).await;
                assert_eq!(status, 201, "{body}");
                assert_eq!(body["accepted"], batch.len());
            }
        }
        let resent = &results[..30];
        let (status, body) = api_post(app, token, &path, as_json(resent)).await;
        assert_eq!(status, 201);
        assert_eq!(
            (body["accepted"].as_u64(), body["duplicates"].as_u64()),
            (Some(0), Some(30))
        );
        raw.push(results);
    }
    raw
}

/// Each monitor's row of a dashboard page over [from, to) equals the figures
/// computed from its raw results; returns the figures of all monitors.
fn rows_equal_the_raw_results(
    html: &str,
    query: &str,
    monitors: &[String; 2],
    raw: &[Vec<Raw>],
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> Figures {
    let mut overall = Figures::default();
    for (monitor, results) in monitors.iter().zip(raw) {
        let expected = from_raw(results, from, to);
        assert!(expected.checks > 0);
        overall.add(&expected);
        let shown = row(html, monitor);
        for (class, value) in [
            ("availability", percent(expected.availability())),
            ("checks", expected.checks.to_string()),
            ("average", ms(expected.average_ms())),
            ("p95", ms(expected.p95_ms())),
        ] {
            assert!(
                shown.contains(&format!("<td class=\"{class}\">{value}</td>")),
                "{query}: {class} {value} expected in {shown}"
            );
        }
    }
    overall
}

/// The 30-day chart: one bar per day from midnight, each equal to the raw
/// results of its day.
fn daily_bars_equal_the_raw_results(
    html: &str,
    raw: &[Vec<Raw>],
    from: NaiveDateTime,
    to: NaiveDateTime,
) {
    let period = Period {
        choice: PeriodChoice::Month,
        from,
        to,
    };
    let starts = stats::slot_starts(&period);
    assert!(
        starts
            .iter()
            .skip(1)
            .all(|s| s.time() == Default::default()),
        "daily slots start at midnight"
    );
    let expected: Vec<String> = starts
        .iter()
        .enumerate()
        .filter_map(|(i, start)| {
            let end = starts.get(i + 1).copied().unwrap_or(to);
            let figures = from_raw(raw.iter().flatten(), *start, end);
            figures
                .availability()
                .map(|a| format!("{}: {} %", start.format("%Y-%m-%d"), format_thousandths(a)))
        })
        .collect();
    assert!(expected.len() >= 9, "{expected:?}");
    assert_eq!(availability_bars(html), expected);
}

//! Alert definitions: a set of monitors, a rule (alert after N failed
//! checks in a row) and recipients. Results are followed as they arrive, in the
//! transaction that stores them: a failure episode alerts once, when its N-th
//! failed check arrives, and its recovery once, at the first success after.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::results::NewResult;
use crate::db::DbConnection;
use crate::db::schema::{
    alert_definition_monitors, alert_definition_recipients, alert_definitions, logins, memberships,
    monitors,
};
use crate::email::messages::AlertEmail;
use crate::email::outbox::{self, OutboxError};
use crate::i18n::{Lang, format_time};

/// The failed checks in a row a rule may ask for.
pub const FAILURES_MAX: i32 = 100;

/// A monitor's state before a batch: its latest check and the failures in a
/// row up to it.
#[derive(Debug, Clone, Copy)]
pub struct Streak {
    last_checked_at: Option<NaiveDateTime>,
    failures: i32,
}

/// Reads the monitor's streak under the monitor's lock (PostgreSQL; SQLite's
/// write transactions are serial), so two batches follow each other.
pub fn lock_streak(conn: &mut DbConnection, monitor_id: &str) -> QueryResult<Streak> {
    crate::db::lock_row(conn, crate::db::LockTarget::Monitor(monitor_id))?;
    let found: Option<(Option<NaiveDateTime>, i32)> = monitors::table
        .filter(monitors::id.eq(monitor_id))
        .select((monitors::last_checked_at, monitors::failure_streak))
        .first(conn)
        .optional()?;
    let (last_checked_at, failures) = found.unwrap_or((None, 0));
    Ok(Streak {
        last_checked_at,
        failures,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertEvent {
    Failing,
    Recovered,
}

impl AlertEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertEvent::Failing => "failing",
            AlertEvent::Recovered => "recovered",
        }
    }
}

struct Rule {
    definition_id: String,
    name: String,
    failures: i32,
    alerting: bool,
    /// As stored before the batch.
    was_alerting: bool,
}

/// Follows the results of a batch newer than the monitor's latest check, in
/// check order: updates its failure streak, and for each alert definition
/// over it, alerts when the streak reaches the rule and recovers at the next
/// success. Older results (arriving late) change neither.
pub fn follow_results(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    now: NaiveDateTime,
    monitor_id: &str,
    before: Streak,
    batch: &[NewResult],
) -> Result<(), OutboxError> {
    let mut newer: Vec<&NewResult> = batch
        .iter()
        .filter(|r| before.last_checked_at.is_none_or(|t| r.checked_at > t))
        .collect();
    newer.sort_by_key(|r| r.checked_at);
    newer.dedup_by_key(|r| r.checked_at);
    if newer.is_empty() {
        return Ok(());
    }
    let mut rules = rules_of(conn, monitor_id)?;
    let (streak, events) = walk(&mut rules, before.failures, &newer);
    store(conn, monitor_id, streak, &rules)?;
    if let Some(latest) = newer.last() {
        let moved = (before.failures, streak);
        super::partner_events::tell_partner(conn, now, monitor_id, moved, latest.checked_at)?;
    }
    if events.is_empty() {
        return Ok(());
    }
    let alerts = Alerts {
        settings,
        now,
        monitor_id,
        rules: &rules,
    };
    alerts.send(conn, events)
}

/// The rules of every alert definition over the monitor, as stored.
fn rules_of(conn: &mut DbConnection, monitor_id: &str) -> QueryResult<Vec<Rule>> {
    let rows: Vec<(String, String, i32, bool)> = alert_definition_monitors::table
        .inner_join(alert_definitions::table)
        .filter(alert_definition_monitors::monitor_id.eq(monitor_id))
        .select((
            alert_definitions::id,
            alert_definitions::name,
            alert_definitions::failures,
            alert_definition_monitors::alerting,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(definition_id, name, failures, alerting)| Rule {
            definition_id,
            name,
            failures,
            alerting,
            was_alerting: alerting,
        })
        .collect())
}

/// An alert to send: the index of its rule, what happened, and the result
/// that decided it.
type Event<'a> = (usize, AlertEvent, &'a NewResult);

/// Walks the newer results in check order from the streak `failures`,
/// switching the rules; answers the streak at the end and what happened.
fn walk<'a>(rules: &mut [Rule], failures: i32, newer: &[&'a NewResult]) -> (i32, Vec<Event<'a>>) {
    let mut streak = failures;
    let mut events: Vec<Event<'a>> = Vec::new();
    for &result in newer {
        streak = if result.success {
            0
        } else {
            streak.saturating_add(1)
        };
        for (index, rule) in rules.iter_mut().enumerate() {
            if !rule.alerting && streak >= rule.failures {
                rule.alerting = true;
                events.push((index, AlertEvent::Failing, result));
            } else if rule.alerting && result.success {
                rule.alerting = false;
                events.push((index, AlertEvent::Recovered, result));
            }
        }
    }
    (streak, events)
}

/// Keeps the monitor's streak and the rules that switched.
fn store(
    conn: &mut DbConnection,
    monitor_id: &str,
    streak: i32,
    rules: &[Rule],
) -> QueryResult<()> {
    diesel::update(monitors::table.filter(monitors::id.eq(monitor_id)))
        .set(monitors::failure_streak.eq(streak))
        .execute(conn)?;
    for rule in rules.iter().filter(|r| r.alerting != r.was_alerting) {
        diesel::update(
            alert_definition_monitors::table
                .filter(alert_definition_monitors::alert_definition_id.eq(&rule.definition_id))
                .filter(alert_definition_monitors::monitor_id.eq(monitor_id)),
        )
        .set(alert_definition_monitors::alerting.eq(rule.alerting))
        .execute(conn)?;
    }
    Ok(())
}

/// What the alert emails of one monitor's batch are written from.
struct Alerts<'a> {
    settings: &'a crate::config::Settings,
    now: NaiveDateTime,
    monitor_id: &'a str,
    rules: &'a [Rule],
}

impl Alerts<'_> {
    /// Queues one email per event to each of its definition's recipients, in
    /// their language and time zone.
    fn send(&self, conn: &mut DbConnection, events: Vec<Event<'_>>) -> Result<(), OutboxError> {
        let monitor_name: String = monitors::table
            .find(self.monitor_id)
            .select(monitors::name)
            .first(conn)?;
        let link = self
            .settings
            .link(&format!("/customer/monitors/{}", self.monitor_id));
        for (index, event, result) in events {
            let rule = &self.rules[index];
            for (email, full_name, language, zone) in recipients_of(conn, &rule.definition_id)? {
                let lang = Lang::from_code(&language).unwrap_or_default();
                let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
                let message = AlertEmail {
                    tr: lang.translator(),
                    full_name,
                    event: event.as_str(),
                    monitor: monitor_name.clone(),
                    definition: rule.name.clone(),
                    failures: rule.failures,
                    checked_at: format_time(result.checked_at, zone, lang),
                    message: result.message.clone(),
                    link: link.clone(),
                };
                outbox::enqueue(conn, self.now, &email, &message)?;
            }
        }
        Ok(())
    }
}

/// The definition's recipients still able to act on an alert: active people
/// with an active membership. (email, name, language, time zone)
fn recipients_of(
    conn: &mut DbConnection,
    definition_id: &str,
) -> QueryResult<Vec<(String, String, String, String)>> {
    alert_definition_recipients::table
        .inner_join(memberships::table.inner_join(logins::table))
        .filter(alert_definition_recipients::alert_definition_id.eq(definition_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.eq(LoginState::Active))
        .order(logins::email.asc())
        .select((
            logins::email,
            logins::full_name,
            logins::language,
            logins::time_zone,
        ))
        .load(conn)
}

//! What an attempt of a delivery leaves behind: the delivery delivered, or
//! waiting for its next attempt with backoff, or failed once the give-up
//! window has passed; the endpoint's failure window, and its disabling.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::Rng;

use super::worker::{Attempt, Claimed, WorkerError};
use super::{DeliveryState, disable};
use crate::config::{Settings, WebhookSettings};
use crate::db::schema::{webhook_deliveries, webhook_endpoints};
use crate::db::{self, DbConnection};
use crate::ids::PartnerId;

/// The wait after the `attempts`-th failure: base, 2×base, 4×base… up to the
/// cap, plus up to a tenth more at random.
pub fn backoff(settings: &WebhookSettings, attempts: i32) -> Duration {
    let exponent = attempts.saturating_sub(1).clamp(0, 30) as u32;
    let wait = settings
        .retry_base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(settings.retry_max);
    let jitter_ms = u64::try_from(wait.as_millis() / 10).unwrap_or(u64::MAX);
    wait + Duration::from_millis(rand::thread_rng().gen_range(0..=jitter_ms))
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

pub(super) fn record_success(
    conn: &mut DbConnection,
    delivery: &Claimed,
    attempt: &Attempt,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use webhook_deliveries::dsl as d;
    db::write_transaction(conn, |conn| {
        diesel::update(
            d::webhook_deliveries
                .filter(d::id.eq(&delivery.id))
                .filter(d::state.eq(DeliveryState::Sending)),
        )
        .set((
            d::state.eq(DeliveryState::Delivered),
            d::delivered_at.eq(Some(now)),
            d::locked_until.eq(None::<NaiveDateTime>),
            d::last_attempt_at.eq(Some(now)),
            d::last_status.eq(attempt.status.map(i32::from)),
            d::last_response_ms.eq(attempt.elapsed_ms),
            d::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
        diesel::update(webhook_endpoints::table.find(&delivery.endpoint_id))
            .set((
                webhook_endpoints::last_success_at.eq(Some(now)),
                webhook_endpoints::failing_since.eq(None::<NaiveDateTime>),
                webhook_endpoints::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .map(|_| ())
    })
}

/// Records a failed attempt: the delivery waits for its next attempt, or is
/// failed once the give-up window has passed; the endpoint's failure window
/// starts, and once it is longer than `disable_after` the endpoint is disabled
/// and its owners emailed. Returns whether emails were queued.
pub(super) fn record_failure(
    conn: &mut DbConnection,
    delivery: &Claimed,
    attempt: &Attempt,
    now: NaiveDateTime,
    settings: &Settings,
) -> Result<bool, WorkerError> {
    use webhook_deliveries::dsl as d;
    let webhooks = &settings.webhooks;
    let error = attempt.error.clone().unwrap_or_default();
    let attempts: i32 = d::webhook_deliveries
        .find(&delivery.id)
        .select(d::attempts)
        .first(conn)?;
    let next = now + to_chrono(backoff(webhooks, attempts));
    let state = if now - delivery.created_at >= to_chrono(webhooks.give_up_after) {
        DeliveryState::Failed
    } else {
        DeliveryState::Pending
    };
    db::write_transaction(conn, |conn| {
        diesel::update(
            d::webhook_deliveries
                .filter(d::id.eq(&delivery.id))
                .filter(d::state.eq(DeliveryState::Sending)),
        )
        .set((
            d::state.eq(state),
            d::next_attempt_at.eq(next),
            d::locked_until.eq(None::<NaiveDateTime>),
            d::last_attempt_at.eq(Some(now)),
            d::last_status.eq(attempt.status.map(i32::from)),
            d::last_response_ms.eq(attempt.elapsed_ms),
            d::last_error.eq(Some(&error)),
        ))
        .execute(conn)?;
        let failing_since: Option<NaiveDateTime> = webhook_endpoints::table
            .find(&delivery.endpoint_id)
            .select(webhook_endpoints::failing_since)
            .first(conn)?;
        let failing_since = failing_since.unwrap_or(now);
        diesel::update(webhook_endpoints::table.find(&delivery.endpoint_id))
            .set((
                webhook_endpoints::failing_since.eq(Some(failing_since)),
                webhook_endpoints::last_error.eq(Some(&error)),
            ))
            .execute(conn)?;
        if now - failing_since < to_chrono(webhooks.disable_after) {
            return Ok(false);
        }
        let partner_id = PartnerId::new(delivery.partner_id.clone());
        Ok(disable::disable_failing(
            conn,
            now,
            settings,
            &partner_id,
            &delivery.endpoint_id,
            &error,
        )?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_a_tenth_of_jitter() {
        let settings = WebhookSettings::default();
        let within = |attempts: i32, base: u64| {
            let wait = backoff(&settings, attempts);
            assert!(wait >= Duration::from_secs(base), "{attempts}: {wait:?}");
            assert!(
                wait <= Duration::from_secs(base + base / 10),
                "{attempts}: {wait:?}"
            );
        };
        within(1, 60);
        within(2, 120);
        within(4, 480);
        within(20, 6 * 3600);
        within(200, 6 * 3600);
    }
}

//! The forms that ask for a new emailed link by the login's username
//! (a password reset, an activation): the page after says the same whatever
//! was typed, so that it never tells whether a login exists.

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::activation::ResendError;
use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::state::AppState;
use crate::web::PageError;

#[derive(Deserialize)]
pub struct LinkRequestForm {
    identifier: String,
}

/// Runs `send` in one write transaction with the typed username's key (trimmed,
/// lower case), and wakes the outbox when it says it queued an email; a blank
/// form sends nothing.
pub async fn send_link(
    state: &AppState,
    form: &LinkRequestForm,
    send: impl FnOnce(&mut DbConnection, &Settings, NaiveDateTime, &str) -> Result<bool, ResendError>
    + Send
    + 'static,
) -> Result<(), PageError> {
    let identifier = form.identifier.trim().to_lowercase();
    if identifier.is_empty() {
        return Ok(());
    }
    let now = state.clock.now();
    let settings = state.settings.clone();
    let sent = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| send(conn, &settings, now, &identifier))
    })
    .await
    .map_err(PageError::internal)?;
    if sent {
        state.outbox_wake.notify_one();
    }
    Ok(())
}

//! An endpoint that has accepted nothing for `webhook_disable_after` while its
//! deliveries kept failing is disabled: its waiting deliveries are cancelled,
//! the partner's log records it, and every owner of the partner is emailed in
//! their language, with the endpoint and its last error.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::endpoints::{self, DisabledReason};
use crate::accounts::MembershipState;
use crate::audit::{self, Action, Actor, Entry};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{logins, memberships, webhook_endpoints};
use crate::email::messages::WebhookDisabledEmail;
use crate::email::outbox::{self, OutboxError};
use crate::i18n::Lang;
use crate::ids::PartnerId;

/// Disables the endpoint for its failures and emails the owners, once: an
/// endpoint already disabled is left as it is. Call inside the transaction that
/// records the failure. Returns whether emails were queued.
pub fn disable_failing(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    settings: &Settings,
    partner_id: &PartnerId,
    endpoint_id: &str,
    last_error: &str,
) -> Result<bool, OutboxError> {
    let days = (settings.webhooks.disable_after.as_secs() / 86_400).max(1) as i64;
    let reason = DisabledReason::Failures {
        days,
        last_error: last_error.to_owned(),
    };
    if !endpoints::disable(conn, now, partner_id, endpoint_id, &reason)? {
        return Ok(false);
    }
    let url: String = webhook_endpoints::table
        .find(endpoint_id)
        .select(webhook_endpoints::url)
        .first(conn)?;
    audit::record(
        conn,
        now,
        Entry {
            partner_id: Some(partner_id.as_str()),
            customer_id: None,
            actor: Actor {
                login_id: None,
                name: "Partnerdesk",
                membership_id: None,
                on_behalf_of: None,
                api_token_id: None,
            },
            action: Action::WebhookDisabledForFailures,
            target: &url,
            details: last_error,
        },
    )?;
    let owners: Vec<(String, String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq(partner_id))
        .filter(memberships::role.eq(crate::access::PartnerRole::Owner.as_str()))
        .filter(memberships::state.eq(MembershipState::Active))
        .select((logins::email, logins::full_name, logins::language))
        .load(conn)?;
    let link = settings.link(&format!("/partner/webhooks/{endpoint_id}"));
    for (email, full_name, language) in &owners {
        let message = WebhookDisabledEmail {
            tr: Lang::from_code(language).unwrap_or_default().translator(),
            full_name: full_name.clone(),
            url: url.clone(),
            days,
            last_error: last_error.to_owned(),
            link: link.clone(),
        };
        outbox::enqueue(conn, now, email, &message)?;
    }
    Ok(!owners.is_empty())
}

//! Suspending a partner organisation, and reinstating it. While suspended, its
//! staff see only the page saying so and why (`access::decide` sends every
//! partner page there), an "open customer" session of theirs ends, and its
//! API tokens are refused (`organisation_suspended`), and its webhook
//! deliveries wait unsent until it is reinstated (`webhooks::worker`). Its customers' consoles
//! go on as before: the customers did nothing wrong. Each change is in the
//! instance's activity log and in the organisation's own.

use actix_web::HttpResponse;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Action, Actor};
use crate::auth::identity::{MembershipScope, SignedIn};
use crate::db::schema::partner_organisations;
use crate::db::{self, DbConnection, DbError};
use crate::instance_log::{self, InstanceAction, OperatorActor};
use crate::web::{PageContext, PageError, PageOf, render, see_other};

/// Where a suspended organisation's staff are sent.
pub const STAFF_PAGE: &str = "/suspended";
/// The longest reason, shown to the staff.
pub const REASON_MAX: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum SuspensionError {
    #[error("no such partner organisation")]
    NotFound,
    #[error("the organisation is already suspended")]
    AlreadySuspended,
    #[error("the organisation is not suspended")]
    NotSuspended,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The organisation's name and its suspension reason, if suspended; `None`
/// when there is no such organisation.
pub fn standing(
    conn: &mut DbConnection,
    partner_id: &str,
) -> QueryResult<Option<(String, Option<String>)>> {
    partner_organisations::table
        .find(partner_id)
        .select((
            partner_organisations::name,
            partner_organisations::suspension_reason,
        ))
        .first(conn)
        .optional()
}

/// Suspends the organisation for `reason` (already checked); answers its
/// name. Call it inside a write transaction (or a rehearsal).
pub fn suspend(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    partner_id: &str,
    reason: &str,
) -> Result<String, SuspensionError> {
    let (name, reason_now) = standing(conn, partner_id)?.ok_or(SuspensionError::NotFound)?;
    if reason_now.is_some() {
        return Err(SuspensionError::AlreadySuspended);
    }
    diesel::update(partner_organisations::table.find(partner_id))
        .set((
            partner_organisations::suspended_at.eq(Some(now)),
            partner_organisations::suspension_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
    let change = Logged {
        now,
        actor,
        partner_id,
        name: &name,
        details: reason,
    };
    change.record(
        conn,
        InstanceAction::PartnerSuspended,
        Action::PartnerSuspended,
    )?;
    Ok(name)
}

/// Lifts the suspension; answers the organisation's name. Call it inside a
/// write transaction (or a rehearsal).
pub fn reinstate(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    partner_id: &str,
) -> Result<String, SuspensionError> {
    let (name, reason) = standing(conn, partner_id)?.ok_or(SuspensionError::NotFound)?;
    if reason.is_none() {
        return Err(SuspensionError::NotSuspended);
    }
    diesel::update(partner_organisations::table.find(partner_id))
        .set((
            partner_organisations::suspended_at.eq(None::<NaiveDateTime>),
            partner_organisations::suspension_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    let change = Logged {
        now,
        actor,
        partner_id,
        name: &name,
        details: "",
    };
    change.record(
        conn,
        InstanceAction::PartnerReinstated,
        Action::PartnerReinstated,
    )?;
    Ok(name)
}

/// A change to an organisation's standing, for both logs.
struct Logged<'a> {
    now: NaiveDateTime,
    actor: OperatorActor<'a>,
    partner_id: &'a str,
    name: &'a str,
    details: &'a str,
}

impl Logged<'_> {
    fn record(
        &self,
        conn: &mut DbConnection,
        instance_action: InstanceAction,
        action: Action,
    ) -> QueryResult<()> {
        instance_log::record(
            conn,
            self.now,
            self.actor,
            instance_action,
            self.name,
            self.details,
        )?;
        audit::record(
            conn,
            self.now,
            audit::Entry {
                partner_id: Some(self.partner_id),
                customer_id: None,
                actor: Actor {
                    login_id: self.actor.login_id,
                    name: self.actor.name,
                    membership_id: None,
                    on_behalf_of: None,
                    api_token_id: None,
                },
                action,
                target: self.name,
                details: self.details,
            },
        )
    }
}

#[derive(Template)]
#[template(path = "signin/suspended.html")]
struct SuspendedPage {
    layout: PageContext,
    organisation: String,
    reason: String,
}

/// What a suspended organisation's staff see instead of any partner page.
pub async fn staff_page(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
) -> Result<HttpResponse, PageError> {
    let partner_id = match &identity.membership {
        Some(membership) if matches!(membership.scope, MembershipScope::Partner { .. }) => {
            membership.tenant_id.clone()
        }
        _ => return Ok(see_other("/")),
    };
    let found = db::run(&state.pool, move |conn| {
        standing(conn, &partner_id).map_err(DbError::from)
    })
    .await?;
    match found {
        Some((organisation, Some(reason))) => render(&SuspendedPage {
            layout,
            organisation,
            reason,
        }),
        // Reinstated meanwhile: back to work.
        _ => Ok(see_other("/partner")),
    }
}

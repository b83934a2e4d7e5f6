//! The instance's activity log: what instance operators did (granting and
//! revoking the role, creating, suspending and reinstating partners, retrying
//! emails, keeping the catalogue, recording service health), who and when. Append-only like the partners' log (the database's
//! triggers refuse any update or delete), but a table of its own: the partners'
//! log and archives never see it, and its readers are the operators.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::instance_activity;

crate::db::codes::stored_code! {
    /// What an entry of the instance's log records.
    InstanceAction {
        OperatorGranted => "operator_granted",
        OperatorRevoked => "operator_revoked",
        PartnerCreated => "partner_created",
        PartnerSuspended => "partner_suspended",
        PartnerReinstated => "partner_reinstated",
        PartnerMoved => "partner_moved",
        EmailRetried => "email_retried",
        FailedEmailsRetried => "failed_emails_retried",
        OfferAdded => "offer_added",
        OfferRetired => "offer_retired",
        ServiceAdded => "service_added",
        IncidentOpened => "incident_opened",
        IncidentUpdated => "incident_updated",
        IncidentResolved => "incident_resolved",
    }
}

impl InstanceAction {
    pub fn label_key(self) -> String {
        format!("instance-action-{}", self.as_str().replace('_', "-"))
    }
}

/// Who acted: an operator signed in, or the command line (no login).
#[derive(Debug, Clone, Copy)]
pub struct OperatorActor<'a> {
    pub login_id: Option<&'a str>,
    pub name: &'a str,
}

impl OperatorActor<'static> {
    /// The command line, run by whoever holds the server.
    pub const COMMAND_LINE: OperatorActor<'static> = OperatorActor {
        login_id: None,
        name: "command line",
    };
}

pub fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    action: InstanceAction,
    target: &str,
    details: &str,
) -> QueryResult<()> {
    diesel::insert_into(instance_activity::table)
        .values((
            instance_activity::id.eq(uuid::Uuid::new_v4().to_string()),
            instance_activity::occurred_at.eq(now),
            instance_activity::actor_login_id.eq(actor.login_id),
            instance_activity::actor_name.eq(actor.name),
            instance_activity::action.eq(action),
            instance_activity::target.eq(target),
            instance_activity::details.eq(details),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = instance_activity)]
pub struct InstanceEntry {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    /// None when the command line (or the demo) acted.
    pub actor_login_id: Option<String>,
    pub actor_name: String,
    pub action: InstanceAction,
    pub target: String,
    pub details: String,
}

/// One page of the log, newest first: `limit` entries after the first
/// `offset`, and whether more follow.
pub fn page(
    conn: &mut DbConnection,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<InstanceEntry>, bool)> {
    let mut entries: Vec<InstanceEntry> = instance_activity::table
        .order((
            instance_activity::occurred_at.desc(),
            instance_activity::id.desc(),
        ))
        .offset(offset)
        .limit(limit + 1)
        .select(InstanceEntry::as_select())
        .load(conn)?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);
    Ok((entries, more))
}

//! Moving an organisation under another parent (or to the top level): the
//! instance operator's action. A move that would put an organisation under
//! itself or under one of its own descendants is refused (the tree would become
//! a cycle). Each move closes the organisation's open row of
//! `partner_parent_history` and opens the next, so who answered for it at any
//! time can be read back; it is logged in the instance's log and in the
//! activity log of the organisation, of its old parent and of its new one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Action, Actor};
use crate::db::DbConnection;
use crate::db::schema::{partner_organisations, partner_parent_history};
use crate::instance_log::{self, InstanceAction, OperatorActor};

/// The longest reason a move may give.
pub const REASON_MAX: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("no such organisation")]
    UnknownPartner,
    #[error("the new parent does not exist")]
    UnknownParent,
    #[error("an organisation cannot be its own parent")]
    UnderItself,
    #[error("an organisation cannot move under one of its own resellers")]
    UnderDescendant,
    #[error("the organisation is already there")]
    AlreadyThere,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl MoveError {
    /// The Fluent message id shown next to the parent field.
    pub fn message_key(&self) -> &'static str {
        match self {
            MoveError::UnknownParent => "network-move-unknown-parent",
            MoveError::UnderItself => "network-move-under-itself",
            MoveError::UnderDescendant => "network-move-under-descendant",
            MoveError::AlreadyThere => "network-move-already-there",
            _ => "field-invalid",
        }
    }
}

/// An organisation and its parent before and after a move (names).
#[derive(Debug, Clone)]
pub struct Moved {
    pub name: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn name_and_parent(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Option<(String, Option<String>)>> {
    partner_organisations::table
        .find(id)
        .select((
            partner_organisations::name,
            partner_organisations::parent_id,
        ))
        .first(conn)
        .optional()
}

/// Moves `partner_id` under `new_parent` (None: the top level), in the
/// caller's transaction.
pub fn move_partner(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    partner_id: &str,
    new_parent: Option<&str>,
    reason: &str,
) -> Result<Moved, MoveError> {
    let (name, old_parent) = name_and_parent(conn, partner_id)?.ok_or(MoveError::UnknownPartner)?;
    let to = match new_parent {
        Some(parent) if parent == partner_id => return Err(MoveError::UnderItself),
        Some(parent) => {
            let (parent_name, _) =
                name_and_parent(conn, parent)?.ok_or(MoveError::UnknownParent)?;
            let below = super::tree::descendants(conn, partner_id)?;
            if below.iter().any(|node| node.id == parent) {
                return Err(MoveError::UnderDescendant);
            }
            Some(parent_name)
        }
        None => None,
    };
    if old_parent.as_deref() == new_parent {
        return Err(MoveError::AlreadyThere);
    }
    let from = match &old_parent {
        Some(old) => name_and_parent(conn, old)?.map(|(name, _)| name),
        None => None,
    };
    diesel::update(partner_organisations::table.find(partner_id))
        .set(partner_organisations::parent_id.eq(new_parent))
        .execute(conn)?;
    diesel::update(
        partner_parent_history::table
            .filter(partner_parent_history::partner_id.eq(partner_id))
            .filter(partner_parent_history::valid_to.is_null()),
    )
    .set(partner_parent_history::valid_to.eq(now))
    .execute(conn)?;
    diesel::insert_into(partner_parent_history::table)
        .values((
            partner_parent_history::id.eq(uuid::Uuid::new_v4().to_string()),
            partner_parent_history::partner_id.eq(partner_id),
            partner_parent_history::parent_id.eq(new_parent),
            partner_parent_history::valid_from.eq(now),
            partner_parent_history::moved_by_login_id.eq(actor.login_id),
            partner_parent_history::moved_by_name.eq(actor.name),
            partner_parent_history::reason.eq(reason),
        ))
        .execute(conn)?;
    let moved = Moved { name, from, to };
    log_move(
        conn,
        now,
        actor,
        &moved,
        [Some(partner_id), old_parent.as_deref(), new_parent],
        reason,
    )?;
    Ok(moved)
}

/// The move in the instance's log and in the activity log of each side: the
/// organisation moved, its old parent and its new one.
fn log_move(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    moved: &Moved,
    sides: [Option<&str>; 3],
    reason: &str,
) -> QueryResult<()> {
    let details = moved.details(reason);
    instance_log::record(
        conn,
        now,
        actor,
        InstanceAction::PartnerMoved,
        &moved.name,
        &details,
    )?;
    for side in sides.into_iter().flatten() {
        audit::record(
            conn,
            now,
            audit::Entry {
                partner_id: Some(side),
                customer_id: None,
                actor: Actor {
                    login_id: actor.login_id,
                    name: actor.name,
                    membership_id: None,
                    on_behalf_of: None,
                    api_token_id: None,
                },
                action: Action::PartnerMoved,
                target: &moved.name,
                details: &details,
            },
        )?;
    }
    Ok(())
}

impl Moved {
    /// What the logs keep: "old parent → new parent", "—" for the top level,
    /// and the reason if one was given.
    fn details(&self, reason: &str) -> String {
        let side = |name: &Option<String>| name.clone().unwrap_or_else(|| "—".to_owned());
        let moved = format!("{} → {}", side(&self.from), side(&self.to));
        if reason.is_empty() {
            moved
        } else {
            format!("{moved}: {reason}")
        }
    }
}

/// One period of an organisation under one parent.
#[derive(Debug, Clone)]
pub struct Period {
    pub parent: Option<String>,
    pub from: NaiveDateTime,
    pub to: Option<NaiveDateTime>,
    /// Who put it there; empty for its creation.
    pub moved_by: String,
    pub reason: String,
}

/// (parent id, from, to, moved by, reason) as stored.
type PeriodRow = (
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    String,
    String,
);

/// The organisation's parents over time, the latest first.
pub fn history(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Vec<Period>> {
    let rows: Vec<PeriodRow> = partner_parent_history::table
        .filter(partner_parent_history::partner_id.eq(partner_id))
        .order((
            partner_parent_history::valid_from.desc(),
            partner_parent_history::valid_to.is_null().desc(),
        ))
        .select((
            partner_parent_history::parent_id,
            partner_parent_history::valid_from,
            partner_parent_history::valid_to,
            partner_parent_history::moved_by_name,
            partner_parent_history::reason,
        ))
        .load(conn)?;
    let parents: Vec<String> = rows.iter().filter_map(|row| row.0.clone()).collect();
    let names: std::collections::HashMap<String, String> = partner_organisations::table
        .filter(partner_organisations::id.eq_any(&parents))
        .select((partner_organisations::id, partner_organisations::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|(parent, from, to, moved_by, reason)| Period {
            parent: parent.and_then(|id| names.get(&id).cloned()),
            from,
            to,
            moved_by,
            reason,
        })
        .collect())
}

/// Who `partner_id` answered to at `at`: its parent's id then (None: the
/// top level), if the history reaches back so far.
pub fn parent_at(
    conn: &mut DbConnection,
    partner_id: &str,
    at: NaiveDateTime,
) -> QueryResult<Option<Option<String>>> {
    partner_parent_history::table
        .filter(partner_parent_history::partner_id.eq(partner_id))
        .filter(partner_parent_history::valid_from.le(at))
        .filter(
            partner_parent_history::valid_to
                .is_null()
                .or(partner_parent_history::valid_to.gt(at)),
        )
        .select(partner_parent_history::parent_id)
        .first(conn)
        .optional()
}

//! Alert definitions as the console keeps them: each belongs to the account or
//! to one sub-account, watches monitors its owner sees, and emails people of
//! its owner (the account's people, or the sub-account's operators), so an
//! operator never reads a name from the parent account in one.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::auth::scope::{Owned, SubAccountScope};
use crate::ids::{CustomerId, SubAccountId};
use diesel::prelude::*;

use super::alerts::FAILURES_MAX;
use super::scope::{Viewer, sees, visible_monitor_ids};
use crate::audit::Action;
use crate::db::OrTaken;
use crate::db::schema::{
    alert_definition_monitors, alert_definition_recipients, alert_definitions, logins, memberships,
    monitors, sub_accounts,
};
use crate::db::{DbConnection, DbError};
use crate::tenancy::CustomerChange;

pub struct Definition {
    pub id: String,
    pub name: String,
    pub failures: i32,
    /// The owning sub-account (id, name), or `None` for the account.
    pub owner: Option<(String, String)>,
    pub monitor_ids: Vec<String>,
    pub recipient_ids: Vec<String>,
    /// How many of its monitors are in a failure episode now.
    pub alerting: usize,
}

/// Someone an alert can go to: (membership id, name, email).
#[derive(Debug, Clone)]
pub struct Person {
    pub membership_id: String,
    pub name: String,
    pub email: String,
}

/// The people of an owner: the account's (administrators and users), or one
/// sub-account's operators. Active memberships only.
pub fn people_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    owner: Option<&str>,
) -> QueryResult<Vec<Person>> {
    let mut query = memberships::table
        .inner_join(logins::table)
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.ne(LoginState::Disabled))
        .into_boxed::<crate::db::MultiBackend>();
    query = match owner {
        None => query.filter(memberships::customer_id.eq(customer_id.to_owned())),
        Some(sub) => {
            let ours = sub_accounts::table
                .filter(sub_accounts::customer_id.eq(customer_id.to_owned()))
                .select(sub_accounts::id.nullable());
            query
                .filter(memberships::sub_account_id.eq(sub.to_owned()))
                .filter(memberships::sub_account_id.eq_any(ours))
        }
    };
    let rows: Vec<(String, String, String)> = query
        .order((logins::full_name.asc(), memberships::id.asc()))
        .select((memberships::id, logins::full_name, logins::email))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership_id, name, email)| Person {
            membership_id,
            name,
            email,
        })
        .collect())
}

/// The account's sub-accounts: (id, name), by name.
pub fn sub_accounts_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<Vec<(String, String)>> {
    sub_accounts::table
        .filter(sub_accounts::customer_id.eq(customer_id))
        .order((sub_accounts::name_key.asc(), sub_accounts::id.asc()))
        .select((sub_accounts::id, sub_accounts::name))
        .load(conn)
}

type DefinitionRow = (String, String, i32, Option<String>, Option<String>);

/// The definitions the viewer sees: all of the account's, or its sub-account's.
pub fn list(conn: &mut DbConnection, viewer: &Viewer) -> QueryResult<Vec<Definition>> {
    let mut query = alert_definitions::table
        .left_join(
            sub_accounts::table.on(sub_accounts::id
                .nullable()
                .eq(alert_definitions::sub_account_id)),
        )
        .filter(alert_definitions::customer_id.eq(viewer.customer_id().to_owned()))
        .into_boxed::<crate::db::MultiBackend>();
    if let Some(own) = viewer.sub_account_id() {
        query = query.filter(alert_definitions::sub_account_id.eq(own.to_owned()));
    }
    let rows: Vec<DefinitionRow> = query
        .order((
            alert_definitions::name_key.asc(),
            alert_definitions::id.asc(),
        ))
        .select((
            alert_definitions::id,
            alert_definitions::name,
            alert_definitions::failures,
            alert_definitions::sub_account_id,
            sub_accounts::name.nullable(),
        ))
        .load(conn)?;
    let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let watched: Vec<(String, String, bool)> = alert_definition_monitors::table
        .filter(alert_definition_monitors::alert_definition_id.eq_any(&ids))
        .select((
            alert_definition_monitors::alert_definition_id,
            alert_definition_monitors::monitor_id,
            alert_definition_monitors::alerting,
        ))
        .load(conn)?;
    let recipients: Vec<(String, String)> = alert_definition_recipients::table
        .filter(alert_definition_recipients::alert_definition_id.eq_any(&ids))
        .select((
            alert_definition_recipients::alert_definition_id,
            alert_definition_recipients::membership_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, failures, owner_id, owner_name)| Definition {
            monitor_ids: watched
                .iter()
                .filter(|(d, _, _)| *d == id)
                .map(|(_, m, _)| m.clone())
                .collect(),
            alerting: watched
                .iter()
                .filter(|(d, _, alerting)| *d == id && *alerting)
                .count(),
            recipient_ids: recipients
                .iter()
                .filter(|(d, _)| *d == id)
                .map(|(_, m)| m.clone())
                .collect(),
            owner: owner_id.zip(owner_name),
            id,
            name,
            failures,
        })
        .collect())
}

pub fn find(
    conn: &mut DbConnection,
    viewer: &Viewer,
    definition_id: &str,
) -> QueryResult<Option<Owned<Definition>>> {
    Ok(list(conn, viewer)?
        .into_iter()
        .find(|d| d.id == definition_id)
        .map(|definition| Owned::found_in(viewer, definition)))
}

/// The definition as [`find`] has it, or `NotFound`.
pub fn find_or_missing(
    conn: &mut DbConnection,
    viewer: &Viewer,
    definition_id: &str,
) -> Result<Owned<Definition>, DefinitionError> {
    find(conn, viewer, definition_id)?.ok_or(DefinitionError::NotFound)
}

#[derive(Debug, Clone)]
pub struct DefinitionInput {
    pub name: String,
    pub failures: i32,
    /// The sub-account it is for; an operator's is always its own.
    pub owner: Option<String>,
    pub monitor_ids: Vec<String>,
    pub recipient_ids: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DefinitionError {
    #[error("no such alert definition")]
    NotFound,
    #[error("not one of the account's sub-accounts")]
    UnknownOwner,
    #[error("an alert definition already has this name")]
    NameTaken,
    #[error("choose at least one monitor")]
    NoMonitor,
    #[error("a monitor its owner does not see")]
    UnknownMonitor,
    #[error("choose at least one recipient")]
    NoRecipient,
    #[error("a recipient who is not one of its owner's people")]
    UnknownRecipient,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for DefinitionError {
    fn from(error: diesel::result::Error) -> Self {
        DefinitionError::Database(error.into())
    }
}

/// The owner's viewer: what the definition may watch is what its owner sees.
fn owner_viewer(
    conn: &mut DbConnection,
    viewer: &Viewer,
    owner: Option<&str>,
) -> Result<Viewer, DefinitionError> {
    match (viewer, owner) {
        (Viewer::SubAccount(own), Some(asked)) if own.access().id == asked => Ok(viewer.clone()),
        (Viewer::SubAccount(_), _) => Err(DefinitionError::UnknownOwner),
        (Viewer::Account(_), None) => Ok(viewer.clone()),
        (Viewer::Account(account), Some(sub)) => {
            SubAccountScope::within(conn, account, &SubAccountId::new(sub))?
                .map(Viewer::SubAccount)
                .ok_or(DefinitionError::UnknownOwner)
        }
    }
}

fn check(
    conn: &mut DbConnection,
    owner: &Viewer,
    input: &DefinitionInput,
    except: Option<&str>,
) -> Result<(), DefinitionError> {
    let mut same_name = alert_definitions::table
        .filter(alert_definitions::customer_id.eq(owner.customer_id().to_owned()))
        .filter(alert_definitions::name_key.eq(input.name.to_lowercase()))
        .select(alert_definitions::id)
        .into_boxed::<crate::db::MultiBackend>();
    same_name = match owner.sub_account_id() {
        Some(sub) => same_name.filter(alert_definitions::sub_account_id.eq(sub.to_owned())),
        None => same_name.filter(alert_definitions::sub_account_id.is_null()),
    };
    let taken: Vec<String> = same_name.load(conn)?;
    if taken.iter().any(|id| Some(id.as_str()) != except) {
        return Err(DefinitionError::NameTaken);
    }
    if input.monitor_ids.is_empty() {
        return Err(DefinitionError::NoMonitor);
    }
    let ours: Vec<String> = monitors::table
        .filter(monitors::customer_id.eq(owner.customer_id()))
        .filter(monitors::id.eq_any(&input.monitor_ids))
        .select(monitors::id)
        .load(conn)?;
    let visible = visible_monitor_ids(conn, owner)?;
    if ours.iter().filter(|id| sees(&visible, id)).count() != input.monitor_ids.len() {
        return Err(DefinitionError::UnknownMonitor);
    }
    if input.recipient_ids.is_empty() {
        return Err(DefinitionError::NoRecipient);
    }
    let people = people_of(conn, owner.customer_id(), owner.sub_account_id())?;
    let known = input
        .recipient_ids
        .iter()
        .all(|id| people.iter().any(|p| p.membership_id == *id));
    if !known {
        return Err(DefinitionError::UnknownRecipient);
    }
    Ok(())
}

fn set_members(
    conn: &mut DbConnection,
    definition_id: &str,
    input: &DefinitionInput,
) -> QueryResult<()> {
    // A monitor that stays keeps its episode; one added starts without.
    diesel::delete(
        alert_definition_monitors::table
            .filter(alert_definition_monitors::alert_definition_id.eq(definition_id))
            .filter(diesel::dsl::not(
                alert_definition_monitors::monitor_id.eq_any(&input.monitor_ids),
            )),
    )
    .execute(conn)?;
    let kept: Vec<String> = alert_definition_monitors::table
        .filter(alert_definition_monitors::alert_definition_id.eq(definition_id))
        .select(alert_definition_monitors::monitor_id)
        .load(conn)?;
    for monitor_id in input.monitor_ids.iter().filter(|m| !kept.contains(m)) {
        diesel::insert_into(alert_definition_monitors::table)
            .values((
                alert_definition_monitors::alert_definition_id.eq(definition_id),
                alert_definition_monitors::monitor_id.eq(monitor_id),
                alert_definition_monitors::alerting.eq(false),
            ))
            .execute(conn)?;
    }
    diesel::delete(
        alert_definition_recipients::table
            .filter(alert_definition_recipients::alert_definition_id.eq(definition_id)),
    )
    .execute(conn)?;
    for membership_id in &input.recipient_ids {
        diesel::insert_into(alert_definition_recipients::table)
            .values((
                alert_definition_recipients::alert_definition_id.eq(definition_id),
                alert_definition_recipients::membership_id.eq(membership_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn details(input: &DefinitionInput) -> String {
    format!(
        "{} failed checks · {} monitors · {} recipients",
        input.failures,
        input.monitor_ids.len(),
        input.recipient_ids.len()
    )
}

pub fn create(
    conn: &mut DbConnection,
    change: &CustomerChange,
    viewer: &Viewer,
    input: &DefinitionInput,
) -> Result<String, DefinitionError> {
    let owner = owner_viewer(conn, viewer, input.owner.as_deref())?;
    check(conn, &owner, input, None)?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(alert_definitions::table)
        .values((
            alert_definitions::id.eq(&id),
            alert_definitions::customer_id.eq(owner.customer_id()),
            alert_definitions::sub_account_id.eq(owner.sub_account_id()),
            alert_definitions::name.eq(&input.name),
            alert_definitions::name_key.eq(input.name.to_lowercase()),
            alert_definitions::failures.eq(input.failures.clamp(1, FAILURES_MAX)),
            alert_definitions::created_at.eq(change.now),
            alert_definitions::updated_at.eq(change.now),
        ))
        .execute(conn)
        .or_taken(DefinitionError::NameTaken)?;
    set_members(conn, &id, input)?;
    change.record(
        conn,
        Action::AlertDefinitionCreated,
        &input.name,
        &details(input),
    )?;
    Ok(id)
}

/// Changes a definition; its owner stays what it was.
pub fn update(
    conn: &mut DbConnection,
    change: &CustomerChange,
    definition: &Owned<Definition>,
    input: &DefinitionInput,
) -> Result<(), DefinitionError> {
    let definition_id = definition.id.as_str();
    let owner_id = definition.owner.as_ref().map(|(id, _)| id.as_str());
    let owner = owner_viewer(conn, change.scope(), owner_id)?;
    check(conn, &owner, input, Some(definition_id))?;
    diesel::update(
        alert_definitions::table
            .find(definition_id)
            .filter(alert_definitions::customer_id.eq(change.customer_id())),
    )
    .set((
        alert_definitions::name.eq(&input.name),
        alert_definitions::name_key.eq(input.name.to_lowercase()),
        alert_definitions::failures.eq(input.failures.clamp(1, FAILURES_MAX)),
        alert_definitions::updated_at.eq(change.now),
    ))
    .execute(conn)
    .or_taken(DefinitionError::NameTaken)?;
    set_members(conn, definition_id, input)?;
    change.record(
        conn,
        Action::AlertDefinitionChanged,
        &input.name,
        &details(input),
    )?;
    Ok(())
}

pub fn delete(
    conn: &mut DbConnection,
    change: &CustomerChange,
    definition: &Owned<Definition>,
) -> Result<String, DefinitionError> {
    let definition_id = definition.id.as_str();
    diesel::delete(
        alert_definition_monitors::table
            .filter(alert_definition_monitors::alert_definition_id.eq(definition_id)),
    )
    .execute(conn)?;
    diesel::delete(
        alert_definition_recipients::table
            .filter(alert_definition_recipients::alert_definition_id.eq(definition_id)),
    )
    .execute(conn)?;
    diesel::delete(
        alert_definitions::table
            .find(definition_id)
            .filter(alert_definitions::customer_id.eq(change.customer_id())),
    )
    .execute(conn)?;
    change.record(conn, Action::AlertDefinitionDeleted, &definition.name, "")?;
    Ok(definition.name.clone())
}

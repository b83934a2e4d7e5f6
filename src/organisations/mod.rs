//! Partner organisations. Created by the instance operator with a first owner,
//! whose invitation is queued in the same transaction; what the operator types
//! (on the command line or in `/admin`) is read in `input.rs`; suspending one
//! in `suspension.rs`.

pub mod input;
pub mod suspension;

use crate::ids::PartnerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::PartnerRole;
use crate::accounts::{self, DisplayName, MembershipOf, NewLogin};
use crate::config::Settings;
use crate::db::schema::{memberships, partner_organisations, partner_parent_history};
use crate::db::{self, DbConnection};
use crate::email::outbox::OutboxError;
use crate::instance_log::{self, InstanceAction, OperatorActor};

#[derive(Debug, thiserror::Error)]
pub enum PartnerError {
    #[error("the parent partner organisation does not exist")]
    UnknownParent,
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Offer(#[from] crate::invitations::OfferError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub struct NewPartner {
    pub name: DisplayName,
    pub parent_id: Option<String>,
    pub owner: NewLogin,
    /// Require a second factor of its staff from the start (the default; the
    /// owner can change it).
    pub second_factor_required: bool,
}

#[derive(Debug)]
pub struct CreatedPartner {
    pub partner_id: String,
    pub owner_login_id: String,
    /// False when the username already belonged to a login: it is sent an offer
    /// of the organisation to accept, instead of an activation link.
    pub owner_is_new: bool,
}

pub fn insert_organisation(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    name: &DisplayName,
    parent_id: Option<&str>,
    second_factor_required: bool,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(partner_organisations::table)
        .values((
            partner_organisations::id.eq(&id),
            partner_organisations::parent_id.eq(parent_id),
            partner_organisations::name.eq(name.as_str()),
            partner_organisations::created_at.eq(now),
            partner_organisations::second_factor_required_since
                .eq(second_factor_required.then_some(now)),
            partner_organisations::second_factor_grace_days
                .eq(crate::auth::second_factor_rule::DEFAULT_GRACE_DAYS),
        ))
        .execute(conn)?;
    record_creation(conn, now, &id, parent_id)?;
    Ok(id)
}

/// The first row of the organisation's parents over time
/// (`partner_parent_history`, kept on by `network::moves`), written with it.
pub fn record_creation(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
    parent_id: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(partner_parent_history::table)
        .values((
            partner_parent_history::id.eq(uuid::Uuid::new_v4().to_string()),
            partner_parent_history::partner_id.eq(partner_id),
            partner_parent_history::parent_id.eq(parent_id),
            partner_parent_history::valid_from.eq(now),
            partner_parent_history::moved_by_name.eq(""),
            partner_parent_history::reason.eq(""),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn add_member(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    login_id: &str,
    role: PartnerRole,
) -> QueryResult<String> {
    let of = MembershipOf::Partner(partner_id);
    accounts::insert_active_membership(conn, now, login_id, of, role.as_str())
}

/// Creates the organisation, its owner's login (or a membership for an existing
/// username) and the owner's activation email, all in one transaction.
pub fn create_with_owner(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    new: &NewPartner,
) -> Result<CreatedPartner, PartnerError> {
    db::write_transaction(conn, |conn| create_in(conn, settings, now, new))
}

/// `create_with_owner` by an instance operator (signed in, or the command
/// line), recorded in the instance's activity log in the same transaction.
pub fn create_by_operator(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    new: &NewPartner,
) -> Result<CreatedPartner, PartnerError> {
    db::write_transaction(conn, |conn| {
        let created = create_in(conn, settings, now, new)?;
        let owner = new.owner.username.as_str();
        instance_log::record(
            conn,
            now,
            actor,
            InstanceAction::PartnerCreated,
            new.name.as_str(),
            owner,
        )?;
        Ok(created)
    })
}

/// `create_with_owner` inside the caller's transaction: a distributor's owner
/// creating a reseller under it (`network::resellers`), recorded in its own
/// activity log by the caller.
pub fn create_within(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    new: &NewPartner,
) -> Result<CreatedPartner, PartnerError> {
    create_in(conn, settings, now, new)
}

fn create_in(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    new: &NewPartner,
) -> Result<CreatedPartner, PartnerError> {
    if let Some(parent) = &new.parent_id {
        let exists = partner_organisations::table
            .filter(partner_organisations::id.eq(parent))
            .count()
            .get_result::<i64>(conn)?;
        if exists == 0 {
            return Err(PartnerError::UnknownParent);
        }
    }
    let partner_id = insert_organisation(
        conn,
        now,
        &new.name,
        new.parent_id.as_deref(),
        new.second_factor_required,
    )?;
    let owner_is_new = accounts::find_by_username(conn, &new.owner.username)?.is_none();
    // The first owner is invited like anyone else: an existing login is
    // offered the organisation, never attached to it.
    let membership_id = crate::invitations::offer(
        conn,
        settings,
        now,
        &crate::invitations::Offer {
            person: &new.owner,
            target: crate::invitations::Target::Partner(&partner_id),
            role: PartnerRole::Owner.as_str(),
            inviter: None,
        },
    )?;
    let owner_login_id: String = memberships::table
        .find(&membership_id)
        .select(memberships::login_id)
        .first(conn)?;
    Ok(CreatedPartner {
        partner_id,
        owner_login_id,
        owner_is_new,
    })
}

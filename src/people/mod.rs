//! The people of a partner organisation (its staff) and of a customer account
//! (its users), which both sides list, invite and change the same way: who a
//! person is as their tenant may see them, and the changes made to one of them,
//! with the rule that an organisation keeps an active owner and an account an
//! active administrator, also under concurrent requests.

pub mod pages;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::{CustomerRole, PartnerRole};
use crate::accounts::{LoginState, MembershipState, NewLogin};
use crate::audit::Action;
use crate::auth::scope::{ConsoleScope, Owned, PartnerScope, Scope};
use crate::auth::session_store::end_sessions_using;
use crate::config::Settings;
use crate::db::schema::{logins, memberships};
use crate::db::{DbConnection, DbError, LockTarget, MultiBackend};
use crate::ids::{CustomerId, MembershipId, PartnerId};
use crate::invitations::{self, Sent, Shown};
use crate::tenancy::{LogsTo, MemberChange};

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error("no such person")]
    NotFound,
    #[error("nobody active would be left in charge")]
    LastInCharge,
    #[error("already a member")]
    AlreadyMember,
    #[error(transparent)]
    Offer(#[from] invitations::OfferError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Pool(#[from] DbError),
}

/// A role people hold in their tenant, and the one that must stay filled.
pub trait Role: Copy + PartialEq + Send + 'static {
    /// The role without which the tenant would have nobody in charge.
    const IN_CHARGE: Self;
    fn parse(text: &str) -> Option<Self>;
    fn as_str(self) -> &'static str;
    fn label_key(self) -> &'static str;
}

/// Makes a role type of `access` one of the people's roles.
macro_rules! people_role {
    ($role:ident, $in_charge:ident) => {
        impl Role for $role {
            const IN_CHARGE: Self = $role::$in_charge;
            fn parse(text: &str) -> Option<Self> {
                $role::parse(text)
            }
            fn as_str(self) -> &'static str {
                $role::as_str(self)
            }
            fn label_key(self) -> &'static str {
                $role::label_key(self)
            }
        }
    };
}

people_role!(PartnerRole, Owner);
people_role!(CustomerRole, Administrator);

/// Whose people are meant: an organisation's staff or an account's users.
#[derive(Debug, Clone, Copy)]
pub enum PeopleOf<'a> {
    Partner(&'a PartnerId),
    Customer(&'a CustomerId),
}

type PeopleQuery<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::InnerJoin<memberships::table, logins::table>,
    MultiBackend,
>;

impl<'a> PeopleOf<'a> {
    /// Serialises changes to these people. SQLite's write transactions are
    /// already serial (BEGIN IMMEDIATE); PostgreSQL locks the tenant's row.
    pub fn lock(self, conn: &mut DbConnection) -> QueryResult<()> {
        crate::db::lock_row(
            conn,
            match self {
                PeopleOf::Partner(id) => LockTarget::PartnerOrganisation(id.as_str()),
                PeopleOf::Customer(id) => LockTarget::CustomerAccount(id.as_str()),
            },
        )
    }

    fn memberships(self) -> PeopleQuery<'a> {
        let query = memberships::table.inner_join(logins::table).into_boxed();
        match self {
            PeopleOf::Partner(id) => query.filter(memberships::partner_id.eq(id)),
            PeopleOf::Customer(id) => query.filter(memberships::customer_id.eq(id)),
        }
    }

    /// The stored role of the people in charge.
    pub fn in_charge_role(self) -> &'static str {
        match self {
            PeopleOf::Partner(_) => PartnerRole::IN_CHARGE.as_str(),
            PeopleOf::Customer(_) => CustomerRole::IN_CHARGE.as_str(),
        }
    }

    /// How many active people in charge (owners, administrators) there are
    /// besides `membership_id`.
    pub fn others_in_charge(
        self,
        conn: &mut DbConnection,
        membership_id: &MembershipId,
    ) -> QueryResult<i64> {
        self.memberships()
            .filter(memberships::role.eq(self.in_charge_role()))
            .filter(memberships::state.eq(MembershipState::Active))
            .filter(logins::state.eq(LoginState::Active))
            .filter(memberships::id.ne(membership_id))
            .count()
            .get_result(conn)
    }

    fn invitation_target(self) -> invitations::Target<'a> {
        match self {
            PeopleOf::Partner(id) => invitations::Target::Partner(id.as_str()),
            PeopleOf::Customer(id) => invitations::Target::Customer(id.as_str()),
        }
    }

    /// How the activity log names disabling one of these people.
    fn disabled_action(self) -> Action {
        match self {
            PeopleOf::Partner(_) => Action::MemberDisabled,
            PeopleOf::Customer(_) => Action::UserDisabled,
        }
    }
}

/// A tenant scope whose people can be found and changed.
pub trait Roster: Scope {
    type Role: Role;
    fn people(&self) -> PeopleOf<'_>;
}

impl Roster for PartnerScope {
    type Role = PartnerRole;
    fn people(&self) -> PeopleOf<'_> {
        PeopleOf::Partner(self.partner_id())
    }
}

impl Roster for ConsoleScope {
    type Role = CustomerRole;
    fn people(&self) -> PeopleOf<'_> {
        PeopleOf::Customer(self.customer_id())
    }
}

/// One person of the tenant, as the tenant may see them.
#[derive(Debug, Clone)]
pub struct Person<R> {
    pub membership_id: String,
    pub login_id: String,
    pub full_name: String,
    pub username: String,
    pub email: String,
    pub role: R,
    pub active: bool,
    pub pending: bool,
    pub joined_at: NaiveDateTime,
    /// For a pending person: when the invitation was last sent, and until when.
    pub sent: Option<Sent>,
    /// The latest invitation email could not be delivered.
    pub bounced: bool,
}

type PersonRow = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    invitations::ShownRow,
);

impl<R: Role> Person<R> {
    /// A row whose role is not one of the tenant's is none of its people.
    fn from_row(row: PersonRow) -> Option<Self> {
        let (membership_id, login_id, username, role, joined_at, shown) = row;
        let active = shown.0 == MembershipState::Active.as_str();
        let shown = Shown::from_row(shown);
        Some(Person {
            membership_id,
            login_id,
            full_name: shown.full_name,
            username,
            email: shown.email,
            role: R::parse(&role)?,
            active: active || shown.pending,
            pending: shown.pending,
            joined_at,
            sent: shown.sent,
            bounced: shown.bounced,
        })
    }

    /// Whether this person is the tenant's last active one in charge.
    fn last_in_charge(&self, conn: &mut DbConnection, people: PeopleOf) -> QueryResult<bool> {
        let id = MembershipId::new(self.membership_id.clone());
        Ok(self.role == R::IN_CHARGE && people.others_in_charge(conn, &id)? == 0)
    }
}

fn load<R: Role>(query: PeopleQuery<'_>, conn: &mut DbConnection) -> QueryResult<Vec<Person<R>>> {
    let rows: Vec<PersonRow> = query
        .order((invitations::shown_name().asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::id,
            logins::username,
            memberships::role,
            memberships::created_at,
            invitations::shown_columns(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(Person::from_row).collect())
}

/// The tenant's people, by the name it may show.
pub fn list<R: Role>(conn: &mut DbConnection, people: PeopleOf) -> QueryResult<Vec<Person<R>>> {
    load(people.memberships(), conn)
}

/// One person of the scope's tenant; another tenant's membership is missing here.
pub fn find<S: Roster>(
    conn: &mut DbConnection,
    scope: &S,
    membership_id: &MembershipId,
) -> Result<Owned<Person<S::Role>>, PeopleError> {
    let query = scope
        .people()
        .memberships()
        .filter(memberships::id.eq(membership_id.as_str().to_owned()));
    let person = load(query, conn)?.pop().ok_or(PeopleError::NotFound)?;
    Ok(Owned::found_in(scope, person))
}

/// What can be done to one of the people.
#[derive(Debug, Clone, Copy)]
pub enum Change<R> {
    Role(R),
    Disable,
    /// A new link for an invitation still pending (the old one dies).
    Resend,
    /// Takes back an invitation nobody has accepted yet; its link stops working.
    Revoke,
}

/// What a change made, for the activity log.
pub struct Made {
    pub action: Action,
    pub details: String,
}

/// Makes `change` to `person`, found in `scope` under the tenant's lock, and
/// returns what it made (`None` when there was nothing to do). Refuses what
/// would leave the tenant nobody active in charge. Call inside a write
/// transaction.
pub fn make<S: Roster>(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    scope: &S,
    person: &Owned<Person<S::Role>>,
    change: Change<S::Role>,
) -> Result<Option<Made>, PeopleError> {
    let people = scope.people();
    let id = MembershipId::new(person.membership_id.clone());
    let made = |action, details: String| Ok(Some(Made { action, details }));
    match change {
        Change::Role(role) if person.role == role => Ok(None),
        // An offer's role is what was offered; it is changed by a new invitation.
        Change::Role(_) if person.pending => Err(PeopleError::NotFound),
        Change::Disable if !person.active || person.pending => Ok(None),
        Change::Role(_) | Change::Disable if person.last_in_charge(conn, people)? => {
            Err(PeopleError::LastInCharge)
        }
        Change::Role(role) => {
            diesel::update(memberships::table.filter(memberships::id.eq(&id)))
                .set(memberships::role.eq(role.as_str()))
                .execute(conn)?;
            made(
                Action::RoleChanged,
                format!("{} → {}", person.role.as_str(), role.as_str()),
            )
        }
        Change::Disable => {
            diesel::update(memberships::table.filter(memberships::id.eq(&id)))
                .set(memberships::state.eq(MembershipState::Disabled))
                .execute(conn)?;
            // Only the sessions acting as this membership: the login's others go on.
            end_sessions_using(conn, &person.membership_id)?;
            made(people.disabled_action(), String::new())
        }
        Change::Resend | Change::Revoke if !person.pending => Err(PeopleError::NotFound),
        Change::Resend => {
            invitations::resend(conn, settings, now, &id)?;
            made(Action::InvitationResent, String::new())
        }
        Change::Revoke => {
            invitations::revoke(conn, now, &id)?;
            made(Action::InvitationRevoked, String::new())
        }
    }
}

/// Finds the person in the scope of `by` under the tenant's lock, makes
/// `change` and records what it made in the tenant's log; returns the person as
/// found, for the review of the change. Call inside a write transaction.
pub fn change_one<S: Roster + LogsTo>(
    conn: &mut DbConnection,
    by: &MemberChange<S>,
    membership_id: &MembershipId,
    change: Change<S::Role>,
) -> Result<Person<S::Role>, PeopleError> {
    let scope = by.scope();
    scope.people().lock(conn)?;
    let person = find(conn, scope, membership_id)?;
    if let Some(made) = make(conn, &by.settings, by.now, scope, &person, change)? {
        by.record(conn, made.action, &person.full_name, &made.details)?;
    }
    Ok(person.into_inner())
}

/// An invitation to join the tenant, as the inviter typed it.
pub struct Invitation<R> {
    pub login: NewLogin,
    pub role: R,
}

/// Offers the tenant's membership to the person typed (see `invitations`).
/// Call inside a write transaction.
pub fn invite<R: Role>(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    people: PeopleOf,
    invitation: &Invitation<R>,
    inviter: Option<&str>,
) -> Result<(), PeopleError> {
    people.lock(conn)?;
    let offered = invitations::offer(
        conn,
        settings,
        now,
        &invitations::Offer {
            person: &invitation.login,
            target: people.invitation_target(),
            role: invitation.role.as_str(),
            inviter,
        },
    );
    match offered {
        Ok(_) => Ok(()),
        Err(invitations::OfferError::AlreadyMember) => Err(PeopleError::AlreadyMember),
        Err(error) => Err(PeopleError::Offer(error)),
    }
}

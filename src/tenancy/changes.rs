//! A change made by a member, in one write transaction (or only rehearsed, for a
//! page that asks to confirm it first), with what the activity log needs.

use crate::audit::{self, Action, Actor};
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::auth::scope::{ConsoleScope, PartnerScope};
use crate::config::Settings;
use crate::db::{self, DbConnection, DbError};
use crate::ids::{CustomerId, PartnerId};
use crate::state::AppState;
use crate::web::confirm::Confirmed;

/// What a change made by a partner member needs: when, for which organisation,
/// in whose name, and the settings (for links in emails).
pub struct PartnerChange {
    pub now: chrono::NaiveDateTime,
    scope: PartnerScope,
    pub settings: Settings,
    pub(crate) login_id: String,
    pub(crate) name: String,
    membership_id: String,
}

impl PartnerChange {
    /// Runs `work` in one write transaction, in the member's organisation and name.
    pub async fn run<T, E>(
        state: &AppState,
        member: &PartnerMember,
        work: impl FnOnce(&mut DbConnection, &PartnerChange) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        Self::run_once_confirmed(state, member, Confirmed::YES, work).await
    }

    /// As `run` once the person has `confirmed` the change; until then it is
    /// only rehearsed (`db::rehearse`), for the page that asks them to confirm it.
    pub async fn run_once_confirmed<T, E>(
        state: &AppState,
        member: &PartnerMember,
        confirmed: Confirmed,
        work: impl FnOnce(&mut DbConnection, &PartnerChange) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let (login_id, name, membership_id) = member.actor_parts();
        let change = PartnerChange {
            now: state.clock.now(),
            scope: member.scope().clone(),
            settings: state.settings.clone(),
            login_id,
            name,
            membership_id,
        };
        in_transaction(state, confirmed, move |conn| work(conn, &change)).await
    }

    /// The organisation the change is made in.
    pub fn scope(&self) -> &PartnerScope {
        &self.scope
    }

    pub fn partner_id(&self) -> &PartnerId {
        self.scope.partner_id()
    }

    /// The real person, acting as their membership, for the activity log.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            login_id: Some(&self.login_id),
            name: &self.name,
            membership_id: Some(&self.membership_id),
            on_behalf_of: None,
        }
    }
}

/// What a change made in the customer console needs to know, owned, for the
/// database thread.
pub struct CustomerChange {
    pub now: chrono::NaiveDateTime,
    scope: ConsoleScope,
    /// The partner whose user is doing this through "open customer", if so.
    pub assisting_partner_id: Option<String>,
    login_id: String,
    name: String,
    membership_id: String,
    on_behalf_of: Option<String>,
}

impl CustomerChange {
    /// Runs `work` in one write transaction, in the member's account and name.
    pub async fn run<T, E>(
        state: &AppState,
        member: &CustomerMember,
        work: impl FnOnce(&mut DbConnection, &CustomerChange) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        Self::run_once_confirmed(state, member, Confirmed::YES, work).await
    }

    /// As `run` once the person has `confirmed` the change; until then it is
    /// only rehearsed (`db::rehearse`), for the page that asks them to confirm it.
    pub async fn run_once_confirmed<T, E>(
        state: &AppState,
        member: &CustomerMember,
        confirmed: Confirmed,
        work: impl FnOnce(&mut DbConnection, &CustomerChange) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let assisting = member.identity.assisting.as_ref();
        let change = CustomerChange {
            now: state.clock.now(),
            scope: member.scope().clone(),
            assisting_partner_id: assisting.map(|a| a.partner_id.clone()),
            login_id: member.identity.login.id.clone(),
            name: member.identity.login.full_name.clone(),
            membership_id: member.membership.id.clone(),
            on_behalf_of: assisting.map(|a| a.partner_name.clone()),
        };
        in_transaction(state, confirmed, move |conn| work(conn, &change)).await
    }

    /// The account, or the operator's sub-account, the change is made in.
    pub fn scope(&self) -> &ConsoleScope {
        &self.scope
    }

    pub fn customer_id(&self) -> &CustomerId {
        self.scope.customer_id()
    }

    /// The real person making the change.
    pub fn login_id(&self) -> &str {
        &self.login_id
    }

    /// The real person's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Records an action on the account in its log, and in the partner's when the
    /// partner's user did it through "open customer".
    pub fn record(
        &self,
        conn: &mut DbConnection,
        action: Action,
        target: &str,
        details: &str,
    ) -> diesel::QueryResult<()> {
        audit::record(
            conn,
            self.now,
            audit::Entry {
                partner_id: self.assisting_partner_id.as_deref(),
                customer_id: Some(self.customer_id().as_str()),
                actor: self.actor(),
                action,
                target,
                details,
            },
        )
    }

    /// The real person, and the partner they act for when they opened the account.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            login_id: Some(&self.login_id),
            name: &self.name,
            membership_id: Some(&self.membership_id),
            on_behalf_of: self.on_behalf_of.as_deref(),
        }
    }
}

/// Runs `work` for real once `confirmed`, or rehearses it (rolled back).
async fn in_transaction<T, E>(
    state: &AppState,
    confirmed: Confirmed,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + From<diesel::result::Error> + Send + 'static,
{
    db::run(&state.pool, move |conn| {
        if confirmed.yes() {
            db::write_transaction(conn, work)
        } else {
            db::rehearse(conn, work)
        }
    })
    .await
}

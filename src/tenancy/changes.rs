//! A change made by a member, in one write transaction (or only rehearsed, for a
//! page that asks to confirm it first), with what the activity log needs.

use crate::audit::{self, Action, Actor};
use actix_web::FromRequest;

use crate::auth::identity::{CustomerMember, Identity, PartnerMember};
use crate::auth::partner_tokens::PartnerClient;
use crate::auth::scope::{ConsoleScope, PartnerScope};
use crate::config::Settings;
use crate::db::{self, DbConnection, DbError};
use crate::ids::{CustomerId, PartnerId};
use crate::state::AppState;
use crate::web::confirm::Confirmed;

/// What a change made by a member needs, owned for the database thread: when,
/// in which tenant (`scope`), in whose name, and the settings (for links in
/// emails).
pub struct Change<Scope> {
    pub now: chrono::NaiveDateTime,
    scope: Scope,
    pub settings: Settings,
    pub(crate) login_id: String,
    pub(crate) name: String,
    membership_id: String,
    /// The partner whose user is doing this through "open customer", or the
    /// distributor whose person is doing it in a reseller's portal, if so.
    pub assisting_partner_id: Option<String>,
    on_behalf_of: Option<String>,
    /// The partner API token the creator acts through, if so.
    api_token_id: Option<String>,
}

/// A change in a partner organisation, by one of its members.
pub type PartnerChange = Change<PartnerScope>;

/// A change in the customer console: the account or the operator's sub-account,
/// by a member or by a partner's user who opened the account.
pub type CustomerChange = Change<ConsoleScope>;

/// What a change's work may fail with: its own error, into which the pool's and
/// the database's convert.
pub trait ChangeError: From<DbError> + From<diesel::result::Error> + Send + 'static {}

impl<E: From<DbError> + From<diesel::result::Error> + Send + 'static> ChangeError for E {}

/// A signed-in member a change can be made by, in the tenant of `Scope`.
pub trait ChangeMaker {
    type Scope: Clone + Send + 'static;

    fn begin_change(&self, state: &AppState) -> Change<Self::Scope>;
}

impl ChangeMaker for PartnerMember {
    type Scope = PartnerScope;

    fn begin_change(&self, state: &AppState) -> PartnerChange {
        // In a reseller's portal, the distributor the person came for.
        let assisting = self.identity.assisting_reseller.as_ref().map(|assisting| {
            (
                assisting.distributor_id.clone(),
                assisting.distributor_name.clone(),
            )
        });
        Change::new(state, self.scope().clone(), self.actor_parts(), assisting)
    }
}

impl ChangeMaker for CustomerMember {
    type Scope = ConsoleScope;

    fn begin_change(&self, state: &AppState) -> CustomerChange {
        let assisting = self
            .identity
            .assisting
            .as_ref()
            .map(|assisting| (assisting.partner_id.clone(), assisting.partner_name.clone()));
        Change::new(state, self.scope().clone(), self.actor_parts(), assisting)
    }
}

/// A partner API token acts in its organisation in its creator's name; the
/// activity log names the token too.
impl ChangeMaker for PartnerClient {
    type Scope = PartnerScope;

    fn begin_change(&self, state: &AppState) -> PartnerChange {
        let creator = (
            self.creator_login_id.clone(),
            self.creator_name.clone(),
            self.creator_membership_id.clone(),
        );
        let mut change = Change::new(state, self.scope().clone(), creator, None);
        change.api_token_id = Some(self.token_id.clone());
        change
    }
}

/// A signed-in member of either area, for the handlers the partner area and the
/// customer console share: who is asking, and in whose name they act.
pub trait Member: ChangeMaker + FromRequest + 'static {
    fn identity(&self) -> &Identity;
    /// (login id, full name, membership id), owned, for work moved to another thread.
    fn actor_parts(&self) -> (String, String, String);
}

/// Both member types hold the same fields under the same names.
macro_rules! member {
    ($member:ty) => {
        impl Member for $member {
            fn identity(&self) -> &Identity {
                &self.identity
            }

            fn actor_parts(&self) -> (String, String, String) {
                <$member>::actor_parts(self)
            }
        }
    };
}

member!(PartnerMember);
member!(CustomerMember);

impl<Scope> Change<Scope> {
    /// `actor` is (login id, full name, membership id); `assisting` the id and
    /// name of the partner whose user opened the customer's account, if so.
    fn new(
        state: &AppState,
        scope: Scope,
        (login_id, name, membership_id): (String, String, String),
        assisting: Option<(String, String)>,
    ) -> Self {
        let (assisting_partner_id, on_behalf_of) = assisting.unzip();
        Change {
            now: state.clock.now(),
            scope,
            settings: state.settings.clone(),
            login_id,
            name,
            membership_id,
            assisting_partner_id,
            on_behalf_of,
            api_token_id: None,
        }
    }

    /// Runs `work` in one write transaction, in the member's tenant and name.
    pub async fn run<M: ChangeMaker<Scope = Scope>, T: Send + 'static, E: ChangeError>(
        state: &AppState,
        member: &M,
        work: impl FnOnce(&mut DbConnection, &Self) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        Scope: Send + 'static,
    {
        Self::run_once_confirmed(state, member, Confirmed::YES, work).await
    }

    /// As `run` once the person has `confirmed` the change; until then it is
    /// only rehearsed (`db::rehearse`), for the page that asks them to confirm it.
    pub async fn run_once_confirmed<M, T, E>(
        state: &AppState,
        member: &M,
        confirmed: Confirmed,
        work: impl FnOnce(&mut DbConnection, &Self) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        M: ChangeMaker<Scope = Scope>,
        Scope: Send + 'static,
        T: Send + 'static,
        E: ChangeError,
    {
        let change = member.begin_change(state);
        let outcome = db::run(&state.pool, move |conn| {
            if confirmed.yes() {
                db::write_transaction(conn, |conn| work(conn, &change))
            } else {
                db::rehearse(conn, |conn| work(conn, &change))
            }
        })
        .await;
        // The change may have emitted webhook events (`webhooks::emit`): the
        // worker finds none when it did not.
        if confirmed.yes() && outcome.is_ok() {
            state.webhooks_wake.notify_one();
        }
        outcome
    }

    /// The tenant the change is made in.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The real person making the change.
    pub fn login_id(&self) -> &str {
        &self.login_id
    }

    /// The real person's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The membership the person acts as.
    pub fn membership_id(&self) -> &str {
        &self.membership_id
    }

    /// The real person, acting as their membership, and the partner they act
    /// for when they opened a customer's account.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            login_id: Some(&self.login_id),
            name: &self.name,
            membership_id: Some(&self.membership_id),
            on_behalf_of: self.on_behalf_of.as_deref(),
            api_token_id: self.api_token_id.as_deref(),
        }
    }
}

impl PartnerChange {
    pub fn partner_id(&self) -> &PartnerId {
        self.scope.partner_id()
    }
}

impl CustomerChange {
    pub fn customer_id(&self) -> &CustomerId {
        self.scope.customer_id()
    }
}

/// The tenant whose activity log a change is recorded in.
pub trait LogsTo {
    /// The organisation's id for a partner's change, the account's for a
    /// change in the console.
    fn log_ids(&self) -> (Option<&PartnerId>, Option<&CustomerId>);
}

impl LogsTo for PartnerScope {
    fn log_ids(&self) -> (Option<&PartnerId>, Option<&CustomerId>) {
        (Some(self.partner_id()), None)
    }
}

impl LogsTo for ConsoleScope {
    fn log_ids(&self) -> (Option<&PartnerId>, Option<&CustomerId>) {
        (None, Some(self.customer_id()))
    }
}

impl<Scope: LogsTo> Change<Scope> {
    /// Records an action in the tenant's activity log: the organisation's (its
    /// staff, its groups; an action on a customer goes through
    /// `customers::record_change`), or the account's, and also the partner's
    /// when the partner's user did it through "open customer".
    pub fn record(
        &self,
        conn: &mut DbConnection,
        action: Action,
        target: &str,
        details: &str,
    ) -> diesel::QueryResult<()> {
        let (partner_id, customer_id) = self.scope.log_ids();
        audit::record(
            conn,
            self.now,
            audit::Entry {
                partner_id: partner_id
                    .map(PartnerId::as_str)
                    .or(self.assisting_partner_id.as_deref()),
                customer_id: customer_id.map(CustomerId::as_str),
                actor: self.actor(),
                action,
                target,
                details,
            },
        )
    }
}

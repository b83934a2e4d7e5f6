//! The partner area: its home page (what needs the person today), the activity
//! log and the customer context.

pub mod activity;
pub mod charts;
pub mod context;
pub mod home;
pub mod monitors_down;
pub mod state_history;

pub use home::home;

use crate::auth::identity::PartnerMember;
use crate::web::confirm::Confirmed;

/// What a change made by a partner member needs: when, for which organisation,
/// in whose name, and the settings (for links in emails).
pub struct ChangeContext {
    pub now: chrono::NaiveDateTime,
    pub partner_id: String,
    pub settings: crate::config::Settings,
    pub(crate) login_id: String,
    pub(crate) name: String,
    membership_id: String,
}

impl ChangeContext {
    /// The real person, acting as their membership, for the activity log.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor {
            login_id: Some(&self.login_id),
            name: &self.name,
            membership_id: Some(&self.membership_id),
            on_behalf_of: None,
        }
    }
}

/// Runs `work` in one write transaction, in the member's organisation and name.
pub async fn change_as<T, E>(
    state: &crate::state::AppState,
    member: &PartnerMember,
    work: impl FnOnce(&mut crate::db::DbConnection, &ChangeContext) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<crate::db::DbError> + From<diesel::result::Error> + Send + 'static,
{
    change_once_confirmed(state, member, Confirmed::YES, work).await
}

/// As `change_as` once the person has `confirmed` the change; until then it is
/// only rehearsed (`db::rehearse`), for the page that asks them to confirm it.
pub async fn change_once_confirmed<T, E>(
    state: &crate::state::AppState,
    member: &PartnerMember,
    confirmed: Confirmed,
    work: impl FnOnce(&mut crate::db::DbConnection, &ChangeContext) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<crate::db::DbError> + From<diesel::result::Error> + Send + 'static,
{
    let (login_id, name, membership_id) = member.actor_parts();
    let context = ChangeContext {
        now: state.clock.now(),
        partner_id: member.partner_id().to_owned(),
        settings: state.settings.clone(),
        login_id,
        name,
        membership_id,
    };
    crate::db::run(&state.pool, move |conn| {
        if confirmed.yes() {
            crate::db::write_transaction(conn, |conn| work(conn, &context))
        } else {
            crate::db::rehearse(conn, |conn| work(conn, &context))
        }
    })
    .await
}

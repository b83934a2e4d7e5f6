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
pub use crate::tenancy::PartnerChange as ChangeContext;
use crate::tenancy::PartnerChange;

/// Kept while callers move to `crate::tenancy::PartnerChange::run`.
pub async fn change_as<T, E>(
    state: &crate::state::AppState,
    member: &PartnerMember,
    work: impl FnOnce(&mut crate::db::DbConnection, &PartnerChange) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<crate::db::DbError> + From<diesel::result::Error> + Send + 'static,
{
    PartnerChange::run(state, member, work).await
}

/// Kept while callers move to `crate::tenancy::PartnerChange::run_once_confirmed`.
pub async fn change_once_confirmed<T, E>(
    state: &crate::state::AppState,
    member: &PartnerMember,
    confirmed: crate::web::confirm::Confirmed,
    work: impl FnOnce(&mut crate::db::DbConnection, &PartnerChange) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<crate::db::DbError> + From<diesel::result::Error> + Send + 'static,
{
    PartnerChange::run_once_confirmed(state, member, confirmed, work).await
}

//! The job's row: claimed with a lease and a token, renewed after each batch,
//! handed back at a stop, and finished (refused, imported or failed) only by
//! the worker that still holds it.

use crate::ids::PartnerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{FAILED_ERROR, FAILED_INTERRUPTED, JobError, MAX_ATTEMPTS};
use crate::audit::{self, Action, Actor};
use crate::config::Settings;
use crate::customers::CustomerError;
use crate::customers::create::{self, NewCustomer};
use crate::db::schema::customer_imports;
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::tenancy::kinds::ImportState;

use super::check::Checked;

/// A claimed import, with what its work needs.
#[derive(Queryable, Selectable)]
#[diesel(table_name = customer_imports)]
pub(super) struct Claimed {
    pub(super) id: String,
    pub(super) partner_id: PartnerId,
    pub(super) created_by_login_id: String,
    pub(super) acting_membership_id: Option<String>,
    pub(super) actor_name: String,
    pub(super) on_behalf_of: Option<String>,
    pub(super) language: String,
    pub(super) source: String,
    pub(super) upload: String,
    pub(super) claim_token: Option<String>,
}

impl Claimed {
    pub(super) fn actor(&self) -> Actor<'_> {
        Actor {
            login_id: Some(&self.created_by_login_id),
            name: &self.actor_name,
            membership_id: self.acting_membership_id.as_deref(),
            on_behalf_of: self.on_behalf_of.as_deref(),
            api_token_id: None,
        }
    }

    pub(super) fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or_default()
    }

    fn token(&self) -> &str {
        self.claim_token.as_deref().unwrap_or_default()
    }
}

pub(super) enum Next {
    Nothing,
    GaveUp,
    Claimed(Box<Claimed>),
}

/// Claims the oldest import waiting, or whose worker's lease has run out.
pub(super) fn claim_next(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: NaiveDateTime,
) -> QueryResult<Next> {
    use customer_imports::dsl as i;
    let claimable = || {
        i::state.eq(ImportState::Queued).or(i::state
            .eq_any([
                ImportState::Checking.as_str(),
                ImportState::Importing.as_str(),
            ])
            .and(i::locked_until.is_null().or(i::locked_until.lt(now))))
    };
    db::write_transaction(conn, |conn| {
        let candidate: Option<(String, i32)> = i::customer_imports
            .filter(claimable())
            .order(i::created_at.asc())
            .select((i::id, i::attempts))
            .first(conn)
            .optional()?;
        let Some((id, attempts)) = candidate else {
            return Ok(Next::Nothing);
        };
        if attempts >= MAX_ATTEMPTS {
            diesel::update(
                i::customer_imports
                    .filter(i::id.eq(&id))
                    .filter(claimable()),
            )
            .set((
                i::state.eq(ImportState::Failed),
                i::failure.eq(Some(FAILED_INTERRUPTED)),
                i::finished_at.eq(Some(now)),
                i::claim_token.eq(None::<String>),
                i::locked_until.eq(None::<NaiveDateTime>),
                i::upload.eq(""),
            ))
            .execute(conn)?;
            return Ok(Next::GaveUp);
        }
        let token = uuid::Uuid::new_v4().to_string();
        let taken = diesel::update(
            i::customer_imports
                .filter(i::id.eq(&id))
                .filter(claimable()),
        )
        .set((
            i::state.eq(ImportState::Checking),
            i::claim_token.eq(Some(&token)),
            i::locked_until.eq(Some(lease)),
            i::attempts.eq(i::attempts + 1),
            i::checked_rows.eq(0),
        ))
        .execute(conn)?;
        if taken == 0 {
            return Ok(Next::Nothing);
        }
        let claimed = i::customer_imports
            .filter(i::id.eq(&id))
            .select(Claimed::as_select())
            .first(conn)?;
        Ok(Next::Claimed(Box::new(claimed)))
    })
}

/// Records progress and renews the lease; false when the job was taken over.
pub(super) fn renew(
    conn: &mut DbConnection,
    job: &Claimed,
    state: ImportState,
    checked: usize,
    lease: NaiveDateTime,
) -> QueryResult<bool> {
    use customer_imports::dsl as i;
    diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .set((
            i::state.eq(state),
            i::checked_rows.eq(checked as i32),
            i::locked_until.eq(Some(lease)),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Gives the job back at a stop: queued again, lease cleared, this claim not
/// counted, for another instance or the next start to take at once.
pub(super) fn hand_back(conn: &mut DbConnection, job: &Claimed) -> QueryResult<bool> {
    use customer_imports::dsl as i;
    diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .filter(i::state.eq(ImportState::Checking))
        .set((
            i::state.eq(ImportState::Queued),
            i::claim_token.eq(None::<String>),
            i::locked_until.eq(None::<NaiveDateTime>),
            i::checked_rows.eq(0),
            i::attempts.eq(i::attempts - 1),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub(super) fn mark_failed(
    conn: &mut DbConnection,
    job: &Claimed,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use customer_imports::dsl as i;
    diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .set((
            i::state.eq(ImportState::Failed),
            i::failure.eq(Some(FAILED_ERROR)),
            i::finished_at.eq(Some(now)),
            i::claim_token.eq(None::<String>),
            i::locked_until.eq(None::<NaiveDateTime>),
            i::upload.eq(""),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Refuses the file: nothing imported, every problem kept for the page.
pub(super) fn finish_invalid(
    conn: &mut DbConnection,
    job: &Claimed,
    checked: &Checked,
    now: NaiveDateTime,
) -> Result<bool, JobError> {
    use customer_imports::dsl as i;
    let problems = serde_json::to_string(&checked.problems).map_err(CustomerError::from)?;
    let updated = diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .set((
            i::state.eq(ImportState::Invalid),
            i::checked_rows.eq(checked.rows as i32),
            i::problems.eq(problems),
            i::finished_at.eq(Some(now)),
            i::claim_token.eq(None::<String>),
            i::locked_until.eq(None::<NaiveDateTime>),
            i::upload.eq(""),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Imports every accepted row in one transaction, or none. The first statement
/// turns the row to `done` while this worker still holds it; on PostgreSQL it
/// also locks the row, so a worker taking it over waits and then finds it done.
pub(super) fn import_all(
    conn: &mut DbConnection,
    job: &Claimed,
    accepted: &[NewCustomer],
    settings: &Settings,
    now: NaiveDateTime,
) -> Result<(), JobError> {
    use customer_imports::dsl as i;
    db::write_transaction(conn, |conn| {
        let done = diesel::update(i::customer_imports)
            .filter(i::id.eq(&job.id))
            .filter(i::claim_token.eq(job.token()))
            .filter(i::state.eq(ImportState::Importing))
            .set((
                i::state.eq(ImportState::Done),
                i::imported_rows.eq(accepted.len() as i32),
                i::finished_at.eq(Some(now)),
                i::claim_token.eq(None::<String>),
                i::locked_until.eq(None::<NaiveDateTime>),
                i::upload.eq(""),
            ))
            .execute(conn)?;
        if done != 1 {
            return Err(JobError::LeaseLost);
        }
        for new in accepted {
            create::create(conn, settings, now, &job.partner_id, new, job.actor())?;
        }
        audit::record(
            conn,
            now,
            audit::Entry {
                partner_id: Some(job.partner_id.as_str()),
                customer_id: None,
                actor: job.actor(),
                action: Action::CustomersImported,
                target: &job.source,
                details: &accepted.len().to_string(),
            },
        )?;
        Ok(())
    })
}

//! Suspending a partner organisation with a reason its staff will read, and
//! reinstating it; both confirmed first (`web::confirm`: the change is
//! rehearsed, then reviewed) and logged (`organisations::suspension`).

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::AdminPage;
use crate::auth::operator::InstanceOperator;
use crate::db::{self, DbConnection};
use crate::organisations::suspension::{self, REASON_MAX, SuspensionError};
use crate::state::AppState;
use crate::web::confirm::{ConfirmForm, Confirmed, Review, back_to};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, succeeded};

#[derive(Debug, Default, Deserialize)]
pub struct SuspendForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirmed: Confirmed,
}

/// `?reason=` when Back comes from the review.
#[derive(Debug, Default, Deserialize)]
pub struct Typed {
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "admin/suspend_partner.html")]
struct SuspendPage {
    layout: PageContext,
    partner_id: String,
    name: String,
    reason: String,
    errors: FieldErrors,
    reason_max: usize,
}

pub async fn form(
    PageOf(state, layout, _): AdminPage,
    path: web::Path<String>,
    typed: web::Query<Typed>,
) -> Result<HttpResponse, PageError> {
    let partner_id = path.into_inner();
    let id = partner_id.clone();
    let standing = db::run(&state.pool, move |conn| {
        suspension::standing(conn, &id).map_err(PageError::from)
    })
    .await?;
    let (name, _) = standing.ok_or(PageError::NotFound)?;
    render(&SuspendPage {
        layout,
        partner_id,
        name,
        reason: typed.into_inner().reason,
        errors: FieldErrors::default(),
        reason_max: REASON_MAX,
    })
}

/// Runs `work` for real once confirmed, else as a rehearsal.
async fn change<T: Send + 'static>(
    state: &AppState,
    confirmed: Confirmed,
    work: impl FnOnce(&mut DbConnection) -> Result<T, SuspensionError> + Send + 'static,
) -> Result<Result<T, SuspensionError>, PageError> {
    db::run(&state.pool, move |conn| {
        let outcome = if confirmed.yes() {
            db::write_transaction(conn, work)
        } else {
            db::rehearse(conn, work)
        };
        match outcome {
            Err(SuspensionError::Database(e)) => Err(PageError::from(e)),
            other => Ok(other),
        }
    })
    .await
}

fn actor_of(operator: &InstanceOperator) -> (String, String) {
    let login = &operator.identity.login;
    (login.id.clone(), login.full_name.clone())
}

pub async fn suspend(
    PageOf(state, layout, operator): AdminPage,
    path: web::Path<String>,
    form: web::Form<SuspendForm>,
) -> Result<HttpResponse, PageError> {
    let partner_id = path.into_inner();
    let SuspendForm { reason, confirmed } = form.into_inner();
    let checked = crate::web::text::paragraphs(&reason, REASON_MAX);
    let (id, (login_id, actor_name), now) =
        (partner_id.clone(), actor_of(&operator), state.clock.now());
    let refused = |layout, name, key: &str| {
        render(&SuspendPage {
            layout,
            partner_id: partner_id.clone(),
            name,
            reason: reason.clone(),
            errors: FieldErrors::one("reason", key),
            reason_max: REASON_MAX,
        })
    };
    let checked_reason = match checked {
        Ok(checked) => checked,
        Err(problem) => {
            let found = db::run(&state.pool, move |conn| {
                suspension::standing(conn, &id).map_err(PageError::from)
            })
            .await?;
            let (name, _) = found.ok_or(PageError::NotFound)?;
            return refused(layout, name, problem.message_key());
        }
    };
    let kept = checked_reason.clone();
    let outcome = change(&state, confirmed, move |conn| {
        let actor = crate::instance_log::OperatorActor {
            login_id: Some(&login_id),
            name: &actor_name,
        };
        suspension::suspend(conn, now, actor, &id, &kept)
    })
    .await?;
    let name = match outcome {
        Ok(name) => name,
        Err(SuspensionError::AlreadySuspended) => {
            return Ok(succeeded("flash-admin-partner-already-suspended", "/admin"));
        }
        Err(_) => return Err(PageError::NotFound),
    };
    if confirmed.yes() {
        return Ok(succeeded("flash-admin-partner-suspended", "/admin"));
    }
    let tr = &layout.tr;
    let action = format!("/admin/partners/{partner_id}/suspend");
    let back = back_to(&action, &[("reason", &checked_reason)], "reason");
    Review::new(tr, "admin-confirm-suspend-heading", action, back)
        .summary(tr.with("admin-confirm-suspend-summary", &[("name", &name)]))
        .fact(
            tr,
            "fact-reason",
            "suspended-reason",
            checked_reason.clone(),
        )
        .field("reason", &checked_reason)
        .confirm_label(tr, "admin-partner-suspend")
        .irreversible()
        .render(layout)
}

pub async fn reinstate(
    PageOf(state, layout, operator): AdminPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let partner_id = path.into_inner();
    let confirmed = form.confirmed;
    let (id, (login_id, actor_name), now) =
        (partner_id.clone(), actor_of(&operator), state.clock.now());
    let outcome = change(&state, confirmed, move |conn| {
        let actor = crate::instance_log::OperatorActor {
            login_id: Some(&login_id),
            name: &actor_name,
        };
        suspension::reinstate(conn, now, actor, &id)
    })
    .await?;
    let name = match outcome {
        Ok(name) => name,
        Err(SuspensionError::NotSuspended) => {
            return Ok(succeeded("flash-admin-partner-not-suspended", "/admin"));
        }
        Err(_) => return Err(PageError::NotFound),
    };
    if confirmed.yes() {
        return Ok(succeeded("flash-admin-partner-reinstated", "/admin"));
    }
    let tr = &layout.tr;
    let action = format!("/admin/partners/{partner_id}/reinstate");
    Review::new(
        tr,
        "admin-confirm-reinstate-heading",
        action,
        "/admin".to_owned(),
    )
    .summary(tr.with("admin-confirm-reinstate-summary", &[("name", &name)]))
    .confirm_label(tr, "admin-partner-reinstate")
    .render(layout)
}

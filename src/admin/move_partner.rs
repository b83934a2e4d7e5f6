//! Moving a partner organisation in the tree (`/admin/partners/{id}/move`):
//! under another organisation or to the top level, with an optional reason,
//! reviewed before it is done (`web::confirm`). The page also shows who the
//! organisation answered to over time (`network::moves::history`).

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use super::AdminPage;
use crate::db::schema::partner_organisations;
use crate::db::{self, DbConnection, DbError};
use crate::i18n::format_time;
use crate::network::moves::{self, MoveError, Moved, Period, REASON_MAX};
use crate::network::tree;
use crate::web::confirm::{Confirmed, Review, back_to};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, succeeded};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct MoveForm {
    /// The new parent's id; empty for the top level.
    #[serde(default)]
    parent: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirmed: Confirmed,
}

/// `?parent=&reason=` when Back comes from the review.
#[derive(Debug, Default, Deserialize)]
pub struct Typed {
    parent: Option<String>,
    #[serde(default)]
    reason: String,
}

/// The organisation, where it stands, and where it may go.
struct Standing {
    name: String,
    parent_id: Option<String>,
    /// (id, name) of every organisation it may move under: not itself, not
    /// one under it.
    candidates: Vec<(String, String)>,
    history: Vec<Period>,
}

fn standing(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Option<Standing>> {
    let found: Option<(String, Option<String>)> = partner_organisations::table
        .find(partner_id)
        .select((
            partner_organisations::name,
            partner_organisations::parent_id,
        ))
        .first(conn)
        .optional()?;
    let Some((name, parent_id)) = found else {
        return Ok(None);
    };
    let below: Vec<String> = tree::descendants(conn, partner_id)?
        .into_iter()
        .map(|node| node.id)
        .collect();
    // Thousands of organisations at most: one list to choose from.
    let candidates = partner_organisations::table
        .filter(partner_organisations::id.ne(partner_id))
        .order((
            partner_organisations::name.asc(),
            partner_organisations::id.asc(),
        ))
        .select((partner_organisations::id, partner_organisations::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter(|(id, _)| !below.contains(id))
        .collect();
    let history = moves::history(conn, partner_id)?;
    Ok(Some(Standing {
        name,
        parent_id,
        candidates,
        history,
    }))
}

#[derive(Template)]
#[template(path = "admin/move_partner.html")]
struct MovePage {
    layout: PageContext,
    partner_id: String,
    standing: Standing,
    /// The parent chosen in the form ("" for the top level).
    parent: String,
    reason: String,
    reason_max: usize,
    errors: FieldErrors,
}

impl MovePage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.layout.zone(), self.layout.lang)
    }

    fn current_parent(&self) -> Option<String> {
        let parent = self.standing.parent_id.as_ref()?;
        self.standing
            .candidates
            .iter()
            .find(|(id, _)| id == parent)
            .map(|(_, name)| name.clone())
    }
}

async fn load(state: &crate::state::AppState, partner_id: &str) -> Result<Standing, PageError> {
    let id = partner_id.to_owned();
    db::run(&state.pool, move |conn| {
        standing(conn, &id).map_err(DbError::from)
    })
    .await?
    .ok_or(PageError::NotFound)
}

pub async fn form(
    PageOf(state, layout, _): AdminPage,
    path: web::Path<String>,
    typed: web::Query<Typed>,
) -> Result<HttpResponse, PageError> {
    let partner_id = path.into_inner();
    let standing = load(&state, &partner_id).await?;
    let typed = typed.into_inner();
    let parent = typed
        .parent
        .unwrap_or_else(|| standing.parent_id.clone().unwrap_or_default());
    render(&MovePage {
        layout,
        partner_id,
        standing,
        parent,
        reason: typed.reason,
        reason_max: REASON_MAX,
        errors: FieldErrors::default(),
    })
}

/// What the operator asked: the organisation, its new parent, the reason.
struct Asked {
    partner_id: String,
    new_parent: Option<String>,
    reason: String,
}

/// Runs the move for real once confirmed, else as a rehearsal.
async fn run_move(
    state: &crate::state::AppState,
    operator: &crate::auth::operator::InstanceOperator,
    confirmed: Confirmed,
    asked: Asked,
) -> Result<Result<Moved, MoveError>, PageError> {
    let login = &operator.identity.login;
    let (login_id, actor_name, now) =
        (login.id.clone(), login.full_name.clone(), state.clock.now());
    db::run(&state.pool, move |conn| {
        let work = |conn: &mut DbConnection| {
            let actor = crate::instance_log::OperatorActor {
                login_id: Some(&login_id),
                name: &actor_name,
            };
            let parent = asked.new_parent.as_deref();
            moves::move_partner(conn, now, actor, &asked.partner_id, parent, &asked.reason)
        };
        let outcome = if confirmed.yes() {
            db::write_transaction(conn, work)
        } else {
            db::rehearse(conn, work)
        };
        match outcome {
            Err(MoveError::Database(e)) => Err(PageError::from(e)),
            other => Ok(other),
        }
    })
    .await
}

/// The review of a rehearsed move.
fn review(
    layout: PageContext,
    partner_id: &str,
    (parent, reason): (&str, &str),
    moved: &Moved,
) -> Result<HttpResponse, PageError> {
    let tr = &layout.tr;
    let top = tr.t("admin-partner-top-level");
    let action = format!("/admin/partners/{partner_id}/move");
    let back = back_to(&action, &[("parent", parent), ("reason", reason)], "parent");
    let from = moved.from.clone().unwrap_or_else(|| top.clone());
    let mut review = Review::new(tr, "admin-confirm-move-heading", action, back)
        .summary(tr.with("admin-confirm-move-summary", &[("name", &moved.name)]))
        .fact(tr, "fact-from", "admin-move-from", from)
        .fact(
            tr,
            "fact-to",
            "admin-move-to",
            moved.to.clone().unwrap_or(top),
        );
    if !reason.is_empty() {
        review = review.fact(tr, "fact-reason", "admin-move-reason", reason.to_owned());
    }
    review
        .field("parent", parent)
        .field("reason", reason)
        .confirm_label(tr, "admin-partner-move")
        .render(layout)
}

pub async fn move_partner(
    PageOf(state, layout, operator): AdminPage,
    path: web::Path<String>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    let partner_id = path.into_inner();
    let MoveForm {
        parent,
        reason,
        confirmed,
    } = form.into_inner();
    let reason = reason.trim().to_owned();
    let refused = |layout, standing, field: &'static str, key: &str| {
        render(&MovePage {
            layout,
            partner_id: partner_id.clone(),
            standing,
            parent: parent.clone(),
            reason: reason.clone(),
            reason_max: REASON_MAX,
            errors: FieldErrors::one(field, key),
        })
    };
    if !reason.is_empty()
        && let Err(problem) = crate::web::text::paragraphs(&reason, REASON_MAX)
    {
        let standing = load(&state, &partner_id).await?;
        return refused(layout, standing, "reason", problem.message_key());
    }
    let asked = Asked {
        partner_id: partner_id.clone(),
        new_parent: (!parent.is_empty()).then(|| parent.clone()),
        reason: reason.clone(),
    };
    let moved = match run_move(&state, &operator, confirmed, asked).await? {
        Ok(moved) => moved,
        Err(MoveError::UnknownPartner) => return Err(PageError::NotFound),
        Err(problem) => {
            let standing = load(&state, &partner_id).await?;
            return refused(layout, standing, "parent", problem.message_key());
        }
    };
    if confirmed.yes() {
        return Ok(succeeded("flash-admin-partner-moved", "/admin"));
    }
    review(layout, &partner_id, (&parent, &reason), &moved)
}

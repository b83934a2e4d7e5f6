//! The reseller's side of distributor assistance
//! (`/partner/distributor-assistance`): its owners let the organisation
//! directly above help in its portal, or stop it (which ends any session
//! going on there at once), and see who came, when and why.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::EndReason;
use crate::audit::{self, Action};
use crate::db::schema::{logins, partner_organisations, reseller_assists};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::format_time;
use crate::tenancy::PartnerChange;
use crate::web::{PageContext, PageError, PageOf, PartnerPage, render, succeeded};

/// How many past sessions the page shows, newest first.
const HISTORY: i64 = 50;

/// One time a distributor's person came, as the page shows it.
pub struct Visit {
    pub person: String,
    pub distributor: String,
    pub reason: String,
    pub started: String,
    pub ended: Option<String>,
    /// The message saying why it ended, if it has.
    pub why_key: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "network/distributor_assistance.html")]
struct SettingPage {
    layout: PageContext,
    /// The organisation directly above, if there is one.
    distributor: Option<String>,
    allowed: bool,
    visits: Vec<Visit>,
    max_minutes: i64,
}

/// (person, distributor id, reason, started, ends at the latest, ended,
/// why it ended)
type VisitRow = (
    String,
    String,
    String,
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
    Option<String>,
);

/// The organisation's distributor (name) and whether it may help; `None` for
/// an organisation with none above it.
fn distributor_of(
    conn: &mut DbConnection,
    partner_id: &str,
) -> QueryResult<Option<(String, String, bool)>> {
    let (parent, allowed): (Option<String>, bool) = partner_organisations::table
        .filter(partner_organisations::id.eq(partner_id))
        .select((
            partner_organisations::parent_id,
            partner_organisations::distributor_assistance,
        ))
        .first(conn)?;
    let Some(parent) = parent else {
        return Ok(None);
    };
    let name: String = partner_organisations::table
        .filter(partner_organisations::id.eq(&parent))
        .select(partner_organisations::name)
        .first(conn)?;
    Ok(Some((parent, name, allowed)))
}

/// The latest sessions in the organisation's portal, with the names of the
/// distributors they came for (the organisation may have moved since).
fn visits_of(
    conn: &mut DbConnection,
    partner_id: &str,
) -> QueryResult<(Vec<VisitRow>, HashMap<String, String>)> {
    let rows: Vec<VisitRow> = reseller_assists::table
        .inner_join(logins::table.on(logins::id.eq(reseller_assists::login_id)))
        .filter(reseller_assists::reseller_id.eq(partner_id))
        .order((reseller_assists::started_at.desc(), reseller_assists::id))
        .limit(HISTORY)
        .select((
            logins::full_name,
            reseller_assists::distributor_id,
            reseller_assists::reason,
            reseller_assists::started_at,
            reseller_assists::expires_at,
            reseller_assists::ended_at,
            reseller_assists::end_reason,
        ))
        .load(conn)?;
    let ids: Vec<&String> = rows.iter().map(|(_, id, ..)| id).collect();
    let names: HashMap<String, String> = partner_organisations::table
        .filter(partner_organisations::id.eq_any(ids))
        .select((partner_organisations::id, partner_organisations::name))
        .load(conn)?
        .into_iter()
        .collect();
    Ok((rows, names))
}

/// How the reseller's history says a session ended.
fn history_key(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Left => "distributor-visit-left",
        EndReason::Expired => "distributor-visit-expired",
        EndReason::AssistanceOff => "distributor-visit-assistance-off",
        EndReason::Dissociated => "distributor-visit-moved",
        EndReason::AccessRemoved => "distributor-visit-access-removed",
    }
}

/// `GET /partner/distributor-assistance`.
pub async fn page(PageOf(state, layout, member): PartnerPage) -> Result<HttpResponse, PageError> {
    let partner_id = member.partner_id().as_str().to_owned();
    let (distributor, (rows, names)) = db::run(&state.pool, move |conn| {
        let distributor = distributor_of(conn, &partner_id)?;
        Ok::<_, DbError>((distributor, visits_of(conn, &partner_id)?))
    })
    .await?;
    let (distributor, allowed) = match distributor {
        Some((_, name, allowed)) => (Some(name), allowed),
        None => (None, false),
    };
    let zone = member.identity.login.time_zone;
    let lang = layout.lang;
    let now = state.clock.now();
    let visits = rows
        .into_iter()
        .map(
            |(person, distributor_id, reason, started, expires, ended, why)| {
                // A session nobody came back to is over with its hour, though
                // no request has written so yet.
                let (ended, why) = match (ended, why) {
                    (None, _) if expires <= now => (Some(expires), Some(EndReason::Expired)),
                    (ended, why) => (ended, why.as_deref().and_then(EndReason::parse)),
                };
                Visit {
                    person,
                    distributor: names.get(&distributor_id).cloned().unwrap_or_default(),
                    reason,
                    started: format_time(started, zone, lang),
                    ended: ended.map(|at| format_time(at, zone, lang)),
                    why_key: why.map(history_key),
                }
            },
        )
        .collect();
    render(&SettingPage {
        layout,
        distributor,
        allowed,
        visits,
        max_minutes: crate::assisted::MAX_MINUTES,
    })
}

#[derive(Deserialize)]
pub struct SettingForm {
    #[serde(default)]
    enabled: String,
}

/// `POST /partner/distributor-assistance`: `enabled` is `on` or `off`.
pub async fn change(
    state: web::Data<crate::state::AppState>,
    member: crate::auth::identity::PartnerMember,
    form: web::Form<SettingForm>,
) -> Result<HttpResponse, PageError> {
    let enabled = match form.enabled.as_str() {
        "on" => true,
        "off" => false,
        _ => return Err(PageError::BadRequest),
    };
    // The organisation's name as the identity read it with the membership.
    let name = member.membership.tenant_name.clone();
    let changed = PartnerChange::run(&state, &member, move |conn, change| {
        let partner_id = change.partner_id().as_str();
        let Some((distributor_id, distributor, _)) = distributor_of(conn, partner_id)? else {
            return Ok(None);
        };
        let changed = diesel::update(
            partner_organisations::table
                .filter(partner_organisations::id.eq(partner_id))
                .filter(partner_organisations::distributor_assistance.ne(enabled)),
        )
        .set(partner_organisations::distributor_assistance.eq(enabled))
        .execute(conn)?;
        if changed == 0 {
            return Ok(Some(false));
        }
        if !enabled {
            super::end_all_of(conn, change.now, partner_id, EndReason::AssistanceOff)?;
        }
        let action = if enabled {
            Action::DistributorAssistanceOn
        } else {
            Action::DistributorAssistanceOff
        };
        change.record(conn, action, &distributor, "")?;
        // The distributor learns it in its own log, under the reseller's name.
        audit::record(
            conn,
            change.now,
            audit::Entry {
                partner_id: Some(&distributor_id),
                customer_id: None,
                actor: change.actor(),
                action,
                target: &name,
                details: "",
            },
        )?;
        Ok::<_, DbError>(Some(true))
    })
    .await?;
    match changed {
        None => Err(PageError::NotFound),
        Some(false) => Ok(crate::web::see_other("/partner/distributor-assistance")),
        Some(true) => Ok(succeeded(
            if enabled {
                "flash-distributor-assistance-on"
            } else {
                "flash-distributor-assistance-off"
            },
            "/partner/distributor-assistance",
        )),
    }
}

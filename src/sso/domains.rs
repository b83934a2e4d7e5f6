//! Claiming and removing the organisation's email domains. A claimed domain
//! gets its own DNS token at once, so it can be proven either way.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use super::Organisation;
use super::pages::{Manager, actor_of, show};
use crate::audit::Action;
use crate::db::schema::sso_domains;
use crate::db::{self, DbConnection, DbError};
use crate::state::AppState;
use crate::web::{FieldErrors, PageError, PageOf, succeeded};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DomainForm {
    domain: String,
}

pub async fn claim(
    PageOf(state, layout, manager): PageOf<Manager>,
    form: web::Form<DomainForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.into_inner().domain;
    let organisation = manager.organisation.clone();
    let Some(domain) = super::parse_domain(&typed) else {
        let errors = FieldErrors::one("domain", "sso-domain-invalid");
        return show(&state, layout, organisation, None, typed, errors).await;
    };
    let now = state.clock.now();
    let actor = manager.actor.clone();
    let owner = organisation.clone();
    let refusal = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Option<&'static str>, DbError> {
            if super::proven_elsewhere(conn, &owner, &domain)? {
                return Ok(Some("sso-domain-taken"));
            }
            if super::domains_of(conn, &owner)?
                .iter()
                .any(|d| d.domain == domain)
            {
                return Ok(Some("sso-domain-already"));
            }
            diesel::insert_into(sso_domains::table)
                .values((
                    sso_domains::id.eq(uuid::Uuid::new_v4().to_string()),
                    sso_domains::partner_id.eq(owner.partner_id()),
                    sso_domains::customer_id.eq(owner.customer_id()),
                    sso_domains::domain.eq(&domain),
                    sso_domains::claimed_at.eq(now),
                    sso_domains::dns_token.eq(crate::auth::tokens::random_token()),
                ))
                .execute(conn)?;
            owner.log(
                conn,
                now,
                actor_of(&actor),
                Action::SsoDomainClaimed,
                &domain,
                "",
            )?;
            Ok(None)
        })
    })
    .await;
    // The same claim sent twice at once: the second finds the first.
    let refusal = match refusal {
        Err(error) if error.is_unique_violation() => Some("sso-domain-already"),
        other => other?,
    };
    if let Some(key) = refusal {
        let errors = FieldErrors::one("domain", key);
        return show(&state, layout, organisation, None, typed, errors).await;
    }
    Ok(succeeded(
        "flash-sso-domain-claimed",
        organisation.sso_page(),
    ))
}

/// The domain `domain_id` when `organisation` claims it: (domain, DNS token).
pub(super) fn claimed(
    conn: &mut DbConnection,
    organisation: &Organisation,
    domain_id: &str,
) -> QueryResult<Option<(String, String)>> {
    sso_domains::table
        .filter(sso_domains::id.eq(domain_id))
        .filter(super::owned_by!(sso_domains, organisation))
        .select((sso_domains::domain, sso_domains::dns_token))
        .first(conn)
        .optional()
}

pub async fn remove(
    state: web::Data<AppState>,
    manager: Manager,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let domain_id = path.into_inner();
    let now = state.clock.now();
    let Manager {
        organisation,
        actor,
    } = manager;
    let owner = organisation.clone();
    let removed = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<bool, DbError> {
            let Some((domain, _)) = claimed(conn, &owner, &domain_id)? else {
                return Ok(false);
            };
            diesel::delete(sso_domains::table.filter(sso_domains::id.eq(&domain_id)))
                .execute(conn)?;
            owner.log(
                conn,
                now,
                actor_of(&actor),
                Action::SsoDomainRemoved,
                &domain,
                "",
            )?;
            Ok(true)
        })
    })
    .await?;
    if !removed {
        return Err(PageError::NotFound);
    }
    Ok(succeeded(
        "flash-sso-domain-removed",
        organisation.sso_page(),
    ))
}

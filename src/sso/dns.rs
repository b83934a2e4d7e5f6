//! Proving a claimed domain by DNS: the organisation publishes a TXT record
//! `_partnerdesk.<domain>` with the value `partnerdesk-domain=<token>` (the
//! token is the claim's own), and its owner asks the portal to look. Whoever
//! controls a domain's DNS owns it, so a DNS proof outweighs a provider's
//! word: it takes the domain back from an organisation whose provider proved
//! it, and from one whose DNS proof is no longer published; never from one
//! whose record is still there.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::xfer::Protocol;
use hickory_resolver::{ResolveError, Resolver};

use super::Organisation;
use super::pages::{Manager, actor_of};
use crate::audit::{Action, Actor};
use crate::config::Settings;
use crate::db::schema::sso_domains;
use crate::db::{self, DbConnection, DbError};
use crate::state::AppState;
use crate::web::{PageError, see_other};

/// `sso_domains.proven_by` of a domain proven by its TXT record.
pub const PROVEN_BY_DNS: &str = "dns";

const VALUE_PREFIX: &str = "partnerdesk-domain=";

pub fn record_name(domain: &str) -> String {
    format!("_partnerdesk.{domain}")
}

pub fn record_value(token: &str) -> String {
    format!("{VALUE_PREFIX}{token}")
}

/// The TXT strings published at `name`; none when the name or the record
/// does not exist. Asked afresh every time (no cache): the owner has just
/// changed the record.
async fn published(settings: &Settings, name: &str) -> Result<Vec<String>, ResolveError> {
    let mut builder = match settings.dns_resolver {
        Some(server) => {
            let mut config = ResolverConfig::new();
            config.add_name_server(NameServerConfig::new(server, Protocol::Udp));
            Resolver::builder_with_config(config, TokioConnectionProvider::default())
        }
        None => Resolver::builder_tokio()?,
    };
    let options = builder.options_mut();
    options.cache_size = 0;
    options.timeout = Duration::from_secs(5);
    options.attempts = 2;
    let resolver = builder.build();
    match resolver.txt_lookup(format!("{name}.")).await {
        Ok(records) => Ok(records
            .iter()
            .map(|txt| {
                txt.txt_data()
                    .iter()
                    .map(|part| String::from_utf8_lossy(part).into_owned())
                    .collect::<String>()
            })
            .collect()),
        Err(error) if error.is_no_records_found() || error.is_nx_domain() => Ok(Vec::new()),
        Err(error) => Err(error),
    }
}

/// Looks for the claim's TXT record, and proves the domain when it is there.
pub async fn check(
    state: web::Data<AppState>,
    manager: Manager,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let domain_id = path.into_inner();
    let organisation = manager.organisation.clone();
    let lookup = organisation.clone();
    let claim = db::run(&state.pool, move |conn| {
        super::domains::claimed(conn, &lookup, &domain_id).map_err(DbError::from)
    })
    .await?;
    let Some((domain, token)) = claim else {
        return Err(PageError::NotFound);
    };
    let values = match published(&state.settings, &record_name(&domain)).await {
        Ok(values) => values,
        Err(error) => {
            tracing::info!(domain = %domain, error = %error, "the domain's TXT record could not be read");
            FlashMessage::error("sso-dns-unreachable").send();
            return Ok(see_other(organisation.sso_page()));
        }
    };
    if !values.contains(&record_value(&token)) {
        FlashMessage::error("sso-dns-not-found").send();
        return Ok(see_other(organisation.sso_page()));
    }
    let now = state.clock.now();
    let actor = manager.actor.clone();
    let owner = organisation.clone();
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            prove(conn, now, &owner, &actor, &domain, &values)
        })
    })
    .await;
    super::proof::told(outcome, organisation.sso_page())
}

/// Another organisation's proof of the domain: (row id, owner, proven by,
/// its DNS token).
type Holder = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

fn prove(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    organisation: &Organisation,
    actor: &(String, String, String),
    domain: &str,
    published: &[String],
) -> Result<Result<(), &'static str>, DbError> {
    let holders: Vec<Holder> = sso_domains::table
        .filter(sso_domains::domain.eq(domain))
        .filter(sso_domains::proven_at.is_not_null())
        .select((
            sso_domains::id,
            sso_domains::partner_id,
            sso_domains::customer_id,
            sso_domains::proven_by,
            sso_domains::dns_token,
        ))
        .load(conn)?;
    let others: Vec<(String, Organisation, bool)> = holders
        .into_iter()
        .filter_map(|(id, partner, customer, proven_by, token)| {
            let holder = Organisation::of_row(partner, customer)?;
            let still_published = proven_by.as_deref() == Some(PROVEN_BY_DNS)
                && published.contains(&record_value(&token));
            (&holder != organisation).then_some((id, holder, still_published))
        })
        .collect();
    if others
        .iter()
        .any(|(_, _, still_published)| *still_published)
    {
        return Ok(Err("sso-domain-taken"));
    }
    for (id, holder, _) in &others {
        diesel::update(sso_domains::table.find(id))
            .set((
                sso_domains::proven_at.eq(None::<NaiveDateTime>),
                sso_domains::proven_by.eq(None::<&str>),
            ))
            .execute(conn)?;
        // Told in the losing organisation's log, without naming the winner.
        holder.log(
            conn,
            now,
            Actor {
                login_id: None,
                name: "Partnerdesk",
                membership_id: None,
                on_behalf_of: None,
                api_token_id: None,
            },
            Action::SsoDomainLost,
            domain,
            "proven by DNS by another organisation",
        )?;
    }
    let updated = diesel::update(
        sso_domains::table
            .filter(super::owned_by!(sso_domains, organisation))
            .filter(sso_domains::domain.eq(domain)),
    )
    .set((
        sso_domains::proven_at.eq(Some(now)),
        sso_domains::proven_by.eq(Some(PROVEN_BY_DNS)),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Ok(Err("sso-domain-not-claimed"));
    }
    organisation.log(
        conn,
        now,
        actor_of(actor),
        Action::SsoDomainProven,
        domain,
        PROVEN_BY_DNS,
    )?;
    Ok(Ok(()))
}

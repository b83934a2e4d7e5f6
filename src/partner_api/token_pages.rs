//! The organisation's API tokens (`/partner/api-tokens`): its owners create one
//! per program, with the scopes it needs and an optional last day, see it once,
//! and revoke it after confirming. Owners may let admin agents do the same
//! (`OwnerGrants`); an admin agent then sees and revokes only its own tokens,
//! and a token acts with its creator's role whoever created it.

use actix_web::web::{self, Bytes};
use actix_web::{HttpResponse, http::header};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};

use crate::access::{Capability, TokenScope};
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::auth::partner_tokens::{self as tokens, NewPartnerToken, PartnerToken, TokenReach};
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::confirm::{ConfirmForm, back_to, removal};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

const TOKEN_NAME_MAX: usize = 80;
const PAGE: &str = "/partner/api-tokens";

/// What the creation form held.
#[derive(Debug, Default, Clone)]
struct Typed {
    name: String,
    scopes: Vec<TokenScope>,
    expires_on: String,
}

#[derive(Template)]
#[template(path = "partner/api_tokens.html")]
struct TokensPage {
    layout: PageContext,
    tokens: Vec<PartnerToken>,
    /// The token just created: (name, the token), shown this once.
    created: Option<(String, String)>,
    typed: Typed,
    errors: FieldErrors,
    zone: chrono_tz::Tz,
    scopes: [TokenScope; TokenScope::ALL.len()],
    now: NaiveDateTime,
    /// For an owner: whether admin agents may create tokens (the form that
    /// changes it is shown). None for an admin agent.
    admin_agents_allowed: Option<bool>,
}

impl TokensPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }

    fn optional_time(&self, at: &Option<NaiveDateTime>, none_key: &str) -> String {
        match at {
            Some(at) => self.time(at),
            None => self.layout.tr.t(none_key),
        }
    }

    fn scope_names(&self, scopes: &[TokenScope]) -> String {
        scopes
            .iter()
            .map(|scope| self.layout.tr.t(scope.label_key()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn typed_scope(&self, scope: &TokenScope) -> bool {
        self.typed.scopes.contains(scope)
    }

    /// Whether a live token's last day has passed.
    fn expired(&self, token: &PartnerToken) -> bool {
        token.expires_at.is_some_and(|at| at <= self.now)
    }
}

async fn tokens_page(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    created: Option<(String, String)>,
    typed: Typed,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let reach = reach_of(member);
    let found = db::run(&state.pool, move |conn| {
        tokens::partner_tokens(conn, &scope, &reach).map_err(DbError::from)
    })
    .await?;
    let admin_agents_allowed = member.role.can(Capability::SetApiTokenPolicy).then_some(
        member
            .membership
            .owner_grants
            .admin_agents_manage_api_tokens,
    );
    let mut response = render(&TokensPage {
        layout,
        tokens: found,
        created,
        typed,
        errors,
        zone: member.identity.login.time_zone,
        scopes: TokenScope::ALL,
        now: state.clock.now(),
        admin_agents_allowed,
    })?;
    // The page may hold a token: never keep it in a cache.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// The tokens `member` sees and may revoke: the organisation's for whoever may
/// set the policy (the owners), only their own for anyone else the access
/// decision let in (an admin agent the owners allowed).
fn reach_of(member: &PartnerMember) -> TokenReach {
    if member.role.can(Capability::SetApiTokenPolicy) {
        TokenReach::Organisation
    } else {
        TokenReach::CreatedBy {
            membership_id: member.membership.id.clone(),
        }
    }
}

pub async fn page(PageOf(state, layout, member): PartnerPage) -> Result<HttpResponse, PageError> {
    let typed = Typed::initial();
    tokens_page(&state, layout, &member, None, typed, FieldErrors::default()).await
}

impl Typed {
    /// The form as first shown: reading customers ticked.
    fn initial() -> Self {
        Typed {
            scopes: vec![TokenScope::ReadCustomers],
            ..Typed::default()
        }
    }
}

/// The form's values; a scope named twice or unknown counts once or not at all.
fn typed_of(body: &[u8]) -> Typed {
    let mut typed = Typed::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "name" => typed.name = value.into_owned(),
            "expires_on" => typed.expires_on = value.into_owned(),
            "scope" => {
                if let Some(scope) = TokenScope::parse(&value)
                    && !typed.scopes.contains(&scope)
                {
                    typed.scopes.push(scope);
                }
            }
            _ => {}
        }
    }
    typed
}

/// The first instant after `day` in `zone`, as UTC: when a token whose last
/// day it is stops acting.
fn end_of(day: NaiveDate, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    let next = day.succ_opt()?.and_hms_opt(0, 0, 0)?;
    zone.from_local_datetime(&next)
        .earliest()
        .map(|at| at.naive_utc())
}

/// The name and expiry the form asks for, or its problems.
fn checked(
    typed: &Typed,
    now: NaiveDateTime,
    zone: chrono_tz::Tz,
) -> Result<(String, Option<NaiveDateTime>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = crate::accounts::required_text(&typed.name, TOKEN_NAME_MAX)
        .map_err(|e| errors.add("name", e.message_key()))
        .ok();
    if typed.scopes.is_empty() {
        errors.add("scope", "partner-tokens-scope-required");
    }
    let expires_at = if typed.expires_on.trim().is_empty() {
        None
    } else {
        let today = now.and_utc().with_timezone(&zone).date_naive();
        match crate::customers::fields::date(&typed.expires_on) {
            Ok(day) if day < today => {
                errors.add("expires_on", "partner-tokens-expiry-past");
                None
            }
            Ok(day) => end_of(day, zone),
            Err(e) => {
                errors.add("expires_on", e.message_key());
                None
            }
        }
    };
    match name {
        Some(name) if errors.is_empty() => Ok((name, expires_at)),
        _ => Err(errors),
    }
}

pub async fn create(
    PageOf(state, layout, member): PartnerPage,
    body: Bytes,
) -> Result<HttpResponse, PageError> {
    let typed = typed_of(&body);
    let zone = member.identity.login.time_zone;
    let (name, expires_at) = match checked(&typed, state.clock.now(), zone) {
        Ok(checked) => checked,
        Err(errors) => return tokens_page(&state, layout, &member, None, typed, errors).await,
    };
    let scopes = typed.scopes.clone();
    let shown = name.clone();
    let token = PartnerChange::run(&state, &member, move |conn, change| {
        let new = NewPartnerToken {
            name: &name,
            scopes: &scopes,
            expires_at,
        };
        let creator = (change.login_id(), change.membership_id());
        let (_, token) =
            tokens::create_partner_token(conn, change.now, change.scope(), creator, &new)?;
        let details: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
        change.record(conn, Action::ApiTokenCreated, &name, &details.join(" · "))?;
        Ok::<_, DbError>(token)
    })
    .await?;
    let created = Some((shown, token));
    let fresh = Typed::initial();
    tokens_page(
        &state,
        layout,
        &member,
        created,
        fresh,
        FieldErrors::default(),
    )
    .await
}

pub async fn revoke(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let token_id = path.into_inner();
    let confirmed = form.confirmed;
    let id = token_id.clone();
    let reach = reach_of(&member);
    let name =
        PartnerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
            let name = tokens::revoke_partner_token(conn, change.now, change.scope(), &reach, &id)?
                .ok_or(PageError::NotFound)?;
            change.record(conn, Action::ApiTokenRevoked, &name, "")?;
            Ok::<_, PageError>(name)
        })
        .await?;
    if !confirmed.yes() {
        let tr = &layout.tr;
        let action = format!("{PAGE}/{token_id}/revoke");
        let back = back_to(PAGE, &[], &format!("token-{token_id}"));
        let heading = "confirm-token-revoke-heading";
        let review = removal(
            tr,
            heading,
            "confirm-token-revoke-summary",
            &name,
            action,
            back,
        )
        .confirm_label(tr, "api-tokens-revoke");
        return review.render(layout);
    }
    Ok(succeeded("flash-api-token-revoked", PAGE))
}

/// `POST /partner/api-tokens/policy`: whether admin agents may create tokens
/// (`admin_agents=on`). Tokens they already made keep acting until revoked:
/// the owners see them all, with their creators, on the same page.
pub async fn set_policy(
    PageOf(state, _layout, member): PartnerPage,
    body: Bytes,
) -> Result<HttpResponse, PageError> {
    let allowed = url::form_urlencoded::parse(&body)
        .any(|(key, value)| key == "admin_agents" && value == "on");
    if allowed
        != member
            .membership
            .owner_grants
            .admin_agents_manage_api_tokens
    {
        PartnerChange::run(&state, &member, move |conn, change| {
            tokens::allow_admin_agents(conn, change.scope(), allowed)?;
            let action = if allowed {
                Action::ApiTokensAllowedForAdminAgents
            } else {
                Action::ApiTokensDisallowedForAdminAgents
            };
            change.record(conn, action, "", "")?;
            Ok::<_, DbError>(())
        })
        .await?;
    }
    Ok(succeeded("flash-api-token-policy-saved", PAGE))
}

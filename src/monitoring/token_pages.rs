//! The account's API tokens in the console (`/customer/api-tokens`): its
//! administrators create one for each monitoring agent, see it once, and revoke it.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::removal::Removal;
use crate::audit::Action;
use crate::auth::api_tokens::{self as tokens, CustomerToken};
use crate::auth::identity::CustomerMember;
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::{ConfirmForm, back_to};
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render};

const TOKEN_NAME_MAX: usize = 80;

#[derive(Template)]
#[template(path = "monitoring/api_tokens.html")]
struct TokensPage {
    layout: PageContext,
    tokens: Vec<CustomerToken>,
    /// The token just created: (name, the token), shown this once.
    created: Option<(String, String)>,
    typed_name: String,
    errors: FieldErrors,
    zone: chrono_tz::Tz,
    /// The account's people see which tokens act within a sub-account; an
    /// operator sees only its own sub-account's.
    shows_owner: bool,
}

impl TokensPage {
    fn time(&self, at: &chrono::NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }
}

async fn tokens_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    created: Option<(String, String)>,
    typed_name: String,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let sub_account = sub_account_of(member);
    let shows_owner = sub_account.is_none();
    let found = db::run(&state.pool, move |conn| {
        tokens::customer_tokens(conn, customer_id.as_str(), sub_account.as_deref())
            .map_err(DbError::from)
    })
    .await?;
    let zone = layout
        .identity
        .as_ref()
        .map_or(chrono_tz::UTC, |i| i.login.time_zone);
    let mut response = render(&TokensPage {
        layout,
        tokens: found,
        created,
        typed_name,
        errors,
        zone,
        shows_owner,
    })?;
    // The page may hold a token: never keep it in a cache.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// An operator's tokens are the sub-account's: they act within it only.
fn sub_account_of(member: &CustomerMember) -> Option<String> {
    member.membership.sub_account.as_ref().map(|s| s.id.clone())
}

pub async fn page(PageOf(state, layout, member): CustomerPage) -> Result<HttpResponse, PageError> {
    tokens_page(
        &state,
        layout,
        &member,
        None,
        String::new(),
        FieldErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create(
    PageOf(state, layout, member): CustomerPage,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.into_inner().name;
    let mut errors = FieldErrors::default();
    let Ok(name) = crate::accounts::required_text(&typed, TOKEN_NAME_MAX)
        .map_err(|e| errors.add("name", e.message_key()))
    else {
        return tokens_page(&state, layout, &member, None, typed, errors).await;
    };
    let shown = name.clone();
    let sub_account = sub_account_of(&member);
    let token = CustomerChange::run(&state, &member, move |conn, change| {
        let (_, token) = tokens::create_customer_token(
            conn,
            change.now,
            change.customer_id().as_str(),
            sub_account.as_deref(),
            &name,
        )?;
        change.record(conn, Action::ApiTokenCreated, &name, "")?;
        Ok::<_, DbError>(token)
    })
    .await?;
    tokens_page(
        &state,
        layout,
        &member,
        Some((shown, token)),
        String::new(),
        FieldErrors::default(),
    )
    .await
}

pub async fn revoke(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let token_id = path.into_inner();
    let removing = Removal {
        action: format!("/customer/api-tokens/{token_id}/revoke"),
        back: back_to("/customer/api-tokens", &[], &format!("token-{token_id}")),
        heading_key: "confirm-token-revoke-heading",
        summary_key: "confirm-token-revoke-summary",
        confirm_key: Some("api-tokens-revoke"),
        flash_key: "flash-api-token-revoked",
        done: "/customer/api-tokens",
        confirmed: form.confirmed,
    };
    let sub_account = sub_account_of(&member);
    removing
        .run(&state, layout, &member, move |conn, change| {
            let name = tokens::revoke_customer_token(
                conn,
                change.now,
                change.customer_id().as_str(),
                sub_account.as_deref(),
                &token_id,
            )?
            .ok_or(PageError::NotFound)?;
            change.record(conn, Action::ApiTokenRevoked, &name, "")?;
            Ok::<_, PageError>(name)
        })
        .await
}

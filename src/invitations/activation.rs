//! Activation links. Opening the link (GET) only shows the page; the POST that sets
//! the password is what uses the token, so mail scanners that follow links burn
//! nothing. A token is claimed by a conditional update: of two concurrent
//! redeemers exactly one changes the row.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::{self, Action, Actor};
use crate::auth::password::{PasswordProblem, check_new_password, hash_off_pool};
use crate::auth::tokens::{self, ACTIVATION_VALID_HOURS, TokenPurpose};
use crate::db::schema::{
    customer_accounts, logins, memberships, partner_organisations, sub_accounts,
};
use crate::db::{self, DbConnection, DbError};
use crate::email::messages::ActivationEmail;
use crate::email::outbox::{self, OutboxError};
use crate::i18n::Lang;
use crate::invitations::link_request::{LinkRequestForm, send_link};
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, render, succeeded};

#[derive(Template)]
#[template(path = "signin/activate.html")]
struct ActivatePage {
    layout: PageContext,
    token: String,
    username: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "signin/link_invalid.html")]
pub(crate) struct LinkInvalidPage {
    pub layout: PageContext,
    pub sent: bool,
}

/// A link whose invitation was taken back: it says so and offers nothing.
#[derive(Template)]
#[template(path = "signin/link_withdrawn.html")]
pub(crate) struct LinkWithdrawnPage {
    pub layout: PageContext,
}

/// The invitation was declined; nothing more to do.
#[derive(Template)]
#[template(path = "signin/declined.html")]
pub(crate) struct DeclinedPage {
    pub layout: PageContext,
}

/// What an activation or invitation link leads to when it cannot be used.
pub(crate) fn unusable_link(
    layout: PageContext,
    withdrawn: bool,
) -> Result<HttpResponse, PageError> {
    if withdrawn {
        render(&LinkWithdrawnPage { layout })
    } else {
        render(&LinkInvalidPage {
            layout,
            sent: false,
        })
    }
}

/// The pending login a usable activation token belongs to: (id, username).
fn pending_login_of(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(String, String)>> {
    tokens::login_of(
        conn,
        token,
        TokenPurpose::Activation,
        LoginState::Pending,
        now,
    )
}

pub async fn form(
    state: web::Data<AppState>,
    layout: PageContext,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let now = state.clock.now();
    let lookup = token.clone();
    let (pending, withdrawn) = db::run(&state.pool, move |conn| {
        let withdrawn = crate::invitations::withdrawn(conn, &lookup)?;
        Ok::<_, DbError>((pending_login_of(conn, &lookup, now)?, withdrawn))
    })
    .await?;
    match pending {
        Some((_, username)) if !withdrawn => render(&ActivatePage {
            layout,
            token,
            username,
            errors: FieldErrors::default(),
        }),
        _ => unusable_link(layout, withdrawn),
    }
}

#[derive(Deserialize)]
pub struct ActivateForm {
    password: String,
    password_confirmation: String,
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: PageContext,
    token: web::Path<String>,
    form: web::Form<ActivateForm>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let now = state.clock.now();
    let lookup = token.clone();
    if db::run(&state.pool, move |conn| {
        crate::invitations::withdrawn(conn, &lookup).map_err(DbError::from)
    })
    .await?
    {
        return unusable_link(layout, true);
    }
    let form = form.into_inner();
    if let Err(problem) = check_new_password(&form.password, &form.password_confirmation) {
        return refuse_password(&state, layout, token, now, problem).await;
    }
    // Hashed with no connection held; the token and the login are checked
    // again in the transaction that uses them.
    let hash = hash_off_pool(form.password).await?;
    let activated = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| activate(conn, now, &token, &hash))
    })
    .await?;
    if !activated {
        return render(&LinkInvalidPage {
            layout,
            sent: false,
        });
    }
    Ok(succeeded("flash-activated", "/login"))
}

/// The activation page again, the new password's problem beside its field.
async fn refuse_password(
    state: &AppState,
    layout: PageContext,
    token: String,
    now: NaiveDateTime,
    problem: PasswordProblem,
) -> Result<HttpResponse, PageError> {
    let lookup = token.clone();
    let pending = db::run(&state.pool, move |conn| {
        pending_login_of(conn, &lookup, now).map_err(DbError::from)
    })
    .await?;
    let Some((_, username)) = pending else {
        return render(&LinkInvalidPage {
            layout,
            sent: false,
        });
    };
    let errors = FieldErrors::one(problem.field(), problem.message_key());
    render(&ActivatePage {
        layout,
        token,
        username,
        errors,
    })
}

/// Uses the token: the pending login gets its password and becomes active, and
/// the offers made to its address are accepted. False when the token is no
/// longer usable. Call inside a write transaction.
fn activate(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    token: &str,
    hash: &str,
) -> Result<bool, DbError> {
    let Some((login_id, _)) = pending_login_of(conn, token, now)? else {
        return Ok(false);
    };
    if !tokens::claim(conn, token, now)? {
        return Ok(false);
    }
    diesel::update(
        logins::table
            .filter(logins::id.eq(&login_id))
            .filter(logins::state.eq(LoginState::Pending)),
    )
    .set((
        logins::password_hash.eq(Some(hash)),
        logins::state.eq(LoginState::Active),
        logins::updated_at.eq(now),
    ))
    .execute(conn)?;
    let name: String = logins::table
        .filter(logins::id.eq(&login_id))
        .select(logins::full_name)
        .first(conn)?;
    let actor = Actor {
        login_id: Some(&login_id),
        name: &name,
        membership_id: None,
        on_behalf_of: None,
        api_token_id: None,
    };
    // The link proved the mailbox: the offers made to it are accepted.
    crate::invitations::accept_offers_to_own_address(conn, now, &login_id)?;
    audit::record_for_login(conn, now, &login_id, actor, Action::Activated, &name)?;
    Ok(true)
}

/// The person behind an activation link says no: every offer made to that
/// address goes, and the login stays unusable.
pub async fn decline(
    state: web::Data<AppState>,
    layout: PageContext,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let now = state.clock.now();
    let declined = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<bool, DbError> {
            if crate::invitations::withdrawn(conn, &token)? {
                return Ok(false);
            }
            let Some((login_id, _)) = pending_login_of(conn, &token, now)? else {
                return Ok(false);
            };
            if !tokens::claim(conn, &token, now)? {
                return Ok(false);
            }
            crate::invitations::decline_offers_to_own_address(conn, now, &login_id)?;
            Ok(true)
        })
    })
    .await?;
    if declined {
        render(&DeclinedPage { layout })
    } else {
        unusable_link(layout, false)
    }
}

/// Asks for a new activation link for a login still waiting for activation: from
/// the people who invited it, or sent directly when nobody did. The page says the
/// same whatever was typed.
pub async fn renew(
    state: web::Data<AppState>,
    layout: PageContext,
    form: web::Form<LinkRequestForm>,
) -> Result<HttpResponse, PageError> {
    send_link(&state, &form, |conn, settings, now, identifier| {
        let found: Option<(String, String)> = logins::table
            .filter(logins::state.ne(LoginState::Disabled))
            .filter(logins::username_key.eq(identifier))
            .select((logins::id, logins::state))
            .first(conn)
            .optional()?;
        let Some((login_id, login_state)) = found else {
            return Ok(false);
        };
        // Whoever sent an invitation still on offer sends the new link; a
        // login waiting on an offer nobody sent (a first owner, from the
        // command line) gets it directly. A login whose invitations were
        // all taken back gets nothing.
        if crate::invitations::ask_inviters(conn, settings, now, &login_id)? {
            return Ok(true);
        }
        let waiting: i64 = memberships::table
            .filter(memberships::login_id.eq(&login_id))
            .filter(memberships::state.eq(MembershipState::Invited))
            .count()
            .get_result(conn)?;
        if login_state == LoginState::Pending.as_str() && waiting > 0 {
            send_activation(conn, settings, now, &login_id)?;
        }
        Ok(true)
    })
    .await?;
    render(&LinkInvalidPage { layout, sent: true })
}

#[derive(Debug, thiserror::Error)]
pub enum ResendError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Pool(#[from] DbError),
}

/// Issues a new activation token for a pending login (the old link dies) and queues
/// the email, in the caller's transaction.
pub fn send_activation(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    now: NaiveDateTime,
    login_id: &str,
) -> Result<String, ResendError> {
    let (email, full_name, language): (String, String, String) = logins::table
        .filter(logins::id.eq(login_id))
        .select((logins::email, logins::full_name, logins::language))
        .first(conn)?;
    // The organisation or account the login was most recently given.
    let names: Option<(Option<String>, Option<String>, Option<String>)> = memberships::table
        .left_join(partner_organisations::table)
        .left_join(customer_accounts::table)
        .left_join(sub_accounts::table)
        .filter(memberships::login_id.eq(login_id))
        .order((memberships::created_at.desc(), memberships::id.desc()))
        .select((
            partner_organisations::name.nullable(),
            customer_accounts::name.nullable(),
            sub_accounts::name.nullable(),
        ))
        .first(conn)
        .optional()?;
    let organisation = names
        .and_then(|(partner, customer, sub_account)| partner.or(customer).or(sub_account))
        .unwrap_or_else(|| "Partnerdesk".to_owned());
    let token = tokens::issue(
        conn,
        login_id,
        TokenPurpose::Activation,
        now,
        chrono::Duration::hours(ACTIVATION_VALID_HOURS),
    )?;
    let message = ActivationEmail {
        tr: Lang::from_code(&language).unwrap_or_default().translator(),
        full_name,
        organisation,
        link: settings.link(&format!("/activate/{token}")),
        valid_hours: ACTIVATION_VALID_HOURS,
    };
    Ok(outbox::enqueue(conn, now, &email, &message)?)
}

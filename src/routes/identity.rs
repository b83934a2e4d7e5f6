//! The middleware that loads who is asking, once per request: the login, the
//! membership it acts as, an "open customer" session still going or over, the
//! chosen customer and the second-factor rule. A session whose login was
//! disabled, or whose membership was removed, loses it here, on its next request.

use actix_session::SessionExt;
use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::LOCATION;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};

use crate::assisted::{Check, check};
use crate::auth::identity::Assisting;
use crate::auth::identity::{Identity, context_of, load};
use crate::auth::second_factor_rule;
use crate::auth::session::TypedSession;
use crate::db::{self, DbConnection, DbError};
use crate::state::AppState;
use crate::web::PageError;

/// What the session's "open customer" state does to this request.
enum AssistedOutcome {
    None,
    Going(Assisting),
    /// Over: back to the partner side, to the page that says why.
    Over(String),
}

fn check_assisted(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    identity: &Identity,
    session_id: &str,
) -> diesel::QueryResult<AssistedOutcome> {
    Ok(match check(conn, now, &identity.login.id, session_id)? {
        None => AssistedOutcome::Over("/partner".to_owned()),
        Some(Check::Going(assisting)) => AssistedOutcome::Going(assisting),
        Some(Check::Over {
            customer_id,
            reason,
        }) => AssistedOutcome::Over(format!(
            "/partner/customers/{customer_id}/open?ended={}",
            reason.as_str()
        )),
    })
}

/// Paths answered the same to anyone, signed in or not: no identity is loaded
/// for them, so a session cookie sent along (a browser's, a probe's) can never
/// turn them into a 503 while the database is out of reach.
fn needs_no_identity(path: &str) -> bool {
    matches!(path, "/health_check" | "/ready") || path.starts_with("/static/")
}

/// Puts the identity of a signed-in session into the request.
pub async fn load_identity(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if needs_no_identity(req.path()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let session = TypedSession::of(req.get_session());
    if let Some(cause) = session.database_unreachable() {
        let mut response = PageError::Unavailable.error_response();
        response
            .extensions_mut()
            .insert(crate::web::errors::Cause(cause));
        return Ok(req.into_response(response).map_into_right_body());
    }
    if let Some(login_id) = session.login_id() {
        let membership_id = session.membership_id();
        let assisted_id = session.assisted_session_id();
        let second_factor_at = session.second_factor_at();
        let context_id = session.customer_context();
        let had_context = context_id.is_some();
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| PageError::internal(anyhow::anyhow!("application state missing")))?;
        let now = state.clock.now();
        let loaded = db::run(&state.pool, move |conn| {
            let Some(identity) = load(conn, &login_id, membership_id.as_deref())? else {
                return Ok((None, AssistedOutcome::None));
            };
            let outcome = match &assisted_id {
                Some(id) => check_assisted(conn, now, &identity, id)?,
                None => AssistedOutcome::None,
            };
            let mut identity = identity;
            if let Some(context_id) = &context_id {
                identity.customer_context = context_of(conn, &identity, context_id)?;
            }
            Ok::<_, DbError>((Some(identity), outcome))
        })
        .await
        .map_err(PageError::from)?;
        match loaded {
            (Some(mut identity), outcome) => {
                (identity.second_factor_fresh, identity.must_enrol) =
                    second_factor_rule::status(&identity, second_factor_at, now);
                identity.operator = second_factor_rule::operator_standing(&identity, now);
                // A context the partner may no longer see (dissociated) is dropped.
                if had_context && identity.customer_context.is_none() {
                    session.clear_customer_context();
                }
                match outcome {
                    AssistedOutcome::None => {}
                    AssistedOutcome::Going(assisting) => identity.enter(assisting),
                    AssistedOutcome::Over(back_to) => {
                        session.leave_assisted().map_err(PageError::internal)?;
                        // Only pages of the customer's console need sending away;
                        // anything else goes on as the partner member.
                        if req.path().starts_with("/customer") {
                            let response = HttpResponse::SeeOther()
                                .insert_header((LOCATION, back_to))
                                .finish();
                            return Ok(req.into_response(response).map_into_right_body());
                        }
                    }
                }
                req.extensions_mut().insert(identity.login.language);
                req.extensions_mut().insert(identity);
            }
            (None, _) => session.sign_out(),
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

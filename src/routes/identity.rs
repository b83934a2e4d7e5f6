//! The middleware that loads who is asking, once per request: the login, the
//! membership it acts as, an "open customer" session or a session in a
//! reseller's portal still going or over, the chosen customer and the
//! second-factor rule. A session whose login was
//! disabled, or whose membership was removed, loses it here, on its next request.

use actix_session::SessionExt;
use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::LOCATION;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};

use crate::assisted::{Check, check};
use crate::auth::identity::{Assisting, AssistingReseller};
use crate::auth::identity::{Identity, context_of, load};
use crate::auth::second_factor_rule;
use crate::auth::session::TypedSession;
use crate::db::{self, DbConnection, DbError};
use crate::state::AppState;
use crate::web::PageError;

/// What the session's "open customer" state, or its session in a reseller's
/// portal, does to this request.
enum AssistedOutcome {
    None,
    Going(Assisting),
    GoingInReseller(AssistingReseller),
    /// Over: back to the partner side, to the page that says why.
    Over(String),
    /// Over in a reseller's portal: back to the distributor's, to the page
    /// that says why.
    OverInReseller(String),
}

fn check_reseller_assist(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    identity: &Identity,
    session_id: &str,
) -> diesel::QueryResult<AssistedOutcome> {
    use crate::network::assist::{self, Check};
    Ok(
        match assist::check(conn, now, &identity.login.id, session_id)? {
            None => AssistedOutcome::OverInReseller("/partner".to_owned()),
            Some(Check::Going(assisting)) => AssistedOutcome::GoingInReseller(assisting),
            Some(Check::Over {
                reseller_id,
                reason,
            }) => AssistedOutcome::OverInReseller(format!(
                "/partner/resellers/{reseller_id}/assist?ended={}",
                reason.as_str()
            )),
        },
    )
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

/// What the session says of who is asking, read before the database is.
struct SessionKeys {
    login_id: String,
    membership_id: Option<String>,
    assisted_id: Option<String>,
    reseller_assist_id: Option<String>,
    second_factor_at: Option<i64>,
    context_id: Option<String>,
}

impl SessionKeys {
    fn of(session: &TypedSession) -> Option<Self> {
        Some(SessionKeys {
            login_id: session.login_id()?,
            membership_id: session.membership_id(),
            assisted_id: session.assisted_session_id(),
            reseller_assist_id: session.reseller_assist_id(),
            second_factor_at: session.second_factor_at(),
            context_id: session.customer_context(),
        })
    }
}

/// The identity of the session's login, if it may still sign in, with what
/// its "open customer" session or session in a reseller's portal does.
fn read_identity(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    keys: &SessionKeys,
) -> Result<(Option<Identity>, AssistedOutcome), DbError> {
    let Some(mut identity) = load(conn, &keys.login_id, keys.membership_id.as_deref())? else {
        return Ok((None, AssistedOutcome::None));
    };
    let outcome = match (&keys.assisted_id, &keys.reseller_assist_id) {
        (Some(id), _) => check_assisted(conn, now, &identity, id)?,
        (None, Some(id)) => check_reseller_assist(conn, now, &identity, id)?,
        (None, None) => AssistedOutcome::None,
    };
    // The second-factor rule is the person's own membership's, read before
    // they act as another organisation's.
    (identity.second_factor_fresh, identity.must_enrol) =
        second_factor_rule::status(&identity, keys.second_factor_at, now);
    identity.operator = second_factor_rule::operator_standing(&identity, now);
    if let AssistedOutcome::GoingInReseller(assisting) = &outcome {
        identity.enter_reseller(assisting.clone());
    }
    if let Some(context_id) = &keys.context_id {
        identity.customer_context = context_of(conn, &identity, context_id)?;
    }
    Ok((Some(identity), outcome))
}

/// Applies the outcome to the identity and the session; where the browser
/// must go instead of `path`, if anywhere.
fn apply(
    session: &TypedSession,
    identity: &mut Identity,
    outcome: AssistedOutcome,
    path: &str,
) -> Result<Option<String>, PageError> {
    match outcome {
        AssistedOutcome::None | AssistedOutcome::GoingInReseller(_) => Ok(None),
        AssistedOutcome::Going(assisting) => {
            identity.enter(assisting);
            Ok(None)
        }
        AssistedOutcome::OverInReseller(back_to) => {
            session
                .leave_reseller_assist()
                .map_err(PageError::internal)?;
            // Every page of the partner area would now be the distributor's
            // own: say first that the help ended.
            Ok(path.starts_with("/partner").then_some(back_to))
        }
        AssistedOutcome::Over(back_to) => {
            session.leave_assisted().map_err(PageError::internal)?;
            // Only pages of the customer's console need sending away;
            // anything else goes on as the partner member.
            Ok(path.starts_with("/customer").then_some(back_to))
        }
    }
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
    if let Some(keys) = SessionKeys::of(&session) {
        let had_context = keys.context_id.is_some();
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| PageError::internal(anyhow::anyhow!("application state missing")))?;
        let now = state.clock.now();
        let loaded = db::run(&state.pool, move |conn| read_identity(conn, now, &keys))
            .await
            .map_err(PageError::from)?;
        match loaded {
            (Some(mut identity), outcome) => {
                // A context the partner may no longer see (dissociated) is dropped.
                if had_context && identity.customer_context.is_none() {
                    session.clear_customer_context();
                }
                if let Some(back_to) = apply(&session, &mut identity, outcome, req.path())? {
                    let response = HttpResponse::SeeOther()
                        .insert_header((LOCATION, back_to))
                        .finish();
                    return Ok(req.into_response(response).map_into_right_body());
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

//! The public front page, and the probes of liveness and readiness.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use actix_web::HttpRequest;
use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};

use crate::db::{self, DbError};
use crate::metrics::{self, Backlog};
use crate::state::AppState;
use crate::{customers, email};

use crate::web::errors::OwnPage;
use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: PageContext,
}

pub async fn index(layout: PageContext) -> Result<HttpResponse, PageError> {
    render(&HomePage { layout })
}

/// A plain-text answer for load balancers (and the benchmark's baseline): the
/// process is alive.
pub async fn health_check() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Whether this instance can serve: its database answers. An orchestrator or
/// load balancer sends no traffic to an instance answering 503 here, where
/// `/health_check` says only that the process is alive (restarting it would not
/// bring the database back).
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let database_url = state.settings.database_url.clone();
    let answers =
        actix_web::rt::task::spawn_blocking(move || db::answers(&pool, &database_url, READY_WAIT))
            .await
            .unwrap_or(false);
    let (status, body) = if answers {
        (StatusCode::OK, "ready")
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer",
        )
    };
    let mut response = HttpResponse::build(status)
        .content_type("text/plain")
        .insert_header(("Cache-Control", "no-store"))
        .body(body);
    // A probe reads the status; the error page is for people.
    response.extensions_mut().insert(OwnPage);
    response
}

/// How long `/ready` waits for a connection: less than a probe's usual timeout.
const READY_WAIT: Duration = Duration::from_secs(2);

/// The access check of `/metrics`: the bearer token must be the settings'
/// metrics token. Without one set, the metrics are not served: 404, as for a
/// missing page. The refusal, if any.
pub fn metrics_refusal(req: &HttpRequest) -> Option<HttpResponse> {
    let expected = req
        .app_data::<web::Data<AppState>>()
        .and_then(|state| state.settings.metrics_token.clone());
    let Some(expected) = expected else {
        return Some(actix_web::ResponseError::error_response(
            &PageError::NotFound,
        ));
    };
    let presented = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    if crate::auth::tokens::same_secret(presented.trim(), &expected) {
        return None;
    }
    let mut refusal = HttpResponse::Unauthorized()
        .insert_header((WWW_AUTHENTICATE, "Bearer"))
        .insert_header((CONTENT_TYPE, "text/plain"))
        .body("a valid metrics token is required");
    refusal.extensions_mut().insert(OwnPage);
    Some(refusal)
}

/// Every figure of the instance in the Prometheus text format. The queues are
/// read from the database; when it does not answer, their last figures stay
/// and the rest is still served.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let now = state.clock.now();
    let backlogs = db::run(
        &state.pool,
        move |conn| -> Result<(Backlog, Backlog), DbError> {
            Ok((
                email::outbox::backlog(conn, now)?,
                customers::import::backlog(conn, now)?,
            ))
        },
    )
    .await;
    let backlogs = match backlogs {
        Ok(backlogs) => Some(backlogs),
        Err(error) => {
            tracing::warn!(error = ?error, "metrics: the queues could not be read");
            None
        }
    };
    let text = state.metrics.scrape(&state.pool.state(), backlogs);
    let mut response = HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, metrics::CONTENT_TYPE))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(text);
    response.extensions_mut().insert(OwnPage);
    response
}

//! The public front page, and the probes of liveness and readiness.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db;
use crate::state::AppState;

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

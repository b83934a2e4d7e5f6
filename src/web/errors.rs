//! Page errors: handlers answer with a status; the error page is rendered in one
//! place (`render_error_page`) in the visitor's language, and never shows internals.
//! Every answer of 500 or more is logged there with the request's id (which the
//! page shows, to quote to the operator) and its cause; a database that cannot
//! be reached answers 503 rather than 500.

use actix_web::HttpResponse;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, ContentType};
use actix_web::middleware::ErrorHandlerResponse;
use askama::Template;

use crate::i18n::Lang;
use crate::web::page_context::PageContext;

pub use crate::errors::{Cause, ErrorKey, OwnPage, PageError, RequestId, is_outage};

/// Gives each request an id, answered in `X-Request-Id`.
pub async fn assign_request_id(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    let id = hex::encode(rand::random::<[u8; 6]>());
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.call(req).await?;
    if let Ok(value) = header::HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}

/// The id `assign_request_id` gave the request.
pub fn request_id_of(req: &actix_web::HttpRequest) -> String {
    use actix_web::HttpMessage;
    req.extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default()
}

/// Logs an answer of 500 or more with the request's id and its cause.
fn log_server_error<B>(response: &ServiceResponse<B>) {
    let status = response.status();
    if !status.is_server_error() {
        return;
    }
    let cause = response
        .response()
        .extensions()
        .get::<Cause>()
        .map(|c| c.0.clone())
        .unwrap_or_else(|| "no cause recorded".to_owned());
    tracing::error!(
        request_id = %request_id_of(response.request()),
        status = status.as_u16(),
        method = %response.request().method(),
        path = %loggable_path(response.request().path()),
        cause = %cause,
        "request failed"
    );
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: PageContext,
    status: u16,
    title: String,
    explanation: String,
    /// For a 5xx: the request's id, to quote to the operator.
    reference: Option<String>,
}

/// Replaces the body of every error answer (ours, actix's and the default 404)
/// with a page in the visitor's language. JSON answers and answers marked
/// [`OwnPage`] keep their own body.
pub fn render_error_page<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    log_server_error(&response);
    let is_json = response
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || response.response().extensions().contains::<OwnPage>() {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    if response.request().path().starts_with("/api/") {
        // A program reads the API's errors: what actix answers itself there
        // (no such route, a method the route does not take) is JSON too.
        return Ok(ErrorHandlerResponse::Response(
            replace_body(response, api_error_answer(status)).map_into_right_body(),
        ));
    }
    let lang = Lang::of_request(response.request());
    let tr = lang.translator();
    let explicit = response
        .response()
        .extensions()
        .get::<ErrorKey>()
        .map(|k| k.0);
    let key = explicit.unwrap_or(match status.as_u16() {
        400 => "error-400",
        403 => "error-403",
        404 => "error-404",
        405 => "error-405",
        413 => "error-413",
        429 => "error-429",
        503 => "error-503",
        s if s >= 500 => "error-500",
        _ => "error-400",
    });
    let page = ErrorPage {
        layout: PageContext::bare(response.request(), lang),
        status: status.as_u16(),
        title: tr.t(format!("{key}-title")),
        explanation: tr.t(format!("{key}-text")),
        reference: status
            .is_server_error()
            .then(|| request_id_of(response.request())),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {}", status.as_u16(), tr.t(format!("{key}-title"))));
    let fresh = HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(body);
    Ok(ErrorHandlerResponse::Response(
        replace_body(response, fresh).map_into_right_body(),
    ))
}

/// The JSON error of the API's conventions (`{"error": code}`) for a status.
fn api_error_answer(status: actix_web::http::StatusCode) -> HttpResponse {
    let code = match status.as_u16() {
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "too_large",
        429 => "too_many_requests",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "bad_request",
    };
    HttpResponse::build(status).json(serde_json::json!({ "error": code }))
}

/// `response` with the body and content type of `fresh`, keeping its other
/// headers (`Allow`, `Retry-After`, …).
fn replace_body<B>(response: ServiceResponse<B>, mut fresh: HttpResponse) -> ServiceResponse {
    let (request, old) = response.into_parts();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(request, fresh)
}

/// One-time tokens travel in link paths; they must not reach the log.
pub fn loggable_path(path: &str) -> String {
    const SECRET_PATHS: [&str; 2] = ["/activate/", "/reset-password/"];
    for prefix in SECRET_PATHS {
        if path.starts_with(prefix) {
            return format!("{prefix}…");
        }
    }
    path.to_owned()
}

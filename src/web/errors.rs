//! Page errors: handlers answer with a status; the error page is rendered in one
//! place (`render_error_page`) in the visitor's language, and never shows internals.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::i18n::Lang;
use crate::web::layout::Layout;

#[derive(thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl PageError {
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        PageError::Internal(error.into())
    }
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Internal(cause) => write!(f, "internal error: {cause:?}"),
            other => write!(f, "{other}"),
        }
    }
}

impl From<crate::db::DbError> for PageError {
    fn from(error: crate::db::DbError) -> Self {
        PageError::internal(error)
    }
}

impl From<diesel::result::Error> for PageError {
    fn from(error: diesel::result::Error) -> Self {
        PageError::internal(error)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Forbidden => StatusCode::FORBIDDEN,
            PageError::BadRequest => StatusCode::BAD_REQUEST,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        if let PageError::Internal(cause) = self {
            tracing::error!(error = ?cause, "request failed");
        }
        // The body is filled in by `render_error_page`, which knows the request.
        HttpResponse::new(self.status_code())
    }
}

/// Put on an error answer to explain it with a message other than its status's.
#[derive(Debug, Clone, Copy)]
pub struct ErrorKey(pub &'static str);

/// Put on an error answer whose body is already the page to show: a form shown
/// again with its errors under a 4xx status (a throttled sign-in keeps its form).
#[derive(Debug, Clone, Copy)]
pub struct OwnPage;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: String,
    explanation: String,
}

/// Replaces the body of every error answer (ours, actix's and the default 404)
/// with a page in the visitor's language. JSON answers and answers marked
/// [`OwnPage`] keep their own body.
pub fn render_error_page<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
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
        404 | 405 => "error-404",
        413 => "error-413",
        429 => "error-429",
        s if s >= 500 => "error-500",
        _ => "error-400",
    });
    let page = ErrorPage {
        layout: Layout::bare(response.request(), lang),
        status: status.as_u16(),
        title: tr.t(format!("{key}-title")),
        explanation: tr.t(format!("{key}-text")),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {}", status.as_u16(), tr.t(format!("{key}-title"))));
    let (request, old) = response.into_parts();
    let mut fresh = HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(body);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, fresh).map_into_right_body(),
    ))
}

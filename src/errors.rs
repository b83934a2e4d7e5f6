//! The one error type every page handler answers with, and what it means in
//! HTTP: a status, and for a fault its cause, kept on the answer for the error
//! page (`web::errors`) to log with the request's id. A database that cannot be
//! reached answers 503 rather than 500.

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

#[derive(thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("request body too large")]
    TooLarge,
    /// The database is out of reach.
    #[error("service unavailable")]
    Unavailable,
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

/// Whether `cause` is the database being out of reach (no connection in time,
/// a connection refused or lost), rather than a fault of the request.
pub fn is_outage(cause: &anyhow::Error) -> bool {
    cause.chain().any(|link| {
        if let Some(db) = link.downcast_ref::<crate::db::DbError>() {
            return db.is_unreachable();
        }
        link.is::<diesel::r2d2::PoolError>()
            || link.is::<diesel::ConnectionError>()
            || link
                .downcast_ref::<diesel::result::Error>()
                .is_some_and(crate::db::lost_connection)
    })
}

/// The cause of a 5xx answer, put on it for `render_error_page` to log with
/// the request's id.
#[derive(Debug, Clone)]
pub struct Cause(pub String);

/// The id given to each request (`assign_request_id`), logged with it and shown
/// on a 5xx page.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Forbidden => StatusCode::FORBIDDEN,
            PageError::BadRequest => StatusCode::BAD_REQUEST,
            PageError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal(cause) if is_outage(cause) => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        // The body is filled in by `render_error_page`, which knows the request.
        let mut response = HttpResponse::new(self.status_code());
        if let PageError::Internal(cause) = self {
            response
                .extensions_mut()
                .insert(Cause(format!("{cause:#}")));
        }
        response
    }
}

/// Put on an error answer to explain it with a message other than its status's.
#[derive(Debug, Clone, Copy)]
pub struct ErrorKey(pub &'static str);

/// Put on an error answer whose body is already the page to show: a form shown
/// again with its errors under a 4xx status (a throttled sign-in keeps its form).
#[derive(Debug, Clone, Copy)]
pub struct OwnPage;

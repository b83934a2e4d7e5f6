//! The synchronizer token: every POST carries the session's token in the form field
//! `csrf_token` (or the `X-CSRF-Token` header; a file upload in its query string),
//! checked here and nowhere else. The JSON API (`/api/`) takes no session and is
//! exempt.

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpResponse};

use crate::auth::session::TypedSession;
use crate::web::errors::ErrorKey;
use crate::web::headers::MAX_BODY_BYTES;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn token_in_form(body: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
}

pub async fn check_csrf(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The JSON API authenticates each request by its bearer token, never by the
    // session's cookie, so a forged cross-site request has nothing to ride on.
    if req.method() != Method::POST || req.path().starts_with("/api/") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let expected = TypedSession::of(req.get_session()).csrf_token();
    let from_header = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let presented = match from_header {
        Some(token) => Some(token),
        None if req.content_type() == "application/x-www-form-urlencoded" => {
            let body: Bytes = match req.extract::<Bytes>().await {
                Ok(body) if body.len() <= MAX_BODY_BYTES => body,
                _ => return Ok(refuse(req)),
            };
            let token = token_in_form(&body);
            // Hand the body back for the handler's own form extractor.
            req.set_payload(actix_web::dev::Payload::from(body));
            token
        }
        // A file upload cannot be read here without buffering it; its form names
        // the token in the address it posts to instead (no referrer carries it on).
        None if req.content_type() == "multipart/form-data" => {
            url::form_urlencoded::parse(req.query_string().as_bytes())
                .find(|(name, _)| name == FIELD)
                .map(|(_, value)| value.into_owned())
        }
        None => None,
    };
    match presented {
        Some(token) if same(&token, &expected) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        _ => {
            tracing::warn!(path = %req.path(), "POST refused: missing or wrong CSRF token");
            Ok(refuse(req))
        }
    }
}

fn refuse<B>(req: ServiceRequest) -> ServiceResponse<actix_web::body::EitherBody<B>> {
    let mut response = HttpResponse::Forbidden().finish();
    response.extensions_mut().insert(ErrorKey("error-csrf"));
    req.into_response(response).map_into_right_body()
}

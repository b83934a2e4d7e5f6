//! Input hygiene in one place, before any handler or query sees the request:
//! a NUL byte or invalid UTF-8 in the path, the query string, a form or a JSON
//! body answers 400 (PostgreSQL refuses NUL in text, and a form would
//! otherwise store replacement characters); a body above its cap answers 413
//! whether or not it declared its length.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpResponse, ResponseError};

use crate::web::errors::ErrorKey;
use crate::web::headers::{BodyLimits, MAX_BODY_BYTES};
use crate::web::json_api::ApiError;

/// What is wrong with a request's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// A NUL byte or bytes that are not UTF-8.
    Unreadable,
    /// More than the route accepts.
    TooLarge,
}

/// Whether percent-encoded `raw` (a path, a query string, a form body) decodes
/// to text without NUL. In forms and query strings `+` stands for a space,
/// which changes nothing here.
pub fn decodes_cleanly(raw: &[u8]) -> bool {
    let decoded: Vec<u8> = percent_encoding::percent_decode(raw).collect();
    !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
}

/// Whether a JSON body is UTF-8 holding no NUL in any string or key. A raw
/// NUL is not valid JSON (the handler refuses it), so only the escape
/// `\u0000` can put one there; the body is scanned for it rather than parsed,
/// as the handler parses it anyway.
fn json_is_clean(body: &[u8]) -> bool {
    if std::str::from_utf8(body).is_err() {
        return false;
    }
    let mut at = 0;
    while at < body.len() {
        if body[at] == b'\\' {
            if body[at + 1..].starts_with(b"u0000") {
                return false;
            }
            // The escaped character is skipped with its backslash, so `\\u0000`
            // (a backslash, then text) is not taken for a NUL.
            at += 2;
        } else {
            at += 1;
        }
    }
    true
}

fn is_form(req: &ServiceRequest) -> bool {
    req.content_type() == "application/x-www-form-urlencoded"
}

fn is_json(req: &ServiceRequest) -> bool {
    req.content_type() == "application/json"
}

/// The middleware: screens the path and query string of every request, and the
/// whole body of forms and JSON (read here once, handed back to the handler).
/// File uploads are screened by their own form's limits and parser.
pub async fn screen_input(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let limit = req
        .app_data::<BodyLimits>()
        .map_or(MAX_BODY_BYTES, |limits| limits.of(req.path()));
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Ok(refuse(req, Malformed::TooLarge));
    }
    if !decodes_cleanly(req.path().as_bytes()) || !decodes_cleanly(req.query_string().as_bytes()) {
        return Ok(refuse(req, Malformed::Unreadable));
    }
    let has_body = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if has_body && (is_form(&req) || is_json(&req)) {
        let body = match read_body(&mut req, limit).await {
            Ok(body) => body,
            Err(problem) => return Ok(refuse(req, problem)),
        };
        let clean = if is_form(&req) {
            decodes_cleanly(&body)
        } else {
            json_is_clean(&body)
        };
        if !clean {
            return Ok(refuse(req, Malformed::Unreadable));
        }
        req.set_payload(Payload::from(body));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Reads the body up to `limit` bytes, however it is sent (chunked or not).
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<Bytes, Malformed> {
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut body = actix_web::web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Malformed::Unreadable)?;
        if body.len() + chunk.len() > limit {
            return Err(Malformed::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn refuse<B>(
    req: ServiceRequest,
    problem: Malformed,
) -> ServiceResponse<actix_web::body::EitherBody<B>> {
    let response = if req.path().starts_with("/api/") {
        match problem {
            Malformed::Unreadable => ApiError::Malformed.error_response(),
            Malformed::TooLarge => ApiError::TooLarge.error_response(),
        }
    } else {
        let mut response = match problem {
            Malformed::Unreadable => HttpResponse::BadRequest().finish(),
            Malformed::TooLarge => HttpResponse::PayloadTooLarge().finish(),
        };
        if problem == Malformed::Unreadable {
            response
                .extensions_mut()
                .insert(ErrorKey("error-malformed"));
        }
        response
    };
    req.into_response(response).map_into_right_body()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_invalid_utf8_are_refused_in_any_encoding() {
        assert!(decodes_cleanly(b"/partner/customers/abc"));
        assert!(decodes_cleanly(b"q=caf%C3%A9&page=2"));
        assert!(decodes_cleanly(b"name=Ad+Lovelace"));
        assert!(!decodes_cleanly(b"/partner/customers/%00"));
        assert!(!decodes_cleanly(b"q=a%00b"));
        assert!(!decodes_cleanly(b"q=caf%E9"));
        assert!(!decodes_cleanly(b"q=\0"));
        assert!(json_is_clean(br#"{"name": "caf\u00e9"}"#));
        assert!(!json_is_clean(br#"{"name": "a\u0000b"}"#));
        assert!(!json_is_clean(br#"{"a\u0000": 1}"#));
        assert!(!json_is_clean(br#"[{"deep": ["x", "\u0000"]}]"#));
        assert!(!json_is_clean(b"{\"name\": \"\xff\"}"));
        assert!(json_is_clean(br#"{"path": "C:\\u0000"}"#));
    }
}

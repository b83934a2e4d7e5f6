//! What every partner API write beyond customer creation shares: the change is
//! made in one write transaction as a `PartnerChange` through the token (so the
//! activity log names the token and its creator), under the request's
//! `Idempotency-Key`; and its JSON body is read strictly, every unknown or
//! mistyped field named in the request's language.

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::idempotency::{self, Answer, KEY_RACED};
use crate::auth::partner_tokens::PartnerClient;
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::json_api::{ApiError, FieldProblem};

/// What a write's work answers: its status and JSON body.
pub(super) type Answered = Result<(StatusCode, Value), ApiError>;

/// Runs `work` once in a write transaction through the token, unless the
/// request's `Idempotency-Key` was answered already (then that answer again,
/// with `Idempotent-Replayed: true`). `work` resolves the path's objects in the
/// token's scope before it reads the body.
pub(super) async fn write<W>(
    state: &AppState,
    client: &PartnerClient,
    req: &HttpRequest,
    body: &Bytes,
    work: W,
) -> Result<HttpResponse, ApiError>
where
    W: Fn(&mut DbConnection, &PartnerChange) -> Answered + Clone + Send + 'static,
{
    let key = idempotency::key_of(req, body)?;
    let once = || {
        let change = PartnerChange::through_token(state, client);
        let (key, work, token_id) = (key.clone(), work.clone(), client.token_id.clone());
        db::run(&state.pool, move |conn| {
            db::write_transaction(conn, |conn| {
                idempotency::once(conn, change.now, &token_id, key.as_ref(), |conn| {
                    work(conn, &change)
                })
            })
        })
    };
    let mut answer = once().await;
    // A request with the same key committed first: the second run finds its answer.
    if matches!(answer, Err(ApiError::Conflict(KEY_RACED))) {
        answer = once().await;
    }
    let answer = answer?;
    state.outbox_wake.notify_one();
    Ok(respond(answer))
}

/// The answer, first given or given again.
fn respond(answer: Answer) -> HttpResponse {
    let mut response = HttpResponse::build(answer.status);
    if answer.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.json(answer.body)
}

/// The request `body` as `T` (whose fields are all optional, unknown ones
/// refused): every field that is unknown or of the wrong JSON type is named.
pub(super) fn fields<T: DeserializeOwned>(body: &[u8], lang: Lang) -> Result<T, ApiError> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return Err(ApiError::BadJson);
    };
    let tr = lang.translator();
    let misfits: Vec<FieldProblem> = map
        .iter()
        .filter_map(|(field, value)| {
            let alone = Map::from_iter([(field.clone(), value.clone())]);
            let error = serde_json::from_value::<T>(Value::Object(alone)).err()?;
            let text = error.to_string();
            let (problem, key) = if text.starts_with("unknown field") {
                ("unknown", "api-field-unknown")
            } else if text.contains("expected a boolean") {
                ("must_be_a_boolean", "api-field-boolean")
            } else if text.contains("expected i32") || text.contains("expected i64") {
                ("must_be_an_integer", "api-field-integer")
            } else {
                ("must_be_a_string", "api-field-string")
            };
            Some(FieldProblem {
                field: field.clone(),
                problem,
                message: tr.t(key),
            })
        })
        .collect();
    if !misfits.is_empty() {
        return Err(ApiError::Explained(misfits));
    }
    serde_json::from_value(Value::Object(map)).map_err(|_| ApiError::BadJson)
}

/// One faulty field, explained in `lang` by the message `message_id`.
pub(super) fn refused(
    field: &str,
    problem: &'static str,
    message_id: &str,
    lang: Lang,
) -> ApiError {
    ApiError::Explained(vec![FieldProblem {
        field: field.to_owned(),
        problem,
        message: lang.translator().t(message_id),
    }])
}

/// `value` as JSON, for an answer.
pub(super) fn json_of<T: serde::Serialize>(value: T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(e.into()))
}

/// Every problem of a page's `errors`, explained in `lang` (`field-required`
/// is `required`, `field-too-long` is `too_long`, anything else `invalid`).
pub(super) fn explained(errors: &crate::web::FieldErrors, lang: Lang) -> ApiError {
    let tr = lang.translator();
    ApiError::Explained(
        errors
            .message_ids()
            .map(|(field, message_id)| FieldProblem {
                field: field.to_owned(),
                problem: match message_id {
                    "field-required" => "required",
                    "field-too-long" => "too_long",
                    _ => "invalid",
                },
                message: errors.text(field, &tr).unwrap_or_default(),
            })
            .collect(),
    )
}

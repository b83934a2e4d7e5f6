//! What the partner API's changes share: one write transaction made in the
//! token creator's name through the token (`PartnerChange`, as the pages'
//! changes are made, so the same domain functions log the same entries), an
//! `Idempotency-Key` answered once, and JSON bodies read strictly with every
//! faulty field named and explained in the request's language.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::create::problem_of;
use super::idempotency::{self, Answer, KEY_RACED};
use crate::auth::partner_tokens::PartnerClient;
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::ids::CustomerId;
use crate::state::AppState;
use crate::tenancy::ChangeMaker;
use crate::tenancy::PartnerChange;
use crate::web::FieldErrors;
use crate::web::json_api::{ApiError, FieldProblem};

/// What a change answers: its status and JSON body.
pub(super) type Outcome = Result<(StatusCode, Value), ApiError>;

/// Runs `work` as the token's creator in one write transaction, once per
/// `Idempotency-Key` (the answer kept in the same transaction), and answers
/// what it returns. When a 201's body names its `id` and `created_under` is
/// not empty, `Location` is `created_under` followed by it. `work` resolves
/// the path's objects in the token's scope before it reads the body.
pub(super) async fn change(
    state: &AppState,
    client: &PartnerClient,
    req: &HttpRequest,
    body: &[u8],
    created_under: &str,
    work: impl Fn(&mut DbConnection, &PartnerChange) -> Outcome + Send + Sync + 'static,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency::key_of(req, body)?;
    let work = Arc::new(work);
    // A request with the same key committed first: the second run finds its
    // answer.
    let mut answer = Err(ApiError::Conflict(KEY_RACED));
    for _ in 0..2 {
        let change = client.begin_change(state);
        let (key, work) = (key.clone(), Arc::clone(&work));
        let token_id = client.token_id.clone();
        answer = db::run(&state.pool, move |conn| {
            db::write_transaction(conn, |conn| {
                idempotency::once(conn, change.now, &token_id, key.as_ref(), |conn| {
                    work(conn, &change)
                })
            })
        })
        .await;
        if !matches!(answer, Err(ApiError::Conflict(KEY_RACED))) {
            break;
        }
    }
    let answer = answer?;
    state.outbox_wake.notify_one();
    Ok(respond(answer, created_under))
}

/// The answer, first given or given again.
fn respond(answer: Answer, created_under: &str) -> HttpResponse {
    let mut response = HttpResponse::build(answer.status);
    if answer.status == StatusCode::CREATED
        && !created_under.is_empty()
        && let Some(id) = answer.body.get("id").and_then(|id| id.as_str())
    {
        response.insert_header((LOCATION, format!("{created_under}/{id}")));
    }
    if answer.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.json(answer.body)
}

/// `value` as an answer's body.
pub(super) fn json(status: StatusCode, value: impl Serialize) -> Outcome {
    Ok((status, json_of(value)?))
}

/// `value` as JSON, for an answer.
pub(super) fn json_of(value: impl Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(e.into()))
}

/// A request with no fields (an empty body, or `{}`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct NoFields {}

/// The id a path names, or 404 for the `resource` when it cannot be one.
pub(super) fn customer_id(raw: String) -> Result<CustomerId, ApiError> {
    crate::web::operator_api::plausible(&raw, "customer")?;
    Ok(CustomerId::new(raw))
}

/// The request `T` (`serde(default, deny_unknown_fields)`, all fields
/// optional) read from a JSON object; an empty body reads as `{}`. Each field
/// that is unknown or of the wrong JSON type is refused, all at once.
pub(super) fn read_body<T: DeserializeOwned>(body: &[u8], lang: Lang) -> Result<T, ApiError> {
    let value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice::<Value>(body).map_err(|_| ApiError::BadJson)?
    };
    let Value::Object(map) = value else {
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

/// One faulty field, refused with the message `message_id` in `lang`.
pub(super) fn refused(field: &str, message_id: &str, lang: Lang) -> ApiError {
    refused_as(field, problem_of(message_id), message_id, lang)
}

/// One faulty field with its `problem` code, explained by `message_id`.
pub(super) fn refused_as(
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

/// The problems a page's form check found, explained in `lang`.
pub(super) fn refused_all(errors: &FieldErrors, lang: Lang) -> ApiError {
    let mut problems = Vec::new();
    super::create::explained(errors, lang, &mut problems);
    ApiError::Explained(problems)
}

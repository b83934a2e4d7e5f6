//! The monitoring API (`/api/v1/monitors…`) for a customer account's agents,
//! authenticated by one of the account's tokens (`Authorization: Bearer …`).
//! Everything is scoped to the token's account: another account's monitor is
//! answered 404 like a missing one. Bad input is answered 422 with every
//! offending field named (`results[2].response_ms` inside a batch).

use actix_web::dev::ServiceRequest;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, NaiveDateTime, Timelike};
use serde_json::{Map, Value};

use diesel::QueryResult;

use super::api_bodies::{
    ErrorsAccepted, ErrorsRequest, MonitorBody, MonitorList, ResultsAccepted, ResultsRequest,
};
use super::results::{self, NewErrorEntry, NewResult};
use super::scope::Viewer;
use super::{MESSAGE_MAX, SEVERITIES, alerts, monitors};
use crate::auth::api_tokens::customer_of;
use crate::auth::scope::{CustomerScope, SubAccountScope};
use crate::db;
use crate::ids::SubAccountId;
use crate::state::AppState;
use crate::web::json_api;
pub use crate::web::json_api::ApiError;
use crate::web::json_api::ErrorBody;

/// At most this many results or entries in one request.
pub const BATCH_MAX: usize = 1000;
/// The slowest response time accepted (ten minutes).
pub const RESPONSE_MS_MAX: i64 = 600_000;
/// How far ahead of the server's clock a check time may be.
const FUTURE_SLACK: Duration = Duration::minutes(5);
/// How old a check time may be.
const OLDEST: Duration = Duration::days(400);

/// The account a valid customer token acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountClient {
    pub token_id: String,
    pub account: CustomerScope,
    /// Set for a sub-account's token, which acts within the sub-account only.
    pub sub_account_id: Option<SubAccountId>,
}

impl AccountClient {
    /// What the token sees: the account, or its sub-account's grants.
    fn viewer(&self, conn: &mut crate::db::DbConnection) -> QueryResult<Option<Viewer>> {
        match &self.sub_account_id {
            None => Ok(Some(Viewer::Account(self.account.clone()))),
            Some(id) => {
                Ok(SubAccountScope::within(conn, &self.account, id)?.map(Viewer::SubAccount))
            }
        }
    }
}

/// The monitor the token may post to: any of the account's for an account
/// token; for a sub-account's, one the sub-account made (it sees its grants,
/// but their results come from the account's own agents).
fn may_post(
    conn: &mut crate::db::DbConnection,
    client: &AccountClient,
    monitor_id: &str,
) -> Result<(), ApiError> {
    let viewer = client.viewer(conn)?.ok_or(ApiError::NotFound("monitor"))?;
    if monitors::manages(conn, &viewer, monitor_id)? {
        Ok(())
    } else {
        Err(ApiError::NotFound("monitor"))
    }
}

/// The access check for `Access::ApiCustomer` routes (called by
/// `routes::enforce`): a live customer token. Puts its account into the request.
pub async fn authenticate(req: &ServiceRequest) -> Result<(), HttpResponse> {
    json_api::authenticate(req, |conn, presented| {
        Ok(
            customer_of(conn, presented)?.map(|(token_id, account, sub_account_id)| {
                AccountClient {
                    token_id,
                    account,
                    sub_account_id,
                }
            }),
        )
    })
    .await
}

impl FromRequest for AccountClient {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        json_api::client_of(req)
    }
}

/// Collects the problems of every field of a request.
#[derive(Default)]
struct Fields(Vec<(String, &'static str)>);

impl Fields {
    fn push(&mut self, prefix: &str, field: &str, problem: &'static str) {
        self.0.push((format!("{prefix}{field}"), problem));
    }

    /// Names the field's problem; its value is then missing.
    fn refuse<T>(&mut self, prefix: &str, field: &str, problem: &'static str) -> Option<T> {
        self.push(prefix, field, problem);
        None
    }

    fn time(
        &mut self,
        item: &Map<String, Value>,
        prefix: &str,
        field: &str,
        now: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        match item.get(field) {
            None | Some(Value::Null) => self.refuse(prefix, field, "required"),
            Some(Value::String(raw)) => match DateTime::parse_from_rfc3339(raw.trim()) {
                Ok(at) => {
                    let at = at.naive_utc();
                    let at = at.with_nanosecond(0).unwrap_or(at);
                    if at > now + FUTURE_SLACK {
                        self.push(prefix, field, "in_the_future");
                        None
                    } else if at < now - OLDEST {
                        self.push(prefix, field, "too_old");
                        None
                    } else {
                        Some(at)
                    }
                }
                Err(_) => self.refuse(prefix, field, "invalid"),
            },
            Some(_) => self.refuse(prefix, field, "must_be_a_string"),
        }
    }

    fn message(
        &mut self,
        item: &Map<String, Value>,
        prefix: &str,
        field: &str,
        required: bool,
    ) -> Option<Option<String>> {
        match item.get(field) {
            None | Some(Value::Null) if !required => Some(None),
            None | Some(Value::Null) => self.refuse(prefix, field, "required"),
            Some(Value::String(raw)) => {
                let text = raw.replace("\r\n", "\n").trim().to_owned();
                if text.is_empty() && required {
                    self.push(prefix, field, "required");
                    None
                } else if text.chars().count() > MESSAGE_MAX {
                    self.push(prefix, field, "too_long");
                    None
                } else if text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t')
                {
                    self.push(prefix, field, "invalid");
                    None
                } else if text.is_empty() {
                    Some(None)
                } else {
                    Some(Some(text))
                }
            }
            Some(_) => self.refuse(prefix, field, "must_be_a_string"),
        }
    }

    fn done(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self.0))
        }
    }
}

/// One object of a request, with the prefix its fields are named with.
type Item = (String, Map<String, Value>);

/// The items of a request: `{"<list>": [ … ]}` for a batch, or one object.
/// Each comes with the prefix its fields are named with.
fn items(body: &Bytes, list: &'static str) -> Result<Vec<Item>, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| ApiError::BadJson)?;
    let Value::Object(mut object) = value else {
        return Err(ApiError::BadJson);
    };
    let Some(batch) = object.remove(list) else {
        return Ok(vec![(String::new(), object)]);
    };
    let Value::Array(batch) = batch else {
        return Err(ApiError::Invalid(vec![(
            list.to_owned(),
            "must_be_an_array",
        )]));
    };
    if batch.is_empty() {
        return Err(ApiError::Invalid(vec![(list.to_owned(), "empty")]));
    }
    if batch.len() > BATCH_MAX {
        return Err(ApiError::Invalid(vec![(list.to_owned(), "too_many")]));
    }
    let mut found = Vec::with_capacity(batch.len());
    let mut fields = Fields::default();
    for (index, item) in batch.into_iter().enumerate() {
        match item {
            Value::Object(item) => found.push((format!("{list}[{index}]."), item)),
            _ => fields
                .0
                .push((format!("{list}[{index}]"), "must_be_an_object")),
        }
    }
    fields.done()?;
    Ok(found)
}

fn parse_result(
    fields: &mut Fields,
    prefix: &str,
    item: &Map<String, Value>,
    now: NaiveDateTime,
) -> Option<NewResult> {
    let checked_at = fields.time(item, prefix, "checked_at", now);
    let success = match item.get("success") {
        Some(Value::Bool(b)) => Some(*b),
        None | Some(Value::Null) => fields.refuse(prefix, "success", "required"),
        Some(_) => fields.refuse(prefix, "success", "must_be_a_boolean"),
    };
    let response_ms = match item.get("response_ms") {
        None | Some(Value::Null) => Some(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(ms) if (0..=RESPONSE_MS_MAX).contains(&ms) => i32::try_from(ms).ok().map(Some),
            Some(_) => fields.refuse(prefix, "response_ms", "out_of_range"),
            None => fields.refuse(prefix, "response_ms", "must_be_an_integer"),
        },
        Some(_) => fields.refuse(prefix, "response_ms", "must_be_an_integer"),
    };
    let message = fields.message(item, prefix, "message", false);
    Some(NewResult {
        checked_at: checked_at?,
        success: success?,
        response_ms: response_ms?,
        message: message?,
    })
}

fn parse_entry(
    fields: &mut Fields,
    prefix: &str,
    item: &Map<String, Value>,
    now: NaiveDateTime,
) -> Option<NewErrorEntry> {
    let logged_at = fields.time(item, prefix, "logged_at", now);
    let severity = match item.get("severity") {
        None | Some(Value::Null) => fields.refuse(prefix, "severity", "required"),
        Some(Value::String(s)) => {
            let found = SEVERITIES.into_iter().find(|known| *known == s.trim());
            if found.is_none() {
                fields.push(prefix, "severity", "invalid");
            }
            found
        }
        Some(_) => fields.refuse(prefix, "severity", "must_be_a_string"),
    };
    let message = fields.message(item, prefix, "message", true);
    Some(NewErrorEntry {
        logged_at: logged_at?,
        severity: severity?,
        message: message??,
    })
}

fn monitor_id_ok(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64
}

/// How one item of a post is read: its problems go into the fields, named
/// with the prefix.
type ParseItem<T> = fn(&mut Fields, &str, &Map<String, Value>, NaiveDateTime) -> Option<T>;

/// The monitor a post is for and its items (the batch under `list`, or the one
/// object), each read by `parse`; every offending field is answered at once.
fn posted<T>(
    path: web::Path<String>,
    body: &Bytes,
    list: &'static str,
    now: NaiveDateTime,
    parse: ParseItem<T>,
) -> Result<(String, Vec<T>), ApiError> {
    let monitor_id = path.into_inner();
    if !monitor_id_ok(&monitor_id) {
        return Err(ApiError::NotFound("monitor"));
    }
    let mut fields = Fields::default();
    let parsed: Vec<Option<T>> = items(body, list)?
        .iter()
        .map(|(prefix, item)| parse(&mut fields, prefix, item, now))
        .collect();
    fields.done()?;
    Ok((monitor_id, parsed.into_iter().flatten().collect()))
}

/// Lists the monitors the token sees (the account's, or those granted to the
/// token's sub-account) with their state.
#[utoipa::path(
    get,
    path = "/api/v1/monitors",
    tag = "monitoring",
    responses(
        (status = 200, description = "The monitors, by name", body = MonitorList),
        (status = 400, description = "A NUL byte or invalid UTF-8 in the query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live token of a customer account", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("monitoring_token" = [])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: AccountClient,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let found = db::run(&state.pool, move |conn| match client.viewer(conn)? {
        Some(viewer) => monitors::list(conn, &viewer, now).map_err(ApiError::from),
        None => Ok(Vec::new()),
    })
    .await?;
    let monitors = found
        .into_iter()
        .map(|m| MonitorBody {
            kind: m.kind.as_str().to_owned(),
            state: m.state.as_str().to_owned(),
            last_checked_at: m.last_checked_at.map(|t| t.and_utc().to_rfc3339()),
            id: m.id,
            name: m.name,
            target: m.target,
        })
        .collect();
    Ok(HttpResponse::Ok().json(MonitorList { monitors }))
}

/// Posts a monitor's check results, one or a batch, all stored or none; a
/// failing streak emails the recipients of the monitor's alert definitions.
#[utoipa::path(
    post,
    path = "/api/v1/monitors/{monitor_id}/results",
    tag = "monitoring",
    request_body = ResultsRequest,
    params(("monitor_id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 201, description = "Stored", body = ResultsAccepted),
        (status = 400, description = "The body is not a JSON object (`invalid_json`), or a NUL byte or invalid UTF-8 in it, the path or the query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live token of a customer account", body = ErrorBody),
        (status = 404, description = "No such monitor the token may post to", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "Faulty fields, each named (`results[2].response_ms`): missing, of the wrong type, out of range, in the future, too old, too long; an empty batch, or one of more than 1000", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("monitoring_token" = [])),
)]
pub async fn post_results(
    state: web::Data<AppState>,
    client: AccountClient,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let (monitor_id, batch) = posted(path, &body, "results", now, parse_result)?;
    let settings = state.settings.clone();
    let recorded = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            may_post(conn, &client, &monitor_id)?;
            let before = alerts::lock_streak(conn, &monitor_id)?;
            let recorded = results::record_results(conn, now, &monitor_id, &batch)?;
            alerts::follow_results(conn, &settings, now, &monitor_id, before, &batch)?;
            Ok::<_, ApiError>(recorded)
        })
    })
    .await?;
    state.outbox_wake.notify_one();
    state.webhooks_wake.notify_one();
    Ok(HttpResponse::Created().json(ResultsAccepted {
        accepted: recorded.accepted,
        duplicates: recorded.duplicates,
    }))
}

/// Posts entries of a monitor's error log, one or a batch, all stored or none.
#[utoipa::path(
    post,
    path = "/api/v1/monitors/{monitor_id}/errors",
    tag = "monitoring",
    request_body = ErrorsRequest,
    params(("monitor_id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 201, description = "Stored", body = ErrorsAccepted),
        (status = 400, description = "The body is not a JSON object (`invalid_json`), or a NUL byte or invalid UTF-8 in it, the path or the query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live token of a customer account", body = ErrorBody),
        (status = 404, description = "No such monitor the token may post to", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "Faulty fields, each named (`entries[0].severity`): missing, of the wrong type, unknown severity, in the future, too old, too long; an empty batch, or one of more than 1000", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("monitoring_token" = [])),
)]
pub async fn post_errors(
    state: web::Data<AppState>,
    client: AccountClient,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let (monitor_id, batch) = posted(path, &body, "entries", now, parse_entry)?;
    let stored = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            may_post(conn, &client, &monitor_id)?;
            results::record_errors(conn, now, &monitor_id, &batch).map_err(ApiError::from)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(ErrorsAccepted { accepted: stored }))
}

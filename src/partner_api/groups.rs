//! The organisation's customer groups through the partner API: listed with
//! their customer counts, created, renamed and deleted with the groups page's
//! rules on names, and customers put in and taken out. Every group and
//! customer is found in the token's organisation first: another
//! organisation's answers 404 like a missing one.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::writes::{self, NoFields, customer_id, json, read_body, refused, refused_all};
use crate::auth::partner_tokens::PartnerClient;
use crate::auth::scope::PartnerScope;
use crate::customers::find;
use crate::customers::groups::{
    GroupError, create_group, delete_group, find_group, groups_with_counts, parse_group_name,
    rename_group, set_member,
};
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::json_api::ApiError;

/// Where the groups are, and where a created one is.
const GROUPS: &str = "/api/v1/partner/groups";

impl From<GroupError> for ApiError {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::NotFound => ApiError::NotFound("group"),
            GroupError::NameTaken => ApiError::field("name", "taken"),
            GroupError::NoneChosen => ApiError::NotFound("group"),
            GroupError::RuleBased => ApiError::field("group_id", "rule_based"),
            GroupError::Customer(error) => error.into(),
        }
    }
}

/// One of the organisation's customer groups.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupBody {
    pub id: String,
    pub name: String,
    /// How many of the organisation's customers it holds.
    pub customers: i64,
}

/// The organisation's groups, by name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupList {
    pub groups: Vec<GroupBody>,
}

/// A group's name.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GroupRequest {
    /// Trimmed, at most 100 characters, one line; no other group of the
    /// organisation may have it (whatever the case).
    #[schema(example = "Retail")]
    pub name: Option<String>,
}

/// A group deleted; its customers stay.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupDeletedBody {
    pub id: String,
    pub deleted: bool,
    /// How many customers it held.
    pub customers: i64,
}

/// Whether a customer is in a group.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupMemberBody {
    pub customer_id: String,
    pub group_id: String,
    pub member: bool,
}

fn groups_of(conn: &mut DbConnection, scope: &PartnerScope) -> Result<Vec<GroupBody>, ApiError> {
    Ok(groups_with_counts(conn, scope)?
        .into_iter()
        .map(|g| GroupBody {
            id: g.id,
            name: g.name,
            customers: g.customers,
        })
        .collect())
}

/// One group, with its count.
fn group_body(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    id: &str,
) -> Result<GroupBody, ApiError> {
    groups_of(conn, scope)?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or(ApiError::NotFound("group"))
}

/// The name a request gives, checked as the groups page checks it; a name
/// another group has is refused as the page refuses it.
fn group_name(body: &[u8], lang: Lang) -> Result<crate::accounts::DisplayName, ApiError> {
    let request: GroupRequest = read_body(body, lang)?;
    parse_group_name("name", &request.name.unwrap_or_default())
        .map_err(|errors| refused_all(&errors, lang))
}

/// A name taken, as a field problem.
fn named(error: GroupError, lang: Lang) -> ApiError {
    match error {
        GroupError::NameTaken => refused("name", "group-name-taken", lang),
        other => other.into(),
    }
}

/// The group id of a path, or 404 when it cannot be one.
fn group_id(raw: String) -> Result<String, ApiError> {
    crate::web::operator_api::plausible(&raw, "group")?;
    Ok(raw)
}

/// Lists the organisation's customer groups.
#[utoipa::path(
    get,
    path = "/api/v1/partner/groups",
    tag = "groups",
    responses(
        (status = 200, description = "The groups, by name", body = GroupList),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:read`, or its creator's role may not see customers", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
) -> Result<HttpResponse, ApiError> {
    let scope = client.scope().clone();
    let groups = db::run(&state.pool, move |conn| groups_of(conn, &scope)).await?;
    Ok(HttpResponse::Ok().json(GroupList { groups }))
}

/// Creates a customer group.
#[utoipa::path(
    post,
    path = "/api/v1/partner/groups",
    tag = "groups",
    request_body = GroupRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "The same key and body within 24 hours answer the first answer again (`Idempotent-Replayed: true`)")),
    responses(
        (status = 201, description = "Created; `Location` names it", body = GroupBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage groups", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "A missing, too long or taken name, unknown fields; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn create(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, GROUPS, move |conn, change| {
        let name = group_name(&sent, lang)?;
        let id = create_group(conn, change, &name).map_err(|e| named(e, lang))?;
        json(StatusCode::CREATED, group_body(conn, change.scope(), &id)?)
    })
    .await
}

/// Renames a customer group.
#[utoipa::path(
    patch,
    path = "/api/v1/partner/groups/{group_id}",
    tag = "groups",
    request_body = GroupRequest,
    params(
        ("group_id" = String, Path, description = "The group's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key and body within 24 hours answer the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "The group as renamed", body = GroupBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage groups", body = super::openapi::ErrorBody),
        (status = 404, description = "No such group of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "A missing, too long or taken name, unknown fields; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn rename(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let id = group_id(path.into_inner())?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, GROUPS, move |conn, change| {
        let group = find_group(conn, change.scope(), &id)?;
        let name = group_name(&sent, lang)?;
        rename_group(conn, change, &group, &name).map_err(|e| named(e, lang))?;
        json(StatusCode::OK, group_body(conn, change.scope(), &id)?)
    })
    .await
}

/// Deletes a customer group; its customers stay, only the grouping goes.
#[utoipa::path(
    delete,
    path = "/api/v1/partner/groups/{group_id}",
    tag = "groups",
    params(
        ("group_id" = String, Path, description = "The group's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "Deleted", body = GroupDeletedBody),
        (status = 400, description = "A body that is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage groups", body = super::openapi::ErrorBody),
        (status = 404, description = "No such group of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Fields in the body; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn delete(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let id = group_id(path.into_inner())?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, GROUPS, move |conn, change| {
        let group = find_group(conn, change.scope(), &id)?;
        read_body::<NoFields>(&sent, lang)?;
        let customers = delete_group(conn, change, &group)?;
        json(
            StatusCode::OK,
            GroupDeletedBody {
                id: group.into_inner().id,
                deleted: true,
                customers: i64::try_from(customers).unwrap_or(i64::MAX),
            },
        )
    })
    .await
}

/// Puts a customer in a group (`PUT`) or takes it out (`DELETE`); doing it
/// twice changes nothing and logs nothing the second time.
async fn membership(
    state: web::Data<AppState>,
    client: PartnerClient,
    (lang, req): (Lang, HttpRequest),
    path: web::Path<(String, String)>,
    body: Bytes,
    member: bool,
) -> Result<HttpResponse, ApiError> {
    let (customer, group) = path.into_inner();
    let customer = customer_id(customer)?;
    let group = group_id(group)?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        let customer = find(conn, change.scope(), &customer)?;
        let group = find_group(conn, change.scope(), &group)?;
        read_body::<NoFields>(&sent, lang)?;
        set_member(conn, change, &group, &customer, member)?;
        json(
            StatusCode::OK,
            GroupMemberBody {
                customer_id: customer.into_inner().id.into_string(),
                group_id: group.into_inner().id,
                member,
            },
        )
    })
    .await
}

/// Puts a customer in a group.
#[utoipa::path(
    put,
    path = "/api/v1/partner/customers/{customer_id}/groups/{group_id}",
    tag = "groups",
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("group_id" = String, Path, description = "The group's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "The customer is in the group (whether or not it was before)", body = GroupMemberBody),
        (status = 400, description = "A body that is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage groups", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer, or no such group, of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Fields in the body; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn add_customer(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    membership(state, client, (lang, req), path, body, true).await
}

/// Takes a customer out of a group.
#[utoipa::path(
    delete,
    path = "/api/v1/partner/customers/{customer_id}/groups/{group_id}",
    tag = "groups",
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("group_id" = String, Path, description = "The group's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "The customer is not in the group (whether or not it was before)", body = GroupMemberBody),
        (status = 400, description = "A body that is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage groups", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer, or no such group, of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Fields in the body; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn remove_customer(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    membership(state, client, (lang, req), path, body, false).await
}

//! The OpenAPI 3.1 document of the partner API, generated from the handlers'
//! `utoipa::path` attributes and the types they read and answer, and served at
//! `/api/v1/openapi.json` to anyone.

use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use super::activity::{self, ActivityEntry, ActivityPage};
use super::create::NewCustomerRequest;
use super::customer_changes::{
    self, CustomerChangeRequest, DissociateRequest, DissociatedBody, TermChangeBody, TermRequest,
};
use super::customers::{self, AddressBody, ContactBody, CustomerBody, CustomerPage};
use super::groups::{self, GroupBody, GroupDeletedBody, GroupList, GroupMemberBody, GroupRequest};
use super::health::{self, HealthBody, IncidentBody, IncidentUpdateBody, ServiceBody};
use super::orders::{
    self, NewOrderRequest, OrderBody, OrderLineBody, OrderPage, OwnerBody, SubscriptionBody,
    SubscriptionList,
};
use super::permissions::{
    self, PermissionBody, PermissionList, PermissionRequest, PrerequisiteBody,
};
use super::request_writes::{self, NewRequestBody, ReplyBody, StatusBody};
use super::requests::{self, MessageBody, RequestBody, RequestPage};
use super::reservations::{
    self, ExchangeBody, ExchangeRequest, NoFields, ReservationBody, ReservationList,
};
use super::staff::{self, InvitationBody, StaffBody, StaffList};

/// Every refusal's body; which fields are present depends on `error`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `unauthorized`, `forbidden`, `not_found`, `invalid_json`,
    /// `invalid_fields`, `idempotency_key_reused`, `idempotency_key_in_use`,
    /// `malformed_input`, `too_large`, `rate_limited`, `unavailable` or
    /// `internal`; a 409 on a state that forbids the action names it
    /// (`not_a_trial`, `missing_usage_subscription`, `missing_subscription_owner`,
    /// `reservation_not_active`, …).
    pub error: String,
    /// With `forbidden`: `missing_scope`, `role_not_allowed` or
    /// `organisation_suspended`.
    pub reason: Option<String>,
    /// With `not_found`: the kind of thing not found.
    pub resource: Option<String>,
    /// With `idempotency_key_reused`: what to do.
    pub message: Option<String>,
    /// With `rate_limited`: seconds to wait, as in `Retry-After`.
    pub retry_after: Option<u64>,
    /// With `invalid_fields`: each faulty field.
    pub fields: Option<Vec<FieldProblemBody>>,
}

/// A faulty field of a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblemBody {
    pub field: String,
    /// `required`, `too_long`, `invalid`, `taken`, `unknown`, `must_be_a_string`,
    /// `must_be_a_boolean`, `must_be_an_integer`, `out_of_range`.
    pub problem: String,
    /// The problem in the request's language (`Accept-Language`).
    pub message: Option<String>,
}

/// The name of the security scheme the paths name.
pub const SECURITY_SCHEME: &str = "partner_token";

struct PartnerToken;

impl Modify for PartnerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("pdp_…")
            .description(Some(
                "A token of the partner organisation, created by one of its owners under \
                 Settings › API tokens. It acts with its creator's role, narrowed to its scopes \
                 (`customers:read`, `orders:write`, `activity:read`, …): each operation names the scope it needs.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(SECURITY_SCHEME, SecurityScheme::Http(scheme));
    }
}

/// Adds to every partner API operation the 429 that the token's budget of
/// requests can answer anywhere (`rate_limit`), with its `Retry-After`.
struct RateLimited;

impl Modify for RateLimited {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let wait = HeaderBuilder::new()
            .schema(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1)),
            )
            .description(Some("Seconds to wait before the token's next request"))
            .build();
        let response = ResponseBuilder::new()
            .description(
                "The token spent its budget of requests a minute (`rate_limited`, with \
                 `retry_after`)",
            )
            .header("Retry-After", wait)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/v1/partner/") {
                continue;
            }
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                operation
                    .responses
                    .responses
                    .insert("429".to_owned(), response.clone().into());
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Partnerdesk partner API",
        description = "What a partner's staff do in the browser, for programs. Every request \
            carries `Authorization: Bearer <token>`; everything is scoped to the token's \
            organisation, and another organisation's objects answer 404 like missing ones.",
    ),
    paths(
        customers::list,
        customers::read,
        customers::create,
        customer_changes::change,
        customer_changes::convert_trial,
        customer_changes::change_term,
        customer_changes::dissociate,
        groups::list,
        groups::create,
        groups::rename,
        groups::delete,
        groups::add_customer,
        groups::remove_customer,
        permissions::list,
        permissions::set,
        health::read,
        orders::list,
        orders::place,
        orders::subscriptions,
        reservations::list,
        reservations::renew,
        reservations::exchange,
        reservations::cancel,
        requests::list,
        requests::read,
        requests::customer_list,
        request_writes::open,
        request_writes::reply,
        request_writes::change_status,
        activity::list,
        staff::list,
    ),
    components(schemas(
        CustomerBody,
        CustomerPage,
        AddressBody,
        ContactBody,
        NewCustomerRequest,
        CustomerChangeRequest,
        TermRequest,
        TermChangeBody,
        DissociateRequest,
        DissociatedBody,
        GroupBody,
        GroupList,
        GroupRequest,
        GroupDeletedBody,
        GroupMemberBody,
        PermissionBody,
        PermissionList,
        PermissionRequest,
        PrerequisiteBody,
        HealthBody,
        ServiceBody,
        IncidentBody,
        IncidentUpdateBody,
        ErrorBody,
        FieldProblemBody,
        OrderBody,
        OrderLineBody,
        OrderPage,
        NewOrderRequest,
        SubscriptionBody,
        SubscriptionList,
        OwnerBody,
        ReservationBody,
        ReservationList,
        ExchangeBody,
        ExchangeRequest,
        NoFields,
        ActivityEntry,
        ActivityPage,
        StaffBody,
        StaffList,
        InvitationBody,
        RequestBody,
        RequestPage,
        MessageBody,
        NewRequestBody,
        ReplyBody,
        StatusBody,
    )),
    modifiers(&PartnerToken, &RateLimited),
    tags(
        (name = "customers", description = "The organisation's customers"),
        (name = "groups", description = "The organisation's customer groups"),
        (name = "permissions", description = "What the organisation lets a customer do"),
        (name = "health", description = "A customer's service health"),
        (name = "orders", description = "Customers' orders, subscriptions and reservations"),
        (name = "requests", description = "Service requests of the organisation's customers"),
        (name = "activity", description = "The organisation's activity log"),
        (name = "staff", description = "The organisation's people"),
    ),
)]
struct PartnerApi;

/// The document, as served.
pub fn document() -> utoipa::openapi::OpenApi {
    PartnerApi::openapi()
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}

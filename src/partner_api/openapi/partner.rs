//! The partner API's part of the OpenAPI document: its operations, the types
//! they read and answer, the partner token and the 429 of its budget.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::partner_api::activity::{self, ActivityEntry, ActivityPage};
use crate::partner_api::create::NewCustomerRequest;
use crate::partner_api::customer_changes::{
    self, CustomerChangeRequest, DissociateRequest, DissociatedBody, TermChangeBody, TermRequest,
};
use crate::partner_api::customers::{self, AddressBody, ContactBody, CustomerBody, CustomerPage};
use crate::partner_api::groups::{
    self, GroupBody, GroupDeletedBody, GroupList, GroupMemberBody, GroupRequest,
};
use crate::partner_api::health::{self, HealthBody, IncidentBody, IncidentUpdateBody, ServiceBody};
use crate::partner_api::orders::{
    self, NewOrderRequest, OrderBody, OrderLineBody, OrderPage, OwnerBody, SubscriptionBody,
    SubscriptionList,
};
use crate::partner_api::permissions::{
    self, PermissionBody, PermissionList, PermissionRequest, PrerequisiteBody,
};
use crate::partner_api::request_writes::{self, NewRequestBody, ReplyBody, StatusBody};
use crate::partner_api::requests::{self, MessageBody, RequestBody, RequestPage};
use crate::partner_api::reservations::{
    self, ExchangeBody, ExchangeRequest, NoFields, ReservationBody, ReservationList,
};
use crate::partner_api::staff::{self, InvitationBody, StaffBody, StaffList};

/// The name of the security scheme the partner API's operations name.
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
pub(super) struct PartnerApi;

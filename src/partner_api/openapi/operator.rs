//! The instance operator's API in the OpenAPI document: any customer's service
//! health and licence usage, with an operator token.

use utoipa::{Modify, OpenApi};

use crate::customers::usage_api::{self, LicenceUsageBody, LicenceUsageList, UsageReportRequest};
use crate::service_health::api::{
    self as health_api, IncidentCreated, IncidentSummary, IncidentUpdateRequest, IncidentUpdated,
    NewIncidentRequest, NewServiceRequest, ServiceCreated, ServiceSummary, ServicesOverview,
};

/// The name of the security scheme the operator API's operations name.
pub const SECURITY_SCHEME: &str = "operator_token";

struct OperatorToken;

impl Modify for OperatorToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        super::add_bearer_scheme(
            openapi,
            SECURITY_SCHEME,
            "pd_…",
            "A token of the instance operator, made on the server by \
             `partnerdesk api-token create --name …` (printed once) and revoked by \
             `partnerdesk api-token revoke --id …`. It acts on every customer of the instance.",
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(
        health_api::services,
        health_api::add_service,
        health_api::open_incident,
        health_api::post_update,
        usage_api::licences,
        usage_api::report_usage,
    ),
    components(schemas(
        ServicesOverview,
        ServiceSummary,
        IncidentSummary,
        NewServiceRequest,
        ServiceCreated,
        NewIncidentRequest,
        IncidentCreated,
        IncidentUpdateRequest,
        IncidentUpdated,
        LicenceUsageList,
        LicenceUsageBody,
        UsageReportRequest,
    )),
    modifiers(&OperatorToken),
    tags(
        (name = "operator", description = "The instance operator's API: customers' service \
            health and licence usage, reported by the platforms that run the products"),
    ),
)]
pub(super) struct OperatorApi;

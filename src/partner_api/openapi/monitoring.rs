//! The monitoring API in the OpenAPI document: a customer account's monitors,
//! their check results and error log entries, with one of the account's tokens.

use utoipa::{Modify, OpenApi};

use crate::monitoring::api;
use crate::monitoring::api_bodies::{
    CheckResult, CheckResultBatch, ErrorEntry, ErrorEntryBatch, ErrorsAccepted, ErrorsRequest,
    MonitorBody, MonitorList, ResultsAccepted, ResultsRequest,
};

/// The name of the security scheme the monitoring API's operations name.
pub const SECURITY_SCHEME: &str = "monitoring_token";

struct MonitoringToken;

impl Modify for MonitoringToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        super::add_bearer_scheme(
            openapi,
            SECURITY_SCHEME,
            "pdm_…",
            "A token of one customer account, made by its administrator on the console's \
             API tokens page; it acts on that account's monitors only. A sub-account's token \
             sees the monitors granted to the sub-account and posts to those the sub-account \
             made, while the sub-account may manage monitors.",
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(api::list, api::post_results, api::post_errors),
    components(schemas(
        MonitorList,
        MonitorBody,
        ResultsRequest,
        CheckResult,
        CheckResultBatch,
        ResultsAccepted,
        ErrorsRequest,
        ErrorEntry,
        ErrorEntryBatch,
        ErrorsAccepted,
    )),
    modifiers(&MonitoringToken),
    tags(
        (name = "monitoring", description = "A customer account's monitors, fed by its agents"),
    ),
)]
pub(super) struct MonitoringApi;

//! The OpenAPI 3.1 document of the instance's three JSON APIs (the partner
//! API, the instance operator's API, the accounts' monitoring API), generated
//! from the handlers' `utoipa::path` attributes and the types they read and
//! answer, and served at `/api/v1/openapi.json` to anyone. Each API's part is
//! in its own file, with the security scheme its operations name.

mod monitoring;
mod operator;
mod partner;

use actix_web::HttpResponse;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

pub use crate::web::json_api::{ErrorBody, FieldProblemBody};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Partnerdesk API",
        description = "Three JSON APIs of one Partnerdesk instance, each with its own kind of \
            token, sent as `Authorization: Bearer <token>` (no session, no CSRF token); each \
            operation names the one it takes. The partner API (`/api/v1/partner/…`, \
            `partner_token`): what a partner's staff do in the browser, for programs; \
            everything is scoped to the token's organisation, and another organisation's \
            objects answer 404 like missing ones. The operator API (`/api/v1/customers/…`, \
            `operator_token`): the instance operator records any customer's service health \
            and licence usage, with a token made by `partnerdesk api-token create`. The \
            monitoring API (`/api/v1/monitors…`, `monitoring_token`): a customer account's \
            agents read its monitors and post their check results and error log entries, with \
            a token made on the account's API tokens page; another account's monitors answer \
            404 like missing ones.",
    ),
    components(schemas(ErrorBody, FieldProblemBody))
)]
struct Partnerdesk;

/// A bearer-token security scheme named `name`, for `modify`.
fn add_bearer_scheme(
    openapi: &mut utoipa::openapi::OpenApi,
    name: &str,
    format: &str,
    description: &str,
) {
    let scheme = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .bearer_format(format)
        .description(Some(description))
        .build();
    openapi
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme(name, SecurityScheme::Http(scheme));
}

/// The document, as served.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = Partnerdesk::openapi();
    document.merge(partner::PartnerApi::openapi());
    document.merge(operator::OperatorApi::openapi());
    document.merge(monitoring::MonitoringApi::openapi());
    document
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Merging keeps the first of two schemas of the same name: a name used by
    /// two APIs for different bodies would silently describe one of them wrongly.
    #[test]
    fn every_part_keeps_its_own_schemas_in_the_merge() {
        let merged = document().components.expect("components").schemas;
        let parts = [
            partner::PartnerApi::openapi(),
            operator::OperatorApi::openapi(),
            monitoring::MonitoringApi::openapi(),
        ];
        for part in parts {
            for (name, schema) in part.components.expect("components").schemas {
                assert!(merged.get(&name) == Some(&schema), "{name}");
            }
        }
    }
}

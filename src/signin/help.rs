//! The role help page, rendered from the matrix itself.

use actix_web::HttpResponse;
use askama::Template;

use crate::access::{CUSTOMER_MATRIX, CustomerRole, PARTNER_MATRIX, PartnerRole};
use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "signin/help_roles.html")]
struct RolesPage {
    layout: PageContext,
    roles: [PartnerRole; 4],
    rows: Vec<(String, Vec<bool>)>,
    customer_roles: [CustomerRole; 4],
    customer_rows: Vec<(String, Vec<bool>)>,
}

pub async fn roles(layout: PageContext) -> Result<HttpResponse, PageError> {
    let roles = PartnerRole::ALL;
    let rows = PARTNER_MATRIX
        .iter()
        .map(|(capability, _)| {
            (
                layout.tr.t(capability.label_key()),
                roles.iter().map(|role| role.can(*capability)).collect(),
            )
        })
        .collect();
    let customer_roles = CustomerRole::ALL;
    let customer_rows = CUSTOMER_MATRIX
        .iter()
        .map(|(capability, _)| {
            (
                layout.tr.t(capability.label_key()),
                customer_roles
                    .iter()
                    .map(|role| role.can(*capability))
                    .collect(),
            )
        })
        .collect();
    render(&RolesPage {
        layout,
        roles,
        rows,
        customer_roles,
        customer_rows,
    })
}

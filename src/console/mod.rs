//! The customer console (`/customer`): the account as the customer's people see
//! it, and partner assistance.

pub mod assistance;

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use crate::auth::identity::CustomerMember;
use crate::db::schema::{customer_accounts, partner_organisations, sites};
use crate::db::{self, DbError};
use crate::startup::AppState;
use crate::web::{Layout, PageError, render};

pub struct Overview {
    pub name: String,
    pub state: crate::customers::CustomerState,
    pub partner: Option<String>,
    pub assistance: bool,
    pub sites: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/home.html")]
struct HomePage {
    layout: Layout,
    overview: Overview,
    role_key: &'static str,
}

pub async fn home(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let overview = db::run(&state.pool, move |conn| -> Result<Overview, DbError> {
        let (name, account_state, partner, assistance): (String, String, Option<String>, bool) =
            customer_accounts::table
                .left_join(partner_organisations::table)
                .filter(customer_accounts::id.eq(&customer_id))
                .select((
                    customer_accounts::name,
                    customer_accounts::state,
                    partner_organisations::name.nullable(),
                    customer_accounts::partner_assistance,
                ))
                .first(conn)?;
        let sites = sites::table
            .filter(sites::customer_id.eq(&customer_id))
            .order((sites::created_at.asc(), sites::id.asc()))
            .select(sites::name)
            .load(conn)?;
        Ok(Overview {
            name,
            state: crate::customers::CustomerState::parse(&account_state)
                .unwrap_or(crate::customers::CustomerState::Active),
            partner,
            assistance,
            sites,
        })
    })
    .await?;
    render(&HomePage {
        layout,
        overview,
        role_key: member.role.label_key(),
    })
}

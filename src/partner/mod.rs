//! The partner area: its home page (the roll-up dashboard comes with its own
//! issue) and the activity log.

pub mod activity;

use actix_web::HttpResponse;
use askama::Template;

use crate::auth::identity::PartnerMember;
use crate::web::{Layout, PageError, render};

#[derive(Template)]
#[template(path = "partner/home.html")]
struct HomePage {
    layout: Layout,
    organisation: String,
    role_key: &'static str,
}

pub async fn home(layout: Layout, member: PartnerMember) -> Result<HttpResponse, PageError> {
    render(&HomePage {
        layout,
        organisation: member.membership.tenant_name.clone(),
        role_key: member.role.label_key(),
    })
}

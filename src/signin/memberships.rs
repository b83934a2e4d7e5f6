//! The membership picker after sign-in, and the switcher in the header.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::identity::SignedIn;
use crate::auth::session::TypedSession;
use crate::web::{PageContext, PageError, render, see_other};

#[derive(Template)]
#[template(path = "signin/memberships.html")]
struct PickerPage {
    layout: PageContext,
}

pub async fn picker(layout: PageContext) -> Result<HttpResponse, PageError> {
    render(&PickerPage { layout })
}

#[derive(Deserialize)]
pub struct SwitchForm {
    membership_id: String,
}

pub async fn switch(
    state: web::Data<crate::state::AppState>,
    SignedIn(identity): SignedIn,
    session: TypedSession,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, PageError> {
    // Only the person's own active memberships; anything else is missing.
    let chosen = identity
        .memberships
        .iter()
        .find(|m| m.id == form.membership_id)
        .ok_or(PageError::NotFound)?;
    if let Some(assisting) = &identity.assisting {
        crate::assisted::end_on_the_way_out(&state, assisting.session_id.clone()).await;
    }
    if let Some(assisting) = &identity.assisting_reseller {
        crate::network::assist::end_on_the_way_out(&state, assisting.session_id.clone()).await;
    }
    session
        .choose_membership(&chosen.id)
        .map_err(PageError::internal)?;
    Ok(see_other(chosen.home()))
}

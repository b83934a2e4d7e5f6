//! Creating a customer account in three steps: account data, address,
//! customer administrator. The steps carry what was typed in hidden fields, so
//! going back loses nothing and nothing is stored before the last step; the last
//! step checks every step again and writes everything in one transaction.
//!
//! `wizard` parses the steps' form into the parts of a new customer, `page`
//! shows the steps, `write` stores the customer.

mod page;
mod wizard;
mod write;

use actix_web::{HttpResponse, web};

use crate::audit::Actor;
use crate::auth::identity::PartnerMember;
use crate::db;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};
use page::CreatePage;
use wizard::StepCheck;
pub use wizard::{AccountPart, AddressPart, AdministratorPart, NewCustomer, WizardForm};
pub use write::{add_customer_member, create};

pub use crate::tenancy::ADMINISTRATOR_ROLE;

/// Identity providers a customer administrator can sign in with. Only the portal's
/// own passwords exist today; the field is kept so that single sign-on providers
/// can be added to this list.
pub const IDENTITY_PROVIDERS: &[(&str, &str)] = &[("local", "idp-local")];

/// How long a trial lasts when the partner does not choose its end.
pub const DEFAULT_TRIAL_DAYS: i64 = 30;

pub async fn form(
    state: web::Data<AppState>,
    layout: PageContext,
) -> Result<HttpResponse, PageError> {
    let today = state.clock.now().date();
    let form = WizardForm::fresh(layout.lang, today);
    render(&CreatePage::new(layout, form, FieldErrors::default()))
}

pub async fn step(
    PageOf(state, layout, member): PartnerPage,
    form: web::Form<WizardForm>,
) -> Result<HttpResponse, PageError> {
    let mut form = form.into_inner();
    let today = state.clock.now().date();
    let current = form.step.clamp(1, 3);
    if current == 3 {
        form.email_same_known = "1".to_owned();
    }
    if form.go == "back" {
        form.step = current.saturating_sub(1).max(1);
        return render(&CreatePage::new(layout, form, FieldErrors::default()));
    }
    let new = match form.check_through(current, today) {
        StepCheck::Complete(new) => *new,
        StepCheck::Show { step, errors } => {
            form.step = step;
            return render(&CreatePage::new(layout, form, errors));
        }
    };
    let customer_id = create_as(&state, &member, new)
        .await
        .map_err(PageError::internal)?;
    state.outbox_wake.notify_one();
    state.webhooks_wake.notify_one();
    Ok(succeeded(
        "flash-customer-created",
        &format!("/partner/customers/{customer_id}"),
    ))
}

/// Creates the customer in one write transaction, in the member's name.
async fn create_as(
    state: &AppState,
    member: &PartnerMember,
    new: NewCustomer,
) -> Result<String, crate::customers::CustomerError> {
    let now = state.clock.now();
    let settings = state.settings.clone();
    let scope = member.scope().clone();
    let (login_id, name, acting_as) = member.actor_parts();
    let on_behalf_of = member.actor().on_behalf_of.map(str::to_owned);
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let actor = Actor {
                login_id: Some(&login_id),
                name: &name,
                membership_id: Some(&acting_as),
                on_behalf_of: on_behalf_of.as_deref(),
                api_token_id: None,
            };
            create(conn, &settings, now, scope.partner_id(), &new, actor)
        })
    })
    .await
}

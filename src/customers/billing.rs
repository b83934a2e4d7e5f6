//! Billing (A8): converting a trial to monthly usage, and changing the
//! subscription term — at once while no device is enrolled, otherwise at the end
//! of the current period (seed 002), which the details page announces.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use diesel::prelude::*;
use serde::Deserialize;

use super::details::{enrolled_devices, page_error};
use super::{BillingType, CustomerError, Term, find};
use crate::audit::{self, Action};
use crate::auth::identity::PartnerMember;
use crate::db::DbConnection;
use crate::db::schema::customer_accounts;
use crate::partner::{ChangeContext, change_as};
use crate::startup::AppState;
use crate::web::{PageError, see_other};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("the customer is not on a trial")]
    NotATrial,
    #[error(transparent)]
    Customer(#[from] CustomerError),
}

super::wraps_customer_error!(BillingError);

pub async fn convert_trial(
    state: web::Data<AppState>,
    member: PartnerMember,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let id = customer_id.clone();
    let outcome = change_as(&state, &member, move |conn, change| {
        convert_to_monthly_usage(conn, change, &id)
    })
    .await;
    match outcome {
        Ok(()) => FlashMessage::success("flash-trial-converted").send(),
        Err(BillingError::NotATrial) => FlashMessage::error("flash-not-a-trial").send(),
        Err(BillingError::Customer(error)) => return Err(page_error(error)),
    }
    Ok(see_other(&format!("/partner/customers/{customer_id}")))
}

pub fn convert_to_monthly_usage(
    conn: &mut DbConnection,
    change: &ChangeContext,
    customer_id: &str,
) -> Result<(), BillingError> {
    let customer = find(conn, &change.partner_id, customer_id)?;
    if customer.billing() != BillingType::Trial {
        return Err(BillingError::NotATrial);
    }
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(customer_id)))
        .set((
            customer_accounts::billing_type.eq(BillingType::MonthlyUsage.as_str()),
            customer_accounts::trial_ends_on.eq(None::<chrono::NaiveDate>),
            customer_accounts::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        change.now,
        audit::Entry {
            partner_id: Some(&change.partner_id),
            customer_id: Some(customer_id),
            actor: change.actor(),
            action: Action::TrialConverted,
            target: &customer.name,
            details: "",
        },
    )?;
    Ok(())
}

#[derive(Deserialize)]
pub struct TermForm {
    #[serde(default)]
    term: String,
}

pub async fn change_term(
    state: web::Data<AppState>,
    member: PartnerMember,
    customer_id: web::Path<String>,
    form: web::Form<TermForm>,
) -> Result<HttpResponse, PageError> {
    let term = Term::parse(&form.term);
    let customer_id = customer_id.into_inner();
    let id = customer_id.clone();
    let when = change_as(&state, &member, move |conn, change| {
        // The customer first: another partner's id is missing whatever the form says.
        find(conn, &change.partner_id, &id)?;
        match term {
            Some(term) => change_subscription_term(conn, change, &id, term).map(Some),
            None => Ok(None),
        }
    })
    .await
    .map_err(page_error)?;
    let Some(when) = when else {
        return Err(PageError::BadRequest);
    };
    FlashMessage::success(match when {
        TermChange::Unchanged => "flash-term-unchanged",
        TermChange::Cancelled => "flash-term-change-cancelled",
        TermChange::Now => "flash-term-changed",
        TermChange::AtPeriodEnd(_) => "flash-term-scheduled",
    })
    .send();
    Ok(see_other(&format!("/partner/customers/{customer_id}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermChange {
    Unchanged,
    /// The current term was chosen again while a change to another one waited for
    /// the period's end: that change is called off.
    Cancelled,
    Now,
    AtPeriodEnd(chrono::NaiveDate),
}

pub fn change_subscription_term(
    conn: &mut DbConnection,
    change: &ChangeContext,
    customer_id: &str,
    term: Term,
) -> Result<TermChange, CustomerError> {
    let customer = find(conn, &change.partner_id, customer_id)?;
    let today = change.now.date();
    let current = customer.term_on(today);
    // A change already in force becomes the current term before anything else.
    let started_on = match customer.next_term_from {
        Some(from) if from <= today => from,
        _ => customer.term_started_on,
    };
    let pending = match (
        customer.next_term.as_deref().and_then(Term::parse),
        customer.next_term_from,
    ) {
        (Some(next), Some(from)) if from > today => Some((next, from)),
        _ => None,
    };
    let outcome = if current == term && pending.is_some() {
        TermChange::Cancelled
    } else if current == term {
        TermChange::Unchanged
    } else if enrolled_devices(conn, customer_id)? == 0 {
        TermChange::Now
    } else {
        TermChange::AtPeriodEnd(current.period_end(started_on, today))
    };
    let (subscription_term, term_started_on, next_term, next_term_from) = match outcome {
        TermChange::Unchanged | TermChange::Cancelled => (current, started_on, None, None),
        TermChange::Now => (term, today, None, None),
        TermChange::AtPeriodEnd(from) => (current, started_on, Some(term.as_str()), Some(from)),
    };
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(customer_id)))
        .set((
            customer_accounts::subscription_term.eq(subscription_term.as_str()),
            customer_accounts::term_started_on.eq(term_started_on),
            customer_accounts::next_term.eq(next_term),
            customer_accounts::next_term_from.eq(next_term_from),
            customer_accounts::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    if outcome != TermChange::Unchanged {
        let details = match (outcome, pending) {
            (TermChange::Cancelled, Some((next, from))) => {
                format!("{} → {} ({from}) ✗", current.as_str(), next.as_str())
            }
            (TermChange::AtPeriodEnd(from), _) => {
                format!("{} → {} ({from})", current.as_str(), term.as_str())
            }
            _ => format!("{} → {}", current.as_str(), term.as_str()),
        };
        audit::record(
            conn,
            change.now,
            audit::Entry {
                partner_id: Some(&change.partner_id),
                customer_id: Some(customer_id),
                actor: change.actor(),
                action: Action::TermChanged,
                target: &customer.name,
                details: &details,
            },
        )?;
    }
    Ok(outcome)
}

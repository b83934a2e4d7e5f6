//! Billing: converting a trial to monthly usage, and changing the
//! subscription term — at once while no device is enrolled, otherwise at the end
//! of the current period, which the details page announces.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use diesel::prelude::*;
use serde::Deserialize;

use super::details::enrolled_devices;
use super::page_error;
use super::{BillingType, Customer, CustomerError, CustomerId, Term, find, record_change};
use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::db::DbConnection;
use crate::db::schema::customer_accounts;
use crate::i18n::{Translator, format_date};
use crate::tenancy::PartnerChange;
use crate::web::confirm::{ConfirmForm, Confirmed, Review, back_to};
use crate::web::{PageError, PageOf, PartnerPage, see_other};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("the customer is not on a trial")]
    NotATrial,
    #[error(transparent)]
    Customer(#[from] CustomerError),
}

super::wraps_customer_error!(BillingError);

pub async fn convert_trial(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = CustomerId::new(customer_id.into_inner());
    let id = customer_id.clone();
    let confirmed = form.confirmed;
    let outcome =
        PartnerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
            convert_to_monthly_usage(conn, change, &id)
        })
        .await;
    let details = format!("/partner/customers/{customer_id}");
    match outcome {
        Ok(customer) if !confirmed.yes() => {
            let tr = &layout.tr;
            let mut trial = tr.t(BillingType::Trial.label_key());
            if let Some(until) = customer.trial_ends_on {
                let until = format_date(until, tr.lang);
                trial = format!("{trial} · {} {until}", tr.t("customers-trial-until"));
            }
            let action = format!("{details}/billing/convert");
            let back = back_to(&details, &[], "billing");
            return Review::new(tr, "confirm-convert-heading", action, back)
                .summary(tr.with("confirm-convert-summary", &[("customer", &customer.name)]))
                .fact(tr, "customer", "confirm-customer", customer.name.clone())
                .fact(tr, "billing-now", "confirm-billing-now", trial)
                .fact(
                    tr,
                    "billing-after",
                    "confirm-billing-after",
                    tr.t(BillingType::MonthlyUsage.label_key()),
                )
                .confirm_label(tr, "customer-convert-trial")
                .irreversible()
                .render(layout);
        }
        Ok(_) => FlashMessage::success("flash-trial-converted").send(),
        Err(BillingError::NotATrial) => FlashMessage::error("flash-not-a-trial").send(),
        Err(BillingError::Customer(error)) => return Err(page_error(error)),
    }
    Ok(see_other(&details))
}

/// Converts a trial; returns the customer as it was.
pub fn convert_to_monthly_usage(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer_id: &CustomerId,
) -> Result<Customer, BillingError> {
    let customer = find(conn, change.scope(), customer_id)?;
    if customer.billing() != BillingType::Trial {
        return Err(BillingError::NotATrial);
    }
    end_trial(conn, change, &customer)?;
    Ok(customer.into_inner())
}

fn end_trial(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
) -> Result<(), BillingError> {
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(&customer.id)))
        .set((
            customer_accounts::billing_type.eq(BillingType::MonthlyUsage),
            customer_accounts::trial_ends_on.eq(None::<chrono::NaiveDate>),
            customer_accounts::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    record_change(conn, change, customer, Action::TrialConverted, "")?;
    Ok(())
}

#[derive(Deserialize)]
pub struct TermForm {
    #[serde(default)]
    term: String,
    #[serde(default)]
    confirmed: Confirmed,
}

pub async fn change_term(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    form: web::Form<TermForm>,
) -> Result<HttpResponse, PageError> {
    let term = Term::parse(&form.term);
    let confirmed = form.confirmed;
    let customer_id = CustomerId::new(customer_id.into_inner());
    let id = customer_id.clone();
    let outcome =
        PartnerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
            // The customer first: another partner's id is missing whatever the form says.
            let customer = find(conn, change.scope(), &id)?;
            let current = customer.term_on(change.now.date());
            match term {
                Some(term) => {
                    let when = change_subscription_term(conn, change, &customer, term)?;
                    Ok(Some((customer.into_inner().name, current, when)))
                }
                None => Ok(None),
            }
        })
        .await
        .map_err(page_error)?;
    let (Some((name, current, when)), Some(term)) = (outcome, term) else {
        return Err(PageError::BadRequest);
    };
    let details = format!("/partner/customers/{customer_id}");
    // Choosing the term in force changes nothing: there is nothing to confirm.
    if !confirmed.yes() && when != TermChange::Unchanged {
        return term_review(&layout.tr, &name, current, term, when, &details).render(layout);
    }
    FlashMessage::success(match when {
        TermChange::Unchanged => "flash-term-unchanged",
        TermChange::Cancelled(..) => "flash-term-change-cancelled",
        TermChange::Now => "flash-term-changed",
        TermChange::AtPeriodEnd(_) => "flash-term-scheduled",
    })
    .send();
    Ok(see_other(&details))
}

/// What choosing `term` will do: at once, at the period's end, or calling off
/// the change that was waiting for it.
fn term_review(
    tr: &Translator,
    customer: &str,
    current: Term,
    term: Term,
    when: TermChange,
    details: &str,
) -> Review {
    let (from, to) = (tr.t(current.label_key()), tr.t(term.label_key()));
    let names = [("customer", customer), ("from", &from), ("to", &to)];
    let (summary, effect) = match when {
        TermChange::AtPeriodEnd(date) => {
            let date = format_date(date, tr.lang);
            let mut args = names.to_vec();
            args.push(("date", &date));
            (
                tr.with("confirm-term-later", &args),
                tr.with("confirm-term-on", &[("date", &date)]),
            )
        }
        TermChange::Cancelled(planned, date) => {
            let date = format_date(date, tr.lang);
            let planned = tr.t(planned.label_key());
            let mut args = names.to_vec();
            args.extend([("planned", planned.as_str()), ("date", &date)]);
            (
                tr.with("confirm-term-call-off", &args),
                tr.t("confirm-term-at-once"),
            )
        }
        TermChange::Now | TermChange::Unchanged => (
            tr.with("confirm-term-now", &names),
            tr.t("confirm-term-at-once"),
        ),
    };
    let action = format!("{details}/term");
    let back = back_to(details, &[("term", term.as_str())], "billing");
    Review::new(tr, "confirm-term-heading", action, back)
        .summary(summary)
        .fact(tr, "customer", "confirm-customer", customer.to_owned())
        .fact(tr, "term-now", "confirm-term-current", from)
        .fact(tr, "term-new", "confirm-term-new", to)
        .fact(tr, "effect", "confirm-term-effect", effect)
        .field("term", term.as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermChange {
    Unchanged,
    /// The current term was chosen again while a change to another one waited for
    /// the period's end: that change (to this term, on this day) is called off.
    Cancelled(Term, chrono::NaiveDate),
    Now,
    AtPeriodEnd(chrono::NaiveDate),
}

pub fn change_subscription_term(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
    term: Term,
) -> Result<TermChange, CustomerError> {
    let today = change.now.date();
    let current = customer.term_on(today);
    // A change already in force becomes the current term before anything else.
    let started_on = match customer.next_term_from {
        Some(from) if from <= today => from,
        _ => customer.term_started_on,
    };
    let pending = customer.pending_term(today);
    let outcome = if let (true, Some((next, from))) = (current == term, pending) {
        TermChange::Cancelled(next, from)
    } else if current == term {
        TermChange::Unchanged
    } else if enrolled_devices(conn, &customer.id)? == 0 {
        TermChange::Now
    } else {
        TermChange::AtPeriodEnd(current.period_end(started_on, today))
    };
    let (subscription_term, term_started_on, next_term, next_term_from) = match outcome {
        TermChange::Unchanged | TermChange::Cancelled(..) => (current, started_on, None, None),
        TermChange::Now => (term, today, None, None),
        TermChange::AtPeriodEnd(from) => (current, started_on, Some(term), Some(from)),
    };
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(&customer.id)))
        .set((
            customer_accounts::subscription_term.eq(subscription_term),
            customer_accounts::term_started_on.eq(term_started_on),
            customer_accounts::next_term.eq(next_term),
            customer_accounts::next_term_from.eq(next_term_from),
            customer_accounts::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    if outcome != TermChange::Unchanged {
        let details = match outcome {
            TermChange::Cancelled(next, from) => {
                format!("{} → {} ({from}) ✗", current.as_str(), next.as_str())
            }
            TermChange::AtPeriodEnd(from) => {
                format!("{} → {} ({from})", current.as_str(), term.as_str())
            }
            _ => format!("{} → {}", current.as_str(), term.as_str()),
        };
        record_change(conn, change, customer, Action::TermChanged, &details)?;
    }
    Ok(outcome)
}

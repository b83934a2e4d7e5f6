//! The details page and the contact card.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::load::{Details, load};
use crate::access::{Capability, PartnerRole};
use crate::auth::identity::PartnerMember;
use crate::customers::{Customer, CustomerError, CustomerId, find_for_page, page_error};
use crate::db;
use crate::i18n::format_date;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render};

#[derive(Template)]
#[template(path = "customers/details.html")]
struct DetailsPage {
    layout: PageContext,
    details: Details,
    role: PartnerRole,
    today: NaiveDate,
    errors: FieldErrors,
    /// What was typed into the rename form, when it comes back refused.
    typed_name: Option<String>,
    typed_username: Option<String>,
    /// Turning the purchase permission on was just refused: say what is missing.
    permission_refused: bool,
    /// The term chosen before Back from the review of its change.
    typed_term: Option<String>,
    /// With assistance off: when access was last asked for, within a day.
    assistance_asked_at: Option<chrono::NaiveDateTime>,
}

impl DetailsPage {
    /// A trial whose last day has passed and that was not converted.
    fn trial_has_ended(&self) -> bool {
        let customer = &self.details.customer;
        customer.billing() == crate::customers::BillingType::Trial
            && customer.trial_ends_on.is_some_and(|ends| ends < self.today)
    }

    /// Whether this customer is the one the member is working on.
    fn is_context(&self) -> bool {
        self.layout
            .customer_context()
            .is_some_and(|(id, _)| id.as_str() == self.details.customer.id.as_str())
    }

    /// What the member's role allows here, for the template: a typed capability,
    /// so a misspelt one does not compile rather than hiding a button.
    fn can(&self, capability: Capability) -> bool {
        self.role.can(capability)
    }

    fn date(&self, day: NaiveDate) -> String {
        format_date(day, self.layout.lang)
    }

    fn term_is(&self, code: &str) -> bool {
        match &self.typed_term {
            Some(typed) => typed == code,
            None => self.details.customer.term_on(self.today).as_str() == code,
        }
    }

    fn optional_date(&self, day: &Option<NaiveDate>) -> String {
        day.map(|d| format_date(d, self.layout.lang))
            .unwrap_or_default()
    }

    fn country(&self) -> String {
        self.details.customer.country_name(self.layout.lang)
    }

    fn rename_value(&self) -> &str {
        self.typed_name
            .as_deref()
            .unwrap_or(&self.details.customer.name)
    }

    fn term_label(&self) -> String {
        self.layout
            .tr
            .t(self.details.customer.term_on(self.today).label_key())
    }

    fn pending_term(&self) -> Option<String> {
        let (term, from) = self.details.customer.pending_term(self.today)?;
        Some(self.layout.tr.with(
            "customer-term-pending",
            &[
                ("term", &self.layout.tr.t(term.label_key())),
                ("date", &format_date(from, self.layout.lang)),
            ],
        ))
    }

    /// When a term change asked today would take effect.
    fn term_change_note(&self) -> String {
        if self.details.enrolled_devices == 0 {
            self.layout.tr.t("customer-term-change-now")
        } else {
            let customer = &self.details.customer;
            let end = customer
                .term_on(self.today)
                .period_end(customer.term_started_on, self.today);
            self.layout.tr.with_numbers(
                "customer-term-change-later",
                &[("date", &format_date(end, self.layout.lang))],
                &[("devices", self.details.enrolled_devices.into())],
            )
        }
    }
}

/// What the details page shows back after a refused change, or when Back
/// returns from a review.
#[derive(Default)]
pub(super) struct Refusal {
    errors: FieldErrors,
    typed_name: Option<String>,
    typed_username: Option<String>,
    permission_refused: bool,
    typed_term: Option<String>,
}

impl Refusal {
    /// A refused new name, shown back with its message.
    pub(super) fn name(message_key: &str, typed: String) -> Refusal {
        let errors = FieldErrors::one("name", message_key);
        Refusal {
            errors,
            typed_name: Some(typed),
            ..Refusal::default()
        }
    }

    /// A refused administrator's username, shown back with its message.
    pub(super) fn username(message_key: &str, typed: String) -> Refusal {
        let errors = FieldErrors::one("username", message_key);
        Refusal {
            errors,
            typed_username: Some(typed),
            ..Refusal::default()
        }
    }
}

pub(super) async fn details_page(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    customer_id: String,
    refusal: Refusal,
) -> Result<HttpResponse, PageError> {
    let Refusal {
        errors,
        typed_name,
        typed_username,
        permission_refused,
        typed_term,
    } = refusal;
    let scope = member.scope().clone();
    let customer_id = CustomerId::new(customer_id);
    let now = state.clock.now();
    let (details, assistance_asked_at) = db::run(&state.pool, move |conn| {
        let details = load(conn, &scope, &customer_id)?;
        let asked = if details.customer.partner_assistance {
            None
        } else {
            crate::tenancy::assistance_asked_since(conn, &details.customer.id, now)?
        };
        Ok::<_, CustomerError>((details, asked))
    })
    .await
    .map_err(page_error)?;
    render(&DetailsPage {
        layout,
        details,
        role: member.role,
        today: now.date(),
        assistance_asked_at,
        errors,
        typed_name,
        typed_username,
        permission_refused,
        typed_term,
    })
}
#[derive(Deserialize)]
pub struct DetailsQuery {
    #[serde(default)]
    permission: String,
    /// The term chosen, when Back returns from the review of its change.
    #[serde(default)]
    term: Option<String>,
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    query: web::Query<DetailsQuery>,
) -> Result<HttpResponse, PageError> {
    details_page(
        &state,
        layout,
        &member,
        customer_id.into_inner(),
        Refusal {
            permission_refused: query.permission == "refused",
            typed_term: query.term.clone(),
            ..Refusal::default()
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "customers/contact.html")]
struct ContactPage {
    layout: PageContext,
    customer: Customer,
    country: String,
}

/// The contact card: a page of its own, which the list's script shows in a
/// dialog without leaving the list.
pub async fn contact(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let customer = find_for_page(&state, &member, customer_id.into_inner())
        .await?
        .into_inner();
    let country = customer.country_name(layout.lang);
    render(&ContactPage {
        layout,
        customer,
        country,
    })
}

//! A new customer read from the partner API's JSON: the same fields as the
//! creation steps' form, checked by the same code (`customers::create`), with
//! every problem of every step named in one answer.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::customers::BillingType;
use crate::customers::create::{DEFAULT_TRIAL_DAYS, IDENTITY_PROVIDERS, NewCustomer, WizardForm};
use crate::i18n::Lang;
use crate::web::FieldErrors;
use crate::web::json_api::{ApiError, FieldProblem};

/// A customer to create, with its first site and the administrator invited by
/// email. Text fields missing or null are read as empty.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewCustomerRequest {
    /// The account's name, as customers know it.
    #[schema(example = "Adatum")]
    pub name: Option<String>,
    #[schema(example = "adatum.example")]
    pub primary_domain: Option<String>,
    /// ISO 3166-1 alpha-2 code; it chooses the data region.
    #[schema(example = "FR")]
    pub country: Option<String>,
    /// An IANA zone; the country's when empty.
    #[schema(example = "Europe/Paris")]
    pub time_zone: Option<String>,
    pub reference_number: Option<String>,
    /// `monthly` or `annual`.
    #[schema(example = "monthly")]
    pub term: Option<String>,
    /// `trial`, `monthly_usage` or `term_subscription`.
    #[schema(example = "trial")]
    pub billing_type: Option<String>,
    /// A trial's last day (`YYYY-MM-DD`, after today); 30 days from today when empty.
    pub trial_ends_on: Option<String>,
    /// The partner places the customer's orders.
    pub managed_order: Option<bool>,
    #[schema(example = "1 rue de la Paix")]
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub postal_code: Option<String>,
    #[schema(example = "Paris")]
    pub city: Option<String>,
    pub region: Option<String>,
    pub contact_phone: Option<String>,
    /// The customer's administrator, invited by email.
    #[schema(example = "Ada Admin")]
    pub admin_full_name: Option<String>,
    /// `en` or `fr`; the request's language (`Accept-Language`) when empty.
    pub admin_language: Option<String>,
    #[schema(example = "ada@adatum.example")]
    pub admin_username: Option<String>,
    /// Where the invitation goes; the username when empty.
    pub admin_email: Option<String>,
}

/// The problem code of a field refused with the message `message_id`.
pub(super) fn problem_of(message_id: &str) -> &'static str {
    match message_id {
        "field-too-long" => "too_long",
        id if id.ends_with("-required") => "required",
        id if id.ends_with("-taken") => "taken",
        _ => "invalid",
    }
}

/// Each field of `body` that does not fit the request: unknown, or of the
/// wrong JSON type.
fn misfits(body: &Map<String, Value>, lang: Lang) -> Vec<FieldProblem> {
    let tr = lang.translator();
    body.iter()
        .filter_map(|(field, value)| {
            let alone = Map::from_iter([(field.clone(), value.clone())]);
            let error = serde_json::from_value::<NewCustomerRequest>(Value::Object(alone)).err()?;
            let (problem, key) = if error.to_string().starts_with("unknown field") {
                ("unknown", "api-field-unknown")
            } else if field == "managed_order" {
                ("must_be_a_boolean", "api-field-boolean")
            } else {
                ("must_be_a_string", "api-field-string")
            };
            Some(FieldProblem {
                field: field.clone(),
                problem,
                message: tr.t(key),
            })
        })
        .collect()
}

/// The request as the creation steps' form, filled as its last step would be.
fn as_form(request: NewCustomerRequest, lang: Lang, today: NaiveDate) -> WizardForm {
    let text = |value: Option<String>| value.unwrap_or_default();
    let billing_type = text(request.billing_type);
    let mut trial_ends_on = text(request.trial_ends_on);
    if trial_ends_on.trim().is_empty()
        && BillingType::parse(&billing_type) == Some(BillingType::Trial)
    {
        trial_ends_on = (today + chrono::Duration::days(DEFAULT_TRIAL_DAYS))
            .format("%Y-%m-%d")
            .to_string();
    }
    let admin_email = text(request.admin_email);
    let admin_language = text(request.admin_language);
    WizardForm {
        step: 3,
        name: text(request.name),
        primary_domain: text(request.primary_domain),
        country: text(request.country),
        time_zone: text(request.time_zone),
        reference_number: text(request.reference_number),
        term: text(request.term),
        billing_type,
        trial_ends_on,
        managed_order: request
            .managed_order
            .unwrap_or(false)
            .then(|| "on".to_owned()),
        address_line1: text(request.address_line1),
        address_line2: text(request.address_line2),
        postal_code: text(request.postal_code),
        city: text(request.city),
        region: text(request.region),
        contact_phone: text(request.contact_phone),
        admin_full_name: text(request.admin_full_name),
        admin_language: if admin_language.trim().is_empty() {
            lang.code().to_owned()
        } else {
            admin_language
        },
        identity_provider: IDENTITY_PROVIDERS[0].0.to_owned(),
        admin_username: text(request.admin_username),
        email_same: admin_email.trim().is_empty().then(|| "on".to_owned()),
        email_same_known: "1".to_owned(),
        admin_email,
        ..WizardForm::default()
    }
}

/// Every problem of `errors`, explained in `lang`.
pub(super) fn explained(errors: &FieldErrors, lang: Lang, into: &mut Vec<FieldProblem>) {
    let tr = lang.translator();
    for (field, message_id) in errors.message_ids() {
        into.push(FieldProblem {
            field: field.to_owned(),
            problem: problem_of(message_id),
            message: errors.text(field, &tr).unwrap_or_default(),
        });
    }
}

/// The customer `body` asks for, checked as the creation steps check it; every
/// problem of every step refused at once.
pub(super) fn new_customer(
    body: &[u8],
    lang: Lang,
    today: NaiveDate,
) -> Result<NewCustomer, ApiError> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return Err(ApiError::BadJson);
    };
    let misfit = misfits(&map, lang);
    if !misfit.is_empty() {
        return Err(ApiError::Explained(misfit));
    }
    let request: NewCustomerRequest =
        serde_json::from_value(Value::Object(map)).map_err(|_| ApiError::BadJson)?;
    let form = as_form(request, lang, today);
    let account = form.account_part(today);
    let address = form.address_part();
    let zone = account.as_ref().map_or(chrono_tz::UTC, |a| a.time_zone);
    let administrator = form.administrator_part(zone);
    match (account, address, administrator) {
        (Ok(account), Ok(address), Ok(administrator)) => Ok(NewCustomer {
            account,
            address,
            administrator,
        }),
        (account, address, administrator) => {
            let mut problems = Vec::new();
            for errors in [account.err(), address.err(), administrator.err()]
                .into_iter()
                .flatten()
            {
                explained(&errors, lang, &mut problems);
            }
            Err(ApiError::Explained(problems))
        }
    }
}

//! The creation steps' form, parsed into the parts of a new customer: each
//! field's problem is a message id kept for the page to translate.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{DEFAULT_TRIAL_DAYS, IDENTITY_PROVIDERS};
use crate::accounts::{DisplayName, EmailAddress, NewLogin, Username};
use crate::customers::fields::{self, DomainName};
use crate::customers::regions::{self, Country};
use crate::customers::{BillingType, Term};
use crate::i18n::Lang;
use crate::places::zones;
use crate::web::FieldErrors;

pub struct AccountPart {
    pub name: DisplayName,
    pub domain: DomainName,
    pub country: &'static Country,
    pub time_zone: chrono_tz::Tz,
    pub reference_number: String,
    pub term: Term,
    pub billing: BillingType,
    pub trial_ends_on: Option<NaiveDate>,
    pub managed_order: bool,
}

pub struct AddressPart {
    pub line1: String,
    pub line2: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub phone: String,
}

pub struct AdministratorPart {
    pub login: NewLogin,
}

pub struct NewCustomer {
    pub account: AccountPart,
    pub address: AddressPart,
    pub administrator: AdministratorPart,
}

/// Everything the three steps can hold. Each step shows its own fields and carries
/// the others as hidden inputs.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct WizardForm {
    pub step: u8,
    pub go: String,
    pub name: String,
    pub primary_domain: String,
    pub country: String,
    pub time_zone: String,
    pub reference_number: String,
    pub term: String,
    pub billing_type: String,
    pub trial_ends_on: String,
    pub managed_order: Option<String>,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub contact_phone: String,
    pub admin_full_name: String,
    pub admin_language: String,
    pub identity_provider: String,
    pub admin_username: String,
    pub email_same: Option<String>,
    /// Set once the administrator step has been shown, so that an unticked
    /// "email same as username" box is not mistaken for a first visit.
    pub email_same_known: String,
    pub admin_email: String,
}

impl WizardForm {
    pub(super) fn fresh(lang: Lang, today: NaiveDate) -> Self {
        Self {
            step: 1,
            term: Term::Monthly.as_str().to_owned(),
            billing_type: BillingType::Trial.as_str().to_owned(),
            trial_ends_on: (today + chrono::Duration::days(DEFAULT_TRIAL_DAYS))
                .format("%Y-%m-%d")
                .to_string(),
            admin_language: lang.code().to_owned(),
            identity_provider: IDENTITY_PROVIDERS[0].0.to_owned(),
            ..Self::default()
        }
    }

    pub fn email_same(&self) -> bool {
        self.email_same_known != "1" || self.email_same.is_some()
    }

    pub fn managed(&self) -> bool {
        self.managed_order.is_some()
    }

    pub fn account_part(&self, today: NaiveDate) -> Result<AccountPart, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = DisplayName::parse(&self.name)
            .map_err(|e| errors.add("name", e.message_key()))
            .ok();
        let domain = DomainName::parse(&self.primary_domain)
            .map_err(|e| errors.add("primary_domain", e.message_key()))
            .ok();
        let country = regions::country(&self.country);
        if country.is_none() {
            errors.add("country", "field-choose");
        }
        let time_zone = self.time_zone(country, &mut errors);
        let reference_number = fields::optional_text(&self.reference_number, 64)
            .map_err(|e| errors.add("reference_number", e.message_key()))
            .ok();
        let term = Term::parse(&self.term);
        if term.is_none() {
            errors.add("term", "field-choose");
        }
        let billing = BillingType::parse(&self.billing_type);
        if billing.is_none() {
            errors.add("billing_type", "field-choose");
        }
        let trial_ends_on = if billing == Some(BillingType::Trial) {
            match fields::date(&self.trial_ends_on) {
                Ok(day) if day <= today => {
                    errors.add("trial_ends_on", "customer-trial-in-future");
                    None
                }
                Ok(day) => Some(day),
                Err(e) => {
                    errors.add("trial_ends_on", e.message_key());
                    None
                }
            }
        } else {
            None
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // Every field without an error has its value.
        let part = || {
            Some(AccountPart {
                name: name?,
                domain: domain?,
                country: country?,
                time_zone: time_zone?,
                reference_number: reference_number?,
                term: term?,
                billing: billing?,
                trial_ends_on,
                managed_order: self.managed(),
            })
        };
        part().ok_or(errors)
    }

    /// The zone chosen, or the country's when none is (the select's first
    /// option, or a form sent without it).
    fn time_zone(
        &self,
        country: Option<&Country>,
        errors: &mut FieldErrors,
    ) -> Option<chrono_tz::Tz> {
        if self.time_zone.trim().is_empty() {
            let zone = country.and_then(Country::zone);
            if zone.is_none() && country.is_some() {
                errors.add("time_zone", "places-zone-country-has-none");
            }
            return zone;
        }
        zones::parse(&self.time_zone)
            .map_err(|e| errors.add("time_zone", e.message_key()))
            .ok()
    }

    pub fn address_part(&self) -> Result<AddressPart, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut text = |field: &'static str, raw: &str, required: bool| {
            let parsed = if required {
                fields::required_text(raw, 200)
            } else {
                fields::optional_text(raw, 200)
            };
            parsed
                .map_err(|e| errors.add(field, e.message_key()))
                .unwrap_or_default()
        };
        let line1 = text("address_line1", &self.address_line1, true);
        let line2 = text("address_line2", &self.address_line2, false);
        let postal_code = text("postal_code", &self.postal_code, false);
        let city = text("city", &self.city, true);
        let region = text("region", &self.region, false);
        let phone = fields::phone(&self.contact_phone)
            .map_err(|e| errors.add("contact_phone", e.message_key()))
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AddressPart {
            line1,
            line2,
            postal_code,
            city,
            region,
            phone,
        })
    }

    pub fn administrator_part(
        &self,
        time_zone: chrono_tz::Tz,
    ) -> Result<AdministratorPart, FieldErrors> {
        let mut errors = FieldErrors::default();
        let full_name = DisplayName::parse(&self.admin_full_name)
            .map_err(|e| errors.add("admin_full_name", e.message_key()))
            .ok();
        let language = Lang::from_code(&self.admin_language);
        if language.is_none() {
            errors.add("admin_language", "field-choose");
        }
        if !IDENTITY_PROVIDERS
            .iter()
            .any(|(code, _)| *code == self.identity_provider)
        {
            errors.add("identity_provider", "field-choose");
        }
        let username = Username::parse(&self.admin_username)
            .map_err(|e| errors.add("admin_username", e.message_key()))
            .ok();
        let email = if self.email_same() {
            match EmailAddress::parse(&self.admin_username) {
                Ok(email) => Some(email),
                Err(_) if username.is_some() => {
                    errors.add("admin_username", "customer-username-not-email");
                    None
                }
                Err(_) => None,
            }
        } else {
            EmailAddress::parse(&self.admin_email)
                .map_err(|e| errors.add("admin_email", e.message_key()))
                .ok()
        };
        if let (Some(username), Some(email)) = (&username, &email)
            && !username.may_belong_to(email)
        {
            errors.add("admin_username", "username-is-another-email");
        }
        match (full_name, language, username, email) {
            (Some(full_name), Some(language), Some(username), Some(email)) if errors.is_empty() => {
                Ok(AdministratorPart {
                    login: NewLogin {
                        username,
                        email,
                        full_name,
                        language,
                        time_zone,
                    },
                })
            }
            _ => Err(errors),
        }
    }

    /// Checks the steps up to `current` in order. Each step is checked when
    /// leaving it; the last step checks all of them again, since hidden fields
    /// come back from the browser.
    pub(super) fn check_through(&self, current: u8, today: NaiveDate) -> StepCheck {
        let show = |step: u8, errors: FieldErrors| StepCheck::Show { step, errors };
        let account = match self.account_part(today) {
            Ok(account) => account,
            Err(errors) => return show(1, errors),
        };
        if current == 1 {
            return show(2, FieldErrors::default());
        }
        let address = match self.address_part() {
            Ok(address) => address,
            Err(errors) => return show(2, errors),
        };
        if current == 2 {
            return show(3, FieldErrors::default());
        }
        match self.administrator_part(account.time_zone) {
            Ok(administrator) => StepCheck::Complete(Box::new(NewCustomer {
                account,
                address,
                administrator,
            })),
            Err(errors) => show(3, errors),
        }
    }
}

/// Where the steps stand once checked up to the one being left.
pub(super) enum StepCheck {
    /// Every step is right: the customer can be created.
    Complete(Box<NewCustomer>),
    /// The step to show next, with the problems of the one refused.
    Show { step: u8, errors: FieldErrors },
}

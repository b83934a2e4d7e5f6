//! The page of the creation steps.

use askama::Template;

use super::IDENTITY_PROVIDERS;
use super::wizard::WizardForm;
use crate::customers::regions;
use crate::customers::{BillingType, Term};
use crate::i18n::Lang;
use crate::places::countries;
use crate::places::zones::{self, ZoneGroup};
use crate::web::{FieldErrors, PageContext};

/// A country of the select, with the city of its zone for the script that
/// names the "country's zone" option.
struct CountryOption {
    code: &'static str,
    name: &'static str,
    zone_city: String,
}

#[derive(Template)]
#[template(path = "customers/create.html")]
pub(super) struct CreatePage {
    layout: PageContext,
    form: WizardForm,
    errors: FieldErrors,
    countries: Vec<CountryOption>,
    zones: Vec<ZoneGroup>,
    terms: &'static [Term],
    billing_types: &'static [BillingType],
    languages: [Lang; 2],
    providers: &'static [(&'static str, &'static str)],
}

impl CreatePage {
    pub(super) fn new(layout: PageContext, form: WizardForm, errors: FieldErrors) -> Self {
        let countries = countries::sorted_for(layout.lang)
            .map(|c| CountryOption {
                code: c.code,
                name: c.name(layout.lang),
                zone_city: c.zone().map(zones::city).unwrap_or_default(),
            })
            .collect();
        let zones = zones::groups(&form.time_zone, &layout.tr);
        Self {
            layout,
            form,
            errors,
            countries,
            zones,
            terms: Term::ALL,
            billing_types: BillingType::ALL,
            languages: Lang::ALL,
            providers: IDENTITY_PROVIDERS,
        }
    }

    /// The fields of the other steps, carried as hidden inputs.
    fn hidden_fields(&self) -> Vec<(&'static str, String)> {
        let f = &self.form;
        let mut carried = Vec::new();
        if f.step != 1 {
            carried.extend([
                ("name", f.name.clone()),
                ("primary_domain", f.primary_domain.clone()),
                ("country", f.country.clone()),
                ("time_zone", f.time_zone.clone()),
                ("reference_number", f.reference_number.clone()),
                ("term", f.term.clone()),
                ("billing_type", f.billing_type.clone()),
                ("trial_ends_on", f.trial_ends_on.clone()),
            ]);
            if f.managed() {
                carried.push(("managed_order", "1".to_owned()));
            }
        }
        if f.step != 2 {
            carried.extend([
                ("address_line1", f.address_line1.clone()),
                ("address_line2", f.address_line2.clone()),
                ("postal_code", f.postal_code.clone()),
                ("city", f.city.clone()),
                ("region", f.region.clone()),
                ("contact_phone", f.contact_phone.clone()),
            ]);
        }
        if f.step != 3 {
            carried.extend([
                ("admin_full_name", f.admin_full_name.clone()),
                ("admin_language", f.admin_language.clone()),
                ("identity_provider", f.identity_provider.clone()),
                ("admin_username", f.admin_username.clone()),
                ("admin_email", f.admin_email.clone()),
                ("email_same_known", f.email_same_known.clone()),
            ]);
            if f.email_same() {
                carried.push(("email_same", "1".to_owned()));
            }
        }
        carried
    }

    fn steps(&self) -> [u8; 3] {
        [1, 2, 3]
    }

    fn step_label(&self, step: &u8) -> String {
        self.layout.tr.t(format!("create-step-{step}"))
    }

    fn step_class(&self, step: &u8) -> &'static str {
        match self.form.step.cmp(step) {
            std::cmp::Ordering::Equal => "current",
            std::cmp::Ordering::Greater => "done",
            std::cmp::Ordering::Less => "todo",
        }
    }

    /// The first option of the zone select: the country's zone, named when
    /// a country with one is chosen (the script renames it on a change).
    fn zone_of_country(&self) -> String {
        let words = self.layout.tr.t("places-zone-of-country");
        match self.countries.iter().find(|c| c.code == self.form.country) {
            Some(country) if !country.zone_city.is_empty() => {
                format!("{words} ({})", country.zone_city)
            }
            _ => words,
        }
    }

    fn country_name(&self) -> String {
        regions::country(&self.form.country)
            .map(|c| c.name(self.layout.lang).to_owned())
            .unwrap_or_default()
    }
}

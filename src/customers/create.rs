//! Creating a customer account in three steps: account data, address,
//! customer administrator. The steps carry what was typed in hidden fields, so
//! going back loses nothing and nothing is stored before the last step; the last
//! step checks every step again and writes everything in one transaction.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::fields::{self, DomainName};
use super::regions::{self, Country};
use super::{BillingType, CustomerError, CustomerState, Term};
use crate::accounts::{DisplayName, EmailAddress, NewLogin, Username};
use crate::audit::{self, Action, Actor};
use crate::auth::identity::PartnerMember;
use crate::config::Settings;
use crate::db::schema::{customer_accounts, memberships, site_administrators, sites};
use crate::db::{self, DbConnection};
use crate::i18n::{Lang, Translator};
use crate::places::countries;
use crate::places::zones::{self, ZoneGroup};
use crate::state::AppState;
use crate::web::{FieldErrors, Layout, PageError, render, see_other};

pub use crate::tenancy::ADMINISTRATOR_ROLE;

/// Identity providers a customer administrator can sign in with. Only the portal's
/// own passwords exist today; the field is kept so that single sign-on providers
/// can be added to this list.
pub const IDENTITY_PROVIDERS: &[(&str, &str)] = &[("local", "idp-local")];

/// How long a trial lasts when the partner does not choose its end.
pub const DEFAULT_TRIAL_DAYS: i64 = 30;

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
    fn fresh(lang: Lang, today: NaiveDate) -> Self {
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

    pub fn account_part(
        &self,
        tr: &Translator,
        today: NaiveDate,
    ) -> Result<AccountPart, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = DisplayName::parse(&self.name)
            .map_err(|e| errors.add(tr, "name", e.message_key()))
            .ok();
        let domain = DomainName::parse(&self.primary_domain)
            .map_err(|e| errors.add(tr, "primary_domain", e.message_key()))
            .ok();
        let country = regions::country(&self.country);
        if country.is_none() {
            errors.add(tr, "country", "field-choose");
        }
        let time_zone = self.time_zone(country, tr, &mut errors);
        let reference_number = fields::optional_text(&self.reference_number, 64)
            .map_err(|e| errors.add(tr, "reference_number", e.message_key()))
            .ok();
        let term = Term::parse(&self.term);
        if term.is_none() {
            errors.add(tr, "term", "field-choose");
        }
        let billing = BillingType::parse(&self.billing_type);
        if billing.is_none() {
            errors.add(tr, "billing_type", "field-choose");
        }
        let trial_ends_on = if billing == Some(BillingType::Trial) {
            match fields::date(&self.trial_ends_on) {
                Ok(day) if day <= today => {
                    errors.add(tr, "trial_ends_on", "customer-trial-in-future");
                    None
                }
                Ok(day) => Some(day),
                Err(e) => {
                    errors.add(tr, "trial_ends_on", e.message_key());
                    None
                }
            }
        } else {
            None
        };
        match (
            name,
            domain,
            country,
            time_zone,
            reference_number,
            term,
            billing,
        ) {
            (
                Some(name),
                Some(domain),
                Some(country),
                Some(time_zone),
                Some(reference_number),
                Some(term),
                Some(billing),
            ) if errors.is_empty() => Ok(AccountPart {
                name,
                domain,
                country,
                time_zone,
                reference_number,
                term,
                billing,
                trial_ends_on,
                managed_order: self.managed(),
            }),
            _ => Err(errors),
        }
    }

    /// The zone chosen, or the country's when none is (the select's first
    /// option, or a form sent without it).
    fn time_zone(
        &self,
        country: Option<&Country>,
        tr: &Translator,
        errors: &mut FieldErrors,
    ) -> Option<chrono_tz::Tz> {
        if self.time_zone.trim().is_empty() {
            let zone = country.and_then(Country::zone);
            if zone.is_none() && country.is_some() {
                errors.add(tr, "time_zone", "places-zone-country-has-none");
            }
            return zone;
        }
        zones::parse(&self.time_zone)
            .map_err(|e| errors.add(tr, "time_zone", e.message_key()))
            .ok()
    }

    pub fn address_part(&self, tr: &Translator) -> Result<AddressPart, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut text = |field: &'static str, raw: &str, required: bool| {
            let parsed = if required {
                fields::required_text(raw, 200)
            } else {
                fields::optional_text(raw, 200)
            };
            parsed
                .map_err(|e| errors.add(tr, field, e.message_key()))
                .unwrap_or_default()
        };
        let line1 = text("address_line1", &self.address_line1, true);
        let line2 = text("address_line2", &self.address_line2, false);
        let postal_code = text("postal_code", &self.postal_code, false);
        let city = text("city", &self.city, true);
        let region = text("region", &self.region, false);
        let phone = fields::phone(&self.contact_phone)
            .map_err(|e| errors.add(tr, "contact_phone", e.message_key()))
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
        tr: &Translator,
        time_zone: chrono_tz::Tz,
    ) -> Result<AdministratorPart, FieldErrors> {
        let mut errors = FieldErrors::default();
        let full_name = DisplayName::parse(&self.admin_full_name)
            .map_err(|e| errors.add(tr, "admin_full_name", e.message_key()))
            .ok();
        let language = Lang::from_code(&self.admin_language);
        if language.is_none() {
            errors.add(tr, "admin_language", "field-choose");
        }
        if !IDENTITY_PROVIDERS
            .iter()
            .any(|(code, _)| *code == self.identity_provider)
        {
            errors.add(tr, "identity_provider", "field-choose");
        }
        let username = Username::parse(&self.admin_username)
            .map_err(|e| errors.add(tr, "admin_username", e.message_key()))
            .ok();
        let email = if self.email_same() {
            match EmailAddress::parse(&self.admin_username) {
                Ok(email) => Some(email),
                Err(_) if username.is_some() => {
                    errors.add(tr, "admin_username", "customer-username-not-email");
                    None
                }
                Err(_) => None,
            }
        } else {
            EmailAddress::parse(&self.admin_email)
                .map_err(|e| errors.add(tr, "admin_email", e.message_key()))
                .ok()
        };
        if let (Some(username), Some(email)) = (&username, &email)
            && !username.may_belong_to(email)
        {
            errors.add(tr, "admin_username", "username-is-another-email");
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
}

/// A country of the select, with the city of its zone for the script that
/// names the "country's zone" option.
struct CountryOption {
    code: &'static str,
    name: &'static str,
    zone_city: String,
}

#[derive(Template)]
#[template(path = "customers/create.html")]
struct CreatePage {
    layout: Layout,
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
    fn new(layout: Layout, form: WizardForm, errors: FieldErrors) -> Self {
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

pub async fn form(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, PageError> {
    let today = state.clock.now().date();
    let form = WizardForm::fresh(layout.lang, today);
    render(&CreatePage::new(layout, form, FieldErrors::default()))
}

pub async fn step(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
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
    // Each step is checked when leaving it; the last step checks all of them again,
    // since hidden fields come back from the browser.
    let account = match form.account_part(&layout.tr, today) {
        Ok(account) => account,
        Err(errors) => {
            form.step = 1;
            return render(&CreatePage::new(layout, form, errors));
        }
    };
    if current == 1 {
        form.step = 2;
        return render(&CreatePage::new(layout, form, FieldErrors::default()));
    }
    let address = match form.address_part(&layout.tr) {
        Ok(address) => address,
        Err(errors) => {
            form.step = 2;
            return render(&CreatePage::new(layout, form, errors));
        }
    };
    if current == 2 {
        form.step = 3;
        return render(&CreatePage::new(layout, form, FieldErrors::default()));
    }
    let administrator = match form.administrator_part(&layout.tr, account.time_zone) {
        Ok(administrator) => administrator,
        Err(errors) => {
            form.step = 3;
            return render(&CreatePage::new(layout, form, errors));
        }
    };
    let new = NewCustomer {
        account,
        address,
        administrator,
    };
    let now = state.clock.now();
    let settings = state.settings.clone();
    let partner_id = member.partner_id().to_owned();
    let (login_id, name, acting_as) = member.actor_parts();
    let created = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let actor = Actor {
                login_id: Some(&login_id),
                name: &name,
                membership_id: Some(&acting_as),
                on_behalf_of: None,
            };
            create(conn, &settings, now, &partner_id, &new, actor)
        })
    })
    .await;
    match created {
        Ok(customer_id) => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-customer-created").send();
            Ok(see_other(&format!("/partner/customers/{customer_id}")))
        }
        Err(error) => Err(PageError::internal(error)),
    }
}

/// Writes the account (Creating), its first site, and the invitation of its
/// administrator (an offer: see `invitations`). Call inside a write
/// transaction. Returns the new account's id.
pub fn create(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    partner_id: &str,
    new: &NewCustomer,
    actor: Actor<'_>,
) -> Result<String, CustomerError> {
    let account = &new.account;
    let admin = &new.administrator.login;
    let customer_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(customer_accounts::table)
        .values((
            customer_accounts::id.eq(&customer_id),
            customer_accounts::partner_id.eq(partner_id),
            customer_accounts::name.eq(account.name.as_str()),
            customer_accounts::name_key.eq(account.name.as_str().to_lowercase()),
            customer_accounts::primary_domain.eq(account.domain.as_str()),
            customer_accounts::search_text.eq(super::search_text(
                account.name.as_str(),
                account.domain.as_str(),
            )),
            customer_accounts::country.eq(account.country.code),
            customer_accounts::data_region.eq(regions::data_region(settings, account.country)),
            customer_accounts::time_zone.eq(account.time_zone.name()),
            customer_accounts::reference_number.eq(&account.reference_number),
            customer_accounts::subscription_term.eq(account.term.as_str()),
            customer_accounts::term_started_on.eq(now.date()),
            customer_accounts::address_line1.eq(&new.address.line1),
            customer_accounts::address_line2.eq(&new.address.line2),
            customer_accounts::postal_code.eq(&new.address.postal_code),
            customer_accounts::city.eq(&new.address.city),
            customer_accounts::region.eq(&new.address.region),
            customer_accounts::contact_name.eq(admin.full_name.as_str()),
            customer_accounts::contact_email.eq(admin.email.as_str()),
            customer_accounts::contact_phone.eq(&new.address.phone),
            customer_accounts::state.eq(CustomerState::Creating.as_str()),
            customer_accounts::billing_type.eq(account.billing.as_str()),
            customer_accounts::trial_ends_on.eq(account.trial_ends_on),
            customer_accounts::managed_order.eq(account.managed_order),
            customer_accounts::health_level.eq(0),
            customer_accounts::partner_assistance.eq(super::assistance_by_default(
                account.billing,
                account.managed_order,
            )),
            customer_accounts::created_at.eq(now),
            customer_accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    let site_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(sites::table)
        .values((
            sites::id.eq(&site_id),
            sites::customer_id.eq(&customer_id),
            sites::name.eq(account.name.as_str()),
            sites::time_zone.eq(account.time_zone.name()),
            sites::created_at.eq(now),
        ))
        .execute(conn)?;
    let administrator = crate::invitations::offer(
        conn,
        settings,
        now,
        &crate::invitations::Offer {
            person: admin,
            target: crate::invitations::Target::Customer(&customer_id),
            role: ADMINISTRATOR_ROLE,
            inviter: actor.login_id,
        },
    )?;
    // The administrator named here administers the first site.
    diesel::insert_into(site_administrators::table)
        .values((
            site_administrators::site_id.eq(&site_id),
            site_administrators::membership_id.eq(&administrator),
            site_administrators::created_at.eq(now),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(partner_id),
            customer_id: Some(&customer_id),
            actor,
            action: Action::CustomerCreated,
            target: account.name.as_str(),
            details: admin.username.as_str(),
        },
    )?;
    Ok(customer_id)
}

pub fn add_customer_member(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    login_id: &str,
    role: &str,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(memberships::table)
        .values((
            memberships::id.eq(&id),
            memberships::login_id.eq(login_id),
            memberships::scope.eq("customer"),
            memberships::customer_id.eq(customer_id),
            memberships::role.eq(role),
            memberships::state.eq("active"),
            memberships::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

//! One customer as its partner sees it: the contact card, the details page
//! with its groups, licences, sites and administrator, renaming,
//! dissociation and the administrator's username.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use super::{Customer, CustomerError, LicenceStatus, find};
use crate::access::{Capability, PartnerRole};
use crate::accounts::{DisplayName, Username};
use crate::audit::{self, Action};
use crate::auth::identity::PartnerMember;
use crate::db::OrTaken;
use crate::db::schema::{
    customer_accounts, customer_group_members, customer_groups, devices, licences, logins,
    memberships, sites,
};
use crate::db::{self, DbConnection};
use crate::i18n::format_date;
use crate::partner::{ChangeContext, change_as};
use crate::state::AppState;
use crate::web::{FieldErrors, Layout, PageError, render, see_other};

pub struct Licence {
    pub product: String,
    pub quantity: i32,
    pub status: LicenceStatus,
    pub expires_on: Option<NaiveDate>,
    /// Seats in use as last reported by the operator; None until reported.
    pub seats_used: Option<i32>,
}

impl Licence {
    /// How many more seats are in use than the licence has, when it is over.
    pub fn over_by(&self) -> Option<i32> {
        self.seats_used
            .map(|used| used - self.quantity)
            .filter(|excess| *excess > 0)
    }
}

pub struct Site {
    pub name: String,
    pub time_zone: String,
    pub devices: i64,
}

pub struct Administrator {
    pub membership_id: String,
    pub full_name: String,
    pub username: String,
    pub email: String,
    pub activated: bool,
}

/// Everything the details page shows about one customer.
pub struct Details {
    pub customer: Customer,
    pub groups: Vec<(String, String)>,
    pub other_groups: Vec<(String, String)>,
    pub licences: Vec<Licence>,
    pub sites: Vec<Site>,
    pub administrators: Vec<Administrator>,
    pub enrolled_devices: i64,
    pub purchase_permission: crate::tenancy::purchase_permission::PurchasePermission,
}

pub fn enrolled_devices(conn: &mut DbConnection, customer_id: &str) -> QueryResult<i64> {
    devices::table
        .filter(devices::customer_id.eq(customer_id))
        .filter(devices::state.eq("enrolled"))
        .count()
        .get_result(conn)
}

/// A customer's licences, by product; the caller has scoped `customer_id`.
pub fn licences_of(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<Licence>> {
    type LicenceRow = (String, i32, String, Option<NaiveDate>, Option<i32>);
    let rows: Vec<LicenceRow> = licences::table
        .filter(licences::customer_id.eq(customer_id))
        .order((licences::product.asc(), licences::id.asc()))
        .select((
            licences::product,
            licences::quantity,
            licences::status,
            licences::expires_on,
            licences::seats_used,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(product, quantity, status, expires_on, seats_used)| {
            Some(Licence {
                product,
                quantity,
                status: LicenceStatus::parse(&status)?,
                expires_on,
                seats_used,
            })
        })
        .collect())
}

pub fn load(
    conn: &mut DbConnection,
    partner_id: &str,
    customer_id: &str,
) -> Result<Details, CustomerError> {
    let customer = find(conn, partner_id, customer_id)?;
    let groups: Vec<(String, String)> = customer_group_members::table
        .inner_join(customer_groups::table)
        .filter(customer_groups::partner_id.eq(partner_id))
        .filter(customer_group_members::customer_id.eq(customer_id))
        .order(customer_groups::name_key.asc())
        .select((customer_groups::id, customer_groups::name))
        .load(conn)?;
    let other_groups = super::list::groups_of_partner(conn, partner_id)?
        .into_iter()
        .filter(|(id, _)| !groups.iter().any(|(mine, _)| mine == id))
        .collect();
    let licences = licences_of(conn, customer_id)?;
    let site_rows: Vec<(String, String, String)> = sites::table
        .filter(sites::customer_id.eq(customer_id))
        .order((sites::created_at.asc(), sites::id.asc()))
        .select((sites::id, sites::name, sites::time_zone))
        .load(conn)?;
    let device_counts: Vec<(String, i64)> = devices::table
        .filter(devices::customer_id.eq(customer_id))
        .group_by(devices::site_id)
        .select((devices::site_id, diesel::dsl::count_star()))
        .load(conn)?;
    let sites = site_rows
        .into_iter()
        .map(|(id, name, time_zone)| Site {
            devices: device_counts
                .iter()
                .find(|(site, _)| *site == id)
                .map(|(_, n)| *n)
                .unwrap_or(0),
            name,
            time_zone,
        })
        .collect();
    let administrators = administrators_of(conn, customer_id)?;
    let enrolled_devices = enrolled_devices(conn, customer_id)?;
    let purchase_permission =
        crate::tenancy::purchase_permission::purchase_permission(conn, customer_id)?;
    Ok(Details {
        purchase_permission,
        customer,
        groups,
        other_groups,
        licences,
        sites,
        administrators,
        enrolled_devices,
    })
}

fn administrators_of(
    conn: &mut DbConnection,
    customer_id: &str,
) -> QueryResult<Vec<Administrator>> {
    let rows: Vec<(String, String, String, crate::invitations::ShownRow)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::role.eq(super::create::ADMINISTRATOR_ROLE))
        .order((memberships::created_at.asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::username,
            logins::state,
            crate::invitations::shown_columns(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership_id, username, login_state, shown)| {
            // Until the person accepts, only what the partner typed.
            let shown = crate::invitations::Shown::from_row(shown);
            Administrator {
                membership_id,
                full_name: shown.full_name,
                username,
                email: shown.email,
                activated: !shown.pending && login_state == "active",
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "customers/details.html")]
struct DetailsPage {
    layout: Layout,
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
            .is_some_and(|(id, _)| *id == self.details.customer.id)
    }

    fn can(&self, capability: &str) -> bool {
        let capability = match capability {
            "manage" => Capability::ManageCustomers,
            "groups" => Capability::ManageCustomerGroups,
            "dissociate" => Capability::DissociateCustomer,
            "open" => Capability::OpenCustomer,
            "see-permissions" => Capability::SeeCustomerPermissions,
            "permissions" => Capability::ToggleCustomerPermissions,
            _ => return false,
        };
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
struct Refusal {
    errors: FieldErrors,
    typed_name: Option<String>,
    typed_username: Option<String>,
    permission_refused: bool,
    typed_term: Option<String>,
}

async fn details_page(
    state: &AppState,
    layout: Layout,
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
    let partner_id = member.partner_id().to_owned();
    let now = state.clock.now();
    let (details, assistance_asked_at) = db::run(&state.pool, move |conn| {
        let details = load(conn, &partner_id, &customer_id)?;
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

pub fn page_error(error: CustomerError) -> PageError {
    match error {
        CustomerError::NotFound => PageError::NotFound,
        other => PageError::internal(other),
    }
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
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
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
    layout: Layout,
    customer: Customer,
    country: String,
}

/// The contact card: a page of its own, which the list's script shows in a
/// dialog without leaving the list.
pub async fn contact(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.partner_id().to_owned();
    let customer_id = customer_id.into_inner();
    let customer = db::run(&state.pool, move |conn| {
        find(conn, &partner_id, &customer_id)
    })
    .await
    .map_err(page_error)?;
    let country = customer.country_name(layout.lang);
    render(&ContactPage {
        layout,
        customer,
        country,
    })
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

pub async fn rename(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    customer_id: web::Path<String>,
    form: web::Form<RenameForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let name = match DisplayName::parse(&form.name) {
        Ok(name) => name,
        Err(problem) => {
            let mut errors = FieldErrors::default();
            errors.add(&layout.tr, "name", problem.message_key());
            let typed = form.into_inner().name;
            return details_page(
                &state,
                layout,
                &member,
                customer_id,
                Refusal {
                    errors,
                    typed_name: Some(typed),
                    ..Refusal::default()
                },
            )
            .await;
        }
    };
    let id = customer_id.clone();
    change_as(&state, &member, move |conn, change| {
        rename_customer(conn, change, &id, &name)
    })
    .await
    .map_err(page_error)?;
    FlashMessage::success("flash-customer-renamed").send();
    Ok(see_other(&format!("/partner/customers/{customer_id}")))
}

pub fn rename_customer(
    conn: &mut DbConnection,
    change: &ChangeContext,
    customer_id: &str,
    name: &DisplayName,
) -> Result<(), CustomerError> {
    let customer = find(conn, &change.partner_id, customer_id)?;
    if customer.name == name.as_str() {
        return Ok(());
    }
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(customer_id)))
        .set((
            customer_accounts::name.eq(name.as_str()),
            customer_accounts::name_key.eq(name.as_str().to_lowercase()),
            customer_accounts::search_text
                .eq(super::search_text(name.as_str(), &customer.primary_domain)),
            customer_accounts::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    let details = format!("{} → {}", customer.name, name.as_str());
    audit::record(
        conn,
        change.now,
        audit::Entry {
            partner_id: Some(&change.partner_id),
            customer_id: Some(customer_id),
            actor: change.actor(),
            action: Action::CustomerRenamed,
            target: name.as_str(),
            details: &details,
        },
    )?;
    Ok(())
}

#[derive(Template)]
#[template(path = "customers/dissociate.html")]
struct DissociatePage {
    layout: Layout,
    customer: Customer,
    error: Option<String>,
}

impl DissociatePage {
    fn explain(&self) -> String {
        self.layout.tr.with(
            "customer-dissociate-explain",
            &[("name", &self.customer.name)],
        )
    }
}

pub async fn dissociate_form(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.partner_id().to_owned();
    let customer_id = customer_id.into_inner();
    let customer = db::run(&state.pool, move |conn| {
        find(conn, &partner_id, &customer_id)
    })
    .await
    .map_err(page_error)?;
    render(&DissociatePage {
        layout,
        customer,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

pub async fn dissociate(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    customer_id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    if form.confirm != "yes" {
        let partner_id = member.partner_id().to_owned();
        let id = customer_id.clone();
        let customer = db::run(&state.pool, move |conn| find(conn, &partner_id, &id))
            .await
            .map_err(page_error)?;
        let error = Some(layout.tr.t("customer-dissociate-confirm-required"));
        return render(&DissociatePage {
            layout,
            customer,
            error,
        });
    }
    change_as(&state, &member, move |conn, change| {
        dissociate_customer(conn, change, &customer_id)
    })
    .await
    .map_err(page_error)?;
    FlashMessage::success("flash-customer-dissociated").send();
    Ok(see_other("/partner/customers"))
}

/// The partner lets go of the customer: the account, its people and its data stay;
/// the partner's groups forget it; both sides' logs record it.
pub fn dissociate_customer(
    conn: &mut DbConnection,
    change: &ChangeContext,
    customer_id: &str,
) -> Result<(), CustomerError> {
    let customer = find(conn, &change.partner_id, customer_id)?;
    let partner_groups = customer_groups::table
        .filter(customer_groups::partner_id.eq(&change.partner_id))
        .select(customer_groups::id);
    diesel::delete(
        customer_group_members::table
            .filter(customer_group_members::customer_id.eq(customer_id))
            .filter(customer_group_members::group_id.eq_any(partner_groups)),
    )
    .execute(conn)?;
    diesel::update(
        customer_accounts::table
            .filter(customer_accounts::id.eq(customer_id))
            .filter(customer_accounts::partner_id.eq(&change.partner_id)),
    )
    .set((
        customer_accounts::partner_id.eq(None::<String>),
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
            action: Action::CustomerDissociated,
            target: &customer.name,
            details: "",
        },
    )?;
    Ok(())
}

#[derive(Deserialize)]
pub struct UsernameForm {
    #[serde(default)]
    membership_id: String,
    #[serde(default)]
    username: String,
}

#[derive(Debug, thiserror::Error)]
pub enum UsernameError {
    #[error("not activated yet")]
    NotActivated,
    #[error("the login is shared beyond this partner's customers")]
    Shared,
    #[error("the username is taken")]
    Taken,
    /// An address-shaped username that is not the login's own address.
    #[error("the username is another address")]
    AnotherAddress,
    #[error(transparent)]
    Customer(#[from] CustomerError),
}

super::wraps_customer_error!(UsernameError);

/// Changes the username of a customer's administrator (only once its
/// owner has activated it). A login that also belongs elsewhere than this
/// partner's customers is left to its owner.
pub async fn change_username(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    customer_id: web::Path<String>,
    form: web::Form<UsernameForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let form = form.into_inner();
    let refuse = |key: &str, layout: Layout, typed: String| {
        let mut errors = FieldErrors::default();
        errors.add(&layout.tr, "username", key);
        (errors, layout, typed)
    };
    let username = match Username::parse(&form.username) {
        Ok(username) => username,
        Err(problem) => {
            let (errors, layout, typed) = refuse(problem.message_key(), layout, form.username);
            return details_page(
                &state,
                layout,
                &member,
                customer_id,
                Refusal {
                    errors,
                    typed_username: Some(typed),
                    ..Refusal::default()
                },
            )
            .await;
        }
    };
    let id = customer_id.clone();
    let membership_id = form.membership_id.clone();
    let outcome = change_as(&state, &member, move |conn, change| {
        rename_administrator(conn, change, &id, &membership_id, &username)
    })
    .await;
    let key = match outcome {
        Ok(()) => {
            FlashMessage::success("flash-username-changed").send();
            return Ok(see_other(&format!("/partner/customers/{customer_id}")));
        }
        Err(UsernameError::NotActivated) => "customer-username-after-activation",
        Err(UsernameError::Shared) => "customer-username-shared",
        Err(UsernameError::Taken) => "customer-username-taken",
        Err(UsernameError::AnotherAddress) => "username-is-another-email",
        Err(UsernameError::Customer(error)) => return Err(page_error(error)),
    };
    let (errors, layout, typed) = refuse(key, layout, form.username);
    details_page(
        &state,
        layout,
        &member,
        customer_id,
        Refusal {
            errors,
            typed_username: Some(typed),
            ..Refusal::default()
        },
    )
    .await
}

fn rename_administrator(
    conn: &mut DbConnection,
    change: &ChangeContext,
    customer_id: &str,
    membership_id: &str,
    username: &Username,
) -> Result<(), UsernameError> {
    let customer = find(conn, &change.partner_id, customer_id)?;
    let (login_id, state, old, email): (String, String, String, String) = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::state.ne("invited"))
        .select((logins::id, logins::state, logins::username, logins::email))
        .first(conn)
        .optional()?
        .ok_or(CustomerError::NotFound)?;
    if state != "active" {
        return Err(UsernameError::NotActivated);
    }
    let address_is_theirs = crate::accounts::EmailAddress::parse(&email)
        .map(|email| username.may_belong_to(&email))
        .unwrap_or(false);
    if !address_is_theirs {
        return Err(UsernameError::AnotherAddress);
    }
    let ours = customer_accounts::table
        .filter(customer_accounts::partner_id.eq(&change.partner_id))
        .select(customer_accounts::id);
    let elsewhere: i64 = memberships::table
        .filter(memberships::login_id.eq(&login_id))
        .filter(memberships::customer_id.is_null().or(diesel::dsl::not(
            memberships::customer_id.assume_not_null().eq_any(ours),
        )))
        .count()
        .get_result(conn)?;
    if elsewhere > 0 {
        return Err(UsernameError::Shared);
    }
    let taken: i64 = logins::table
        .filter(logins::username_key.eq(username.key()))
        .filter(logins::id.ne(&login_id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(UsernameError::Taken);
    }
    diesel::update(logins::table.filter(logins::id.eq(&login_id)))
        .set((
            logins::username.eq(username.as_str()),
            logins::username_key.eq(username.key()),
            logins::updated_at.eq(change.now),
        ))
        .execute(conn)
        .or_taken(UsernameError::Taken)?;
    let details = format!("{old} → {}", username.as_str());
    audit::record(
        conn,
        change.now,
        audit::Entry {
            partner_id: Some(&change.partner_id),
            customer_id: Some(customer_id),
            actor: change.actor(),
            action: Action::UsernameChanged,
            target: &customer.name,
            details: &details,
        },
    )?;
    Ok(())
}

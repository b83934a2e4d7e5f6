//! A customer's sites: every account has at least one, made with
//! it; its administrators (and an assisting partner) create and rename more.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::change_as;
use crate::access::CustomerCapability;
use crate::accounts::DisplayName;
use crate::audit::Action;
use crate::auth::identity::CustomerMember;
use crate::db::OrTaken;
use crate::db::schema::{
    customer_accounts, devices, logins, memberships, site_administrators, sites,
};
use crate::db::{self, DbConnection, DbError};
use crate::places::zones::{self, ZoneGroup};
use crate::state::AppState;
use crate::web::{FieldErrors, Layout, PageError, render, see_other};

pub struct Site {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    pub devices: i64,
    /// (membership id, full name) of the people who run it.
    pub administrators: Vec<(String, String)>,
    /// Whether the person viewing runs it.
    pub mine: bool,
}

/// The console home's figures about the account's sites, counted
/// as the sites page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitesRollup {
    pub sites: i64,
    /// Every device of the account, as the sites page's column sums them.
    pub devices: i64,
    /// Sites nobody has been made administrator of.
    pub unassigned: i64,
}

pub fn rollup(conn: &mut DbConnection, customer_id: &str) -> QueryResult<SitesRollup> {
    let of_account = || sites::table.filter(sites::customer_id.eq(customer_id.to_owned()));
    let sites: i64 = of_account().count().get_result(conn)?;
    let unassigned: i64 = of_account()
        .filter(diesel::dsl::not(diesel::dsl::exists(
            site_administrators::table.filter(site_administrators::site_id.eq(sites::id)),
        )))
        .count()
        .get_result(conn)?;
    let devices: i64 = devices::table
        .filter(devices::customer_id.eq(customer_id))
        .count()
        .get_result(conn)?;
    Ok(SitesRollup {
        sites,
        devices,
        unassigned,
    })
}

/// `?administrators=none`: only the sites without an administrator.
#[derive(Debug, Default, Deserialize)]
pub struct SitesFilter {
    #[serde(default)]
    administrators: String,
}

impl SitesFilter {
    fn unassigned_only(&self) -> bool {
        self.administrators == "none"
    }
}

#[derive(Template)]
#[template(path = "console/sites.html")]
struct SitesPage {
    layout: Layout,
    sites: Vec<Site>,
    /// Only the sites without an administrator are listed.
    unassigned_only: bool,
    can_manage: bool,
    /// (membership id, full name) of the account's active people, to choose from.
    people: Vec<(String, String)>,
    errors: FieldErrors,
    /// What was typed in the refused form: (site id or "" for a new one, name, zone).
    typed: Option<(String, String, String)>,
    default_zone: String,
    zones: Vec<ZoneGroup>,
}

impl SitesPage {
    fn can_rename(&self, site: &Site) -> bool {
        self.can_manage || site.mine
    }

    fn typed_for(&self, site_id: &str) -> Option<&str> {
        match &self.typed {
            Some((id, name, _)) if id == site_id => Some(name),
            _ => None,
        }
    }

    fn new_zone(&self) -> &str {
        match &self.typed {
            Some((id, _, zone)) if id.is_empty() => zone,
            _ => &self.default_zone,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("no such site")]
    NotFound,
    #[error("a site already has this name")]
    NameTaken,
    #[error("not one of the sites this person runs")]
    NotTheirs,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for SiteError {
    fn from(error: diesel::result::Error) -> Self {
        SiteError::Database(error.into())
    }
}

async fn sites_page(
    state: &AppState,
    layout: Layout,
    member: &CustomerMember,
    errors: FieldErrors,
    typed: Option<(String, String, String)>,
    filter: &SitesFilter,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let me = member.membership.id.clone();
    let (mut sites, people, default_zone) = db::run(&state.pool, move |conn| {
        let rows: Vec<(String, String, String)> = sites::table
            .filter(sites::customer_id.eq(&customer_id))
            .order((sites::created_at.asc(), sites::id.asc()))
            .select((sites::id, sites::name, sites::time_zone))
            .load(conn)?;
        let counts: Vec<(String, i64)> = devices::table
            .filter(devices::customer_id.eq(&customer_id))
            .group_by(devices::site_id)
            .select((devices::site_id, diesel::dsl::count_star()))
            .load(conn)?;
        let runs: Vec<(String, String, String)> = site_administrators::table
            .inner_join(memberships::table.inner_join(logins::table))
            .inner_join(sites::table)
            .filter(sites::customer_id.eq(&customer_id))
            .order(crate::invitations::shown_name().asc())
            .select((
                site_administrators::site_id,
                site_administrators::membership_id,
                crate::invitations::shown_name(),
            ))
            .load(conn)?;
        let people: Vec<(String, String)> = memberships::table
            .inner_join(logins::table)
            .filter(memberships::customer_id.eq(&customer_id))
            .filter(memberships::state.eq("active"))
            .order(logins::full_name.asc())
            .select((memberships::id, logins::full_name))
            .load(conn)?;
        let zone: String = customer_accounts::table
            .find(&customer_id)
            .select(customer_accounts::time_zone)
            .first(conn)?;
        let sites: Vec<Site> = rows
            .into_iter()
            .map(|(id, name, time_zone)| {
                let administrators: Vec<(String, String)> = runs
                    .iter()
                    .filter(|(site, _, _)| *site == id)
                    .map(|(_, membership, full_name)| (membership.clone(), full_name.clone()))
                    .collect();
                Site {
                    devices: counts
                        .iter()
                        .find(|(site, _)| *site == id)
                        .map_or(0, |(_, n)| *n),
                    mine: administrators.iter().any(|(m, _)| *m == me),
                    administrators,
                    id,
                    name,
                    time_zone,
                }
            })
            .collect();
        Ok::<_, DbError>((sites, people, zone))
    })
    .await?;
    let default_zone = zones::shown(&default_zone);
    let new_zone = match &typed {
        Some((id, _, zone)) if id.is_empty() => zone.clone(),
        _ => default_zone.clone(),
    };
    let zones = zones::groups(&new_zone, &layout.tr);
    let unassigned_only = filter.unassigned_only();
    if unassigned_only {
        sites.retain(|site| site.administrators.is_empty());
    }
    render(&SitesPage {
        can_manage: member.role.can(CustomerCapability::ManageSites),
        layout,
        sites,
        unassigned_only,
        people,
        errors,
        typed,
        zones,
        default_zone,
    })
}

/// The sites page again after a refused form, with its errors and what was typed.
async fn refused(
    state: &AppState,
    layout: Layout,
    member: &CustomerMember,
    errors: FieldErrors,
    typed: Option<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    sites_page(
        state,
        layout,
        member,
        errors,
        typed,
        &SitesFilter::default(),
    )
    .await
}

pub async fn page(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    filter: web::Query<SitesFilter>,
) -> Result<HttpResponse, PageError> {
    sites_page(
        &state,
        layout,
        &member,
        FieldErrors::default(),
        None,
        &filter,
    )
    .await
}

#[derive(Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    time_zone: String,
}

fn name_is_free(
    conn: &mut DbConnection,
    customer_id: &str,
    name: &str,
    except: Option<&str>,
) -> QueryResult<bool> {
    let names: Vec<(String, String)> = sites::table
        .filter(sites::customer_id.eq(customer_id))
        .select((sites::id, sites::name))
        .load(conn)?;
    Ok(!names.iter().any(|(id, existing)| {
        Some(id.as_str()) != except && existing.to_lowercase() == name.to_lowercase()
    }))
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    form: web::Form<SiteForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = DisplayName::parse(&form.name)
        .map_err(|e| errors.add(&layout.tr, "name", e.message_key()))
        .ok();
    let zone = zones::parse(&form.time_zone)
        .map_err(|e| errors.add(&layout.tr, "time_zone", e.message_key()))
        .ok();
    let typed = Some((String::new(), form.name.clone(), form.time_zone.clone()));
    let (Some(name), Some(zone)) = (name, zone) else {
        return refused(&state, layout, &member, errors, typed).await;
    };
    let created = change_as(&state, &member, move |conn, change| {
        if !name_is_free(conn, &change.customer_id, name.as_str(), None)? {
            return Err(SiteError::NameTaken);
        }
        diesel::insert_into(sites::table)
            .values((
                sites::id.eq(uuid::Uuid::new_v4().to_string()),
                sites::customer_id.eq(&change.customer_id),
                sites::name.eq(name.as_str()),
                sites::time_zone.eq(zone.name()),
                sites::created_at.eq(change.now),
            ))
            .execute(conn)
            .or_taken(SiteError::NameTaken)?;
        change.record(conn, Action::SiteCreated, name.as_str(), zone.name())?;
        Ok(())
    })
    .await;
    match created {
        Ok(()) => {
            FlashMessage::success("flash-site-created").send();
            Ok(see_other("/customer/sites"))
        }
        Err(SiteError::NameTaken) => {
            errors.add(&layout.tr, "name", "site-name-taken");
            refused(&state, layout, &member, errors, typed).await
        }
        Err(SiteError::NotFound) => Err(PageError::NotFound),
        Err(SiteError::NotTheirs) => Err(PageError::Forbidden),
        Err(SiteError::Database(error)) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

pub async fn rename(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    path: web::Path<String>,
    form: web::Form<RenameForm>,
) -> Result<HttpResponse, PageError> {
    let site_id = path.into_inner();
    let typed = Some((site_id.clone(), form.name.clone(), String::new()));
    let mut errors = FieldErrors::default();
    let Ok(name) = DisplayName::parse(&form.name)
        .map_err(|e| errors.add(&layout.tr, "rename", e.message_key()))
    else {
        return refused(&state, layout, &member, errors, typed).await;
    };
    let any_site = member.role.can(CustomerCapability::ManageSites);
    let me = member.membership.id.clone();
    let renamed = change_as(&state, &member, move |conn, change| {
        // Scoped by the account in use: another account's site is missing.
        let old: String = sites::table
            .filter(sites::id.eq(&site_id))
            .filter(sites::customer_id.eq(&change.customer_id))
            .select(sites::name)
            .first(conn)
            .optional()?
            .ok_or(SiteError::NotFound)?;
        if !any_site && !runs_site(conn, &site_id, &me)? {
            return Err(SiteError::NotTheirs);
        }
        if !name_is_free(conn, &change.customer_id, name.as_str(), Some(&site_id))? {
            return Err(SiteError::NameTaken);
        }
        diesel::update(sites::table.filter(sites::id.eq(&site_id)))
            .set(sites::name.eq(name.as_str()))
            .execute(conn)
            .or_taken(SiteError::NameTaken)?;
        let details = format!("{old} → {}", name.as_str());
        change.record(conn, Action::SiteRenamed, name.as_str(), &details)?;
        Ok(())
    })
    .await;
    match renamed {
        Ok(()) => {
            FlashMessage::success("flash-site-renamed").send();
            Ok(see_other("/customer/sites"))
        }
        Err(SiteError::NameTaken) => {
            errors.add(&layout.tr, "rename", "site-name-taken");
            refused(&state, layout, &member, errors, typed).await
        }
        Err(SiteError::NotFound) => Err(PageError::NotFound),
        Err(SiteError::NotTheirs) => Err(PageError::Forbidden),
        Err(SiteError::Database(error)) => Err(error.into()),
    }
}

fn runs_site(conn: &mut DbConnection, site_id: &str, membership_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        site_administrators::table
            .filter(site_administrators::site_id.eq(site_id))
            .filter(site_administrators::membership_id.eq(membership_id)),
    ))
    .get_result(conn)
}

/// The site and the person, both of the account in use, by name; either missing
/// answers not found.
fn site_and_person(
    conn: &mut DbConnection,
    customer_id: &str,
    site_id: &str,
    membership_id: &str,
) -> Result<(String, String), SiteError> {
    let site: String = sites::table
        .filter(sites::id.eq(site_id))
        .filter(sites::customer_id.eq(customer_id))
        .select(sites::name)
        .first(conn)
        .optional()?
        .ok_or(SiteError::NotFound)?;
    let person: String = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::customer_id.eq(customer_id))
        .select(logins::full_name)
        .first(conn)
        .optional()?
        .ok_or(SiteError::NotFound)?;
    Ok((site, person))
}

#[derive(Deserialize)]
pub struct AdministratorForm {
    #[serde(default)]
    membership_id: String,
}

pub async fn add_administrator(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<String>,
    form: web::Form<AdministratorForm>,
) -> Result<HttpResponse, PageError> {
    let site_id = path.into_inner();
    let membership_id = form.into_inner().membership_id;
    if membership_id.is_empty() {
        return Err(PageError::BadRequest);
    }
    let added = change_as(&state, &member, move |conn, change| {
        let (site, person) = site_and_person(conn, &change.customer_id, &site_id, &membership_id)?;
        if runs_site(conn, &site_id, &membership_id)? {
            return Ok(());
        }
        diesel::insert_into(site_administrators::table)
            .values((
                site_administrators::site_id.eq(&site_id),
                site_administrators::membership_id.eq(&membership_id),
                site_administrators::created_at.eq(change.now),
            ))
            .execute(conn)?;
        change.record(conn, Action::SiteAdministratorAdded, &site, &person)?;
        Ok(())
    })
    .await;
    site_change_answer(added, "flash-site-administrator-added")
}

pub async fn remove_administrator(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (site_id, membership_id) = path.into_inner();
    let removed = change_as(&state, &member, move |conn, change| {
        let (site, person) = site_and_person(conn, &change.customer_id, &site_id, &membership_id)?;
        let removed = diesel::delete(
            site_administrators::table
                .filter(site_administrators::site_id.eq(&site_id))
                .filter(site_administrators::membership_id.eq(&membership_id)),
        )
        .execute(conn)?;
        if removed == 0 {
            return Ok(());
        }
        change.record(conn, Action::SiteAdministratorRemoved, &site, &person)?;
        Ok(())
    })
    .await;
    site_change_answer(removed, "flash-site-administrator-removed")
}

fn site_change_answer(
    outcome: Result<(), SiteError>,
    success_key: &'static str,
) -> Result<HttpResponse, PageError> {
    match outcome {
        Ok(()) => {
            FlashMessage::success(success_key).send();
            Ok(see_other("/customer/sites"))
        }
        Err(SiteError::NotFound) => Err(PageError::NotFound),
        Err(SiteError::NotTheirs) => Err(PageError::Forbidden),
        Err(SiteError::NameTaken) => Err(PageError::BadRequest),
        Err(SiteError::Database(error)) => Err(error.into()),
    }
}

//! A customer's sites: every account has at least one, made with
//! it; its administrators (and an assisting partner) create and rename more.

mod queries;

pub use queries::{SiteFigures, figures};

use crate::ids::MembershipId;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::access::CustomerCapability;
use crate::accounts::DisplayName;
use crate::auth::identity::CustomerMember;
use crate::db::{self, DbError};
use crate::places::zones::{self, ZoneGroup};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::forms::NameForm;
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render, succeeded};

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

/// A site error no form can explain: a name taken here was not typed in a
/// form that could say so.
impl From<SiteError> for PageError {
    fn from(error: SiteError) -> Self {
        match error {
            SiteError::NotFound => PageError::NotFound,
            SiteError::NotTheirs => PageError::Forbidden,
            SiteError::NameTaken => PageError::BadRequest,
            SiteError::Database(error) => error.into(),
        }
    }
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

/// What was typed in a refused form: (site id or "" for a new one, name, zone).
type Typed = Option<(String, String, String)>;

#[derive(Template)]
#[template(path = "console/sites.html")]
struct SitesPage {
    layout: PageContext,
    sites: Vec<Site>,
    /// Only the sites without an administrator are listed.
    unassigned_only: bool,
    can_manage: bool,
    /// (membership id, full name) of the account's active people, to choose from.
    people: Vec<(String, String)>,
    errors: FieldErrors,
    typed: Typed,
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

async fn sites_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    errors: FieldErrors,
    typed: Typed,
    filter: &SitesFilter,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let me = member.membership.id.clone();
    let listing = db::run(&state.pool, move |conn| {
        Ok::<_, DbError>(queries::listing(conn, &customer_id, &me)?)
    })
    .await?;
    let default_zone = zones::shown(&listing.zone);
    let new_zone = match &typed {
        Some((id, _, zone)) if id.is_empty() => zone.clone(),
        _ => default_zone.clone(),
    };
    let zones = zones::groups(&new_zone, &layout.tr);
    let unassigned_only = filter.unassigned_only();
    let mut sites = listing.sites;
    if unassigned_only {
        sites.retain(|site| site.administrators.is_empty());
    }
    render(&SitesPage {
        can_manage: member.role.can(CustomerCapability::ManageSites),
        layout,
        sites,
        unassigned_only,
        people: listing.people,
        errors,
        typed,
        zones,
        default_zone,
    })
}

/// The sites page again after a refused form, with its errors and what was typed.
async fn refused(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    errors: FieldErrors,
    typed: Typed,
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
    PageOf(state, layout, member): CustomerPage,
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

pub async fn create(
    PageOf(state, layout, member): CustomerPage,
    form: web::Form<SiteForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = DisplayName::parse(&form.name)
        .map_err(|e| errors.add("name", e.message_key()))
        .ok();
    let zone = zones::parse(&form.time_zone)
        .map_err(|e| errors.add("time_zone", e.message_key()))
        .ok();
    let typed = Some((String::new(), form.name.clone(), form.time_zone.clone()));
    let (Some(name), Some(zone)) = (name, zone) else {
        return refused(&state, layout, &member, errors, typed).await;
    };
    let created = CustomerChange::run(&state, &member, move |conn, change| {
        queries::create(conn, change, &name, zone)
    })
    .await;
    match created {
        Ok(()) => Ok(succeeded("flash-site-created", "/customer/sites")),
        Err(SiteError::NameTaken) => {
            errors.add("name", "site-name-taken");
            refused(&state, layout, &member, errors, typed).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn rename(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, PageError> {
    let site_id = path.into_inner();
    let typed = Some((site_id.clone(), form.name.clone(), String::new()));
    let mut errors = FieldErrors::default();
    let Ok(name) =
        DisplayName::parse(&form.name).map_err(|e| errors.add("rename", e.message_key()))
    else {
        return refused(&state, layout, &member, errors, typed).await;
    };
    let any_site = member.role.can(CustomerCapability::ManageSites);
    let me = member.membership.id.clone();
    let renamed = CustomerChange::run(&state, &member, move |conn, change| {
        queries::rename(conn, change, &site_id, &name, any_site, &me)
    })
    .await;
    match renamed {
        Ok(()) => Ok(succeeded("flash-site-renamed", "/customer/sites")),
        Err(SiteError::NameTaken) => {
            errors.add("rename", "site-name-taken");
            refused(&state, layout, &member, errors, typed).await
        }
        Err(error) => Err(error.into()),
    }
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
    let membership_id = MembershipId::new(form.into_inner().membership_id);
    if membership_id.is_empty() {
        return Err(PageError::BadRequest);
    }
    let flash = "flash-site-administrator-added";
    administrators_changed(&state, &member, site_id, membership_id, true, flash).await
}

pub async fn remove_administrator(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (site_id, membership_id) = path.into_inner();
    let membership_id = MembershipId::new(membership_id);
    let flash = "flash-site-administrator-removed";
    administrators_changed(&state, &member, site_id, membership_id, false, flash).await
}

/// Makes the person an administrator of the site or no longer one, then back
/// to the list with `flash`.
async fn administrators_changed(
    state: &AppState,
    member: &CustomerMember,
    site_id: String,
    membership_id: MembershipId,
    administrator: bool,
    flash: &'static str,
) -> Result<HttpResponse, PageError> {
    CustomerChange::run(state, member, move |conn, change| {
        queries::set_administrator(conn, change, &site_id, &membership_id, administrator)
    })
    .await?;
    Ok(succeeded(flash, "/customer/sites"))
}

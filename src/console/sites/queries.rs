//! The sites' queries, every one scoped by the account in use: the list with
//! its devices and administrators, the home page's figures, and the changes.

use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use crate::ids::MembershipId;
use diesel::prelude::*;

use super::{Site, SiteError};
use crate::accounts::DisplayName;
use crate::audit::Action;
use crate::auth::scope::{ConsoleScope, Owned};
use crate::db::schema::{
    customer_accounts, devices, logins, memberships, site_administrators, sites,
};
use crate::db::{DbConnection, OrTaken};
use crate::tenancy::CustomerChange;

/// The console home's figures about the account's sites, counted
/// as the sites page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteFigures {
    pub sites: i64,
    /// Every device of the account, as the sites page's column sums them.
    pub devices: i64,
    /// Sites nobody has been made administrator of.
    pub unassigned: i64,
}

pub fn figures(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<SiteFigures> {
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
    Ok(SiteFigures {
        sites,
        devices,
        unassigned,
    })
}

/// What the sites page lists.
pub(super) struct Listing {
    pub sites: Vec<Site>,
    /// (membership id, full name) of the account's active people, to choose from.
    pub people: Vec<(String, String)>,
    /// The account's time zone, as stored.
    pub zone: String,
}

/// Every site of the account, oldest first, with its devices and who runs it;
/// `me` is the membership viewing.
pub(super) fn listing(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    me: &str,
) -> QueryResult<Listing> {
    let rows: Vec<(String, String, String)> = sites::table
        .filter(sites::customer_id.eq(customer_id))
        .order((sites::created_at.asc(), sites::id.asc()))
        .select((sites::id, sites::name, sites::time_zone))
        .load(conn)?;
    let counts: Vec<(String, i64)> = devices::table
        .filter(devices::customer_id.eq(customer_id))
        .group_by(devices::site_id)
        .select((devices::site_id, diesel::dsl::count_star()))
        .load(conn)?;
    let runs = administrators(conn, customer_id)?;
    let sites = rows
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
    let people: Vec<(String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .order(logins::full_name.asc())
        .select((memberships::id, logins::full_name))
        .load(conn)?;
    let zone: String = customer_accounts::table
        .find(customer_id)
        .select(customer_accounts::time_zone)
        .first(conn)?;
    Ok(Listing {
        sites,
        people,
        zone,
    })
}

/// (site id, membership id, shown name) of every site administrator of the
/// account, by name.
fn administrators(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<Vec<(String, String, String)>> {
    site_administrators::table
        .inner_join(memberships::table.inner_join(logins::table))
        .inner_join(sites::table)
        .filter(sites::customer_id.eq(customer_id))
        .order(crate::invitations::shown_name().asc())
        .select((
            site_administrators::site_id,
            site_administrators::membership_id,
            crate::invitations::shown_name(),
        ))
        .load(conn)
}

fn name_is_free(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
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

pub(super) fn create(
    conn: &mut DbConnection,
    change: &CustomerChange,
    name: &DisplayName,
    zone: chrono_tz::Tz,
) -> Result<(), SiteError> {
    if !name_is_free(conn, change.customer_id(), name.as_str(), None)? {
        return Err(SiteError::NameTaken);
    }
    diesel::insert_into(sites::table)
        .values((
            sites::id.eq(uuid::Uuid::new_v4().to_string()),
            sites::customer_id.eq(change.customer_id()),
            sites::name.eq(name.as_str()),
            sites::time_zone.eq(zone.name()),
            sites::created_at.eq(change.now),
        ))
        .execute(conn)
        .or_taken(SiteError::NameTaken)?;
    change.record(conn, Action::SiteCreated, name.as_str(), zone.name())?;
    Ok(())
}

/// Renames a site of the account; unless `any_site`, only one that the
/// membership `me` runs.
pub(super) fn rename(
    conn: &mut DbConnection,
    change: &CustomerChange,
    site_id: &str,
    name: &DisplayName,
    any_site: bool,
    me: &str,
) -> Result<(), SiteError> {
    let site = find_site(conn, change.scope(), site_id)?;
    if !any_site && !runs_site(conn, &site, &MembershipId::new(me))? {
        return Err(SiteError::NotTheirs);
    }
    if !name_is_free(conn, change.customer_id(), name.as_str(), Some(&site.id))? {
        return Err(SiteError::NameTaken);
    }
    diesel::update(sites::table.filter(sites::id.eq(&site.id)))
        .set(sites::name.eq(name.as_str()))
        .execute(conn)
        .or_taken(SiteError::NameTaken)?;
    let details = format!("{} → {}", site.name, name.as_str());
    change.record(conn, Action::SiteRenamed, name.as_str(), &details)?;
    Ok(())
}

/// A site of the account, by id, as a change to it needs it.
struct FoundSite {
    id: String,
    name: String,
}

/// The site `site_id` of the account in use; another account's is missing.
fn find_site(
    conn: &mut DbConnection,
    scope: &ConsoleScope,
    site_id: &str,
) -> Result<Owned<FoundSite>, SiteError> {
    let (id, name) = sites::table
        .filter(sites::id.eq(site_id))
        .filter(sites::customer_id.eq(scope.customer_id()))
        .select((sites::id, sites::name))
        .first(conn)
        .optional()?
        .ok_or(SiteError::NotFound)?;
    Ok(Owned::found_in(scope, FoundSite { id, name }))
}

fn runs_site(
    conn: &mut DbConnection,
    site: &Owned<FoundSite>,
    membership_id: &MembershipId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        site_administrators::table
            .filter(site_administrators::site_id.eq(&site.id))
            .filter(site_administrators::membership_id.eq(membership_id)),
    ))
    .get_result(conn)
}

/// The site and the person's name, both of the account in use; either
/// missing answers not found.
fn site_and_person(
    conn: &mut DbConnection,
    scope: &ConsoleScope,
    site_id: &str,
    membership_id: &MembershipId,
) -> Result<(Owned<FoundSite>, String), SiteError> {
    let site = find_site(conn, scope, site_id)?;
    let person: String = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::customer_id.eq(scope.customer_id()))
        .select(logins::full_name)
        .first(conn)
        .optional()?
        .ok_or(SiteError::NotFound)?;
    Ok((site, person))
}

/// Makes the person an administrator of the site (`administrator`) or no
/// longer one; logged when it changes anything.
pub(super) fn set_administrator(
    conn: &mut DbConnection,
    change: &CustomerChange,
    site_id: &str,
    membership_id: &MembershipId,
    administrator: bool,
) -> Result<(), SiteError> {
    let (site, person) = site_and_person(conn, change.scope(), site_id, membership_id)?;
    let held = site_administrators::table
        .filter(site_administrators::site_id.eq(&site.id))
        .filter(site_administrators::membership_id.eq(membership_id));
    let (changed, action) = if administrator {
        if runs_site(conn, &site, membership_id)? {
            return Ok(());
        }
        let added = diesel::insert_into(site_administrators::table)
            .values((
                site_administrators::site_id.eq(&site.id),
                site_administrators::membership_id.eq(membership_id),
                site_administrators::created_at.eq(change.now),
            ))
            .execute(conn)?;
        (added, Action::SiteAdministratorAdded)
    } else {
        let removed = diesel::delete(held).execute(conn)?;
        (removed, Action::SiteAdministratorRemoved)
    };
    if changed > 0 {
        change.record(conn, action, &site.name, &person)?;
    }
    Ok(())
}

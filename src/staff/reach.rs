//! Which customers a staff member reaches (issue 21): an owner limits an
//! admin, sales or helpdesk agent to one or more customer groups, or gives
//! them every customer again. Owners always reach every customer. The
//! decision is read on each of the person's requests (`reach`), so
//! it holds from their next one.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use super::StaffMember;
use crate::access::PartnerRole;
use crate::audit::Action;
use crate::auth::scope::{Owned, PartnerScope};
use crate::db::schema::{customer_groups, membership_groups, memberships};
use crate::db::{self, DbConnection, DbError};
use crate::ids::MembershipId;
use crate::people::{self, PeopleError};
use crate::tenancy::PartnerChange;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

/// How many groups one person may be limited to at once.
const GROUPS_MAX: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum ReachError {
    #[error("no such staff member")]
    NotFound,
    /// Owners reach every customer.
    #[error("an owner cannot be limited")]
    Owner,
    #[error("limited to no group")]
    NoGroup,
    #[error("a group that is not the organisation's")]
    UnknownGroup,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for ReachError {
    fn from(error: diesel::result::Error) -> Self {
        ReachError::Database(error.into())
    }
}

impl From<PeopleError> for ReachError {
    fn from(error: PeopleError) -> Self {
        match error {
            PeopleError::Database(error) => error.into(),
            PeopleError::Pool(error) => ReachError::Database(error),
            // `people::find` fails with nothing else.
            _ => ReachError::NotFound,
        }
    }
}

/// The form as typed: whether the person is limited, and to which groups
/// (several `groups` values, so read by hand).
#[derive(Debug, Clone, Default)]
pub struct ReachForm {
    limited: bool,
    groups: Vec<String>,
}

impl ReachForm {
    fn from_body(body: &[u8]) -> Self {
        let mut form = ReachForm::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "reach" => form.limited = value == "groups",
                "groups" if form.groups.len() < GROUPS_MAX => form.groups.push(value.into_owned()),
                _ => {}
            }
        }
        form.groups.sort();
        form.groups.dedup();
        form
    }
}

/// The groups each limited member of the organisation reaches, by name; a
/// member missing here reaches every customer.
pub fn limited_members(
    conn: &mut DbConnection,
    scope: &PartnerScope,
) -> QueryResult<BTreeMap<String, Vec<String>>> {
    let limited: Vec<String> = memberships::table
        .filter(memberships::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .filter(memberships::customers_scoped.eq(true))
        .filter(memberships::role.ne(PartnerRole::Owner.as_str()))
        .select(memberships::id)
        .load(conn)?;
    let mut by_member: BTreeMap<String, Vec<String>> =
        limited.into_iter().map(|id| (id, Vec::new())).collect();
    let rows: Vec<(String, String)> = membership_groups::table
        .inner_join(customer_groups::table)
        .filter(customer_groups::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .order(customer_groups::name_key)
        .select((membership_groups::membership_id, customer_groups::name))
        .load(conn)?;
    for (membership_id, name) in rows {
        if let Some(names) = by_member.get_mut(&membership_id) {
            names.push(name);
        }
    }
    Ok(by_member)
}

/// Limits `person` to `groups` of the organisation, or gives them every
/// customer again (`None`); returns what the log records. Call inside a
/// write transaction.
fn set_reach(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    person: &Owned<StaffMember>,
    groups: Option<&[String]>,
) -> Result<String, ReachError> {
    if person.role == PartnerRole::Owner {
        return Err(ReachError::Owner);
    }
    let id = person.membership_id.clone();
    diesel::delete(membership_groups::table.filter(membership_groups::membership_id.eq(&id)))
        .execute(conn)?;
    let Some(groups) = groups else {
        diesel::update(memberships::table.filter(memberships::id.eq(&id)))
            .set(memberships::customers_scoped.eq(false))
            .execute(conn)?;
        return Ok("all".to_owned());
    };
    if groups.is_empty() {
        return Err(ReachError::NoGroup);
    }
    let names: Vec<String> = customer_groups::table
        .filter(customer_groups::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .filter(customer_groups::id.eq_any(groups))
        .order(customer_groups::name_key)
        .select(customer_groups::name)
        .load(conn)?;
    if names.len() != groups.len() {
        return Err(ReachError::UnknownGroup);
    }
    for group_id in groups {
        diesel::insert_into(membership_groups::table)
            .values((
                membership_groups::membership_id.eq(&id),
                membership_groups::group_id.eq(group_id),
            ))
            .execute(conn)?;
    }
    diesel::update(memberships::table.filter(memberships::id.eq(&id)))
        .set(memberships::customers_scoped.eq(true))
        .execute(conn)?;
    Ok(names.join(" · "))
}

#[derive(Template)]
#[template(path = "staff/reach.html")]
struct ReachPage {
    layout: PageContext,
    person: StaffMember,
    /// The organisation's groups: (id, name, chosen).
    groups: Vec<(String, String, bool)>,
    limited: bool,
    errors: FieldErrors,
}

/// The person, the organisation's groups (id, name), and the groups the
/// person is limited to (none: every customer).
type PageData = (StaffMember, Vec<(String, String)>, Option<Vec<String>>);

/// The person, the organisation's groups and the groups the person reaches.
fn load_page(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    membership_id: &MembershipId,
) -> Result<PageData, ReachError> {
    let person = people::find(conn, scope, membership_id)?.into_inner();
    let groups = crate::customers::list::groups_of_partner(conn, scope)?;
    let chosen = match crate::reach::of_membership(conn, membership_id.as_str())? {
        crate::reach::CustomerReach::Whole => None,
        crate::reach::CustomerReach::Groups(groups) => {
            Some(groups.into_iter().map(|g| g.id).collect())
        }
    };
    Ok((person, groups, chosen))
}

fn page_error(error: ReachError) -> PageError {
    match error {
        ReachError::NotFound => PageError::NotFound,
        other => PageError::internal(other),
    }
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let membership_id = MembershipId::new(path.into_inner());
    let (person, groups, chosen) = db::run(&state.pool, move |conn| {
        load_page(conn, &scope, &membership_id)
    })
    .await
    .map_err(page_error)?;
    let form = ReachForm {
        limited: chosen.is_some(),
        groups: chosen.unwrap_or_default(),
    };
    reach_page(layout, person, groups, form, FieldErrors::default())
}

fn reach_page(
    layout: PageContext,
    person: StaffMember,
    groups: Vec<(String, String)>,
    form: ReachForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let groups = groups
        .into_iter()
        .map(|(id, name)| {
            let chosen = form.groups.contains(&id);
            (id, name, chosen)
        })
        .collect();
    render(&ReachPage {
        layout,
        person,
        groups,
        limited: form.limited,
        errors,
    })
}

pub async fn save(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = ReachForm::from_body(&body);
    let membership_id = MembershipId::new(path.into_inner());
    let (wanted, id) = (form.clone(), membership_id.clone());
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        let scope = change.scope();
        let person = people::find(conn, scope, &id)?;
        let groups = wanted.limited.then_some(wanted.groups.as_slice());
        let details = set_reach(conn, scope, &person, groups)?;
        change.record(conn, Action::StaffReachChanged, &person.full_name, &details)?;
        Ok::<_, ReachError>(())
    })
    .await;
    let field = match outcome {
        Ok(()) => return Ok(succeeded("flash-staff-reach-saved", "/partner/staff")),
        Err(ReachError::NoGroup) => "staff-reach-no-group",
        Err(ReachError::UnknownGroup) => "staff-reach-unknown-group",
        Err(ReachError::Owner) => "staff-reach-owner",
        Err(error) => return Err(page_error(error)),
    };
    let scope = member.scope().clone();
    let (person, groups, _) = db::run(&state.pool, move |conn| {
        load_page(conn, &scope, &membership_id)
    })
    .await
    .map_err(page_error)?;
    reach_page(
        layout,
        person,
        groups,
        form,
        FieldErrors::one("groups", field),
    )
}

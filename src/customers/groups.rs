//! Customer groups: the owner creates, renames and deletes them; a customer
//! may be in several, is added from its details page, and the list filters by
//! group. Only owners manage groups ("Super administrateur Partenaire").

use crate::auth::scope::{Owned, PartnerScope};
use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use diesel::prelude::*;
use serde::Deserialize;

use super::page_error;
use super::{Customer, CustomerError, find};
use crate::accounts::DisplayName;
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::db::OrTaken;
use crate::db::schema::{customer_accounts, customer_group_members, customer_groups};
use crate::db::{self, DbConnection};
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::confirm::{ConfirmForm, Review, back_to};
use crate::web::forms::NameForm;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, see_other, succeeded};

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    #[error("no such group")]
    NotFound,
    #[error("no group was chosen")]
    NoneChosen,
    #[error("a group has this name already")]
    NameTaken,
    /// A rule-based group's members are those its conditions find.
    #[error("a rule-based group is not kept by hand")]
    RuleBased,
    #[error(transparent)]
    Customer(#[from] CustomerError),
}

super::wraps_customer_error!(GroupError);

pub(super) fn group_page_error(error: GroupError) -> PageError {
    match error {
        GroupError::NotFound => PageError::NotFound,
        GroupError::NameTaken | GroupError::NoneChosen | GroupError::RuleBased => {
            PageError::BadRequest
        }
        GroupError::Customer(error) => page_error(error),
    }
}

pub struct Group {
    pub id: String,
    pub name: String,
    pub customers: i64,
    /// The group's conditions when it is rule-based.
    pub rule: Option<crate::reach::rules::GroupRule>,
}

pub fn groups_with_counts(
    conn: &mut DbConnection,
    scope: &PartnerScope,
) -> QueryResult<Vec<Group>> {
    use crate::reach::ReachGroup;
    let groups: Vec<(String, crate::reach::GroupWithRule)> = customer_groups::table
        .left_join(crate::db::schema::customer_group_rules::table)
        .filter(customer_groups::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .order((customer_groups::name_key.asc(), customer_groups::id.asc()))
        .select((
            customer_groups::name,
            crate::reach::group_with_rule_columns(),
        ))
        .load(conn)?;
    // The hand-kept groups of a member who reaches every customer, in one
    // query; a rule-based group, or any group of a member limited to some,
    // counted on the accounts.
    let counts: Vec<(String, i64)> = customer_group_members::table
        .inner_join(customer_groups::table)
        .inner_join(customer_accounts::table)
        .filter(customer_groups::partner_id.eq(scope.partner_id()))
        .filter(customer_accounts::partner_id.eq(scope.partner_id()))
        .group_by(customer_group_members::group_id)
        .select((customer_group_members::group_id, diesel::dsl::count_star()))
        .load(conn)?;
    let mut found = Vec::with_capacity(groups.len());
    for (name, row) in groups {
        let ReachGroup { id, rule } = ReachGroup::of_row(row);
        let customers = if rule.is_none() && !scope.reach().is_limited() {
            counts
                .iter()
                .find(|(group, _)| *group == id)
                .map_or(0, |(_, n)| *n)
        } else {
            let group = ReachGroup {
                id: id.clone(),
                rule: rule.clone(),
            };
            let mut query = customer_accounts::table
                .filter(customer_accounts::partner_id.eq(scope.partner_id().as_str().to_owned()))
                // Counted from the group's members, each probed for the reach.
                .filter(group.predicate_as_list())
                .into_boxed();
            if let Some(in_reach) = scope.customer_filter() {
                query = query.filter(in_reach);
            }
            query.count().get_result(conn)?
        };
        found.push(Group {
            id,
            name,
            customers,
            rule,
        });
    }
    Ok(found)
}

async fn groups_page(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    errors: FieldErrors,
    typed: Option<(String, String)>,
) -> Result<HttpResponse, PageError> {
    super::group_rules::render_groups(state, layout, member, errors, typed, Default::default())
        .await
}

pub async fn page(PageOf(state, layout, member): PartnerPage) -> Result<HttpResponse, PageError> {
    groups_page(&state, layout, &member, FieldErrors::default(), None).await
}

/// Checks a typed group name; on a problem, the message for `field`.
pub fn parse_group_name(field: &'static str, typed: &str) -> Result<DisplayName, FieldErrors> {
    let key = match DisplayName::parse(typed) {
        Ok(name) if name.as_str().chars().count() <= 100 => return Ok(name),
        Ok(_) => "field-too-long",
        Err(problem) => problem.message_key(),
    };
    Err(FieldErrors::one(field, key))
}

pub async fn create(
    PageOf(state, layout, member): PartnerPage,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.into_inner().name;
    let name = match parse_group_name("name", &typed) {
        Ok(name) => name,
        Err(errors) => {
            return groups_page(
                &state,
                layout,
                &member,
                errors,
                Some((String::new(), typed)),
            )
            .await;
        }
    };
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        create_group(conn, change, &name)
    })
    .await;
    match outcome {
        Ok(_) => Ok(succeeded("flash-group-created", "/partner/groups")),
        Err(GroupError::NameTaken) => {
            let errors = FieldErrors::one("name", "group-name-taken");
            groups_page(
                &state,
                layout,
                &member,
                errors,
                Some((String::new(), typed)),
            )
            .await
        }
        Err(error) => Err(group_page_error(error)),
    }
}

fn name_taken(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    name: &DisplayName,
    other_than: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        customer_groups::table
            .filter(customer_groups::partner_id.eq(scope.partner_id()))
            .filter(customer_groups::name_key.eq(name.as_str().to_lowercase()))
            .filter(customer_groups::id.ne(other_than)),
    ))
    .get_result(conn)
}

pub fn create_group(
    conn: &mut DbConnection,
    change: &PartnerChange,
    name: &DisplayName,
) -> Result<String, GroupError> {
    if name_taken(conn, change.scope(), name, "")? {
        return Err(GroupError::NameTaken);
    }
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(customer_groups::table)
        .values((
            customer_groups::id.eq(&id),
            customer_groups::partner_id.eq(change.partner_id()),
            customer_groups::name.eq(name.as_str()),
            customer_groups::name_key.eq(name.as_str().to_lowercase()),
            customer_groups::created_at.eq(change.now),
        ))
        .execute(conn)
        .or_taken(GroupError::NameTaken)?;
    change.record(conn, Action::GroupCreated, name.as_str(), "")?;
    Ok(id)
}

/// One of the partner's groups, as a change to it needs it.
pub struct FoundGroup {
    pub id: String,
    pub name: String,
    /// Its members are found by its conditions, not kept by hand.
    pub rule_based: bool,
}

/// One of the partner's groups; another partner's is missing.
pub fn find_group(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    group_id: &str,
) -> Result<Owned<FoundGroup>, GroupError> {
    use crate::db::schema::customer_group_rules;
    let (id, name, rule_based) = customer_groups::table
        .left_join(customer_group_rules::table)
        .filter(customer_groups::id.eq(group_id))
        .filter(customer_groups::partner_id.eq(scope.partner_id()))
        .select((
            customer_groups::id,
            customer_groups::name,
            customer_group_rules::group_id.nullable().is_not_null(),
        ))
        .first(conn)
        .optional()?
        .ok_or(GroupError::NotFound)?;
    Ok(Owned::found_in(
        scope,
        FoundGroup {
            id,
            name,
            rule_based,
        },
    ))
}

/// Puts the customer in the group (`member`) or takes it out, logged; no
/// change, nothing logged.
pub fn set_member(
    conn: &mut DbConnection,
    change: &PartnerChange,
    group: &Owned<FoundGroup>,
    customer: &Owned<Customer>,
    member: bool,
) -> Result<(), GroupError> {
    if group.rule_based {
        return Err(GroupError::RuleBased);
    }
    let membership = customer_group_members::table
        .filter(customer_group_members::group_id.eq(&group.id))
        .filter(customer_group_members::customer_id.eq(&customer.id));
    let changed = if !member {
        diesel::delete(membership).execute(conn)?
    } else if diesel::select(diesel::dsl::exists(membership)).get_result(conn)? {
        0
    } else {
        diesel::insert_into(customer_group_members::table)
            .values((
                customer_group_members::group_id.eq(&group.id),
                customer_group_members::customer_id.eq(&customer.id),
                customer_group_members::added_at.eq(change.now),
            ))
            .execute(conn)?
    };
    if changed == 0 {
        return Ok(());
    }
    let action = if member {
        Action::CustomerAddedToGroup
    } else {
        Action::CustomerRemovedFromGroup
    };
    crate::customers::record_change(conn, change, customer, action, &group.name)?;
    Ok(())
}

/// Answers 404 unless the group is the partner's, before anything else is looked at.
async fn ensure_group(
    state: &AppState,
    member: &PartnerMember,
    group_id: &str,
) -> Result<(), PageError> {
    let scope = member.scope().clone();
    let group_id = group_id.to_owned();
    db::run(&state.pool, move |conn| {
        find_group(conn, &scope, &group_id).map(|_| ())
    })
    .await
    .map_err(group_page_error)
}

pub async fn rename(
    PageOf(state, layout, member): PartnerPage,
    group_id: web::Path<String>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, PageError> {
    let group_id = group_id.into_inner();
    ensure_group(&state, &member, &group_id).await?;
    let typed = form.into_inner().name;
    let field = "rename";
    let name = match parse_group_name(field, &typed) {
        Ok(name) => name,
        Err(errors) => {
            return groups_page(&state, layout, &member, errors, Some((group_id, typed))).await;
        }
    };
    let id = group_id.clone();
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        let group = find_group(conn, change.scope(), &id)?;
        rename_group(conn, change, &group, &name)
    })
    .await;
    match outcome {
        Ok(()) => Ok(succeeded("flash-group-renamed", "/partner/groups")),
        Err(GroupError::NameTaken) => {
            let errors = FieldErrors::one(field, "group-name-taken");
            groups_page(&state, layout, &member, errors, Some((group_id, typed))).await
        }
        Err(error) => Err(group_page_error(error)),
    }
}

/// Renames one of the partner's groups, logged; a name another of its groups
/// has is refused.
pub fn rename_group(
    conn: &mut DbConnection,
    change: &PartnerChange,
    group: &Owned<FoundGroup>,
    name: &DisplayName,
) -> Result<(), GroupError> {
    if name_taken(conn, change.scope(), name, &group.id)? {
        return Err(GroupError::NameTaken);
    }
    diesel::update(customer_groups::table.filter(customer_groups::id.eq(&group.id)))
        .set((
            customer_groups::name.eq(name.as_str()),
            customer_groups::name_key.eq(name.as_str().to_lowercase()),
        ))
        .execute(conn)
        .or_taken(GroupError::NameTaken)?;
    let details = format!("{} → {}", group.name, name.as_str());
    change.record(conn, Action::GroupRenamed, name.as_str(), &details)?;
    Ok(())
}

/// Deletes one of the partner's groups, logged; its customers stay, only the
/// grouping goes. How many customers it held.
pub fn delete_group(
    conn: &mut DbConnection,
    change: &PartnerChange,
    group: &Owned<FoundGroup>,
) -> Result<usize, GroupError> {
    use crate::db::schema::{customer_group_rules, membership_groups};
    let customers = diesel::delete(
        customer_group_members::table.filter(customer_group_members::group_id.eq(&group.id)),
    )
    .execute(conn)?;
    // Its rule, and the limits of the staff it held: a person limited to it
    // alone reaches nobody from now on, never everybody.
    diesel::delete(
        customer_group_rules::table.filter(customer_group_rules::group_id.eq(&group.id)),
    )
    .execute(conn)?;
    diesel::delete(membership_groups::table.filter(membership_groups::group_id.eq(&group.id)))
        .execute(conn)?;
    diesel::delete(customer_groups::table.filter(customer_groups::id.eq(&group.id)))
        .execute(conn)?;
    change.record(conn, Action::GroupDeleted, &group.name, "")?;
    Ok(customers)
}

/// Deletes a group; its customers stay, only the grouping goes. Confirmed first.
pub async fn delete(
    PageOf(state, layout, member): PartnerPage,
    group_id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let group_id = group_id.into_inner();
    ensure_group(&state, &member, &group_id).await?;
    let id = group_id.clone();
    let (name, customers) =
        PartnerChange::run_once_confirmed(&state, &member, form.confirmed, move |conn, change| {
            let group = find_group(conn, change.scope(), &id)?;
            let customers = delete_group(conn, change, &group)?;
            Ok::<_, GroupError>((group.into_inner().name, customers))
        })
        .await
        .map_err(group_page_error)?;
    if !form.confirmed.yes() {
        let tr = &layout.tr;
        let action = format!("/partner/groups/{group_id}/delete");
        let back = back_to("/partner/groups", &[], &format!("group-{group_id}"));
        return Review::new(tr, "confirm-group-delete-heading", action, back)
            .summary(tr.with("confirm-group-delete-summary", &[("name", &name)]))
            .fact(tr, "group", "confirm-group", name.clone())
            .fact(
                tr,
                "customers",
                "confirm-group-customers",
                customers.to_string(),
            )
            .irreversible()
            .render(layout);
    }
    Ok(succeeded("flash-group-deleted", "/partner/groups"))
}

#[derive(Deserialize)]
pub struct MembershipForm {
    #[serde(default)]
    group_id: String,
}

/// Adds the customer to one of the partner's groups, from its details page.
pub async fn add_customer(
    state: web::Data<AppState>,
    member: PartnerMember,
    customer_id: web::Path<String>,
    form: web::Form<MembershipForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let group_id = form.into_inner().group_id;
    let id = CustomerId::new(customer_id.clone());
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        if group_id.is_empty() {
            return Err(GroupError::NoneChosen);
        }
        let group = find_group(conn, change.scope(), &group_id)?;
        set_member(conn, change, &group, &customer, true)?;
        Ok::<(), GroupError>(())
    })
    .await;
    match outcome {
        Ok(()) => FlashMessage::success("flash-customer-grouped").send(),
        Err(GroupError::NoneChosen) => FlashMessage::error("flash-choose-group").send(),
        Err(GroupError::RuleBased) => FlashMessage::error("flash-group-rule-based").send(),
        Err(error) => return Err(group_page_error(error)),
    }
    Ok(see_other(&format!("/partner/customers/{customer_id}")))
}

pub async fn remove_customer(
    state: web::Data<AppState>,
    member: PartnerMember,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (customer_id, group_id) = path.into_inner();
    let id = CustomerId::new(customer_id.clone());
    PartnerChange::run(&state, &member, move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        let group = find_group(conn, change.scope(), &group_id)?;
        set_member(conn, change, &group, &customer, false)?;
        Ok::<(), GroupError>(())
    })
    .await
    .map_err(group_page_error)?;
    Ok(succeeded(
        "flash-customer-ungrouped",
        &format!("/partner/customers/{customer_id}"),
    ))
}

//! A rule-based group's own page (`/partner/groups/{group_id}/rule`): its
//! conditions, changed in place. The customers meeting the new conditions are
//! the group's from the next request on, for the lists, the counts and the
//! staff limited to the group (which is why the change asks for a fresh
//! second factor, as limiting staff does).

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use super::group_rules::RuleGroupForm;
use super::groups::{Group, GroupError, group_page_error, groups_with_counts};
use super::rule_form::RuleForm;
use crate::audit::Action;
use crate::customers::{BillingType, CustomerState, Health, LicenceStatus};
use crate::db::schema::customer_group_rules;
use crate::db::{self, DbError};
use crate::places::countries;
use crate::tenancy::PartnerChange;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

#[derive(Template)]
#[template(path = "customers/group_rule.html")]
struct RulePage {
    layout: PageContext,
    group_id: String,
    group_name: String,
    /// Every group of the partner, for the choice of a hand-kept one.
    groups: Vec<Group>,
    rule: RuleGroupForm,
    errors: FieldErrors,
    countries: Vec<(&'static str, String)>,
    billing_types: &'static [BillingType],
    states: &'static [CustomerState],
    licence_statuses: &'static [LicenceStatus],
    healths: &'static [Health],
}

impl RulePage {
    /// The hand-kept groups, which a rule may name.
    fn manual_groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter().filter(|g| g.rule.is_none())
    }
}

/// The page of the partner's rule-based group `group_id`, showing `typed`
/// (the stored conditions when `None`); 404 for any other group.
async fn rule_page(
    state: &crate::state::AppState,
    layout: PageContext,
    member: &crate::auth::identity::PartnerMember,
    group_id: String,
    typed: Option<(RuleForm, FieldErrors)>,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let groups = db::run(&state.pool, move |conn| {
        groups_with_counts(conn, &scope).map_err(DbError::from)
    })
    .await?;
    let group = groups
        .iter()
        .find(|g| g.id == group_id)
        .ok_or(PageError::NotFound)?;
    let stored = group.rule.as_ref().ok_or(PageError::NotFound)?;
    let (form, errors) = typed.unwrap_or_else(|| (RuleForm::of(stored), FieldErrors::default()));
    let countries = countries::sorted_for(layout.lang)
        .map(|c| (c.code, c.name(layout.lang).to_owned()))
        .collect();
    render(&RulePage {
        layout,
        group_name: group.name.clone(),
        group_id,
        rule: RuleGroupForm {
            rule_name: String::new(),
            rule: form,
        },
        groups,
        errors,
        countries,
        billing_types: BillingType::ALL,
        states: CustomerState::ALL,
        licence_statuses: LicenceStatus::ALL,
        healths: Health::ALL,
    })
}

/// `GET /partner/groups/{group_id}/rule`.
pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    rule_page(&state, layout, &member, path.into_inner(), None).await
}

/// `POST /partner/groups/{group_id}/rule`: the conditions checked, then
/// written in place of the old ones.
pub async fn change(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    form: web::Form<RuleForm>,
) -> Result<HttpResponse, PageError> {
    let group_id = path.into_inner();
    let typed = form.into_inner();
    let scope = member.scope().clone();
    let groups = db::run(&state.pool, move |conn| {
        groups_with_counts(conn, &scope).map_err(DbError::from)
    })
    .await?;
    let manual: Vec<String> = groups
        .iter()
        .filter(|g| g.rule.is_none())
        .map(|g| g.id.clone())
        .collect();
    let rule = match typed.parse(&manual) {
        Ok(rule) => rule,
        Err(errors) => {
            return rule_page(&state, layout, &member, group_id, Some((typed, errors))).await;
        }
    };
    PartnerChange::run(&state, &member, move |conn, change| {
        let partner = change.partner_id().as_str();
        let group = crate::reach::group_of_partner(conn, partner, &group_id)?
            .filter(|g| g.rule.is_some())
            .ok_or(GroupError::NotFound)?;
        diesel::update(
            customer_group_rules::table.filter(customer_group_rules::group_id.eq(&group.id)),
        )
        .set(&rule)
        .execute(conn)?;
        let name = groups
            .iter()
            .find(|g| g.id == group.id)
            .map(|g| g.name.clone())
            .unwrap_or_default();
        change.record(conn, Action::GroupRuleChanged, &name, "")?;
        Ok::<_, GroupError>(())
    })
    .await
    .map_err(group_page_error)?;
    Ok(succeeded("flash-group-rule-changed", "/partner/groups"))
}

//! The groups page with its two forms: a hand-kept group (a name), and a
//! rule-based group (a name and its conditions, `reach::rules`). A
//! rule-based group is shown, filtered and counted like the others; its
//! members are the customers meeting its conditions at each reading, so
//! nobody adds or removes one by hand.

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use super::groups::{Group, GroupError, create_group, groups_with_counts, parse_group_name};
use super::rule_form::RuleForm;
use crate::auth::identity::PartnerMember;
use crate::customers::{BillingType, CustomerState, Health, LicenceStatus};
use crate::db::schema::customer_group_rules;
use crate::db::{self, DbError};
use crate::places::countries;
use crate::reach::rules::GroupRule;
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

/// What the rule form shows: the name and conditions typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RuleGroupForm {
    pub rule_name: String,
    #[serde(flatten)]
    pub rule: RuleForm,
}

#[derive(Template)]
#[template(path = "customers/groups.html")]
pub(super) struct GroupsPage {
    layout: PageContext,
    groups: Vec<Group>,
    errors: FieldErrors,
    /// The group whose rename was refused, and what was typed.
    typed: Option<(String, String)>,
    /// The rule form as typed.
    rule: RuleGroupForm,
    countries: Vec<(&'static str, String)>,
    billing_types: &'static [BillingType],
    states: &'static [CustomerState],
    licence_statuses: &'static [LicenceStatus],
    healths: &'static [Health],
}

impl GroupsPage {
    fn typed_for(&self, group_id: &str) -> Option<&str> {
        match &self.typed {
            Some((id, name)) if id == group_id => Some(name),
            _ => None,
        }
    }

    /// The hand-kept groups, which a rule may name.
    fn manual_groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter().filter(|g| g.rule.is_none())
    }

    /// A rule's conditions, in the reader's words.
    fn conditions(&self, rule: &GroupRule) -> String {
        let tr = &self.layout.tr;
        let mut parts = Vec::new();
        let coded = |key: &str, value: String| tr.with(key, [("value", value.as_str())].as_slice());
        if let Some(code) = &rule.country {
            let name = crate::customers::regions::country(code)
                .map_or_else(|| code.clone(), |c| c.name(self.layout.lang).to_owned());
            parts.push(coded("rule-shown-country", name));
        }
        if let Some(billing) = rule.billing_type.as_deref().and_then(BillingType::parse) {
            parts.push(coded("rule-shown-billing", tr.t(billing.label_key())));
        }
        if let Some(state) = rule.state.as_deref().and_then(CustomerState::parse) {
            parts.push(coded("rule-shown-state", tr.t(state.label_key())));
        }
        if let Some(status) = rule
            .licence_status
            .as_deref()
            .and_then(LicenceStatus::parse)
        {
            parts.push(coded("rule-shown-licence", tr.t(status.label_key())));
        }
        if let Some(product) = &rule.product {
            parts.push(coded("rule-shown-product", product.clone()));
        }
        if let Some(level) = rule.health_level {
            parts.push(coded(
                "rule-shown-health",
                tr.t(Health::from_level(level).label_key()),
            ));
        }
        if let Some(from) = rule.created_from {
            parts.push(coded("rule-shown-created-from", from.to_string()));
        }
        if let Some(until) = rule.created_until {
            parts.push(coded("rule-shown-created-until", until.to_string()));
        }
        if let Some(prefix) = &rule.reference_prefix {
            parts.push(coded("rule-shown-reference", prefix.clone()));
        }
        if let Some(group) = &rule.in_group_id {
            let name = self
                .groups
                .iter()
                .find(|g| &g.id == group)
                .map_or_else(|| tr.t("rule-shown-group-gone"), |g| g.name.clone());
            parts.push(coded("rule-shown-group", name));
        }
        parts.join(" · ")
    }
}

/// The groups page, with what was typed in either form.
pub(super) async fn render_groups(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    errors: FieldErrors,
    typed: Option<(String, String)>,
    rule: RuleGroupForm,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let groups = db::run(&state.pool, move |conn| {
        groups_with_counts(conn, &scope).map_err(DbError::from)
    })
    .await?;
    let countries = countries::sorted_for(layout.lang)
        .map(|c| (c.code, c.name(layout.lang).to_owned()))
        .collect();
    render(&GroupsPage {
        layout,
        groups,
        errors,
        typed,
        rule,
        countries,
        billing_types: BillingType::ALL,
        states: CustomerState::ALL,
        licence_statuses: LicenceStatus::ALL,
        healths: Health::ALL,
    })
}

/// Creates a rule-based group: its name and conditions checked, then the
/// group and its rule written together.
pub async fn create(
    PageOf(state, layout, member): PartnerPage,
    form: web::Form<RuleGroupForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.into_inner();
    let scope = member.scope().clone();
    let manual: Vec<String> = db::run(&state.pool, move |conn| {
        groups_with_counts(conn, &scope).map_err(DbError::from)
    })
    .await?
    .into_iter()
    .filter(|g| g.rule.is_none())
    .map(|g| g.id)
    .collect();
    let mut errors = FieldErrors::default();
    let name = parse_group_name("rule_name", &typed.rule_name)
        .map_err(|problems| errors.extend(problems))
        .ok();
    let rule = typed
        .rule
        .parse(&manual)
        .map_err(|problems| errors.extend(problems))
        .ok();
    let (Some(name), Some(rule)) = (name, rule) else {
        return render_groups(&state, layout, &member, errors, None, typed).await;
    };
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        let id = create_group(conn, change, &name)?;
        diesel::insert_into(customer_group_rules::table)
            .values((customer_group_rules::group_id.eq(&id), &rule))
            .execute(conn)?;
        Ok::<_, GroupError>(id)
    })
    .await;
    match outcome {
        Ok(_) => Ok(succeeded("flash-group-created", "/partner/groups")),
        Err(GroupError::NameTaken) => {
            let errors = FieldErrors::one("rule_name", "group-name-taken");
            render_groups(&state, layout, &member, errors, None, typed).await
        }
        Err(error) => Err(super::groups::group_page_error(error)),
    }
}

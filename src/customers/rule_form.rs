//! The rule form of a rule-based customer group: what the owner typed,
//! checked into a `reach::rules::GroupRule` once, the errors naming each field.

use chrono::NaiveDate;

use crate::customers::{BillingType, CustomerState, Health, LicenceStatus};
use crate::reach::rules::{GroupRule, PREFIX_MAX};

/// A rule as typed in the group form, every field optional.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RuleForm {
    pub country: String,
    pub billing: String,
    pub state: String,
    pub licence: String,
    pub product: String,
    pub health: String,
    pub created_from: String,
    pub created_until: String,
    pub reference_prefix: String,
    pub in_group: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn day(text: &str) -> Result<Option<NaiveDate>, ()> {
    match optional(text) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

impl RuleForm {
    /// The form showing a stored rule, to change it.
    pub fn of(rule: &GroupRule) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let day = |value: Option<NaiveDate>| value.map(|d| d.to_string()).unwrap_or_default();
        RuleForm {
            country: text(&rule.country),
            billing: text(&rule.billing_type),
            state: text(&rule.state),
            licence: text(&rule.licence_status),
            product: text(&rule.product),
            health: rule
                .health_level
                .map(|level| Health::from_level(level).as_str().to_owned())
                .unwrap_or_default(),
            created_from: day(rule.created_from),
            created_until: day(rule.created_until),
            reference_prefix: text(&rule.reference_prefix),
            in_group: text(&rule.in_group_id),
        }
    }

    /// The creation days asked for, checked.
    fn days(&self, errors: &mut crate::web::FieldErrors) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let created_from = day(&self.created_from).unwrap_or_else(|()| {
            errors.add("created_from", "rule-day-invalid");
            None
        });
        let created_until = day(&self.created_until).unwrap_or_else(|()| {
            errors.add("created_until", "rule-day-invalid");
            None
        });
        if let (Some(from), Some(until)) = (created_from, created_until)
            && until < from
        {
            errors.add("created_until", "rule-days-reversed");
        }
        (created_from, created_until)
    }

    /// The rule the form asks for; the errors name each field at fault.
    /// `manual_groups` are the partner's hand-kept groups a rule may name.
    pub fn parse(&self, manual_groups: &[String]) -> Result<GroupRule, crate::web::FieldErrors> {
        let mut errors = crate::web::FieldErrors::default();
        let mut code = |field: &'static str, text: &str, known: bool| -> Option<String> {
            let value = optional(text)?;
            if !known {
                errors.add(field, "rule-value-unknown");
            }
            Some(value)
        };
        let country = code(
            "country",
            &self.country.trim().to_uppercase(),
            crate::customers::regions::country(&self.country.trim().to_uppercase()).is_some(),
        );
        let billing_type = code(
            "billing",
            &self.billing,
            BillingType::parse(self.billing.trim()).is_some(),
        );
        let state = code(
            "state",
            &self.state,
            CustomerState::parse(self.state.trim()).is_some(),
        );
        let licence_status = code(
            "licence",
            &self.licence,
            LicenceStatus::parse(self.licence.trim()).is_some(),
        );
        let health = optional(&self.health).map(|h| Health::parse(&h));
        if let Some(None) = health {
            errors.add("health", "rule-value-unknown");
        }
        let in_group_id = optional(&self.in_group);
        if in_group_id
            .as_ref()
            .is_some_and(|g| !manual_groups.contains(g))
        {
            errors.add("in_group", "rule-value-unknown");
        }
        let product = optional(&self.product);
        if product.as_ref().is_some_and(|p| p.chars().count() > 200) {
            errors.add("product", "field-too-long");
        }
        let reference_prefix = optional(&self.reference_prefix);
        if reference_prefix
            .as_ref()
            .is_some_and(|p| p.chars().count() > PREFIX_MAX)
        {
            errors.add("reference_prefix", "field-too-long");
        }
        let (created_from, created_until) = self.days(&mut errors);
        let rule = GroupRule {
            country,
            billing_type,
            state,
            licence_status,
            product,
            health_level: health.flatten().map(Health::level),
            created_from,
            created_until,
            reference_prefix,
            in_group_id,
        };
        if errors.is_empty() && rule.is_empty() {
            errors.add("rule", "rule-empty");
        }
        if errors.is_empty() {
            Ok(rule)
        } else {
            Err(errors)
        }
    }
}

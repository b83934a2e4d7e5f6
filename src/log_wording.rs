//! How an activity-log entry's details read to people: the stored codes they
//! carry (roles, terms, billing types, states, request statuses and
//! categories, health) by their names in the reader's language, and dates the
//! reader's way. Apart from `audit`, which records entries and knows no
//! feature, as the codes come from the features.

use crate::access::{CustomerRole, PartnerRole, TokenScope};
use crate::customers::{BillingType, CustomerState, Health, Term};
use crate::i18n::{Translator, format_date};
use crate::service_requests::{Category, Status};

/// The name of a stored code that entries' details carry (a role, a term, a
/// billing type, a state, a request's status or category, a health), in the
/// reader's language; `None` for anything else, such as a name someone typed.
fn name_of_code(tr: &Translator, code: &str) -> Option<String> {
    let key = PartnerRole::parse(code)
        .map(|role| role.label_key().to_owned())
        .or_else(|| CustomerRole::parse(code).map(|role| role.label_key().to_owned()))
        .or_else(|| Term::parse(code).map(Term::label_key))
        .or_else(|| BillingType::parse(code).map(BillingType::label_key))
        .or_else(|| CustomerState::parse(code).map(CustomerState::label_key))
        .or_else(|| Health::parse(code).map(Health::label_key))
        .or_else(|| Status::parse(code).map(Status::label_key))
        .or_else(|| Category::parse(code).map(Category::label_key))
        .or_else(|| TokenScope::parse(code).map(|scope| scope.label_key().to_owned()))?;
    Some(tr.t(key))
}

/// An entry's details as people read them: each part between the separators
/// the entries use (" → ", " · ") that is a stored code, alone or before a
/// remark in brackets, is shown by its name in the reader's language (`helpdesk_agent → admin_agent` reads "Helpdesk
/// agent → Admin agent"); the rest stays as written.
/// A remark after its opening bracket ("2027-01-01) ✗"), a date in it written
/// the reader's way.
fn shown_remark(tr: &Translator, remark: &str) -> String {
    let (inside, after) = remark.split_once(')').unwrap_or((remark, ""));
    match chrono::NaiveDate::parse_from_str(inside.trim(), "%Y-%m-%d") {
        Ok(day) => format!("{}){after}", format_date(day, tr.lang)),
        Err(_) => remark.to_owned(),
    }
}

/// What an entry's stored action reads as; a code this version does not
/// know is shown as stored.
pub fn action_label(tr: &Translator, action: String) -> String {
    crate::audit::Action::parse(&action)
        .map(|a| tr.t(a.label_key()))
        .unwrap_or(action)
}

pub fn shown_details(tr: &Translator, details: &str) -> String {
    // A part is a code, or a code followed by a remark in brackets
    // ("annual (2027-01-01)").
    let shown = |part: &str| -> String {
        if let Some(name) = name_of_code(tr, part.trim()) {
            return name;
        }
        match part.split_once(" (") {
            Some((code, remark)) => match name_of_code(tr, code.trim()) {
                Some(name) => format!("{name} ({}", shown_remark(tr, remark)),
                None => part.to_owned(),
            },
            None => part.to_owned(),
        }
    };
    let parts =
        |text: &str, separator: &str| -> Vec<String> { text.split(separator).map(shown).collect() };
    details
        .split(" → ")
        .map(|side| parts(side, " · ").join(" · "))
        .collect::<Vec<_>>()
        .join(" → ")
}

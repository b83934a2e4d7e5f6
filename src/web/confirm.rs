//! The confirmation step of a costly or irreversible action.
//!
//! The action's form posts as it always did. Without `confirmed=yes` the handler
//! rehearses the change: the same code in a transaction that is always rolled
//! back (`db::rehearse`), so a refused value is found exactly as it would be and
//! shown on the form as before, and nothing is kept (no row, no email, no
//! activity-log entry). When the rehearsal succeeds, the answer is a review page
//! (`Review`): a heading, what will happen in a sentence, the figures, a Confirm
//! button posting the same values again with `confirmed=yes`, and a Back link.
//! Back is always a link (a GET) to the page the action was taken from, carrying
//! the values typed in its query string, which that page reads as its initial
//! values. The confirmed post checks everything again, as hidden fields can be
//! changed, and acts.

use actix_web::HttpResponse;
use askama::Template;
use serde::Deserialize;

use super::{PageContext, PageError, render};
use crate::i18n::Translator;

/// Whether the person has confirmed: the form field `confirmed` is `yes`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub struct Confirmed(bool);

impl Confirmed {
    /// For changes that need no confirmation.
    pub const YES: Confirmed = Confirmed(true);

    pub fn yes(self) -> bool {
        self.0
    }
}

impl From<String> for Confirmed {
    fn from(value: String) -> Self {
        Confirmed(value == "yes")
    }
}

/// The form of an action that has no value but its confirmation.
#[derive(Debug, Default, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    pub confirmed: Confirmed,
}

/// Asking to confirm a change to a person that cannot be undone (revoking an
/// invitation, disabling a login): the review's heading and sentence, the
/// action's last path segment, and the layout to show it in.
pub struct Ask {
    pub layout: super::PageContext,
    pub confirmed: Confirmed,
    pub heading_key: &'static str,
    pub summary_key: &'static str,
    pub action: &'static str,
}

impl Ask {
    /// Disabling a person's login in the organisation.
    pub fn disable(layout: super::PageContext, confirmed: Confirmed) -> Ask {
        Ask {
            layout,
            confirmed,
            heading_key: "confirm-disable-heading",
            summary_key: "confirm-disable-summary",
            action: "disable",
        }
    }

    /// Revoking a person's pending invitation.
    pub fn revoke(layout: super::PageContext, confirmed: Confirmed) -> Ask {
        Ask {
            layout,
            confirmed,
            heading_key: "confirm-revoke-heading",
            summary_key: "confirm-revoke-summary",
            action: "revoke",
        }
    }
}

/// One line of the review: a label and its value; `id` names it for tests and
/// styles (`fact-total`).
pub struct Fact {
    pub id: &'static str,
    pub label: String,
    pub value: String,
}

/// The review page of an action, built by its handler from the rehearsal.
pub struct Review {
    pub heading: String,
    pub summary: String,
    pub facts: Vec<Fact>,
    /// Where Confirm posts: the action's own address.
    pub action: String,
    /// The values posted again, as hidden fields.
    pub fields: Vec<(&'static str, String)>,
    pub confirm: String,
    pub back: String,
    /// The action cannot be undone: Confirm is shown as dangerous.
    pub irreversible: bool,
}

impl Review {
    /// A review titled by `heading_key`, whose Confirm posts to `action` and whose
    /// Back goes to `back`; Confirm says the heading unless told otherwise.
    pub fn new(tr: &Translator, heading_key: &str, action: String, back: String) -> Self {
        let heading = tr.t(heading_key);
        Review {
            confirm: heading.clone(),
            heading,
            summary: String::new(),
            facts: Vec::new(),
            action,
            fields: Vec::new(),
            back,
            irreversible: false,
        }
    }

    pub fn summary(mut self, summary: String) -> Self {
        self.summary = summary;
        self
    }

    pub fn fact(
        mut self,
        tr: &Translator,
        id: &'static str,
        label_key: &str,
        value: String,
    ) -> Self {
        self.facts.push(Fact {
            id,
            label: tr.t(label_key),
            value,
        });
        self
    }

    /// A value of the form, posted again on Confirm.
    pub fn field(mut self, name: &'static str, value: &str) -> Self {
        self.fields.push((name, value.to_owned()));
        self
    }

    pub fn confirm_label(mut self, tr: &Translator, key: &str) -> Self {
        self.confirm = tr.t(key);
        self
    }

    pub fn irreversible(mut self) -> Self {
        self.irreversible = true;
        self
    }

    /// The page, with a 200: the form was valid.
    pub fn render(self, layout: PageContext) -> Result<HttpResponse, PageError> {
        render(&ConfirmPage {
            layout,
            review: self,
        })
    }
}

/// The review of removing one named thing for good; `summary_key` says what
/// goes with it, naming it as `$name`.
pub fn removal(
    tr: &Translator,
    heading_key: &str,
    summary_key: &str,
    name: &str,
    action: String,
    back: String,
) -> Review {
    Review::new(tr, heading_key, action, back)
        .summary(tr.with(summary_key, &[("name", name)]))
        .irreversible()
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    layout: PageContext,
    review: Review,
}

/// `path` with `values` in its query string and `#anchor`: where Back goes.
pub fn back_to(path: &str, values: &[(&str, &str)], anchor: &str) -> String {
    let mut target = path.to_owned();
    if !values.is_empty() {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(values)
            .finish();
        target.push('?');
        target.push_str(&query);
    }
    if !anchor.is_empty() {
        target.push('#');
        target.push_str(anchor);
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_confirms() {
        let form: ConfirmForm = serde_json::from_str(r#"{"confirmed":"yes"}"#).expect("form");
        assert!(form.confirmed.yes());
        for body in [
            "{}",
            r#"{"confirmed":""}"#,
            r#"{"confirmed":"no"}"#,
            r#"{"confirmed":"YES"}"#,
            r#"{"other":"yes"}"#,
        ] {
            let form: ConfirmForm = serde_json::from_str(body).expect("form");
            assert!(!form.confirmed.yes(), "{body}");
        }
    }

    #[test]
    fn back_carries_the_values_typed() {
        assert_eq!(
            back_to(
                "/customer/reservations",
                &[("offer_id", "a b"), ("quantity", "3&4")],
                "buy"
            ),
            "/customer/reservations?offer_id=a+b&quantity=3%264#buy"
        );
        assert_eq!(back_to("/partner/groups", &[], ""), "/partner/groups");
    }

    /// Every `confirm-…` message a handler names exists in both languages.
    #[test]
    fn the_reviews_messages_exist() {
        fn sources(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, found);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    found.push(std::fs::read_to_string(&path).expect("a source file"));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        sources(&root.join("src"), &mut texts);
        let mut keys: Vec<&str> = texts
            .iter()
            .flat_map(|text| text.split('"').skip(1).step_by(2))
            .filter(|key| {
                key.starts_with("confirm-")
                    && key.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert!(keys.len() > 20, "{keys:?}");
        for lang in crate::i18n::Lang::ALL {
            let ftl =
                std::fs::read_to_string(root.join(format!("locales/{}/confirm.ftl", lang.code())))
                    .expect("confirm.ftl");
            for key in &keys {
                assert!(
                    ftl.contains(&format!("\n{key} =")),
                    "{key} is missing in {}",
                    lang.code()
                );
            }
        }
    }
}

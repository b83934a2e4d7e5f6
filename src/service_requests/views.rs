//! What the partner's and the customer's request pages share: the templates, the
//! forms parsed into domain values, and the author of a change.

use askama::Template;
use serde::Deserialize;

use super::{Category, Message, NewRequest, Request, Side, Status, TEXT_MAX, TITLE_MAX};
use crate::i18n::format_time;
use crate::web::text::{line, paragraphs};
use crate::web::{FieldErrors, PageContext};

fn zone_of(layout: &PageContext) -> chrono_tz::Tz {
    layout
        .identity
        .as_ref()
        .map_or(chrono_tz::UTC, |i| i.login.time_zone)
}

fn time(layout: &PageContext, at: &chrono::NaiveDateTime) -> String {
    format_time(*at, zone_of(layout), layout.lang)
}

#[derive(Template)]
#[template(path = "service_requests/requests.html")]
pub struct ListPage {
    pub layout: PageContext,
    pub requests: Vec<Request>,
    /// How many match the filters, the shown ones being the newest at most
    /// `service_requests::LIST_MAX`.
    pub total: i64,
    pub status: Option<Status>,
    /// The customer the list is limited to: (id, name).
    pub customer: Option<(String, String)>,
    /// Where the filter form goes (this page).
    pub action: String,
    /// Whether the customer column and filter are shown (partner side).
    pub partner_side: bool,
    /// Where a new request is opened, when one may be opened here.
    pub new_link: Option<String>,
    /// The prefix of a request's page.
    pub request_base: &'static str,
}

impl ListPage {
    fn time(&self, at: &chrono::NaiveDateTime) -> String {
        time(&self.layout, at)
    }

    fn statuses(&self) -> &'static [Status] {
        Status::ALL
    }
}

#[derive(Template)]
#[template(path = "service_requests/request_new.html")]
pub struct NewPage {
    pub layout: PageContext,
    pub customer_name: String,
    pub action: String,
    pub back: String,
    pub typed: RequestForm,
    pub errors: FieldErrors,
}

impl NewPage {
    fn categories(&self) -> &'static [Category] {
        Category::ALL
    }

    fn limits(&self) -> String {
        self.layout.tr.with_numbers(
            "request-limits",
            &[],
            &[("title", TITLE_MAX.into()), ("text", TEXT_MAX.into())],
        )
    }
}

#[derive(Template)]
#[template(path = "service_requests/request.html")]
pub struct RequestPage {
    pub layout: PageContext,
    pub request: Request,
    pub messages: Vec<Message>,
    pub back: String,
    /// Where messages (and, on the partner side, status changes) are posted.
    pub base: String,
    pub partner_side: bool,
    pub typed: String,
    pub errors: FieldErrors,
}

impl RequestPage {
    fn time(&self, at: &chrono::NaiveDateTime) -> String {
        time(&self.layout, at)
    }

    fn statuses(&self) -> &'static [Status] {
        Status::ALL
    }

    fn side_key(&self, side: &Side) -> String {
        side.label_key()
    }
}

#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
}

impl RequestForm {
    /// The request, or a message for each faulty field.
    pub fn parse(&self) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = line(&self.title, TITLE_MAX)
            .map_err(|e| errors.add("title", e.message_key()))
            .ok();
        let category = Category::parse(&self.category);
        if category.is_none() {
            errors.add("category", "field-choose");
        }
        let description = paragraphs(&self.description, TEXT_MAX)
            .map_err(|e| errors.add("description", e.message_key()))
            .ok();
        match (title, category, description) {
            (Some(title), Some(category), Some(description)) => Ok(NewRequest {
                title,
                category,
                description,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    pub body: String,
}

impl MessageForm {
    pub fn parse(&self) -> Result<String, FieldErrors> {
        paragraphs(&self.body, TEXT_MAX).map_err(|e| FieldErrors::one("body", e.message_key()))
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub customer: String,
}

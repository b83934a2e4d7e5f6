//! The email to the other side of a service request, one per recipient, in the
//! recipient's language, queued in the transaction of the change.

use askama::Template;
use chrono::NaiveDateTime;

use super::requests::{
    Author, Request, RequestError, Side, Status, customer_recipients, enqueue, partner_recipients,
};
use crate::db::DbConnection;
use crate::email::{Email, EmailContent};
use crate::i18n::Translator;

/// What happened on the request.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// Opened, with its description.
    Opened(&'a str),
    Message(&'a str),
    Status(Status),
}

pub struct ServiceRequestEmail {
    pub tr: Translator,
    pub full_name: String,
    pub person: String,
    pub account: String,
    pub title: String,
    pub status: Option<String>,
    /// The description or the message, if the event has one.
    pub text: Option<String>,
    pub kind: &'static str,
    pub link: String,
}

#[derive(Template)]
#[template(path = "email/service_request.txt")]
struct ServiceRequestText<'a> {
    m: &'a ServiceRequestEmail,
}

#[derive(Template)]
#[template(path = "email/service_request.html")]
struct ServiceRequestHtml<'a> {
    m: &'a ServiceRequestEmail,
}

impl ServiceRequestEmail {
    fn args(&self) -> Vec<(&str, &str)> {
        vec![
            ("person", self.person.as_str()),
            ("account", self.account.as_str()),
            ("title", self.title.as_str()),
            ("status", self.status.as_deref().unwrap_or("")),
        ]
    }

    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr.with(
            &format!("email-service-request-{}-intro", self.kind),
            &self.args(),
        )
    }
}

impl Email for ServiceRequestEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.with(
                &format!("email-service-request-{}-subject", self.kind),
                &self.args(),
            ),
            text: ServiceRequestText { m: self }.render()?,
            html: ServiceRequestHtml { m: self }.render()?,
        })
    }
}

/// Emails the side that did not write: never the author.
pub fn other_side(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    settings: &crate::config::Settings,
    request: &Request,
    author: &Author,
    event: Event<'_>,
) -> Result<(), RequestError> {
    let (recipients, link) = match author.side {
        Side::Partner => (
            customer_recipients(conn, request)?,
            settings.link(&format!("/customer/requests/{}", request.id)),
        ),
        Side::Customer => (
            partner_recipients(conn, request)?,
            settings.link(&format!("/partner/requests/{}", request.id)),
        ),
    };
    let (kind, text, status) = match event {
        Event::Opened(text) => ("opened", Some(text), None),
        Event::Message(text) => ("message", Some(text), None),
        Event::Status(status) => ("status", None, Some(status)),
    };
    for (login_id, (email, full_name, lang)) in recipients {
        if login_id == author.login_id {
            continue;
        }
        let tr = lang.translator();
        let message = ServiceRequestEmail {
            status: status.map(|s| tr.t(s.label_key())),
            tr,
            full_name,
            person: author.name.clone(),
            account: request.customer_name.clone(),
            title: request.title.clone(),
            text: text.map(str::to_owned),
            kind,
            link: link.clone(),
        };
        enqueue(conn, now, &email, &message)?;
    }
    Ok(())
}

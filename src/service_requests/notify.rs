//! Who hears of a service request, and the email to the other side: one per
//! recipient, in the recipient's language, queued in the transaction of the change.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Author, Request, RequestError, Side, Status, enqueue};
use crate::access::{Capability, PartnerRole};
use crate::db::DbConnection;
use crate::db::schema::{logins, memberships, service_request_messages};
use crate::email::{Email, EmailContent};
use crate::i18n::{Lang, Translator};

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

/// A recipient: (email, full name, language).
pub type Recipient = (String, String, Lang);

/// The partner roles that answer service requests, from the matrix.
fn answering_roles() -> Vec<&'static str> {
    PartnerRole::ALL
        .into_iter()
        .filter(|r| r.can(Capability::ServiceRequestsOnBehalf))
        .map(PartnerRole::as_str)
        .collect()
}

/// Who on the customer's side hears of the partner's writing: the person who
/// opened the request (if a customer's) and the account's administrators.
pub fn customer_recipients(
    conn: &mut DbConnection,
    request: &Request,
) -> QueryResult<Vec<(String, Recipient)>> {
    let opener = (request.opened_by() == Side::Customer).then_some(&request.opened_by_login_id);
    let rows: Vec<(String, String, String, String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(&request.customer_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.eq(LoginState::Active))
        .select((
            logins::id,
            memberships::role,
            logins::email,
            logins::full_name,
            logins::language,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(login, role, ..)| {
            role == crate::customers::create::ADMINISTRATOR_ROLE || Some(login) == opener
        })
        .map(|(login, _, email, name, lang)| {
            (
                login,
                (email, name, Lang::from_code(&lang).unwrap_or_default()),
            )
        })
        .collect())
}

/// Who on the partner's side hears of the customer's writing: the staff who took
/// part (opened it or wrote in it), or, while none did, everyone who answers
/// service requests; in both cases only active staff whose role may answer.
pub fn partner_recipients(
    conn: &mut DbConnection,
    request: &Request,
) -> QueryResult<Vec<(String, Recipient)>> {
    let Some(partner_id) = &request.partner_id else {
        return Ok(Vec::new());
    };
    let mut took_part: Vec<String> = service_request_messages::table
        .filter(service_request_messages::request_id.eq(&request.id))
        .filter(service_request_messages::author_side.eq(Side::Partner))
        .select(service_request_messages::author_login_id)
        .distinct()
        .load(conn)?;
    if request.opened_by() == Side::Partner {
        took_part.push(request.opened_by_login_id.clone());
    }
    let rows: Vec<(String, String, String, String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq(partner_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(memberships::role.eq_any(answering_roles()))
        .filter(logins::state.eq(LoginState::Active))
        .select((
            memberships::id,
            logins::id,
            logins::email,
            logins::full_name,
            logins::language,
        ))
        .load(conn)?;
    // Staff an owner limited to some customer groups hear only of the
    // customers they reach.
    let mut reaching = Vec::with_capacity(rows.len());
    for (membership, login, email, name, lang) in rows {
        let reach = crate::reach::of_membership(conn, &membership)?;
        if crate::reach::reaches(
            conn,
            &reach,
            partner_id.as_str(),
            request.customer_id.as_str(),
        )? {
            reaching.push((login, email, name, lang));
        }
    }
    let staff = reaching.into_iter().map(|(login, email, name, lang)| {
        (
            login,
            (email, name, Lang::from_code(&lang).unwrap_or_default()),
        )
    });
    let involved: Vec<_> = staff
        .clone()
        .filter(|(login, _)| took_part.contains(login))
        .collect();
    Ok(if involved.is_empty() {
        staff.collect()
    } else {
        involved
    })
}

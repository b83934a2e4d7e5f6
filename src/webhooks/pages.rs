//! The partner's webhooks (`/partner/webhooks`): its owners see each endpoint
//! (URL, events, state, last delivery, failing since) and add one (URL,
//! description, events), whose secret is shown this once.

use actix_web::web::Bytes;
use actix_web::{HttpResponse, http::header};
use askama::Template;
use chrono::NaiveDateTime;

use super::endpoints::{self, Endpoint, NewEndpoint};
use super::{EventType, address, events_of};
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::db::{self, DbError};
use crate::i18n::{Translator, format_time};
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render};

pub const PAGE: &str = "/partner/webhooks";
const DESCRIPTION_MAX: usize = 200;
const URL_MAX: usize = 2000;

/// The label of an event type on the pages.
pub fn event_label(tr: &Translator, kind: EventType) -> String {
    tr.t(format!("webhook-event-{}", kind.as_str().replace('.', "-")))
}

/// The labels of a stored list of events, joined.
pub fn event_labels(tr: &Translator, events: &str) -> String {
    events_of(events)
        .into_iter()
        .map(|kind| event_label(tr, kind))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The state of an endpoint as its page names it: the key of its label.
pub fn state_key(endpoint: &Endpoint) -> &'static str {
    match (endpoint.disabled_at, endpoint.failing_since) {
        (Some(_), _) => "webhooks-state-disabled",
        (None, Some(_)) => "webhooks-state-failing",
        (None, None) => "webhooks-state-active",
    }
}

/// What the creation form held.
#[derive(Debug, Default, Clone)]
struct Typed {
    url: String,
    description: String,
    events: Vec<EventType>,
}

#[derive(Template)]
#[template(path = "partner/webhooks.html")]
struct WebhooksPage {
    layout: PageContext,
    endpoints: Vec<(Endpoint, Option<NaiveDateTime>)>,
    /// The endpoint just added: (its URL, its secret), shown this once.
    created: Option<(String, String)>,
    typed: Typed,
    errors: FieldErrors,
    zone: chrono_tz::Tz,
    kinds: &'static [EventType],
}

impl WebhooksPage {
    fn time(&self, at: &Option<NaiveDateTime>) -> String {
        match at {
            Some(at) => format_time(*at, self.zone, self.layout.lang),
            None => self.layout.tr.t("webhooks-never"),
        }
    }

    fn events(&self, endpoint: &Endpoint) -> String {
        event_labels(&self.layout.tr, &endpoint.events)
    }

    fn label(&self, kind: &EventType) -> String {
        event_label(&self.layout.tr, *kind)
    }

    fn state(&self, endpoint: &Endpoint) -> String {
        self.layout.tr.t(state_key(endpoint))
    }

    fn typed_event(&self, kind: &EventType) -> bool {
        self.typed.events.contains(kind)
    }
}

async fn webhooks_page(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    created: Option<(String, String)>,
    typed: Typed,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.scope().partner_id().clone();
    let found = db::run(&state.pool, move |conn| {
        endpoints::list_with_last_delivery(conn, &partner_id).map_err(DbError::from)
    })
    .await?;
    let mut response = render(&WebhooksPage {
        layout,
        endpoints: found,
        created,
        typed,
        errors,
        zone: member.identity.login.time_zone,
        kinds: EventType::ALL,
    })?;
    // The page may hold a secret: never keep it in a cache.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

pub async fn page(PageOf(state, layout, member): PartnerPage) -> Result<HttpResponse, PageError> {
    webhooks_page(
        &state,
        layout,
        &member,
        None,
        Typed::default(),
        FieldErrors::default(),
    )
    .await
}

/// The form's values; an event named twice or unknown counts once or not at all.
fn typed_of(body: &[u8]) -> Typed {
    let mut typed = Typed::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "url" => typed.url = value.into_owned(),
            "description" => typed.description = value.into_owned(),
            "event" => {
                if let Some(kind) = EventType::parse(&value)
                    && !typed.events.contains(&kind)
                {
                    typed.events.push(kind);
                }
            }
            _ => {}
        }
    }
    typed
}

/// The URL (checked where it leads) and description the form asks for, or
/// its problems.
async fn checked(typed: &Typed, allow_loopback: bool) -> Result<(url::Url, String), FieldErrors> {
    let mut errors = FieldErrors::default();
    let url = if typed.url.trim().chars().count() > URL_MAX {
        errors.add("url", "webhook-url-too-long");
        None
    } else {
        address::check(&typed.url, allow_loopback)
            .await
            .map_err(|problem| errors.add("url", problem.message_key()))
            .ok()
    };
    let description = typed.description.trim();
    if description.chars().count() > DESCRIPTION_MAX {
        errors.add("description", "webhook-description-too-long");
    }
    if typed.events.is_empty() {
        errors.add("event", "webhook-events-required");
    }
    match url {
        Some(url) if errors.is_empty() => Ok((url, description.to_owned())),
        _ => Err(errors),
    }
}

pub async fn create(
    PageOf(state, layout, member): PartnerPage,
    body: Bytes,
) -> Result<HttpResponse, PageError> {
    let typed = typed_of(&body);
    let allow_loopback = state.settings.webhooks.allow_http_loopback;
    let (url, description) = match checked(&typed, allow_loopback).await {
        Ok(checked) => checked,
        Err(errors) => return webhooks_page(&state, layout, &member, None, typed, errors).await,
    };
    let events = typed.events.clone();
    let shown = url.to_string();
    let secret = PartnerChange::run(&state, &member, move |conn, change| {
        let new = NewEndpoint {
            url: &url,
            description: &description,
            events: &events,
            created_by_login_id: change.login_id(),
        };
        let (_, secret) = endpoints::register(conn, change.now, change.partner_id(), &new)?;
        let details = super::events_text(&events);
        change.record(conn, Action::WebhookCreated, url.as_str(), &details)?;
        Ok::<_, DbError>(secret)
    })
    .await?;
    let created = Some((shown, secret));
    webhooks_page(
        &state,
        layout,
        &member,
        created,
        Typed::default(),
        FieldErrors::default(),
    )
    .await
}

//! One webhook endpoint (`/partner/webhooks/{webhook_id}`): its delivery log
//! and its actions: rotate the secret (the new one shown once, the old one
//! still signing for a day), disable and enable, delete after confirming, and
//! redeliver one delivery now. An endpoint of another partner is not found.

use actix_web::{HttpResponse, http::header, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::endpoints::{self, DisabledReason, Endpoint};
use super::log::{self, Delivery};
use super::pages::{PAGE, event_labels, state_key};
use super::{DeliveryState, EventType};
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::db;
use crate::i18n::{Number, format_time};
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::confirm::{ConfirmForm, back_to, removal};
use crate::web::{PageContext, PageError, PageOf, PartnerPage, render, succeeded};

#[derive(Template)]
#[template(path = "partner/webhook.html")]
struct EndpointPage {
    layout: PageContext,
    endpoint: Endpoint,
    deliveries: Vec<Delivery>,
    page: i64,
    more: bool,
    /// The secret just made by a rotation, shown this once.
    rotated: Option<String>,
    zone: chrono_tz::Tz,
}

impl EndpointPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }

    fn optional_time(&self, at: &Option<NaiveDateTime>) -> String {
        match at {
            Some(at) => self.time(at),
            None => "—".to_owned(),
        }
    }

    /// Why the endpoint was disabled, in the reader's language.
    fn disabled_reason(&self, stored: &str) -> String {
        let tr = &self.layout.tr;
        match DisabledReason::parse(stored) {
            Some(DisabledReason::Failures { days, last_error }) => tr.with_numbers(
                "webhooks-disabled-for-failures",
                &[("error", last_error.as_str())],
                &[("days", Number(days))],
            ),
            Some(DisabledReason::Person { name }) => {
                tr.with("webhooks-disabled-by", [("name", name.as_str())].as_slice())
            }
            None => stored.to_owned(),
        }
    }

    fn events(&self) -> String {
        event_labels(&self.layout.tr, &self.endpoint.events)
    }

    fn state(&self) -> String {
        self.layout.tr.t(state_key(&self.endpoint))
    }

    fn event(&self, delivery: &Delivery) -> String {
        EventType::parse(&delivery.event_type).map_or(delivery.event_type.clone(), |kind| {
            super::pages::event_label(&self.layout.tr, kind)
        })
    }

    fn delivery_state(&self, delivery: &Delivery) -> String {
        self.layout
            .tr
            .t(format!("webhooks-delivery-{}", delivery.state))
    }

    /// The next attempt, for a delivery still waiting.
    fn next_attempt(&self, delivery: &Delivery) -> String {
        if delivery.state == DeliveryState::Pending.as_str() {
            self.time(&delivery.next_attempt_at)
        } else {
            "—".to_owned()
        }
    }

    fn may_redeliver(&self, delivery: &Delivery) -> bool {
        self.endpoint.disabled_at.is_none() && delivery.state != DeliveryState::Sending.as_str()
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

async fn endpoint_page(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    webhook_id: String,
    page: i64,
    rotated: Option<String>,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.scope().partner_id().clone();
    let (endpoint, (deliveries, more)) = db::run(&state.pool, move |conn| {
        let endpoint =
            endpoints::find(conn, &partner_id, &webhook_id)?.ok_or(PageError::NotFound)?;
        let log = log::page(conn, &partner_id, &endpoint.id, page)?;
        Ok::<_, PageError>((endpoint, log))
    })
    .await?;
    let mut response = render(&EndpointPage {
        layout,
        endpoint,
        deliveries,
        page,
        more,
        rotated,
        zone: member.identity.login.time_zone,
    })?;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (0..100_000).contains(p))
        .unwrap_or(0);
    endpoint_page(&state, layout, &member, path.into_inner(), page, None).await
}

pub async fn rotate(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let webhook_id = path.into_inner();
    let id = webhook_id.clone();
    let secret = PartnerChange::run(&state, &member, move |conn, change| {
        let endpoint =
            endpoints::find(conn, change.partner_id(), &id)?.ok_or(PageError::NotFound)?;
        let secret = endpoints::rotate_secret(conn, change.now, change.partner_id(), &id)?
            .ok_or(PageError::NotFound)?;
        change.record(conn, Action::WebhookSecretRotated, &endpoint.url, "")?;
        Ok::<_, PageError>(secret)
    })
    .await?;
    endpoint_page(&state, layout, &member, webhook_id, 0, Some(secret)).await
}

/// Disables (`enable` false) or enables the endpoint, and logs it.
async fn switch(
    state: &AppState,
    member: &PartnerMember,
    webhook_id: String,
    enable: bool,
) -> Result<HttpResponse, PageError> {
    let id = webhook_id.clone();
    PartnerChange::run(state, member, move |conn, change| {
        let endpoint =
            endpoints::find(conn, change.partner_id(), &id)?.ok_or(PageError::NotFound)?;
        let changed = if enable {
            endpoints::enable(conn, change.partner_id(), &id)?
        } else {
            let reason = DisabledReason::Person {
                name: change.name().to_owned(),
            };
            endpoints::disable(conn, change.now, change.partner_id(), &id, &reason)?
        };
        if changed {
            let action = if enable {
                Action::WebhookEnabled
            } else {
                Action::WebhookDisabled
            };
            change.record(conn, action, &endpoint.url, "")?;
        }
        Ok::<_, PageError>(())
    })
    .await?;
    let flash = if enable {
        "flash-webhook-enabled"
    } else {
        "flash-webhook-disabled"
    };
    Ok(succeeded(flash, &format!("{PAGE}/{webhook_id}")))
}

pub async fn disable(
    PageOf(state, _layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    switch(&state, &member, path.into_inner(), false).await
}

pub async fn enable(
    PageOf(state, _layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    switch(&state, &member, path.into_inner(), true).await
}

pub async fn delete(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let webhook_id = path.into_inner();
    let confirmed = form.confirmed;
    let id = webhook_id.clone();
    let url = PartnerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
        let endpoint =
            endpoints::find(conn, change.partner_id(), &id)?.ok_or(PageError::NotFound)?;
        endpoints::delete(conn, change.partner_id(), &id)?;
        change.record(conn, Action::WebhookDeleted, &endpoint.url, "")?;
        Ok::<_, PageError>(endpoint.url)
    })
    .await?;
    if !confirmed.yes() {
        let tr = &layout.tr;
        let action = format!("{PAGE}/{webhook_id}/delete");
        let back = back_to(&format!("{PAGE}/{webhook_id}"), &[], "actions");
        let review = removal(
            tr,
            "confirm-webhook-delete-heading",
            "confirm-webhook-delete-summary",
            &url,
            action,
            back,
        )
        .confirm_label(tr, "webhooks-delete");
        return review.render(layout);
    }
    Ok(succeeded("flash-webhook-deleted", PAGE))
}

pub async fn redeliver(
    PageOf(state, _layout, member): PartnerPage,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (webhook_id, delivery_id) = path.into_inner();
    let (id, delivery) = (webhook_id.clone(), delivery_id);
    PartnerChange::run(&state, &member, move |conn, change| {
        let endpoint =
            endpoints::find(conn, change.partner_id(), &id)?.ok_or(PageError::NotFound)?;
        if endpoint.disabled_at.is_some() {
            return Err(PageError::NotFound);
        }
        if !endpoints::redeliver(conn, change.now, change.partner_id(), &id, &delivery)? {
            return Err(PageError::NotFound);
        }
        change.record(conn, Action::WebhookRedelivered, &endpoint.url, &delivery)?;
        Ok(())
    })
    .await?;
    Ok(succeeded(
        "flash-webhook-redelivered",
        &format!("{PAGE}/{webhook_id}"),
    ))
}

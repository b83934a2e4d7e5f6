//! The access middleware every route is wrapped in.

use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::LOCATION;
use actix_web::middleware::Next;

use crate::access::{Access, Decision, decide};
use crate::auth::identity::Identity;
use crate::web::PageError;

/// Lets the request through or answers for the route: the one place where access
/// is decided for every route.
pub(super) async fn enforce(
    access: Access,
    step_up: bool,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let identity = Identity::of_request(req.request());
    let refusal = match decide(access, identity.as_ref().map(Identity::requester)) {
        Decision::Allow
            if step_up
                && identity
                    .as_ref()
                    .is_some_and(|i| i.login.second_factor && !i.second_factor_fresh) =>
        {
            // Back to the page the action was taken from, once confirmed.
            let back = req
                .headers()
                .get(actix_web::http::header::REFERER)
                .and_then(|r| r.to_str().ok())
                .and_then(|r| url::Url::parse(r).ok())
                .map(|r| r.path().to_owned())
                .unwrap_or_else(|| "/".to_owned());
            actix_web_flash_messages::FlashMessage::info("flash-step-up-needed").send();
            HttpResponse::SeeOther()
                .insert_header((
                    LOCATION,
                    format!(
                        "/account/step-up?next={}",
                        url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
                    ),
                ))
                .finish()
        }
        Decision::Allow => {
            return next
                .call(req)
                .await
                .map(ServiceResponse::map_into_left_body);
        }
        Decision::EnrolSecondFactor => {
            actix_web_flash_messages::FlashMessage::warning("flash-enrol-second-factor").send();
            HttpResponse::SeeOther()
                .insert_header((LOCATION, "/account/security"))
                .finish()
        }
        Decision::SignIn => {
            let back = req
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str())
                .unwrap_or("/");
            let target = format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
            );
            HttpResponse::SeeOther()
                .insert_header((LOCATION, target))
                .finish()
        }
        Decision::ChooseMembership => HttpResponse::SeeOther()
            .insert_header((LOCATION, "/memberships"))
            .finish(),
        Decision::NotFound => actix_web::ResponseError::error_response(&PageError::NotFound),
        Decision::Forbidden => actix_web::ResponseError::error_response(&PageError::Forbidden),
        Decision::BearerToken => match crate::support::api::authenticate(&req).await {
            Ok(()) => {
                return next
                    .call(req)
                    .await
                    .map(ServiceResponse::map_into_left_body);
            }
            Err(refusal) => refusal,
        },
        Decision::CustomerToken => match crate::monitoring::api::authenticate(&req).await {
            Ok(()) => {
                return next
                    .call(req)
                    .await
                    .map(ServiceResponse::map_into_left_body);
            }
            Err(refusal) => refusal,
        },
    };
    Ok(req.into_response(refusal).map_into_right_body())
}

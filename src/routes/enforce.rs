//! The access middleware every route is wrapped in.

use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::REFERER;
use actix_web::middleware::Next;
use actix_web_flash_messages::FlashMessage;

use crate::access::{Access, Decision, decide};
use crate::auth::identity::Identity;
use crate::web::{PageError, see_other};

/// Lets the request through or answers for the route: the one place where access
/// is decided for every route.
pub(super) async fn enforce(
    access: Access,
    step_up: bool,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let identity = Identity::of_request(req.request());
    let decision = decide(access, identity.as_ref().map(Identity::requester));
    let stale_factor = identity
        .as_ref()
        .is_some_and(|i| i.login.second_factor && !i.second_factor_fresh);
    let refusal = match decision {
        Decision::Allow if step_up && stale_factor => to_step_up(&req),
        Decision::Allow => return pass(req, next).await,
        Decision::BearerToken => match crate::web::operator_api::authenticate(&req).await {
            Ok(()) => return pass(req, next).await,
            Err(refusal) => refusal,
        },
        Decision::CustomerToken => match crate::monitoring::api::authenticate(&req).await {
            Ok(()) => return pass(req, next).await,
            Err(refusal) => refusal,
        },
        Decision::PartnerToken(scope, capability) => {
            match crate::partner_api::authenticate(&req, scope, capability).await {
                Ok(()) => return pass(req, next).await,
                Err(refusal) => refusal,
            }
        }
        Decision::MetricsToken => match crate::home::metrics_refusal(req.request()) {
            None => return pass(req, next).await,
            Some(refusal) => refusal,
        },
        refused => refusal(refused, &req),
    };
    Ok(req.into_response(refusal).map_into_right_body())
}

async fn pass<B: MessageBody + 'static, R>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<B, R>>, actix_web::Error> {
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// The answer to a request the decision does not let through.
fn refusal(decision: Decision, req: &ServiceRequest) -> HttpResponse {
    match decision {
        Decision::EnrolSecondFactor => {
            FlashMessage::warning("flash-enrol-second-factor").send();
            see_other("/account/security")
        }
        Decision::SignIn => {
            let back = req
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str())
                .unwrap_or("/");
            see_other(&format!("/login?next={}", encoded(back)))
        }
        Decision::ChooseMembership => see_other("/memberships"),
        Decision::Suspended => see_other(crate::organisations::suspension::STAFF_PAGE),
        Decision::NotFound => actix_web::ResponseError::error_response(&PageError::NotFound),
        // Forbidden; the others were answered before.
        _ => actix_web::ResponseError::error_response(&PageError::Forbidden),
    }
}

/// To present the second factor again, then back to the page the action was
/// taken from.
fn to_step_up(req: &ServiceRequest) -> HttpResponse {
    let back = req
        .headers()
        .get(REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|r| r.path().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    FlashMessage::info("flash-step-up-needed").send();
    see_other(&format!("/account/step-up?next={}", encoded(&back)))
}

fn encoded(path: &str) -> String {
    url::form_urlencoded::byte_serialize(path.as_bytes()).collect()
}

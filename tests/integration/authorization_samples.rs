//! Sample paths for the route matrix: a real object of the right tenant for each
//! placeholder of every route.

use crate::authorization::{FRESH, Ids};
use partnerdesk::routes::Route;

/// A concrete request for each route pattern.
pub(crate) fn sample_path(route: &Route, ids: &Ids) -> Option<String> {
    if let Some(path) = people_sample_path(route.path, ids) {
        return Some(path);
    }
    Some(match route.path {
        "/partner/customers/{customer_id}/groups/{group_id}/remove" => {
            format!(
                "/partner/customers/{}/groups/{}/remove",
                ids.customer, ids.group
            )
        }
        path if path.contains("{request_id}") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{request_id}", &ids.request),
        path if path.starts_with("/api/v1/partner/") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{group_id}", &ids.group)
            .replace("{permission}", "buy_reservations")
            .replace("{reservation_id}", &ids.reservation),
        "/partner/api-tokens/{token_id}/revoke" => format!("/partner/api-tokens/{FRESH}/revoke"),
        // Deleting ends the endpoint: each request has its own, with one
        // delivery whose id is the endpoint's (`fresh_object`).
        path if path.starts_with("/partner/webhooks/{webhook_id}") => path
            .replace("{webhook_id}", FRESH)
            .replace("{delivery_id}", FRESH),
        path if path.starts_with("/api/v1/customers/{customer_id}") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{incident_id}", &ids.incident)
            .replace("{licence_id}", &ids.licence),
        // Cancelling and exchanging end the reservation: each request has its own.
        path @ ("/partner/customers/{customer_id}/reservations/{reservation_id}/cancel"
        | "/partner/customers/{customer_id}/reservations/{reservation_id}/exchange") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{reservation_id}", FRESH),
        path if path.starts_with("/partner/customers/{customer_id}") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{subscription_id}", &ids.subscription)
            .replace("{reservation_id}", &ids.reservation),
        "/customer/subscriptions/{subscription_id}/owners" => {
            format!("/customer/subscriptions/{}/owners", ids.subscription)
        }
        // Deleting ends the monitor or dashboard: each request has its own.
        "/customer/monitors/{monitor_id}/delete" => format!("/customer/monitors/{FRESH}/delete"),
        "/customer/dashboards/{dashboard_id}/delete" => {
            format!("/customer/dashboards/{FRESH}/delete")
        }
        "/customer/api-tokens/{token_id}/revoke" => format!("/customer/api-tokens/{FRESH}/revoke"),
        "/customer/alerts/{definition_id}/delete" => format!("/customer/alerts/{FRESH}/delete"),
        "/customer/alerts/{definition_id}" => format!("/customer/alerts/{}", ids.alert),
        "/customer/sub-accounts/{sub_account_id}/operators/{membership_id}/remove" => format!(
            "/customer/sub-accounts/{}/operators/{FRESH}/remove",
            ids.sub_account
        ),
        "/customer/sub-accounts/{sub_account_id}/operators/{membership_id}/resend" => format!(
            "/customer/sub-accounts/{}/operators/{}/resend",
            ids.sub_account, ids.operator_pending
        ),
        path if path.starts_with("/customer/sub-accounts/{sub_account_id}") => {
            path.replace("{sub_account_id}", &ids.sub_account)
        }
        path if path.contains("{monitor_id}") => path.replace("{monitor_id}", &ids.monitor),
        path if path.contains("{dashboard_id}") => path.replace("{dashboard_id}", &ids.dashboard),
        "/customer/sites/{site_id}/rename" => format!("/customer/sites/{}/rename", ids.site),
        "/customer/sites/{site_id}/administrators" => {
            format!("/customer/sites/{}/administrators", ids.site)
        }
        "/customer/sites/{site_id}/administrators/{membership_id}/remove" => format!(
            "/customer/sites/{}/administrators/{}/remove",
            ids.site, ids.customer_target
        ),
        "/partner/customers/import/{import_id}" => {
            format!("/partner/customers/import/{}", ids.import)
        }
        "/partner/groups/{group_id}/rule" => format!("/partner/groups/{}/rule", ids.rule_group),
        path if path.starts_with("/partner/groups/{group_id}") => {
            path.replace("{group_id}", &ids.group)
        }
        fixed => fixed_sample(fixed)?,
    })
}

/// A concrete request for each route of the operator's area that names
/// something; `None` for the others.
fn admin_sample_path(path: &str, ids: &Ids) -> Option<String> {
    Some(match path {
        "/admin/outbox/{email_id}/retry" => format!("/admin/outbox/{}/retry", ids.failed_email),
        // Retiring ends the offer: each request has its own.
        "/admin/catalogue/{offer_id}/retire" => format!("/admin/catalogue/{FRESH}/retire"),
        path if path.starts_with("/admin/health/customers/{customer_id}") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{incident_id}", &ids.incident),
        path if path.starts_with("/admin/partners/{partner_id}") => {
            path.replace("{partner_id}", &ids.partner)
        }
        _ => return None,
    })
}

/// A concrete request for each route about people: staff, users, sign-in and
/// security, or of the operator's area; `None` for the others.
fn people_sample_path(path: &str, ids: &Ids) -> Option<String> {
    Some(match path {
        // A reseller's portal, which the organisation may enter.
        path if path.starts_with("/partner/resellers/{reseller_id}") => {
            path.replace("{reseller_id}", &ids.reseller)
        }
        "/partner/staff/{membership_id}/customers" => {
            format!("/partner/staff/{}/customers", ids.target)
        }
        "/partner/staff/{membership_id}/role" => format!("/partner/staff/{}/role", ids.target),
        "/partner/staff/{membership_id}/disable" => {
            format!("/partner/staff/{}/disable", ids.target)
        }
        "/partner/staff/{membership_id}/resend" => format!("/partner/staff/{}/resend", ids.pending),
        "/partner/staff/{membership_id}/second-factor/reset" => {
            format!("/partner/staff/{}/second-factor/reset", ids.target)
        }
        "/customer/users/{membership_id}/second-factor/reset" => {
            format!(
                "/customer/users/{}/second-factor/reset",
                ids.customer_target
            )
        }
        "/login/second-factor" => "/login/second-factor".to_owned(),
        "/account/step-up" => "/account/step-up".to_owned(),
        "/login/second-factor/passkey/start"
        | "/login/second-factor/passkey/finish"
        | "/login/passkey/start"
        | "/login/passkey/finish"
        | "/account/step-up/passkey/start"
        | "/account/step-up/passkey/finish"
        | "/account/security/passkeys/start"
        | "/account/security/passkeys/finish" => path.to_owned(),
        "/account/security" => "/account/security".to_owned(),
        "/account/security/totp" => "/account/security/totp".to_owned(),
        // Nobody's own factor: every persona gets 404, as for a missing one.
        "/account/security/factors/{factor_id}/remove" => {
            "/account/security/factors/00000000-0000-0000-0000-000000000000/remove".to_owned()
        }
        "/account/security/recovery-codes" => "/account/security/recovery-codes".to_owned(),
        "/partner/security" => "/partner/security".to_owned(),
        // Removing a claimed domain ends it: each request has its own.
        "/partner/sso/domains/{domain_id}/remove" => format!("/partner/sso/domains/{FRESH}/remove"),
        "/partner/sso/domains/{domain_id}/check" => format!("/partner/sso/domains/{FRESH}/check"),
        "/customer/sso/domains/{domain_id}/remove" => {
            format!("/customer/sso/domains/{FRESH}/remove")
        }
        "/customer/sso/domains/{domain_id}/check" => format!("/customer/sso/domains/{FRESH}/check"),
        "/customer/security" => "/customer/security".to_owned(),
        "/partner/staff/{membership_id}/revoke" => format!("/partner/staff/{FRESH}/revoke"),
        "/customer/users/{membership_id}/role" => {
            format!("/customer/users/{}/role", ids.customer_target)
        }
        "/customer/users/{membership_id}/disable" => {
            format!("/customer/users/{}/disable", ids.customer_target)
        }
        "/customer/users/{membership_id}/resend" => {
            format!("/customer/users/{}/resend", ids.customer_pending)
        }
        "/customer/users/{membership_id}/revoke" => format!("/customer/users/{FRESH}/revoke"),
        _ => return admin_sample_path(path, ids),
    })
}

/// A concrete request for a route without placeholders, or one whose only
/// placeholder is an emailed link's token (a token nobody holds).
fn fixed_sample(path: &str) -> Option<String> {
    if path.ends_with("{token}") || path.contains("{token}/") {
        return Some(path.replace("{token}", NO_SUCH_TOKEN));
    }
    if path == "/static/{path:.*}" {
        return Some("/static/style.css".to_owned());
    }
    // A path without parameters is its own sample.
    (!path.contains('{')).then(|| path.to_owned())
}

const NO_SUCH_TOKEN: &str = "0000000000000000000000000000000000000000000000000000000000000000";

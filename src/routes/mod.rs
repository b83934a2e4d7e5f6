//! Every route of the application with the access it requires. The same list
//! registers the routes and drives the authorization-matrix test, so a route
//! cannot exist without a declared rule.

mod enforce;
pub mod identity;

use actix_web::dev::ServiceRequest;
use actix_web::middleware::{Next, from_fn};
use actix_web::web;

use crate::access::{Access, Capability, CustomerCapability, TokenScope};
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::commerce::{orders, permissions, purchase, reservations, subscriptions};
use crate::customers::{
    billing, create, details, export, group_rule_edit, group_rules, groups, import, list, usage_api,
};
use crate::people::pages as people_pages;
use crate::service_health::{api as health_api, pages as health_pages};
use crate::service_requests::{
    customer_pages as customer_requests, desk as requests_desk, partner_pages as partner_requests,
};
use crate::web::headers::MAX_BODY_BYTES;
use crate::{
    admin, assisted, console, home, invitations, monitoring, network, partner, partner_api,
    profile, second_factor, signin, sso, staff, sub_accounts, web as pages, webhooks,
};

#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

macro_rules! routes {
    ($( $path:literal { $( $method:ident $access:expr => $handler:path ),+ $(,)? } )*) => {
        pub const ROUTES: &[Route] = &[
            $( $( Route { method: stringify!($method), path: $path, access: $access }, )+ )*
        ];

        pub fn register(cfg: &mut web::ServiceConfig) {
            $(
                cfg.service(
                    web::resource($path)
                        $( .route(routes!(@method $method).to($handler).wrap(from_fn(move |req: ServiceRequest, next: Next<_>| enforce::enforce($access, crate::access::needs_step_up(stringify!($method), $path), req, next)))) )+
                );
            )*
        }
    };
    (@method GET) => { web::get() };
    (@method POST) => { web::post() };
    (@method PUT) => { web::put() };
    (@method PATCH) => { web::patch() };
    (@method DELETE) => { web::delete() };
}

use Access::{
    ApiCustomer, ApiOperator, ApiPartner, Customer, InstanceOperator, MetricsToken, Partner,
    Public, SignedIn,
};

routes! {
    "/" { GET Public => home::index }
    "/health_check" { GET Public => home::health_check }
    "/ready" { GET Public => home::ready }
    "/metrics" { GET MetricsToken => home::metrics }
    "/language" { POST Public => pages::language::switch }
    "/static/{path:.*}" { GET Public => pages::assets::serve }
    "/login" {
        GET Public => signin::login::form,
        POST Public => signin::login::submit,
    }
    "/logout" { POST Public => signin::login::logout }
    "/memberships" { GET SignedIn => signin::memberships::picker }
    "/memberships/switch" { POST SignedIn => signin::memberships::switch }
    "/activate/renew" { POST Public => invitations::activation::renew }
    "/activate/{token}" {
        GET Public => invitations::activation::form,
        POST Public => invitations::activation::submit,
    }
    "/activate/{token}/decline" { POST Public => invitations::activation::decline }
    "/invitations/{token}" { GET Public => invitations::pages::page }
    "/invitations/{token}/accept" { POST SignedIn => invitations::pages::accept_offer }
    "/invitations/{token}/decline" { POST Public => invitations::pages::decline_offer }
    "/password-reset" {
        GET Public => signin::password::request_form,
        POST Public => signin::password::request,
    }
    "/reset-password/{token}" {
        GET Public => signin::password::choose_form,
        POST Public => signin::password::choose,
    }
    "/login/second-factor" {
        GET Public => second_factor::challenge::sign_in_form,
        POST Public => second_factor::challenge::sign_in_submit,
    }
    "/login/second-factor/passkey/start" { POST Public => second_factor::passkey_routes::second_step_start }
    "/login/second-factor/passkey/finish" { POST Public => second_factor::passkey_routes::second_step_finish }
    "/login/passkey/start" { POST Public => second_factor::passkey_routes::sign_in_start }
    "/login/passkey/finish" { POST Public => second_factor::passkey_routes::sign_in_finish }
    "/account/step-up" {
        GET SignedIn => second_factor::challenge::step_up_form,
        POST SignedIn => second_factor::challenge::step_up_submit,
    }
    "/account/step-up/passkey/start" { POST SignedIn => second_factor::passkey_routes::step_up_start }
    "/account/step-up/passkey/finish" { POST SignedIn => second_factor::passkey_routes::step_up_finish }
    "/account/security" { GET SignedIn => second_factor::pages::overview }
    "/account/security/totp" {
        GET SignedIn => second_factor::pages::enrol_form,
        POST SignedIn => second_factor::pages::enrol,
    }
    "/account/security/passkeys/start" { POST SignedIn => second_factor::passkey_routes::register_start }
    "/account/security/passkeys/finish" { POST SignedIn => second_factor::passkey_routes::register_finish }
    "/account/security/factors/{factor_id}/remove" { POST SignedIn => second_factor::pages::remove }
    "/account/security/recovery-codes" { POST SignedIn => second_factor::pages::new_recovery_codes }
    "/partner/security" {
        GET Partner(Capability::ManageStaff) => second_factor::policy::page::<PartnerMember>,
        POST Partner(Capability::ManageStaff) => second_factor::policy::save::<PartnerMember>,
    }
    "/partner/sso" {
        GET Partner(Capability::ManageSingleSignOn) => sso::pages::page,
        POST Partner(Capability::ManageSingleSignOn) => sso::pages::save,
    }
    "/partner/sso/domains" { POST Partner(Capability::ManageSingleSignOn) => sso::domains::claim }
    "/partner/sso/domains/{domain_id}/remove" { POST Partner(Capability::ManageSingleSignOn) => sso::domains::remove }
    "/partner/sso/domains/{domain_id}/check" { POST Partner(Capability::ManageSingleSignOn) => sso::dns::check }
    "/partner/sso/prove" { POST Partner(Capability::ManageSingleSignOn) => sso::proof::prove }
    "/customer/sso" {
        GET Customer(CustomerCapability::ManageSingleSignOn) => sso::pages::page,
        POST Customer(CustomerCapability::ManageSingleSignOn) => sso::pages::save,
    }
    "/customer/sso/domains" { POST Customer(CustomerCapability::ManageSingleSignOn) => sso::domains::claim }
    "/customer/sso/domains/{domain_id}/remove" { POST Customer(CustomerCapability::ManageSingleSignOn) => sso::domains::remove }
    "/customer/sso/domains/{domain_id}/check" { POST Customer(CustomerCapability::ManageSingleSignOn) => sso::dns::check }
    "/customer/sso/prove" { POST Customer(CustomerCapability::ManageSingleSignOn) => sso::proof::prove }
    "/sso/callback" { GET Public => sso::flow::callback }
    "/partner/api-tokens" {
        GET Partner(Capability::ManageApiTokens) => partner_api::token_pages::page,
        POST Partner(Capability::ManageApiTokens) => partner_api::token_pages::create,
    }
    "/partner/api-tokens/{token_id}/revoke" { POST Partner(Capability::ManageApiTokens) => partner_api::token_pages::revoke }
    "/partner/api-tokens/policy" { POST Partner(Capability::SetApiTokenPolicy) => partner_api::token_pages::set_policy }
    "/partner/webhooks" {
        GET Partner(Capability::ManageWebhooks) => webhooks::pages::page,
        POST Partner(Capability::ManageWebhooks) => webhooks::pages::create,
    }
    "/partner/webhooks/{webhook_id}" { GET Partner(Capability::ManageWebhooks) => webhooks::endpoint_pages::page }
    "/partner/webhooks/{webhook_id}/rotate" { POST Partner(Capability::ManageWebhooks) => webhooks::endpoint_pages::rotate }
    "/partner/webhooks/{webhook_id}/disable" { POST Partner(Capability::ManageWebhooks) => webhooks::endpoint_pages::disable }
    "/partner/webhooks/{webhook_id}/enable" { POST Partner(Capability::ManageWebhooks) => webhooks::endpoint_pages::enable }
    "/partner/webhooks/{webhook_id}/delete" { POST Partner(Capability::ManageWebhooks) => webhooks::endpoint_pages::delete }
    "/partner/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver" { POST Partner(Capability::ManageWebhooks) => webhooks::endpoint_pages::redeliver }
    "/partner/staff/{membership_id}/second-factor/reset" { POST Partner(Capability::ManageStaff) => second_factor::policy::reset::<PartnerMember> }
    "/customer/security" {
        GET Customer(CustomerCapability::ManageSecurity) => second_factor::policy::page::<CustomerMember>,
        POST Customer(CustomerCapability::ManageSecurity) => second_factor::policy::save::<CustomerMember>,
    }
    "/customer/users/{membership_id}/second-factor/reset" { POST Customer(CustomerCapability::ManageSecurity) => second_factor::policy::reset::<CustomerMember> }
    "/account/password" {
        GET SignedIn => signin::password::change_form,
        POST SignedIn => signin::password::change,
    }
    "/account" {
        GET SignedIn => profile::page,
        POST SignedIn => profile::save,
    }
    "/account/sessions/end-others" { POST SignedIn => profile::sessions::end_others }
    "/account/leave" {
        GET SignedIn => profile::leave::confirm,
        POST SignedIn => profile::leave::leave_membership,
    }
    "/help/roles" { GET SignedIn => signin::help::roles }
    "/suspended" { GET SignedIn => crate::organisations::suspension::staff_page }
    // The instance operator's area.
    "/admin" { GET InstanceOperator => admin::partners::page }
    "/admin/partners/new" {
        GET InstanceOperator => admin::create::form,
        POST InstanceOperator => admin::create::create,
    }
    "/admin/partners/{partner_id}/suspend" {
        GET InstanceOperator => admin::suspend::form,
        POST InstanceOperator => admin::suspend::suspend,
    }
    "/admin/partners/{partner_id}/reinstate" { POST InstanceOperator => admin::suspend::reinstate }
    "/admin/partners/{partner_id}/move" {
        GET InstanceOperator => admin::move_partner::form,
        POST InstanceOperator => admin::move_partner::move_partner,
    }
    "/admin/outbox" { GET InstanceOperator => admin::outbox::page }
    "/admin/outbox/retry" { POST InstanceOperator => admin::outbox::retry_all }
    "/admin/outbox/{email_id}/retry" { POST InstanceOperator => admin::outbox::retry_one }
    "/admin/activity" { GET InstanceOperator => admin::activity::page }
    "/admin/catalogue" { GET InstanceOperator => admin::catalogue::page }
    "/admin/catalogue/new" {
        GET InstanceOperator => admin::catalogue::form,
        POST InstanceOperator => admin::catalogue::add,
    }
    "/admin/catalogue/{offer_id}/retire" { POST InstanceOperator => admin::catalogue::retire }
    "/admin/health" { GET InstanceOperator => admin::health::page }
    "/admin/jobs" { GET InstanceOperator => admin::jobs::page }
    "/admin/health/customers/{customer_id}" { GET InstanceOperator => admin::health::customer::page }
    "/admin/health/customers/{customer_id}/services" { POST InstanceOperator => admin::health::customer::add_service }
    "/admin/health/customers/{customer_id}/incidents" { POST InstanceOperator => admin::health::customer::open_incident }
    "/admin/health/customers/{customer_id}/incidents/{incident_id}" {
        GET InstanceOperator => admin::health::incident::page,
        POST InstanceOperator => admin::health::incident::update,
    }
    "/customer" { GET Customer(CustomerCapability::SeeConsoleHome) => console::home }
    "/customer/leave" { POST Customer(CustomerCapability::LeaveAssistedSession) => assisted::pages::leave }
    "/customer/activity" { GET Customer(CustomerCapability::SeeActivity) => console::activity::page }
    "/customer/users" {
        GET Customer(CustomerCapability::SeeUsers) => console::users::page,
        POST Customer(CustomerCapability::ManageUsers) => console::users::invite,
    }
    "/customer/users/{membership_id}/role" { POST Customer(CustomerCapability::ManageUsers) => people_pages::change_role::<CustomerMember> }
    "/customer/users/{membership_id}/disable" { POST Customer(CustomerCapability::ManageUsers) => people_pages::disable::<CustomerMember> }
    "/customer/users/{membership_id}/resend" { POST Customer(CustomerCapability::ManageUsers) => people_pages::resend::<CustomerMember> }
    "/customer/users/{membership_id}/revoke" { POST Customer(CustomerCapability::ManageUsers) => people_pages::revoke::<CustomerMember> }
    "/customer/sites" {
        GET Customer(CustomerCapability::SeeAccount) => console::sites::page,
        POST Customer(CustomerCapability::ManageSites) => console::sites::create,
    }
    "/customer/sites/{site_id}/rename" { POST Customer(CustomerCapability::ManageAssignedSites) => console::sites::rename }
    "/customer/sites/{site_id}/administrators" { POST Customer(CustomerCapability::ManageSites) => console::sites::add_administrator }
    "/customer/sites/{site_id}/administrators/{membership_id}/remove" { POST Customer(CustomerCapability::ManageSites) => console::sites::remove_administrator }
    "/customer/assistance/notify" { POST Customer(CustomerCapability::ManagePartnerAssistance) => console::assistance::change_notification }
    "/customer/assistance/monitor-events" { POST Customer(CustomerCapability::ManagePartnerAssistance) => console::monitor_sharing::change }
    "/customer/assistance" {
        GET Customer(CustomerCapability::SeeAccount) => console::assistance::page,
        POST Customer(CustomerCapability::ManagePartnerAssistance) => console::assistance::change,
    }
    "/customer/orders" { GET Customer(CustomerCapability::SeeOrders) => orders::customer_page }
    "/customer/subscriptions" { GET Customer(CustomerCapability::SeeOrders) => subscriptions::customer_page }
    "/customer/subscriptions/{subscription_id}/owners" { POST Customer(CustomerCapability::ManageSubscriptionOwners) => subscriptions::customer_change_owner }
    "/customer/reservations" {
        GET Customer(CustomerCapability::SeeOrders) => purchase::page,
        POST Customer(CustomerCapability::BuyReservations) => purchase::buy,
    }
    "/partner" { GET Partner(Capability::SeePartnerHome) => partner::home }
    "/partner/activity" { GET Partner(Capability::SeeActivityLog) => partner::activity::page }
    "/partner/activity.csv" { GET Partner(Capability::SeeActivityLog) => partner::activity::csv }
    "/partner/staff" { GET Partner(Capability::ManageStaff) => staff::pages::list }
    "/partner/staff/invite" {
        GET Partner(Capability::ManageStaff) => staff::pages::invite_form,
        POST Partner(Capability::ManageStaff) => staff::pages::invite,
    }
    "/partner/staff/{membership_id}/role" { POST Partner(Capability::ManageStaff) => people_pages::change_role::<PartnerMember> }
    "/partner/staff/{membership_id}/customers" {
        GET Partner(Capability::ManageStaff) => staff::reach::page,
        POST Partner(Capability::ManageStaff) => staff::reach::save,
    }
    "/partner/staff/{membership_id}/disable" { POST Partner(Capability::ManageStaff) => people_pages::disable::<PartnerMember> }
    "/partner/staff/{membership_id}/resend" { POST Partner(Capability::ManageStaff) => people_pages::resend::<PartnerMember> }
    "/partner/staff/{membership_id}/revoke" { POST Partner(Capability::ManageStaff) => people_pages::revoke::<PartnerMember> }
    "/partner/context" { POST Partner(Capability::SeeCustomers) => partner::context::choose }
    "/partner/context/clear" { POST Partner(Capability::SeeCustomers) => partner::context::clear }
    "/partner/customers" { GET Partner(Capability::SeeCustomers) => list::page }
    "/partner/customers.csv" { GET Partner(Capability::SeeCustomers) => export::csv }
    "/partner/customers/new" {
        GET Partner(Capability::ManageCustomers) => create::form,
        POST Partner(Capability::ManageCustomers) => create::step,
    }
    "/partner/customers/import" {
        GET Partner(Capability::ManageCustomers) => import::form,
        POST Partner(Capability::ManageCustomers) => import::upload,
    }
    "/partner/customers/import/{import_id}" { GET Partner(Capability::ManageCustomers) => import::progress }
    "/partner/customers/{customer_id}" { GET Partner(Capability::SeeCustomers) => details::page }
    "/partner/customers/{customer_id}/assistance-request" { POST Partner(Capability::OpenCustomer) => assisted::request::request }
    "/partner/customers/{customer_id}/open" {
        GET Partner(Capability::OpenCustomer) => assisted::pages::form,
        POST Partner(Capability::OpenCustomer) => assisted::pages::open,
    }
    "/partner/customers/{customer_id}/users" { GET Partner(Capability::SeeCustomers) => partner::context::users }
    "/partner/customers/{customer_id}/contact" { GET Partner(Capability::SeeCustomers) => details::contact }
    "/partner/customers/{customer_id}/rename" { POST Partner(Capability::ManageCustomers) => details::rename }
    "/partner/customers/{customer_id}/administrator/username" { POST Partner(Capability::ManageCustomers) => details::change_username }
    "/partner/customers/{customer_id}/dissociate" {
        GET Partner(Capability::DissociateCustomer) => details::dissociate_form,
        POST Partner(Capability::DissociateCustomer) => details::dissociate,
    }
    "/partner/customers/{customer_id}/billing/convert" { POST Partner(Capability::ManageCustomers) => billing::convert_trial }
    "/partner/customers/{customer_id}/term" { POST Partner(Capability::ManageCustomers) => billing::change_term }
    "/partner/customers/{customer_id}/orders" {
        GET Partner(Capability::SeeCustomers) => orders::page,
        POST Partner(Capability::ManageCustomers) => orders::place_order,
    }
    "/partner/customers/{customer_id}/subscriptions" { GET Partner(Capability::SeeCustomers) => subscriptions::page }
    "/partner/customers/{customer_id}/subscriptions/{subscription_id}/owners" { POST Partner(Capability::ManageCustomers) => subscriptions::change_owner }
    "/partner/customers/{customer_id}/reservations" { GET Partner(Capability::SeeCustomers) => reservations::page }
    "/partner/customers/{customer_id}/reservations/{reservation_id}/cancel" { POST Partner(Capability::ManageCustomers) => reservations::cancel_request }
    "/partner/customers/{customer_id}/reservations/{reservation_id}/renew" { POST Partner(Capability::ManageCustomers) => reservations::renew_request }
    "/partner/customers/{customer_id}/reservations/{reservation_id}/exchange" { POST Partner(Capability::ManageCustomers) => reservations::exchange_request }
    "/partner/customers/{customer_id}/permissions" { POST Partner(Capability::ToggleCustomerPermissions) => permissions::change }
    "/partner/customers/{customer_id}/groups" { POST Partner(Capability::ManageCustomerGroups) => groups::add_customer }
    "/partner/customers/{customer_id}/groups/{group_id}/remove" { POST Partner(Capability::ManageCustomerGroups) => groups::remove_customer }
    // The partner tree: a distributor's resellers and their customers.
    "/partner/resellers" { GET Partner(Capability::SeeNetwork) => network::resellers::list }
    "/partner/resellers/new" {
        GET Partner(Capability::ManageResellers) => network::resellers::form,
        POST Partner(Capability::ManageResellers) => network::resellers::create,
    }
    "/partner/network/customers" { GET Partner(Capability::SeeNetwork) => network::customer_page::page }
    // Distributor assistance: the distributor's person in a reseller's portal.
    "/partner/resellers/{reseller_id}/assist" {
        GET Partner(Capability::AssistResellers) => network::assist::pages::form,
        POST Partner(Capability::AssistResellers) => network::assist::pages::start,
    }
    "/partner/assist/leave" { POST Partner(Capability::LeaveResellerAssistance) => network::assist::pages::leave }
    "/partner/distributor-assistance" {
        GET Partner(Capability::ManageDistributorAssistance) => network::assist::setting::page,
        POST Partner(Capability::ManageDistributorAssistance) => network::assist::setting::change,
    }
    "/partner/groups" {
        GET Partner(Capability::ManageCustomerGroups) => groups::page,
        POST Partner(Capability::ManageCustomerGroups) => groups::create,
    }
    "/partner/groups/rules" { POST Partner(Capability::ManageCustomerGroups) => group_rules::create }
    "/partner/groups/{group_id}/rule" {
        GET Partner(Capability::ManageCustomerGroups) => group_rule_edit::page,
        POST Partner(Capability::ManageCustomerGroups) => group_rule_edit::change,
    }
    "/partner/groups/{group_id}/rename" { POST Partner(Capability::ManageCustomerGroups) => groups::rename }
    "/partner/groups/{group_id}/delete" { POST Partner(Capability::ManageCustomerGroups) => groups::delete }
    // Service health.
    "/partner/customers/{customer_id}/health" { GET Partner(Capability::SeeCustomers) => health_pages::partner_page }
    "/customer/health" { GET Customer(CustomerCapability::SeeServiceHealth) => health_pages::customer_page }
    // Service requests.
    "/partner/requests" { GET Partner(Capability::ServiceRequestsOnBehalf) => partner_requests::list }
    "/partner/requests/{request_id}" { GET Partner(Capability::ServiceRequestsOnBehalf) => requests_desk::page::<PartnerMember> }
    "/partner/requests/{request_id}/messages" { POST Partner(Capability::ServiceRequestsOnBehalf) => requests_desk::reply::<PartnerMember> }
    "/partner/requests/{request_id}/status" { POST Partner(Capability::ServiceRequestsOnBehalf) => partner_requests::change_status }
    "/partner/customers/{customer_id}/requests" { GET Partner(Capability::ServiceRequestsOnBehalf) => partner_requests::customer_list }
    "/partner/customers/{customer_id}/requests/new" {
        GET Partner(Capability::ServiceRequestsOnBehalf) => partner_requests::new_form,
        POST Partner(Capability::ServiceRequestsOnBehalf) => partner_requests::open,
    }
    "/customer/requests" { GET Customer(CustomerCapability::ServiceRequests) => customer_requests::list }
    "/customer/requests/new" {
        GET Customer(CustomerCapability::ServiceRequests) => customer_requests::new_form,
        POST Customer(CustomerCapability::ServiceRequests) => customer_requests::open,
    }
    "/customer/requests/{request_id}" { GET Customer(CustomerCapability::ServiceRequests) => requests_desk::page::<CustomerMember> }
    "/customer/requests/{request_id}/messages" { POST Customer(CustomerCapability::ServiceRequests) => requests_desk::reply::<CustomerMember> }
    // The operator's API: service health.
    "/api/v1/customers/{customer_id}/services" {
        GET ApiOperator => health_api::services,
        POST ApiOperator => health_api::add_service,
    }
    "/api/v1/customers/{customer_id}/incidents" { POST ApiOperator => health_api::open_incident }
    "/api/v1/customers/{customer_id}/incidents/{incident_id}/updates" { POST ApiOperator => health_api::post_update }
    // The operator's API: licence usage.
    "/api/v1/customers/{customer_id}/licences" { GET ApiOperator => usage_api::licences }
    "/api/v1/customers/{customer_id}/licences/{licence_id}/usage" { PUT ApiOperator => usage_api::report_usage }
    // The partner API.
    "/api/v1/openapi.json" { GET Public => partner_api::openapi::serve }
    "/api/v1/reference" { GET Public => partner_api::reference::page }
    "/api/v1/partner/customers" {
        GET ApiPartner(TokenScope::ReadCustomers, Capability::SeeCustomers) => partner_api::customers::list,
        POST ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomers) => partner_api::customers::create,
    }
    "/api/v1/partner/customers/{customer_id}" {
        GET ApiPartner(TokenScope::ReadCustomers, Capability::SeeCustomers) => partner_api::customers::read,
        PATCH ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomers) => partner_api::customer_changes::change,
    }
    "/api/v1/partner/customers/{customer_id}/billing/convert" { POST ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomers) => partner_api::customer_changes::convert_trial }
    "/api/v1/partner/customers/{customer_id}/term" { PUT ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomers) => partner_api::customer_changes::change_term }
    "/api/v1/partner/customers/{customer_id}/dissociate" { POST ApiPartner(TokenScope::WriteCustomers, Capability::DissociateCustomer) => partner_api::customer_changes::dissociate }
    "/api/v1/partner/customers/{customer_id}/groups/{group_id}" {
        PUT ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomerGroups) => partner_api::groups::add_customer,
        DELETE ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomerGroups) => partner_api::groups::remove_customer,
    }
    "/api/v1/partner/customers/{customer_id}/permissions" { GET ApiPartner(TokenScope::ReadPermissions, Capability::SeeCustomerPermissions) => partner_api::permissions::list }
    "/api/v1/partner/customers/{customer_id}/permissions/{permission}" { PUT ApiPartner(TokenScope::WritePermissions, Capability::ToggleCustomerPermissions) => partner_api::permissions::set }
    "/api/v1/partner/customers/{customer_id}/health" { GET ApiPartner(TokenScope::ReadCustomers, Capability::SeeCustomers) => partner_api::health::read }
    "/api/v1/partner/groups" {
        GET ApiPartner(TokenScope::ReadCustomers, Capability::SeeCustomers) => partner_api::groups::list,
        POST ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomerGroups) => partner_api::groups::create,
    }
    // Deleting the group comes last: the matrix test's owner token deletes it.
    "/api/v1/partner/groups/{group_id}" {
        PATCH ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomerGroups) => partner_api::groups::rename,
        DELETE ApiPartner(TokenScope::WriteCustomers, Capability::ManageCustomerGroups) => partner_api::groups::delete,
    }
    // Monitoring: monitors and dashboards.
    "/customer/monitors" {
        GET Customer(CustomerCapability::SeeMonitors) => monitoring::pages::list,
        POST Customer(CustomerCapability::ManageMonitors) => monitoring::pages::create,
    }
    "/customer/monitors/new" { GET Customer(CustomerCapability::ManageMonitors) => monitoring::pages::new_form }
    "/customer/monitors/{monitor_id}" { GET Customer(CustomerCapability::SeeMonitors) => monitoring::pages::page }
    "/customer/monitors/{monitor_id}/edit" {
        GET Customer(CustomerCapability::ManageMonitors) => monitoring::pages::edit_form,
        POST Customer(CustomerCapability::ManageMonitors) => monitoring::pages::edit,
    }
    "/customer/monitors/{monitor_id}/delete" { POST Customer(CustomerCapability::ManageMonitors) => monitoring::pages::delete }
    "/customer/dashboards" {
        GET Customer(CustomerCapability::SeeMonitors) => monitoring::dashboard_pages::list,
        POST Customer(CustomerCapability::ManageDashboards) => monitoring::dashboard_pages::create,
    }
    "/customer/dashboards/{dashboard_id}" { GET Customer(CustomerCapability::SeeMonitors) => monitoring::dashboard_pages::page }
    "/customer/dashboards/{dashboard_id}/edit" {
        GET Customer(CustomerCapability::ManageDashboards) => monitoring::dashboard_pages::edit_form,
        POST Customer(CustomerCapability::ManageDashboards) => monitoring::dashboard_pages::edit,
    }
    "/customer/dashboards/{dashboard_id}/delete" { POST Customer(CustomerCapability::ManageDashboards) => monitoring::dashboard_pages::delete }
    // The partner API: orders, reservations, service requests, activity, staff.
    "/api/v1/partner/customers/{customer_id}/orders" {
        GET ApiPartner(TokenScope::ReadOrders, Capability::SeeCustomers) => partner_api::orders::list,
        POST ApiPartner(TokenScope::WriteOrders, Capability::ManageCustomers) => partner_api::orders::place,
    }
    "/api/v1/partner/customers/{customer_id}/subscriptions" { GET ApiPartner(TokenScope::ReadOrders, Capability::SeeCustomers) => partner_api::orders::subscriptions }
    "/api/v1/partner/customers/{customer_id}/reservations" { GET ApiPartner(TokenScope::ReadOrders, Capability::SeeCustomers) => partner_api::reservations::list }
    "/api/v1/partner/customers/{customer_id}/reservations/{reservation_id}/renew" { POST ApiPartner(TokenScope::WriteOrders, Capability::ManageCustomers) => partner_api::reservations::renew }
    "/api/v1/partner/customers/{customer_id}/reservations/{reservation_id}/exchange" { POST ApiPartner(TokenScope::WriteOrders, Capability::ManageCustomers) => partner_api::reservations::exchange }
    "/api/v1/partner/customers/{customer_id}/reservations/{reservation_id}/cancel" { POST ApiPartner(TokenScope::WriteOrders, Capability::ManageCustomers) => partner_api::reservations::cancel }
    "/api/v1/partner/requests" { GET ApiPartner(TokenScope::ReadRequests, Capability::ServiceRequestsOnBehalf) => partner_api::requests::list }
    "/api/v1/partner/requests/{request_id}" { GET ApiPartner(TokenScope::ReadRequests, Capability::ServiceRequestsOnBehalf) => partner_api::requests::read }
    "/api/v1/partner/requests/{request_id}/messages" { POST ApiPartner(TokenScope::WriteRequests, Capability::ServiceRequestsOnBehalf) => partner_api::request_writes::reply }
    "/api/v1/partner/requests/{request_id}/status" { PUT ApiPartner(TokenScope::WriteRequests, Capability::ServiceRequestsOnBehalf) => partner_api::request_writes::change_status }
    "/api/v1/partner/customers/{customer_id}/requests" {
        GET ApiPartner(TokenScope::ReadRequests, Capability::ServiceRequestsOnBehalf) => partner_api::requests::customer_list,
        POST ApiPartner(TokenScope::WriteRequests, Capability::ServiceRequestsOnBehalf) => partner_api::request_writes::open,
    }
    "/api/v1/partner/activity" { GET ApiPartner(TokenScope::ReadActivity, Capability::SeeActivityLog) => partner_api::activity::list }
    "/api/v1/partner/staff" { GET ApiPartner(TokenScope::ReadStaff, Capability::ManageStaff) => partner_api::staff::list }
    "/customer/api-tokens" {
        GET Customer(CustomerCapability::ManageApiTokens) => monitoring::token_pages::page,
        POST Customer(CustomerCapability::ManageApiTokens) => monitoring::token_pages::create,
    }
    "/customer/api-tokens/{token_id}/revoke" { POST Customer(CustomerCapability::ManageApiTokens) => monitoring::token_pages::revoke }
    "/api/v1/monitors" { GET ApiCustomer => monitoring::api::list }
    "/api/v1/monitors/{monitor_id}/results" { POST ApiCustomer => monitoring::api::post_results }
    "/api/v1/monitors/{monitor_id}/errors" { POST ApiCustomer => monitoring::api::post_errors }
    // Alert definitions.
    "/customer/alerts" {
        GET Customer(CustomerCapability::SeeMonitors) => monitoring::alert_pages::list,
        POST Customer(CustomerCapability::ManageAlerts) => monitoring::alert_pages::create,
    }
    "/customer/alerts/{definition_id}" {
        GET Customer(CustomerCapability::ManageAlerts) => monitoring::alert_pages::edit_form,
        POST Customer(CustomerCapability::ManageAlerts) => monitoring::alert_pages::edit,
    }
    "/customer/alerts/{definition_id}/delete" { POST Customer(CustomerCapability::ManageAlerts) => monitoring::alert_pages::delete }
    // Sub-accounts.
    "/customer/sub-accounts" {
        GET Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::pages::list,
        POST Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::pages::create,
    }
    "/customer/sub-accounts/{sub_account_id}" {
        GET Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::pages::page,
        POST Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::pages::change,
    }
    "/customer/sub-accounts/{sub_account_id}/grants" { POST Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::pages::set_grants }
    "/customer/sub-accounts/{sub_account_id}/operators" { POST Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::operator_pages::invite }
    "/customer/sub-accounts/{sub_account_id}/operators/{membership_id}/remove" { POST Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::operator_pages::remove }
    "/customer/sub-accounts/{sub_account_id}/operators/{membership_id}/resend" { POST Customer(CustomerCapability::ManageSubAccounts) => sub_accounts::operator_pages::resend }
}

/// The cap on a request body to `path`: uploads may carry a file, with some room
/// for the multipart framing around it; everything else is a form or JSON.
pub fn body_limit(path: &str) -> usize {
    if path == import::PATH {
        import::MAX_BYTES + 64 * 1024
    } else {
        MAX_BODY_BYTES
    }
}

//! The actions that ask for the second factor again (step-up).

/// The actions that hand out access, which ask a person who has a second
/// factor to present it again when the last time is more than
/// `auth::second_factor_rule::STEP_UP_MINUTES` old: (method, route path).
pub const STEP_UP: &[(&str, &str)] = &[
    ("POST", "/partner/customers/{customer_id}/open"),
    ("POST", "/partner/staff/invite"),
    ("POST", "/partner/staff/{membership_id}/role"),
    ("POST", "/partner/staff/{membership_id}/customers"),
    ("POST", "/partner/staff/{membership_id}/second-factor/reset"),
    ("POST", "/partner/customers/{customer_id}/permissions"),
    ("POST", "/partner/security"),
    ("POST", "/partner/sso"),
    ("POST", "/partner/sso/domains"),
    ("POST", "/partner/sso/domains/{domain_id}/remove"),
    ("POST", "/partner/sso/prove"),
    ("POST", "/partner/sso/domains/{domain_id}/check"),
    ("POST", "/customer/sso"),
    ("POST", "/customer/sso/domains"),
    ("POST", "/customer/sso/domains/{domain_id}/remove"),
    ("POST", "/customer/sso/prove"),
    ("POST", "/customer/sso/domains/{domain_id}/check"),
    ("POST", "/customer/users"),
    ("POST", "/customer/users/{membership_id}/role"),
    (
        "POST",
        "/customer/users/{membership_id}/second-factor/reset",
    ),
    ("POST", "/customer/api-tokens"),
    ("POST", "/partner/api-tokens"),
    ("POST", "/partner/api-tokens/policy"),
    ("POST", "/partner/webhooks"),
    ("POST", "/partner/webhooks/{webhook_id}/rotate"),
    ("POST", "/customer/security"),
    ("POST", "/account/security/factors/{factor_id}/remove"),
    ("POST", "/account/security/recovery-codes"),
    ("POST", "/admin/partners/new"),
    ("POST", "/admin/partners/{partner_id}/suspend"),
    ("POST", "/admin/partners/{partner_id}/reinstate"),
    // What every partner may order, and what it costs.
    ("POST", "/admin/catalogue/new"),
    ("POST", "/admin/catalogue/{offer_id}/retire"),
    ("POST", "/admin/partners/{partner_id}/move"),
    ("POST", "/partner/resellers/new"),
    // Entering a reseller's portal, and letting the distributor in.
    ("POST", "/partner/resellers/{reseller_id}/assist"),
    ("POST", "/partner/distributor-assistance"),
    // A rule decides what the staff limited to its group reach.
    ("POST", "/partner/groups/{group_id}/rule"),
];

pub fn needs_step_up(method: &str, path: &str) -> bool {
    STEP_UP.iter().any(|(m, p)| *m == method && *p == path)
}

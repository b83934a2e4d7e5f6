//! One portable schema for both backends; the migrations in migrations/sqlite and
//! migrations/postgres must produce exactly these tables and columns.
//!
//! The tables are declared by area in the files below; how they join, and
//! which may meet in one query, is declared here.

mod commerce;
mod identity;
mod instance;
mod monitoring;
mod service;
mod sso;
mod tenants;
mod webhooks;

pub use commerce::*;
pub use identity::*;
pub use instance::*;
pub use monitoring::*;
pub use service::*;
pub use sso::*;
pub use tenants::*;
pub use webhooks::*;

diesel::joinable!(second_factors -> logins (login_id));
diesel::joinable!(instance_operators -> logins (login_id));
diesel::joinable!(sso_connections -> partner_organisations (partner_id));
diesel::joinable!(sso_domains -> partner_organisations (partner_id));
diesel::joinable!(recovery_codes -> logins (login_id));

diesel::joinable!(memberships -> logins (login_id));
diesel::joinable!(memberships -> partner_organisations (partner_id));
diesel::joinable!(login_tokens -> logins (login_id));

diesel::joinable!(sessions -> logins (login_id));
diesel::joinable!(customer_security -> customer_accounts (customer_id));
diesel::joinable!(activity_log -> partner_organisations (partner_id));
diesel::joinable!(activity_log -> customer_accounts (customer_id));
diesel::joinable!(activity_log -> partner_api_tokens (api_token_id));
diesel::joinable!(partner_api_tokens -> logins (creator_login_id));
diesel::joinable!(partner_api_tokens -> memberships (creator_membership_id));

diesel::joinable!(memberships -> customer_accounts (customer_id));
diesel::joinable!(customer_accounts -> partner_organisations (partner_id));
diesel::joinable!(customer_groups -> partner_organisations (partner_id));
diesel::joinable!(sites -> customer_accounts (customer_id));
diesel::joinable!(devices -> customer_accounts (customer_id));
diesel::joinable!(licences -> customer_accounts (customer_id));
diesel::joinable!(customer_group_members -> customer_accounts (customer_id));
diesel::joinable!(customer_group_members -> customer_groups (group_id));
diesel::joinable!(membership_groups -> customer_groups (group_id));
diesel::joinable!(customer_group_rules -> customer_groups (group_id));
diesel::joinable!(membership_groups -> memberships (membership_id));

diesel::joinable!(assisted_sessions -> customer_accounts (customer_id));
diesel::joinable!(assisted_sessions -> partner_organisations (partner_id));
diesel::joinable!(assisted_sessions -> memberships (partner_membership_id));

diesel::joinable!(site_administrators -> sites (site_id));
diesel::joinable!(site_administrators -> memberships (membership_id));

diesel::joinable!(orders -> customer_accounts (customer_id));
diesel::joinable!(orders -> partner_organisations (partner_id));
diesel::joinable!(subscriptions -> customer_accounts (customer_id));
diesel::joinable!(subscription_owners -> subscriptions (subscription_id));
diesel::joinable!(subscription_owners -> memberships (membership_id));
diesel::joinable!(reservations -> subscriptions (subscription_id));
diesel::joinable!(customer_permissions -> customer_accounts (customer_id));

diesel::joinable!(services -> customer_accounts (customer_id));
diesel::joinable!(service_incidents -> services (service_id));
diesel::joinable!(service_incident_updates -> service_incidents (incident_id));
diesel::joinable!(service_requests -> customer_accounts (customer_id));
diesel::joinable!(service_request_messages -> service_requests (request_id));

diesel::allow_tables_to_appear_in_same_query!(
    membership_groups,
    customer_group_rules,
    api_tokens,
    services,
    service_incidents,
    service_incident_updates,
    service_requests,
    service_request_messages,
    offers,
    orders,
    subscriptions,
    subscription_owners,
    reservations,
    customer_permissions,
    site_administrators,
    assisted_sessions,
    customer_accounts,
    customer_counts,
    sites,
    devices,
    licences,
    customer_groups,
    customer_group_members,
    customer_imports,
    partner_organisations,
    logins,
    memberships,
    login_tokens,
    email_outbox,
    sessions,
    auth_failures,
    second_factors,
    recovery_codes,
    customer_security,
    withdrawn_links,
    activity_log,
    sso_connections,
    sso_domains,
    partner_api_tokens,
    api_idempotency_keys,
    instance_operators,
    instance_activity,
);

diesel::joinable!(monitors -> sites (site_id));
diesel::joinable!(dashboard_monitors -> monitors (monitor_id));
diesel::joinable!(dashboard_monitors -> dashboards (dashboard_id));
diesel::joinable!(monitor_results -> monitors (monitor_id));
diesel::joinable!(monitor_rollups -> monitors (monitor_id));
diesel::joinable!(monitor_daily_rollups -> monitors (monitor_id));
diesel::joinable!(monitor_errors -> monitors (monitor_id));
diesel::allow_tables_to_appear_in_same_query!(
    monitors,
    monitor_results,
    monitor_rollups,
    monitor_daily_rollups,
    monitor_errors,
    dashboards,
    dashboard_monitors,
    sites,
);

diesel::joinable!(memberships -> sub_accounts (sub_account_id));
diesel::joinable!(sub_account_dashboards -> sub_accounts (sub_account_id));
diesel::joinable!(sub_account_dashboards -> dashboards (dashboard_id));
diesel::joinable!(sub_account_monitors -> sub_accounts (sub_account_id));
diesel::joinable!(sub_account_monitors -> monitors (monitor_id));
diesel::joinable!(alert_definition_monitors -> alert_definitions (alert_definition_id));
diesel::joinable!(alert_definition_monitors -> monitors (monitor_id));
diesel::joinable!(alert_definition_recipients -> alert_definitions (alert_definition_id));
diesel::joinable!(alert_definition_recipients -> memberships (membership_id));
diesel::allow_tables_to_appear_in_same_query!(
    sub_accounts,
    sub_account_dashboards,
    sub_account_monitors,
    alert_definitions,
    alert_definition_monitors,
    alert_definition_recipients,
);

// The new tables beside older ones, pair by pair (a pair may be declared once).
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, memberships);
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, partner_organisations);
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, customer_accounts);
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, logins);
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, monitors);
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, dashboards);
diesel::allow_tables_to_appear_in_same_query!(sub_account_monitors, monitors);
diesel::allow_tables_to_appear_in_same_query!(sub_account_dashboards, dashboards);
diesel::allow_tables_to_appear_in_same_query!(sub_account_dashboards, dashboard_monitors);
diesel::allow_tables_to_appear_in_same_query!(alert_definitions, monitors);
diesel::allow_tables_to_appear_in_same_query!(alert_definition_monitors, monitors);
diesel::allow_tables_to_appear_in_same_query!(alert_definition_recipients, memberships);
diesel::allow_tables_to_appear_in_same_query!(alert_definition_recipients, logins);
diesel::allow_tables_to_appear_in_same_query!(sub_account_dashboards, monitors);
diesel::joinable!(api_tokens -> sub_accounts (sub_account_id));
diesel::allow_tables_to_appear_in_same_query!(api_tokens, sub_accounts);

diesel::joinable!(monitors -> customer_accounts (customer_id));
diesel::allow_tables_to_appear_in_same_query!(monitors, customer_accounts);
diesel::allow_tables_to_appear_in_same_query!(monitors, customer_group_members);
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, customer_security);

diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_endpoints -> partner_organisations (partner_id));
diesel::allow_tables_to_appear_in_same_query!(webhook_deliveries, webhook_endpoints);
diesel::allow_tables_to_appear_in_same_query!(partner_organisations, webhook_deliveries);
diesel::allow_tables_to_appear_in_same_query!(webhook_endpoints, partner_organisations);
diesel::allow_tables_to_appear_in_same_query!(webhook_endpoints, memberships);
diesel::allow_tables_to_appear_in_same_query!(webhook_endpoints, logins);

diesel::allow_tables_to_appear_in_same_query!(partner_parent_history, partner_organisations);

diesel::joinable!(reseller_assists -> partner_organisations (reseller_id));
diesel::joinable!(reseller_assists -> memberships (distributor_membership_id));
diesel::allow_tables_to_appear_in_same_query!(reseller_assists, partner_organisations);
diesel::allow_tables_to_appear_in_same_query!(reseller_assists, memberships);
diesel::allow_tables_to_appear_in_same_query!(reseller_assists, logins);

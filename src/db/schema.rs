// One portable schema for both backends; the migrations in migrations/sqlite and
// migrations/postgres must produce exactly these tables and columns.

diesel::table! {
    partner_organisations (id) {
        id -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        created_at -> Timestamp,
        second_factor_required_since -> Nullable<Timestamp>,
        second_factor_grace_days -> Integer,
    }
}

diesel::table! {
    second_factors (id) {
        id -> Text,
        login_id -> Text,
        kind -> Text,
        label -> Text,
        secret -> Nullable<Text>,
        last_used_step -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        credential -> Nullable<Text>,
        credential_id -> Nullable<Text>,
    }
}

diesel::table! {
    recovery_codes (code_hash) {
        code_hash -> Text,
        login_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// An account's rule on second factors (migration 18).
    customer_security (customer_id) {
        customer_id -> Text,
        second_factor_required_since -> Nullable<Timestamp>,
        second_factor_grace_days -> Integer,
    }
}

diesel::joinable!(second_factors -> logins (login_id));
diesel::joinable!(recovery_codes -> logins (login_id));

diesel::table! {
    logins (id) {
        id -> Text,
        username -> Text,
        username_key -> Text,
        email -> Text,
        full_name -> Text,
        password_hash -> Nullable<Text>,
        state -> Text,
        language -> Text,
        time_zone -> Text,
        identity_provider -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        login_id -> Text,
        scope -> Text,
        partner_id -> Nullable<Text>,
        customer_id -> Nullable<Text>,
        role -> Text,
        state -> Text,
        created_at -> Timestamp,
        notify_on_open -> Bool,
        invited_by_login_id -> Nullable<Text>,
        /// An operator's sub-account (scope `sub_account`, migration 10).
        sub_account_id -> Nullable<Text>,
        /// What the inviter typed; shown to the inviter instead of the login's
        /// own details until the person accepts (migration 15).
        invited_email -> Nullable<Text>,
        invited_name -> Nullable<Text>,
        /// An offer to an existing login: its link's SHA-256.
        invitation_token_hash -> Nullable<Text>,
        invitation_sent_at -> Nullable<Timestamp>,
        invitation_expires_at -> Nullable<Timestamp>,
        /// The outbox row of the offer's latest email (migration 20).
        invitation_email_id -> Nullable<Text>,
    }
}

diesel::table! {
    login_tokens (token_hash) {
        token_hash -> Text,
        login_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(memberships -> logins (login_id));
diesel::joinable!(memberships -> partner_organisations (partner_id));
diesel::joinable!(login_tokens -> logins (login_id));

diesel::table! {
    sessions (key_hash) {
        key_hash -> Text,
        login_id -> Nullable<Text>,
        state -> Text,
        created_at -> Timestamp,
        idle_expires_at -> Timestamp,
        absolute_expires_at -> Timestamp,
        /// The membership the session acts as (migration 15).
        membership_id -> Nullable<Text>,
        /// Where the session was signed in from, for the profile's list
        /// (migration 17): the browser's User-Agent and the client's address.
        user_agent -> Nullable<Text>,
        client_address -> Nullable<Text>,
        /// When the session was last used, give or take the minute by which
        /// the idle expiry is written.
        last_seen_at -> Nullable<Timestamp>,
        /// A random id naming the session on pages; never its key.
        public_id -> Nullable<Text>,
    }
}

diesel::table! {
    withdrawn_links (token_hash) {
        token_hash -> Text,
        withdrawn_at -> Timestamp,
    }
}

diesel::table! {
    auth_failures (id) {
        id -> Text,
        kind -> Text,
        username_key -> Text,
        client_key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    activity_log (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_login_id -> Nullable<Text>,
        actor_name -> Text,
        acting_membership_id -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        action -> Text,
        target -> Text,
        details -> Text,
        customer_id -> Nullable<Text>,
        on_behalf_of -> Nullable<Text>,
    }
}

diesel::table! {
    site_administrators (site_id, membership_id) {
        site_id -> Text,
        membership_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assisted_sessions (id) {
        id -> Text,
        customer_id -> Text,
        partner_id -> Text,
        partner_membership_id -> Text,
        login_id -> Text,
        reason -> Text,
        started_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
    }
}

diesel::joinable!(sessions -> logins (login_id));
diesel::joinable!(customer_security -> customer_accounts (customer_id));
diesel::joinable!(activity_log -> partner_organisations (partner_id));
diesel::joinable!(activity_log -> customer_accounts (customer_id));

diesel::table! {
    customer_accounts (id) {
        id -> Text,
        partner_id -> Nullable<Text>,
        name -> Text,
        name_key -> Text,
        primary_domain -> Text,
        search_text -> Text,
        country -> Text,
        data_region -> Text,
        time_zone -> Text,
        reference_number -> Text,
        subscription_term -> Text,
        term_started_on -> Date,
        next_term -> Nullable<Text>,
        next_term_from -> Nullable<Date>,
        address_line1 -> Text,
        address_line2 -> Text,
        postal_code -> Text,
        city -> Text,
        region -> Text,
        contact_name -> Text,
        contact_email -> Text,
        contact_phone -> Text,
        state -> Text,
        billing_type -> Text,
        trial_ends_on -> Nullable<Date>,
        managed_order -> Bool,
        health_level -> Integer,
        partner_assistance -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// Kept by triggers on `licences` (migration 4): 1 an active licence, 2 a
        /// trial licence, 4 an expired licence, 8 an active or trial licence
        /// supplied by the customer's own partner; 16 (migration 13) an active
        /// licence with more seats in use than its quantity.
        licence_flags -> Integer,
    }
}

diesel::table! {
    /// A partner's customers by combination of the filterable columns, kept by
    /// triggers on `customer_accounts` (migration 4).
    customer_counts (partner_id, state, billing_type, health_level, licence_flags) {
        partner_id -> Text,
        state -> Text,
        billing_type -> Text,
        health_level -> Integer,
        licence_flags -> Integer,
        customers -> Integer,
    }
}

diesel::table! {
    sites (id) {
        id -> Text,
        customer_id -> Text,
        name -> Text,
        time_zone -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    devices (id) {
        id -> Text,
        customer_id -> Text,
        site_id -> Text,
        name -> Text,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    licences (id) {
        id -> Text,
        customer_id -> Text,
        product -> Text,
        quantity -> Integer,
        status -> Text,
        supplied_by_partner_id -> Nullable<Text>,
        expires_on -> Nullable<Date>,
        created_at -> Timestamp,
        /// Seats in use as last reported by the operator's API (migration 13);
        /// NULL until reported.
        seats_used -> Nullable<Integer>,
        /// The customer's partner, kept by triggers (migration 14).
        partner_id -> Nullable<Text>,
    }
}

diesel::table! {
    customer_groups (id) {
        id -> Text,
        partner_id -> Text,
        name -> Text,
        name_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_group_members (group_id, customer_id) {
        group_id -> Text,
        customer_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    customer_imports (id) {
        id -> Text,
        partner_id -> Text,
        created_by_login_id -> Text,
        state -> Text,
        total_rows -> Integer,
        checked_rows -> Integer,
        imported_rows -> Integer,
        problems -> Text,
        source -> Text,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        upload -> Text,
        language -> Text,
        acting_membership_id -> Nullable<Text>,
        actor_name -> Text,
        claim_token -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        attempts -> Integer,
        failure -> Nullable<Text>,
    }
}

diesel::joinable!(memberships -> customer_accounts (customer_id));
diesel::joinable!(customer_accounts -> partner_organisations (partner_id));
diesel::joinable!(customer_groups -> partner_organisations (partner_id));
diesel::joinable!(sites -> customer_accounts (customer_id));
diesel::joinable!(devices -> customer_accounts (customer_id));
diesel::joinable!(licences -> customer_accounts (customer_id));
diesel::joinable!(customer_group_members -> customer_accounts (customer_id));
diesel::joinable!(customer_group_members -> customer_groups (group_id));

diesel::joinable!(assisted_sessions -> customer_accounts (customer_id));
diesel::joinable!(assisted_sessions -> partner_organisations (partner_id));
diesel::joinable!(assisted_sessions -> memberships (partner_membership_id));

diesel::joinable!(site_administrators -> sites (site_id));
diesel::joinable!(site_administrators -> memberships (membership_id));

diesel::table! {
    offers (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        unit_price_cents -> BigInt,
        currency -> Text,
        term_months -> Integer,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    orders (id) {
        id -> Text,
        customer_id -> Text,
        partner_id -> Text,
        offer_id -> Text,
        offer_name -> Text,
        offer_kind -> Text,
        purpose -> Text,
        quantity -> Integer,
        unit_price_cents -> BigInt,
        total_cents -> BigInt,
        currency -> Text,
        placed_by -> Text,
        placed_by_login_id -> Nullable<Text>,
        placed_by_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        customer_id -> Text,
        order_id -> Text,
        offer_id -> Text,
        name -> Text,
        kind -> Text,
        quantity -> Integer,
        state -> Text,
        started_on -> Date,
        ends_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    subscription_owners (subscription_id, membership_id) {
        subscription_id -> Text,
        membership_id -> Text,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    reservations (id) {
        id -> Text,
        customer_id -> Text,
        order_id -> Text,
        offer_id -> Text,
        subscription_id -> Text,
        name -> Text,
        quantity -> Integer,
        state -> Text,
        starts_on -> Date,
        ends_on -> Date,
        bought_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    customer_permissions (customer_id, permission) {
        customer_id -> Text,
        permission -> Text,
        granted_by_login_id -> Nullable<Text>,
        granted_at -> Timestamp,
    }
}

diesel::joinable!(orders -> customer_accounts (customer_id));
diesel::joinable!(orders -> partner_organisations (partner_id));
diesel::joinable!(subscriptions -> customer_accounts (customer_id));
diesel::joinable!(subscription_owners -> subscriptions (subscription_id));
diesel::joinable!(subscription_owners -> memberships (membership_id));
diesel::joinable!(reservations -> subscriptions (subscription_id));
diesel::joinable!(customer_permissions -> customer_accounts (customer_id));

diesel::table! {
    /// JSON API tokens, by the SHA-256 of the token (migration 7).
    api_tokens (id) {
        id -> Text,
        token_hash -> Text,
        scope -> Text,
        customer_id -> Nullable<Text>,
        name -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        sub_account_id -> Nullable<Text>,
    }
}

diesel::table! {
    services (id) {
        id -> Text,
        customer_id -> Text,
        name -> Text,
        name_key -> Text,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    service_incidents (id) {
        id -> Text,
        service_id -> Text,
        customer_id -> Text,
        title -> Text,
        state -> Text,
        started_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    service_incident_updates (id) {
        id -> Text,
        incident_id -> Text,
        posted_at -> Timestamp,
        state -> Text,
        body -> Text,
    }
}

diesel::table! {
    service_requests (id) {
        id -> Text,
        customer_id -> Text,
        title -> Text,
        category -> Text,
        description -> Text,
        status -> Text,
        opened_by_login_id -> Text,
        opened_by_name -> Text,
        opened_by_side -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    service_request_messages (id) {
        id -> Text,
        request_id -> Text,
        author_login_id -> Text,
        author_name -> Text,
        author_side -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(services -> customer_accounts (customer_id));
diesel::joinable!(service_incidents -> services (service_id));
diesel::joinable!(service_incident_updates -> service_incidents (incident_id));
diesel::joinable!(service_requests -> customer_accounts (customer_id));
diesel::joinable!(service_request_messages -> service_requests (request_id));

diesel::allow_tables_to_appear_in_same_query!(
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
);

diesel::table! {
    monitors (id) {
        id -> Text,
        customer_id -> Text,
        name -> Text,
        name_key -> Text,
        kind -> Text,
        target -> Text,
        site_id -> Nullable<Text>,
        last_checked_at -> Nullable<Timestamp>,
        last_success -> Nullable<Bool>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sub_account_id -> Nullable<Text>,
        failure_streak -> Integer,
    }
}

diesel::table! {
    monitor_results (monitor_id, checked_at) {
        monitor_id -> Text,
        checked_at -> Timestamp,
        success -> Bool,
        response_ms -> Nullable<Integer>,
        message -> Nullable<Text>,
        received_at -> Timestamp,
    }
}

diesel::table! {
    monitor_rollups (monitor_id, hour) {
        monitor_id -> Text,
        hour -> Timestamp,
        checks -> BigInt,
        successes -> BigInt,
        timed -> BigInt,
        response_sum -> BigInt,
        response_max -> BigInt,
        h0 -> BigInt,
        h1 -> BigInt,
        h2 -> BigInt,
        h3 -> BigInt,
        h4 -> BigInt,
        h5 -> BigInt,
        h6 -> BigInt,
        h7 -> BigInt,
        h8 -> BigInt,
        h9 -> BigInt,
        h10 -> BigInt,
        h11 -> BigInt,
    }
}

diesel::table! {
    monitor_daily_rollups (monitor_id, day) {
        monitor_id -> Text,
        day -> Date,
        checks -> BigInt,
        successes -> BigInt,
        timed -> BigInt,
        response_sum -> BigInt,
        response_max -> BigInt,
        h0 -> BigInt,
        h1 -> BigInt,
        h2 -> BigInt,
        h3 -> BigInt,
        h4 -> BigInt,
        h5 -> BigInt,
        h6 -> BigInt,
        h7 -> BigInt,
        h8 -> BigInt,
        h9 -> BigInt,
        h10 -> BigInt,
        h11 -> BigInt,
    }
}

diesel::table! {
    monitor_errors (id) {
        id -> Text,
        monitor_id -> Text,
        logged_at -> Timestamp,
        severity -> Text,
        message -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    dashboards (id) {
        id -> Text,
        customer_id -> Text,
        name -> Text,
        name_key -> Text,
        sla_target -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sub_account_id -> Nullable<Text>,
    }
}

diesel::table! {
    dashboard_monitors (dashboard_id, monitor_id) {
        dashboard_id -> Text,
        monitor_id -> Text,
    }
}

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

diesel::table! {
    /// Parts of a customer account handed to operators (migration 10).
    sub_accounts (id) {
        id -> Text,
        customer_id -> Text,
        name -> Text,
        name_key -> Text,
        can_build_dashboards -> Bool,
        can_manage_monitors -> Bool,
        monitor_quota -> Integer,
        can_edit_alerts -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sub_account_dashboards (sub_account_id, dashboard_id) {
        sub_account_id -> Text,
        dashboard_id -> Text,
    }
}

diesel::table! {
    sub_account_monitors (sub_account_id, monitor_id) {
        sub_account_id -> Text,
        monitor_id -> Text,
    }
}

diesel::table! {
    alert_definitions (id) {
        id -> Text,
        customer_id -> Text,
        sub_account_id -> Nullable<Text>,
        name -> Text,
        name_key -> Text,
        failures -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    alert_definition_monitors (alert_definition_id, monitor_id) {
        alert_definition_id -> Text,
        monitor_id -> Text,
        alerting -> Bool,
    }
}

diesel::table! {
    alert_definition_recipients (alert_definition_id, membership_id) {
        alert_definition_id -> Text,
        membership_id -> Text,
    }
}

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

diesel::table! {
    /// How many of a partner's customers entered (+) or left (-) each state in
    /// each hour (UTC), kept by triggers on `customer_accounts` (migration 12).
    customer_state_changes (partner_id, hour, state) {
        partner_id -> Text,
        hour -> Timestamp,
        state -> Text,
        delta -> Integer,
    }
}

diesel::table! {
    /// A partner's customers by the hour (UTC) they were created, kept by
    /// triggers on `customer_accounts` (migration 12).
    customer_creations (partner_id, hour) {
        partner_id -> Text,
        hour -> Timestamp,
        customers -> Integer,
    }
}

diesel::table! {
    /// The number of monitors of each partner's customers, kept by triggers on
    /// `monitors` and on a customer's partner (migration 12).
    partner_monitors (partner_id) {
        partner_id -> Text,
        monitors -> Integer,
    }
}

diesel::joinable!(monitors -> customer_accounts (customer_id));
diesel::allow_tables_to_appear_in_same_query!(monitors, customer_accounts);
diesel::allow_tables_to_appear_in_same_query!(sub_accounts, customer_security);

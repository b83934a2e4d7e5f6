//! Partner organisations, customer accounts and what hangs on them (sites, licences, groups,
//! imports, sub-accounts), and the tables derived from them.

diesel::table! {
    partner_organisations (id) {
        id -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        created_at -> Timestamp,
        second_factor_required_since -> Nullable<Timestamp>,
        second_factor_grace_days -> Integer,
        suspended_at -> Nullable<Timestamp>,
        suspension_reason -> Nullable<Text>,
        admin_agents_manage_api_tokens -> Bool,
        distributor_assistance -> Bool,
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

diesel::table! {
    site_administrators (site_id, membership_id) {
        site_id -> Text,
        membership_id -> Text,
        created_at -> Timestamp,
    }
}

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
        /// The account tells its partner's webhooks when a monitor goes down
        /// or recovers (migration 31).
        shares_monitor_events -> Bool,
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
    /// A partner's trial customers by the day their trial ends; kept by
    /// triggers (migration 41).
    customer_trial_ends (partner_id, day) {
        partner_id -> Text,
        day -> Date,
        customers -> Integer,
    }
}

diesel::table! {
    /// Each customer's dates of active licence expiry, with the customer's
    /// previous such date; kept by triggers (migration 40).
    customer_expiry_dates (partner_id, expires_on, customer_id) {
        partner_id -> Text,
        expires_on -> Date,
        customer_id -> Text,
        previous_expiry -> Nullable<Date>,
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
    /// The conditions of a rule-based group (migration 33): NULL asks nothing.
    customer_group_rules (group_id) {
        group_id -> Text,
        country -> Nullable<Text>,
        billing_type -> Nullable<Text>,
        state -> Nullable<Text>,
        licence_status -> Nullable<Text>,
        product -> Nullable<Text>,
        health_level -> Nullable<Integer>,
        created_from -> Nullable<Date>,
        created_until -> Nullable<Date>,
        reference_prefix -> Nullable<Text>,
        in_group_id -> Nullable<Text>,
    }
}

diesel::table! {
    customer_group_members (group_id, customer_id) {
        group_id -> Text,
        customer_id -> Text,
        added_at -> Timestamp,
        /// Copies of the customer's columns of the same names (and of its
        /// `created_at`), kept by triggers (migration 37): a limited
        /// member's figures and counts read them from one range of an index.
        partner_id -> Nullable<Text>,
        state -> Text,
        billing_type -> Text,
        health_level -> Integer,
        licence_flags -> Integer,
        trial_ends_on -> Nullable<Date>,
        customer_created_at -> Timestamp,
        /// The customer's name key and searched text (migration 39):
        /// PostgreSQL searches a limited member's groups in them.
        name_key -> Text,
        search_text -> Text,
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
        on_behalf_of -> Nullable<Text>,
    }
}

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
    /// `customer_state_changes` summed by UTC day, kept by triggers on it
    /// (migration 25).
    customer_state_days (partner_id, day, state) {
        partner_id -> Text,
        day -> Date,
        state -> Text,
        delta -> Integer,
    }
}

diesel::table! {
    /// `customer_creations` summed by UTC day, kept by triggers on it
    /// (migration 25).
    customer_creation_days (partner_id, day) {
        partner_id -> Text,
        day -> Date,
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

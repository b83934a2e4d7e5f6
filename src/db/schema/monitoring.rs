//! Monitors, their results and rollups, dashboards and alert definitions.

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

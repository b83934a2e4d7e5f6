//! Webhooks: a partner's endpoints and the deliveries of its events to them
//! (migration 28).

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        partner_id -> Text,
        url -> Text,
        description -> Text,
        events -> Text,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_expires_at -> Nullable<Timestamp>,
        created_by_login_id -> Text,
        created_at -> Timestamp,
        last_success_at -> Nullable<Timestamp>,
        failing_since -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        partner_id -> Text,
        event_id -> Text,
        event_type -> Text,
        payload -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_response_ms -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

//! Service health, service requests, and the JSON APIs' tokens.

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

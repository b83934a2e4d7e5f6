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
    /// A partner's API tokens, by the SHA-256 of the token (migration 26): each
    /// acts with its creator's role, narrowed to its scopes.
    partner_api_tokens (id) {
        id -> Text,
        partner_id -> Text,
        token_hash -> Text,
        name -> Text,
        creator_login_id -> Text,
        creator_membership_id -> Text,
        /// The scopes' names, separated by spaces (migration 27).
        scopes -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The first answer to a partner API write sent with an `Idempotency-Key`.
    api_idempotency_keys (token_id, idempotency_key) {
        token_id -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
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

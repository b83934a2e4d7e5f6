// One portable schema for both backends; the migrations in migrations/sqlite and
// migrations/postgres must produce exactly these tables and columns.

diesel::table! {
    partner_organisations (id) {
        id -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        created_at -> Timestamp,
    }
}

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
        role -> Text,
        state -> Text,
        created_at -> Timestamp,
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
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Text,
        username_key -> Text,
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
    }
}

diesel::joinable!(sessions -> logins (login_id));
diesel::joinable!(activity_log -> partner_organisations (partner_id));

diesel::allow_tables_to_appear_in_same_query!(
    partner_organisations,
    logins,
    memberships,
    login_tokens,
    email_outbox,
    sessions,
    sign_in_failures,
    activity_log,
);

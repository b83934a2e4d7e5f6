//! Logins, their memberships, sessions and second factors; the activity log and the email outbox.

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
        /// Limited to the customers of the groups in `membership_groups`
        /// (migration 32).
        customers_scoped -> Bool,
    }
}

diesel::table! {
    /// The customer groups a limited staff member reaches (migration 32).
    membership_groups (membership_id, group_id) {
        membership_id -> Text,
        group_id -> Text,
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
        /// The partner API token the entry's change was made through.
        api_token_id -> Nullable<Text>,
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

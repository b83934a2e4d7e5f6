//! The instance operator's tables (migration 29).

diesel::table! {
    /// The logins that are instance operators.
    instance_operators (login_id) {
        login_id -> Text,
        granted_at -> Timestamp,
        granted_by_login_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// What operators did to the instance; append-only.
    instance_activity (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_login_id -> Nullable<Text>,
        actor_name -> Text,
        action -> Text,
        target -> Text,
        details -> Text,
    }
}

diesel::table! {
    /// Who each partner organisation answered to, and when (migration 34).
    partner_parent_history (id) {
        id -> Text,
        partner_id -> Text,
        parent_id -> Nullable<Text>,
        valid_from -> Timestamp,
        valid_to -> Nullable<Timestamp>,
        moved_by_login_id -> Nullable<Text>,
        moved_by_name -> Text,
        reason -> Text,
    }
}

diesel::table! {
    /// A distributor's person helping in a reseller's portal (migration 35).
    reseller_assists (id) {
        id -> Text,
        reseller_id -> Text,
        distributor_id -> Text,
        distributor_membership_id -> Text,
        login_id -> Text,
        reason -> Text,
        started_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
    }
}

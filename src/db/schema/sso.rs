//! Single sign-on: an organisation's OpenID Connect provider and its claimed
//! email domains (migrations 23 and 24). Each row belongs to exactly one
//! organisation: `partner_id` or `customer_id` is set, never both.

diesel::table! {
    sso_connections (id) {
        id -> Text,
        partner_id -> Nullable<Text>,
        customer_id -> Nullable<Text>,
        issuer_url -> Text,
        client_id -> Text,
        client_secret_sealed -> Text,
        required -> Bool,
        new_member_role -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sso_domains (id) {
        id -> Text,
        partner_id -> Nullable<Text>,
        customer_id -> Nullable<Text>,
        domain -> Text,
        claimed_at -> Timestamp,
        proven_at -> Nullable<Timestamp>,
        proven_by -> Nullable<Text>,
        dns_token -> Text,
    }
}

//! Single sign-on: an organisation's OpenID Connect provider and its claimed
//! email domains (migration 23).

diesel::table! {
    sso_connections (partner_id) {
        partner_id -> Text,
        issuer_url -> Text,
        client_id -> Text,
        client_secret_sealed -> Text,
        required -> Bool,
        new_staff_role -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sso_domains (id) {
        id -> Text,
        partner_id -> Text,
        domain -> Text,
        claimed_at -> Timestamp,
        proven_at -> Nullable<Timestamp>,
    }
}

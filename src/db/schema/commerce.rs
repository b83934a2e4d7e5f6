//! The catalogue, orders, subscriptions, reservations and customer permissions.

diesel::table! {
    offers (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        unit_price_cents -> BigInt,
        currency -> Text,
        term_months -> Integer,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    orders (id) {
        id -> Text,
        customer_id -> Text,
        partner_id -> Text,
        offer_id -> Text,
        offer_name -> Text,
        offer_kind -> Text,
        purpose -> Text,
        quantity -> Integer,
        unit_price_cents -> BigInt,
        total_cents -> BigInt,
        currency -> Text,
        placed_by -> Text,
        placed_by_login_id -> Nullable<Text>,
        placed_by_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        customer_id -> Text,
        order_id -> Text,
        offer_id -> Text,
        name -> Text,
        kind -> Text,
        quantity -> Integer,
        state -> Text,
        started_on -> Date,
        ends_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    subscription_owners (subscription_id, membership_id) {
        subscription_id -> Text,
        membership_id -> Text,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    reservations (id) {
        id -> Text,
        customer_id -> Text,
        order_id -> Text,
        offer_id -> Text,
        subscription_id -> Text,
        name -> Text,
        quantity -> Integer,
        state -> Text,
        starts_on -> Date,
        ends_on -> Date,
        bought_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    customer_permissions (customer_id, permission) {
        customer_id -> Text,
        permission -> Text,
        granted_by_login_id -> Nullable<Text>,
        granted_at -> Timestamp,
    }
}

//! The closed sets a service request stores as text codes: its category, its
//! status and the side a person writes from, each shown through its message id.

/// Declares a stored code (`db::codes`) shown through `<prefix>-<code>`.
macro_rules! codes {
    ($name:ident, $prefix:literal { $( $variant:ident => $code:literal ),+ $(,)? }) => {
        crate::db::codes::stored_code!($name { $( $variant => $code ),+ });

        impl $name {
            pub fn label_key(self) -> String {
                format!("{}-{}", $prefix, self.as_str().replace('_', "-"))
            }
        }
    };
}

codes!(Category, "request-category" {
    Technical => "technical",
    Billing => "billing",
    Account => "account",
    ServiceOutage => "service_outage",
    Other => "other",
});

codes!(Status, "request-status" {
    Open => "open",
    Waiting => "waiting",
    Resolved => "resolved",
});

codes!(Side, "request-side" {
    Customer => "customer",
    Partner => "partner",
});

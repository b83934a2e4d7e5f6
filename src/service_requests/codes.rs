//! The closed sets a service request stores as text codes: its category, its
//! status and the side a person writes from, each shown through its message id.

/// Declares a closed set stored as text codes, shown through `<prefix>-<code>`.
macro_rules! codes {
    ($name:ident, $prefix:literal { $( $variant:ident => $code:literal ),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $( $variant ),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }

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

//! The ids of the things every tenant-scoped function is handed, each its own
//! type: a customer's id cannot be passed where a partner's is expected, and two
//! ids given in the wrong order do not compile. Each is stored as text and maps
//! to it once, here, for both databases.

use std::fmt;

/// Declares an id stored as text.
macro_rules! text_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            serde::Serialize,
            serde::Deserialize,
            diesel::AsExpression,
            diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub struct $name(String);

        impl $name {
            /// An id as read from a URL, a form or another row: it names a
            /// thing, it gives no access to it (scopes do).
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            /// A new random id, for a row about to be inserted.
            pub fn generate() -> Self {
                $name(uuid::Uuid::new_v4().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Reads as the text it is, so it can be shown or logged; the other way
        /// round, text never passes for an id without `new`.
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        crate::db::codes::maps_to_text!($name, $name::as_str, $name::from_stored);

        impl $name {
            fn from_stored(id: String) -> diesel::deserialize::Result<Self> {
                Ok($name(id))
            }
        }
    };
}

text_id!(
    /// A partner organisation.
    PartnerId
);
text_id!(
    /// A customer account.
    CustomerId
);
text_id!(
    /// A sub-account of a customer account.
    SubAccountId
);
text_id!(
    /// A membership: one login's place in one organisation or account.
    MembershipId
);
text_id!(
    /// A login: one person's credentials.
    LoginId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_and_writes_as_the_text_it_was_made_of() {
        let id = CustomerId::new("c-1");
        assert_eq!(id.as_str(), "c-1");
        assert_eq!(id.to_string(), "c-1");
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("\"c-1\""));
        assert_ne!(CustomerId::generate(), CustomerId::generate());
    }
}

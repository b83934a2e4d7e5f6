//! Stored codes: closed sets of values kept in text columns. Each is an enum
//! declared with [`stored_code!`], which gives it its text, its parsing, and its
//! mapping to SQL for both databases, so queries compare with the enum
//! (`memberships::state.eq(MembershipState::Active)`) and never with a literal.

/// Declares an enum stored as a text code.
macro_rules! stored_code {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $code:literal ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The code as stored.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }

        crate::db::codes::maps_to_text!($name, $name::stored_text, $name::from_stored);

        impl $name {
            fn stored_text(&self) -> &'static str {
                self.as_str()
            }

            fn from_stored(code: String) -> diesel::deserialize::Result<Self> {
                $name::parse(&code).ok_or_else(|| {
                    format!("{} is not a stored {}", code, stringify!($name)).into()
                })
            }
        }
    };
}
pub(crate) use stored_code;

/// Maps a type to a text column for both databases, through its text
/// (`to_text`) and back (`from_text`, which may refuse).
macro_rules! maps_to_text {
    ($name:ident, $to_text:path, $from_text:path) => {
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                $to_text(self).to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                $from_text(String::from_sql(bytes)?)
            }
        }
    };
}
pub(crate) use maps_to_text;

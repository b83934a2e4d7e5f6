//! SQLite's trigram index of customers (FTS5), which answers the list's text
//! search of three characters or more, and the tables kept beside it.

use crate::auth::scope::PartnerScope;
use diesel::prelude::*;

use super::view::View;
use crate::db::DbConnection;

/// SQLite only (migration 4): each row of the trigram index `customer_search`
/// (its rowid is `search_rowid`) with its customer and the columns the list
/// filters and sorts on, kept by triggers. A partner's rows are one range of
/// rowids.
mod search_index {
    diesel::table! {
        customer_search_rows (search_rowid) {
            search_rowid -> BigInt,
            customer_id -> Text,
            name_key -> Text,
            created_at -> Timestamp,
            state -> Text,
            billing_type -> Text,
            health_level -> Integer,
            licence_flags -> Integer,
        }
    }

    diesel::table! {
        /// The FTS5 trigram index; `matched` is its hidden column named after it,
        /// the left side of MATCH.
        customer_search (rowid) {
            rowid -> BigInt,
            #[sql_name = "customer_search"]
            matched -> Text,
        }
    }

    diesel::table! {
        /// Partner number n owns the rowids n << 32 to (n << 32) + 2^32 - 1.
        customer_search_partners (number) {
            number -> BigInt,
            partner_id -> Text,
        }
    }

    use crate::db::schema::{customer_group_members, customer_groups};
    diesel::allow_tables_to_appear_in_same_query!(customer_search_rows, customer_group_members);
    diesel::allow_tables_to_appear_in_same_query!(customer_search_rows, customer_groups);
    diesel::allow_tables_to_appear_in_same_query!(customer_search_rows, customer_search);
}
pub(super) use search_index::{customer_search, customer_search_partners, customer_search_rows};

/// The rowids of SQLite's trigram index that belong to a partner.
#[derive(Debug, Clone, Copy)]
pub(super) struct SearchRange {
    pub(super) first: i64,
    pub(super) last: i64,
}

impl SearchRange {
    /// The partner's range; none when the partner never had a customer.
    pub(super) fn of(
        conn: &mut DbConnection,
        scope: &PartnerScope,
    ) -> QueryResult<Option<SearchRange>> {
        let numbers: Vec<i64> = customer_search_partners::table
            .filter(customer_search_partners::partner_id.eq(scope.partner_id()))
            .select(customer_search_partners::number)
            .load(conn)?;
        Ok(numbers.first().map(|number| SearchRange {
            first: number << 32,
            last: (number << 32) + 0xFFFF_FFFF,
        }))
    }
}

/// The search text as an FTS5 phrase: with the trigram tokenizer, a phrase of
/// three characters or more matches exactly the texts containing it, wildcards
/// and all.
pub(super) fn trigram_phrase(text: &str) -> String {
    format!("\"{}\"", text.to_lowercase().replace('"', "\"\""))
}

/// Whether SQLite's trigram index answers this search (three characters at least;
/// shorter texts are compared with every customer of the partner).
pub(super) fn uses_trigram_index(conn: &DbConnection, view: &View) -> bool {
    matches!(conn, DbConnection::Sqlite(_)) && view.q.chars().count() >= 3
}

/// The rowids of SQLite's trigram index matching a phrase (first bind) in the
/// range of a partner (second and third binds).
pub(super) const TRIGRAM_MATCHES: [&str; 3] = [
    "SELECT rowid FROM customer_search WHERE customer_search MATCH ",
    " AND rowid BETWEEN (SELECT number << 32 FROM customer_search_partners WHERE partner_id = ",
    ") AND (SELECT (number << 32) + 4294967295 FROM customer_search_partners WHERE partner_id = ",
];

// An operator as an expression rather than SQL text, so that diesel keeps the
// prepared statements that use it.
diesel::infix_operator!(Matches, " MATCH ");

//! Cursor paging over the customer list: the cursor names the last customer
//! of a page by its sort keys and id, and the next page starts strictly after
//! it in the view's order (the id breaks ties), so a page is never skipped or
//! repeated when customers are added or removed between two requests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::{Deserialize, Serialize};

use crate::customers::list::{SortKey, View};
use crate::db::MultiBackend;
use crate::db::schema::customer_accounts;

type Condition = Box<dyn BoxableExpression<customer_accounts::table, MultiBackend, SqlType = Bool>>;

/// Where a page ended: the sort it was read in and the last row's keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Cursor {
    sort: String,
    descending: bool,
    name_key: String,
    state: String,
    health_level: i32,
    created_at: NaiveDateTime,
    id: String,
}

/// The keys of a listed customer the cursor is made of.
pub(super) struct LastRow<'a> {
    pub name_key: &'a str,
    pub state: &'a str,
    pub health_level: i32,
    pub created_at: NaiveDateTime,
    pub id: &'a str,
}

impl Cursor {
    pub(super) fn after(view: &View, row: LastRow<'_>) -> Cursor {
        Cursor {
            sort: view.sort.as_str().to_owned(),
            descending: view.descending,
            name_key: row.name_key.to_owned(),
            state: row.state.to_owned(),
            health_level: row.health_level,
            created_at: row.created_at,
            id: row.id.to_owned(),
        }
    }

    /// The opaque text handed to the client.
    pub(super) fn encode(&self) -> String {
        // Serialising plain strings, numbers and a date cannot fail.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// The cursor `text` is, if it was made for `view`'s order; `None` for
    /// anything else (made up, or from a list sorted another way).
    pub(super) fn decode(text: &str, view: &View) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let cursor: Cursor = serde_json::from_slice(&bytes).ok()?;
        (cursor.sort == view.sort.as_str() && cursor.descending == view.descending)
            .then_some(cursor)
    }

    /// The customers after this one in the view's order (as
    /// `customers::list::sorted` orders them).
    pub(super) fn condition(&self, view: &View) -> Condition {
        use customer_accounts::{created_at, health_level, id, name_key, state};
        let desc = view.descending;
        macro_rules! beyond {
            ($column:expr, $value:expr, $descending:expr) => {
                if $descending {
                    Box::new($column.lt($value)) as Condition
                } else {
                    Box::new($column.gt($value)) as Condition
                }
            };
        }
        // The tie-breaking id goes the list's way, except for a health list
        // read worst first, whose ties go by name and id ascending.
        let id_desc = desc && view.sort != SortKey::Health;
        let mut condition = beyond!(id, self.id.clone(), id_desc);
        let then = |first: Condition, same: Condition, rest: Condition| -> Condition {
            Box::new(first.or(same.and(rest)))
        };
        let by_name = |rest: Condition, descending: bool| {
            then(
                beyond!(name_key, self.name_key.clone(), descending),
                Box::new(name_key.eq(self.name_key.clone())),
                rest,
            )
        };
        match view.sort {
            SortKey::Name => condition = by_name(condition, desc),
            SortKey::State => {
                condition = by_name(condition, desc);
                condition = then(
                    beyond!(state, self.state.clone(), desc),
                    Box::new(state.eq(self.state.clone())),
                    condition,
                );
            }
            SortKey::Health => {
                condition = by_name(condition, false);
                condition = then(
                    beyond!(health_level, self.health_level, desc),
                    Box::new(health_level.eq(self.health_level)),
                    condition,
                );
            }
            SortKey::Created => {
                condition = then(
                    beyond!(created_at, self.created_at, desc),
                    Box::new(created_at.eq(self.created_at)),
                    condition,
                );
            }
        }
        condition
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_only_in_its_own_order() {
        let view = View::default();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_micro_opt(10, 0, 0, 123_456))
            .expect("a time");
        let cursor = Cursor::after(
            &view,
            LastRow {
                name_key: "adatum",
                state: "active",
                health_level: 0,
                created_at: at,
                id: "c1",
            },
        );
        assert_eq!(
            Cursor::decode(&cursor.encode(), &view),
            Some(cursor.clone())
        );
        let other = View {
            descending: !view.descending,
            ..View::default()
        };
        assert_eq!(Cursor::decode(&cursor.encode(), &other), None);
        assert_eq!(Cursor::decode("not a cursor", &view), None);
    }
}

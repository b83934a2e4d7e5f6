//! PostgreSQL: a searched page of the list. The trigram index finds a text's
//! matches, but reading them reads one heap page per match: 15 to 30 ms for
//! a common text among 100,000 customers (docs/benchmarks.md). So:
//! - the number of a common text's matches is kept per partner (migration
//!   38), valid while the partner's search version is the one it was counted
//!   at (the account triggers move it in the writer's transaction), and a page
//!   of such a text in the order of creation is read by walking that order's
//!   index and stopping after the page, when that reads fewer rows than the
//!   matches;
//! - a search within one hand-kept group (a member limited to it, or an
//!   owner's filter by it) reads the trigram index of the group members'
//!   copies (migration 39): the group's matches, not the partner's.

use diesel::connection::SimpleConnection;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::query::{
    counted, groups_counted_by_members, like_pattern, searched_page_in_group, sorted,
};
use super::rows::with_total;
use super::view::{SortKey, View};
use crate::auth::scope::PartnerScope;
use crate::db::DbConnection;
use crate::db::schema::customer_accounts;

/// The partner's version of its searched texts, as a column of the page's
/// query: read in the statement that counts, so with the same snapshot.
const VERSION: [&str; 2] = [
    "(SELECT version FROM customer_search_versions WHERE partner_id = ",
    ")",
];

/// The ids of a searched page and the number of matches; None when the page
/// is past the last match and the number is not known.
pub(super) fn searched_page_pg(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    offset: i64,
) -> QueryResult<Option<(i64, Vec<String>)>> {
    if let Some(group) = searched_group(scope, view) {
        let rows = read_with(conn, Plan::Bitmap, |conn| {
            searched_page_in_group(conn, scope, view, &group, offset)
        })?;
        return Ok(with_total(rows));
    }
    // A limited member's reach and the other filters are not in the kept
    // counts, which are the whole partner's number of a text's matches. Only
    // the order of creation is walked: in the other orders (by name, or by
    // state or health and then name) the matches of a text sit together
    // (names sharing a word), and a walk to the first of them can read most
    // of the index (200 ms for `ber` by name among 100,000).
    if scope.reach().is_limited() || !view.searches_text_only() || view.sort != SortKey::Created {
        return Ok(counted_page(conn, scope, view, offset)?.map(|(total, ids, _)| (total, ids)));
    }
    let customers = counted(conn, scope, &View::default())?;
    let walk_reads = |matches: i64| (offset + view.per_page).saturating_mul(customers) / matches;
    if let Some(matches) = kept_matches(conn, scope, view)? {
        if offset >= matches {
            return Ok(Some((matches, Vec::new())));
        }
        let ids = if walk_reads(matches) <= matches {
            walked_page(conn, scope, view, offset)?
        } else {
            uncounted_page(conn, scope, view, offset)?
        };
        return Ok(Some((matches, ids)));
    }
    let found = counted_page(conn, scope, view, offset)?;
    if let Some((matches, _, version)) = &found
        // Kept only when its first page would be walked; a rarer text's
        // count costs the trigram index little.
        && view.per_page.saturating_mul(customers) / (*matches).max(1) <= *matches
    {
        keep(conn, scope, view, *matches, *version);
    }
    Ok(found.map(|(total, ids, _)| (total, ids)))
}

/// The one hand-kept group whose members are exactly the customers the view
/// searches, when its other filters are all on the columns the members carry.
/// A member limited to several groups is searched on the accounts (a customer
/// in two of them is one match).
fn searched_group(scope: &PartnerScope, view: &View) -> Option<String> {
    if view.filters_on_dates() {
        return None;
    }
    match groups_counted_by_members(scope, view)?.as_slice() {
        [group] => Some(group.clone()),
        _ => None,
    }
}

/// The text's number of matches kept at the partner's current version.
fn kept_matches(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Kept {
        #[diesel(sql_type = BigInt)]
        matches: i64,
    }
    let kept: Option<Kept> = diesel::sql_query(
        "SELECT matches FROM customer_search_counts \
         WHERE partner_id = $1 AND query = $2 AND version = COALESCE(\
         (SELECT version FROM customer_search_versions WHERE partner_id = $1), 0)",
    )
    .bind::<Text, _>(scope.partner_id().as_str())
    .bind::<Text, _>(like_pattern(&view.q))
    .get_result(conn)
    .optional()?;
    Ok(kept.map(|kept| kept.matches))
}

/// Keeps the text's number of matches counted at `version`, unless a newer
/// count is kept, and drops the partner's counts of older versions. A count
/// that cannot be kept costs the next request a count, not this page.
fn keep(conn: &mut DbConnection, scope: &PartnerScope, view: &View, matches: i64, version: i64) {
    let partner = scope.partner_id().as_str();
    let kept = diesel::sql_query(
        "INSERT INTO customer_search_counts (partner_id, query, version, matches) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (partner_id, query) DO UPDATE \
         SET version = EXCLUDED.version, matches = EXCLUDED.matches \
         WHERE customer_search_counts.version < EXCLUDED.version",
    )
    .bind::<Text, _>(partner)
    .bind::<Text, _>(like_pattern(&view.q))
    .bind::<BigInt, _>(version)
    .bind::<BigInt, _>(matches)
    .execute(conn)
    .and_then(|_| {
        diesel::sql_query(
            "DELETE FROM customer_search_counts WHERE partner_id = $1 AND version < $2",
        )
        .bind::<Text, _>(partner)
        .bind::<BigInt, _>(version)
        .execute(conn)
    });
    if let Err(error) = kept {
        tracing::warn!(%error, "a search's number of matches was not kept");
    }
}

/// The ids of a searched page, the number of matches and the partner's search
/// version, in one read of the trigram index. The matches are sorted rather
/// than found by walking the sort order's index, which the planner prefers but
/// which reads most of the index when the matches sit together in that order
/// (a name's start in a list by name), or all of it to count them; so index
/// scans are off and the trigram index is read as a bitmap. None when the page
/// is past the last match.
fn counted_page(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    offset: i64,
) -> QueryResult<Option<(i64, Vec<String>, i64)>> {
    let version = sql::<Nullable<BigInt>>(VERSION[0])
        .bind::<Text, _>(scope.partner_id().as_str().to_owned())
        .sql(VERSION[1]);
    let rows: Vec<(String, i64, Option<i64>)> = read_with(conn, Plan::Bitmap, |conn| {
        sorted(conn, scope, view)
            .select((
                customer_accounts::id,
                sql::<BigInt>("COUNT(*) OVER ()"),
                version,
            ))
            .limit(view.per_page)
            .offset(offset)
            .load(conn)
    })?;
    let Some(&(_, total, version)) = rows.first() else {
        return Ok(None);
    };
    let ids = rows.into_iter().map(|(id, _, _)| id).collect();
    Ok(Some((total, ids, version.unwrap_or(0))))
}

/// The ids of a searched page from the trigram index, read as a bitmap and
/// sorted, without counting them.
fn uncounted_page(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    offset: i64,
) -> QueryResult<Vec<String>> {
    read_with(conn, Plan::Bitmap, |conn| {
        page_ids(conn, scope, view, offset)
    })
}

/// The ids of a searched page found by walking the sort order's index and
/// checking each customer's text, stopping after the page: in the order of
/// creation, an index that carries the text (migration 38), read alone.
fn walked_page(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    offset: i64,
) -> QueryResult<Vec<String>> {
    read_with(conn, Plan::Walk, |conn| page_ids(conn, scope, view, offset))
}

fn page_ids(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    offset: i64,
) -> QueryResult<Vec<String>> {
    sorted(conn, scope, view)
        .select(customer_accounts::id)
        .limit(view.per_page)
        .offset(offset)
        .load(conn)
}

/// How PostgreSQL is told to read a searched page.
enum Plan {
    /// The trigram index as a bitmap, the matches sorted.
    Bitmap,
    /// The sort order's B-tree, in order (GIN indexes are read only as bitmaps).
    Walk,
}

fn read_with<T>(
    conn: &mut DbConnection,
    plan: Plan,
    read: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    conn.transaction(|conn| {
        conn.batch_execute(match plan {
            Plan::Bitmap => {
                "SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off"
            }
            Plan::Walk => "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off",
        })?;
        read(conn)
    })
}

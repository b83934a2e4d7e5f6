//! The SQL of a view: the partner's customers it matches, in its order, and
//! how many they are, read from the accounts, from SQLite's trigram index or
//! from the kept counts, whichever answers the view.

use crate::auth::scope::PartnerScope;
use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Text};

use super::trigram::{
    Matches, SearchRange, TRIGRAM_MATCHES, customer_search, customer_search_rows, trigram_phrase,
    uses_trigram_index,
};
use super::view::{SortKey, View};
use crate::customers::{BillingType, LicenceStatus};
use crate::db::derived::licence_flags;
use crate::db::schema::{customer_accounts, customer_group_members, customer_groups, licences};
use crate::db::{DbConnection, MultiBackend};

type Boxed<'a> = customer_accounts::BoxedQuery<'a, MultiBackend>;

/// `LIKE` wildcards typed by someone are matched literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

/// Bits of `licence_flags`: a licence in each status, and an active
/// or trial licence supplied by the customer's own partner.
fn licence_bit(status: LicenceStatus) -> i32 {
    match status {
        LicenceStatus::Active => licence_flags::ACTIVE,
        LicenceStatus::Trial => licence_flags::TRIAL,
        LicenceStatus::Expired => licence_flags::EXPIRED,
    }
}
const OWN_LICENCE_BIT: i32 = licence_flags::OWN_PARTNER;
/// An active licence with more seats in use than its quantity.
pub const OVER_QUANTITY_BIT: i32 = licence_flags::OVER_QUANTITY;

// An operator as an expression rather than SQL text, so that diesel keeps the
// prepared statements that use it.
diesel::infix_operator!(BitAnd, " & ", diesel::sql_types::Integer);

/// The view's filters on the columns kept beside each customer (licences,
/// billing, health, state), on `$table`: customer_accounts, customer_search_rows or
/// customer_counts.
macro_rules! filter_columns {
    ($query:expr, $table:ident, $view:expr) => {{
        let mut query = $query;
        let view: &View = $view;
        if let Some(status) = view.licence {
            let bit = licence_bit(status).into_sql::<Integer>();
            query = query.filter(BitAnd::new($table::licence_flags, bit).ne(0));
        }
        if let Some(billing) = view.billing {
            query = query.filter($table::billing_type.eq(billing));
        }
        if let Some(health) = view.health {
            query = query.filter($table::health_level.eq(health.level()));
        }
        if let Some(state) = view.state {
            query = query.filter($table::state.eq(state));
        }
        if view.mine {
            // An unexpired licence supplied by the partner itself.
            let bit = OWN_LICENCE_BIT.into_sql::<Integer>();
            query = query.filter(BitAnd::new($table::licence_flags, bit).ne(0));
        }
        if view.seats_over {
            let bit = OVER_QUANTITY_BIT.into_sql::<Integer>();
            query = query.filter(BitAnd::new($table::licence_flags, bit).ne(0));
        }
        query
    }};
}

/// `$query` (of customer_accounts, customer_search_rows or
/// customer_group_members, whose customer id is `$id` and creation time
/// `$created`, `created_at` unless given) in the view's order.
macro_rules! in_view_order {
    ($query:expr, $table:ident, $id:ident, $view:expr) => {
        in_view_order!($query, $table, $id, created_at, $view)
    };
    ($query:expr, $table:ident, $id:ident, $created:ident, $view:expr) => {{
        use $table::{health_level, name_key, state};
        let (query, id, created_at) = ($query, $table::$id, $table::$created);
        match ($view.sort, $view.descending) {
            (SortKey::Name, false) => query.order((name_key.asc(), id.asc())),
            (SortKey::Name, true) => query.order((name_key.desc(), id.desc())),
            (SortKey::State, false) => query.order((state.asc(), name_key.asc(), id.asc())),
            (SortKey::State, true) => query.order((state.desc(), name_key.desc(), id.desc())),
            (SortKey::Health, false) => query.order((health_level.asc(), name_key.asc(), id.asc())),
            (SortKey::Health, true) => query.order((health_level.desc(), name_key.asc(), id.asc())),
            (SortKey::Created, false) => query.order((created_at.asc(), id.asc())),
            (SortKey::Created, true) => query.order((created_at.desc(), id.desc())),
        }
    }};
}

/// The ids of the members of the partner's group `$group`: another partner's group
/// id finds nobody.
macro_rules! members_of {
    ($partner_id:expr, $group:expr) => {
        customer_group_members::table
            .inner_join(customer_groups::table)
            .filter(customer_groups::partner_id.eq($partner_id))
            .filter(customer_groups::id.eq($group.as_str()))
            .select(customer_group_members::customer_id)
    };
}

/// The partner's active licences expiring from `from` to `to`, both included:
/// one range of an index, as each licence carries its customer's partner
/// (kept by triggers, migration 14).
macro_rules! expiring_licences {
    ($partner_id:expr, $from:expr, $to:expr) => {
        licences::table
            .filter(licences::partner_id.eq($partner_id))
            .filter(licences::status.eq(LicenceStatus::Active))
            .filter(licences::expires_on.between($from, $to))
    };
}

/// The partner's customers matching the view, unsorted. Every read of the list
/// (page, count, export) starts here.
pub fn matching<'a>(conn: &DbConnection, scope: &'a PartnerScope, view: &'a View) -> Boxed<'a> {
    let partner_id = scope.partner_id().as_str();
    let mut query = customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner_id))
        .into_boxed::<MultiBackend>();
    // A member limited to some groups reaches only their customers.
    if let Some(in_reach) = scope.customer_filter() {
        query = query.filter(in_reach);
    }
    if uses_trigram_index(conn, view) {
        query = query.filter(
            sql::<Bool>(
                "customer_accounts.id IN (SELECT customer_id FROM customer_search_rows \
                 WHERE customer_search_rows.search_rowid IN (",
            )
            .sql(TRIGRAM_MATCHES[0])
            .bind::<Text, _>(trigram_phrase(&view.q))
            .sql(TRIGRAM_MATCHES[1])
            .bind::<Text, _>(partner_id)
            .sql(TRIGRAM_MATCHES[2])
            .bind::<Text, _>(partner_id)
            .sql(")))"),
        );
    } else if !view.q.is_empty() {
        // PostgreSQL: the trigram index on search_text answers LIKE.
        let pattern = like_pattern(&view.q);
        query = query.filter(customer_accounts::search_text.like(pattern).escape('\\'));
    }
    if let Some(rule) = &view.group_rule {
        query = query.filter(rule.predicate());
    } else if let Some(group) = &view.group {
        query = query.filter(customer_accounts::id.eq_any(members_of!(partner_id, group)));
    }
    if let Some((from, to)) = view.trial_ends {
        query = query
            .filter(customer_accounts::billing_type.eq(BillingType::Trial))
            .filter(customer_accounts::trial_ends_on.between(from, to));
    }
    if view.trials_ended {
        query = query
            .filter(customer_accounts::billing_type.eq(BillingType::Trial))
            .filter(customer_accounts::trial_ends_on.lt(day_of(view)));
    }
    if let Some((from, to)) = view.licence_expires {
        query =
            query
                .filter(customer_accounts::id.eq_any(
                    expiring_licences!(partner_id, from, to).select(licences::customer_id),
                ));
    }
    if view.monitors_down {
        use crate::db::schema::monitors;
        // The view's own instant; a view built without one is read now.
        let now = view.now.unwrap_or_else(|| chrono::Utc::now().naive_utc());
        query = query.filter(
            customer_accounts::id.eq_any(
                monitors::table
                    .filter(monitors::last_success.eq(false))
                    .filter(monitors::last_checked_at.ge(now - crate::tenancy::STALE_AFTER))
                    .select(monitors::customer_id),
            ),
        );
    }
    filter_columns!(query, customer_accounts, view)
}

/// The day a view of ended trials compares with: the UTC day of its instant
/// (a view without one, and none is built so, ends nothing).
pub(super) fn day_of(view: &View) -> NaiveDate {
    view.now.map_or(NaiveDate::MIN, |now| now.date())
}

/// `matching`, in the view's order.
pub fn sorted<'a>(conn: &DbConnection, scope: &'a PartnerScope, view: &'a View) -> Boxed<'a> {
    in_view_order!(matching(conn, scope, view), customer_accounts, id, view)
}

/// SQLite: the partner's matches of the view's text in the trigram index, with
/// the view's other filters, read from the index alone.
fn searched<'a>(
    scope: &'a PartnerScope,
    range: SearchRange,
    view: &'a View,
) -> customer_search_rows::BoxedQuery<'a, MultiBackend> {
    let matches = customer_search::table
        .filter(Matches::new(
            customer_search::matched,
            trigram_phrase(&view.q).into_sql::<Text>(),
        ))
        .filter(customer_search::rowid.between(range.first, range.last))
        .select(customer_search::rowid);
    let mut query = customer_search_rows::table
        .filter(customer_search_rows::search_rowid.between(range.first, range.last))
        .filter(customer_search_rows::search_rowid.eq_any(matches))
        .into_boxed::<MultiBackend>();
    // The index knows neither a rule-based group's conditions nor the
    // reach of a member limited to one: such views are read from the
    // accounts (`reads_accounts`), and this guard keeps a slip from showing
    // more.
    if reads_accounts(scope, view) {
        query = query.filter(crate::reach::rules::nobody());
    }
    // Group membership as a probe of each match (`EXISTS`), never as an
    // `IN` list: SQLite drove a count from the group's members through
    // `customer_search_rows` (customer, rowid), probing each against each
    // match: 8 s to count a common text within a group of 10,000 (issue 21).
    // A member limited to groups kept by hand reaches their listed members.
    if let Some(groups) = scope.reach().listed_groups() {
        query = query.filter(diesel::dsl::exists(
            customer_group_members::table
                .filter(customer_group_members::group_id.eq_any(groups))
                .filter(customer_group_members::customer_id.eq(customer_search_rows::customer_id)),
        ));
    }
    if let Some(group) = &view.group {
        query = query.filter(diesel::dsl::exists(
            customer_group_members::table
                .inner_join(customer_groups::table)
                .filter(customer_groups::partner_id.eq(scope.partner_id().as_str()))
                .filter(customer_groups::id.eq(group.as_str()))
                .filter(customer_group_members::customer_id.eq(customer_search_rows::customer_id)),
        ));
    }
    filter_columns!(query, customer_search_rows, view)
}

/// The view with the rule of its group read, when that group is rule-based,
/// so that the list filters by the rule. Every reading of a view by a page, an
/// export or the API passes here; a rule-based group not read so matches
/// nobody (it has no listed members), never more.
pub fn with_group_rule(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
) -> QueryResult<View> {
    let mut view = view.clone();
    if let Some(group) = &view.group {
        let found = crate::reach::group_of_partner(conn, scope.partner_id(), group)?;
        view.group_rule = found.and_then(|group| group.rule);
    }
    Ok(view)
}

/// Whether the view, for this member, must be read from the accounts rather
/// than from SQLite's trigram index alone: the index knows no rule-based
/// group's conditions, whether the view's or those of the member's reach. A
/// reach of groups kept by hand is their listed members, which the index
/// checks (`searched`): a limited member's search then costs what the
/// owner's search within a group does (issue 21).
pub(super) fn reads_accounts(scope: &PartnerScope, view: &View) -> bool {
    let reach = scope.reach();
    (reach.is_limited() && reach.listed_groups().is_none()) || view.group_rule.is_some()
}

/// The number of the partner's customers matching the view's filters on the
/// columns kept in `customer_counts`: a sum over a few dozen rows.
pub(super) fn counted(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
) -> QueryResult<i64> {
    use crate::db::schema::customer_counts;
    let query = customer_counts::table
        .filter(customer_counts::partner_id.eq(scope.partner_id()))
        .into_boxed::<MultiBackend>();
    let sum: Option<i64> = filter_columns!(query, customer_counts, view)
        .select(diesel::dsl::sum(customer_counts::customers))
        .get_result(conn)?;
    Ok(sum.unwrap_or(0))
}

/// The hand-kept groups whose members are exactly the customers the view
/// holds for this member, when its filters are all on the columns the members
/// carry: the member's groups, or the view's group for a member who reaches
/// every customer. None otherwise (a rule-based group, or both at once).
pub(super) fn groups_counted_by_members(scope: &PartnerScope, view: &View) -> Option<Vec<String>> {
    match (&view.group, scope.reach().listed_groups()) {
        (None, groups) => groups,
        (Some(group), None) if !scope.reach().is_limited() && view.group_rule.is_none() => {
            Some(vec![group.clone()])
        }
        _ => None,
    }
}

/// The number of the partner's customers in any of its `groups` matching the
/// view's filters on the columns kept in `customer_counts` and on the
/// trial's end, from the copies
/// the groups' members carry (migration 37): one range of an index per
/// group. Another partner's group counts nobody.
pub(super) fn counted_in_groups(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    groups: &[String],
) -> QueryResult<i64> {
    let partner_id = scope.partner_id().as_str();
    let query = customer_group_members::table
        .inner_join(customer_groups::table)
        .filter(customer_groups::partner_id.eq(partner_id))
        .filter(customer_group_members::group_id.eq_any(groups))
        .filter(customer_group_members::partner_id.eq(partner_id))
        .into_boxed::<MultiBackend>();
    let mut query = filter_columns!(query, customer_group_members, view);
    if let Some((from, to)) = view.trial_ends {
        query = query
            .filter(customer_group_members::billing_type.eq(BillingType::Trial))
            .filter(customer_group_members::trial_ends_on.between(from, to));
    }
    if view.trials_ended {
        query = query
            .filter(customer_group_members::billing_type.eq(BillingType::Trial))
            .filter(customer_group_members::trial_ends_on.lt(day_of(view)));
    }
    if groups.len() == 1 {
        query.count().get_result(conn)
    } else {
        // A customer in two of the groups counts once.
        query
            .select(diesel::dsl::count(customer_group_members::customer_id).aggregate_distinct())
            .get_result(conn)
    }
}

/// The number of customers matching the view; `range` is the partner's range of
/// SQLite's trigram index when the view searches it.
pub(super) fn total(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    range: Option<SearchRange>,
) -> QueryResult<i64> {
    // The kept counts are the whole partner's: a member limited to some
    // groups kept by hand, or a filter by such a group, has the customers
    // counted on the groups' members.
    let limited = scope.reach().is_limited();
    if view.q.is_empty() && view.group.is_none() && !view.filters_on_dates() && !limited {
        return counted(conn, scope, view);
    }
    // The members carry the trial's end too, not the licences or monitors.
    let members_answer = view.q.is_empty() && view.licence_expires.is_none() && !view.monitors_down;
    if members_answer && let Some(groups) = groups_counted_by_members(scope, view) {
        return counted_in_groups(conn, scope, view, &groups);
    }
    // The trial end is not kept beside SQLite's trigram index: such a view is
    // counted on the accounts.
    if !uses_trigram_index(conn, view) || view.filters_on_dates() || reads_accounts(scope, view) {
        return matching(conn, scope, view).count().get_result(conn);
    }
    let Some(range) = range else {
        return Ok(0);
    };
    let filters_only_text = !limited
        && view.group.is_none()
        && view.licence.is_none()
        && view.billing.is_none()
        && view.health.is_none()
        && view.state.is_none()
        && !view.mine
        && !view.seats_over;
    if filters_only_text {
        // Counted in the trigram index alone.
        return customer_search::table
            .filter(Matches::new(
                customer_search::matched,
                trigram_phrase(&view.q).into_sql::<Text>(),
            ))
            .filter(customer_search::rowid.between(range.first, range.last))
            .count()
            .get_result(conn);
    }
    searched(scope, range, view).count().get_result(conn)
}

/// SQLite: the ids of one page of the view's matches in the trigram index, in
/// the view's order, each with the number of matches (`COUNT(*) OVER ()`), read
/// from the index alone: one match of the text for both, where counting and
/// paging apart matched it twice. Empty when the page is past the last match.
pub(super) fn searched_page(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    range: SearchRange,
    view: &View,
    offset: i64,
) -> QueryResult<Vec<(String, i64)>> {
    in_view_order!(
        searched(scope, range, view),
        customer_search_rows,
        customer_id,
        view
    )
    .select((
        customer_search_rows::customer_id,
        sql::<BigInt>("COUNT(*) OVER ()"),
    ))
    .limit(view.per_page)
    .offset(offset)
    .load(conn)
}

/// PostgreSQL: the ids of one page of the view's matches among the members of
/// the partner's hand-kept `group`, each with the number of matches, read from
/// the trigram index of the members' copies (migration 39) as a bitmap: the
/// group's matches only, where the accounts' index finds the partner's.
pub(super) fn searched_page_in_group(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    group: &str,
    offset: i64,
) -> QueryResult<Vec<(String, i64)>> {
    let partner_id = scope.partner_id().as_str();
    // Another partner's group finds nobody, even a customer of this partner
    // still listed in it.
    let query = customer_group_members::table
        .inner_join(customer_groups::table)
        .filter(customer_groups::partner_id.eq(partner_id))
        .filter(customer_group_members::group_id.eq(group))
        .filter(customer_group_members::partner_id.eq(partner_id))
        .filter(
            customer_group_members::search_text
                .like(like_pattern(&view.q))
                .escape('\\'),
        )
        .into_boxed::<MultiBackend>();
    let query = filter_columns!(query, customer_group_members, view);
    in_view_order!(
        query,
        customer_group_members,
        customer_id,
        customer_created_at,
        view
    )
    .select((
        customer_group_members::customer_id,
        sql::<BigInt>("COUNT(*) OVER ()"),
    ))
    .limit(view.per_page)
    .offset(offset)
    .load(conn)
}

#[cfg(test)]
mod tests;

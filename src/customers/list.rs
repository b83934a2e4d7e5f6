//! The customer list: one page of a partner's customers, searched, filtered
//! and sorted on the server. The whole view lives in the URL, so it can be
//! bookmarked and shared, and the CSV export reads the same view.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};
use serde::Deserialize;

use super::{BillingType, CustomerState, Health, LicenceStatus};
use crate::access::Capability;
use crate::auth::identity::PartnerMember;
use crate::db::derived::licence_flags;
use crate::db::schema::{customer_accounts, customer_group_members, customer_groups, licences};
use crate::db::{self, DbConnection, DbError, MultiBackend};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::{Layout, PageError, render};

pub const PAGE_SIZES: [i64; 3] = [25, 50, 100];
pub const DEFAULT_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    State,
    Health,
    Created,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::Name,
        SortKey::State,
        SortKey::Health,
        SortKey::Created,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::State => "state",
            SortKey::Health => "health",
            SortKey::Created => "created",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Worst health and newest customers come first unless asked otherwise.
    fn descending_by_default(self) -> bool {
        matches!(self, SortKey::Health | SortKey::Created)
    }
}

/// The view as it arrives in the URL; anything unknown is ignored rather than
/// refused, so an old bookmark still opens.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RawView {
    q: String,
    licence: String,
    billing: String,
    group: String,
    health: String,
    state: String,
    mine: String,
    /// `YYYY-MM-DD..YYYY-MM-DD`: trials ending between these days, both included.
    trial_ends: String,
    /// `ended`: trials whose last day has passed and that were not converted.
    trial: String,
    /// `YYYY-MM-DD..YYYY-MM-DD`: an active licence expiring between these days.
    licence_expires: String,
    /// `down`: customers with a monitor down now.
    monitors: String,
    /// `over`: customers with an active licence using more seats than it has.
    seats: String,
    sort: String,
    dir: String,
    page: String,
    per: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub q: String,
    pub licence: Option<LicenceStatus>,
    pub billing: Option<BillingType>,
    pub group: Option<String>,
    pub health: Option<Health>,
    pub state: Option<CustomerState>,
    pub mine: bool,
    /// Trials ending between these days, both included.
    pub trial_ends: Option<(NaiveDate, NaiveDate)>,
    /// Trials whose last day is before the view's day, not converted.
    pub trials_ended: bool,
    /// Customers with an active licence expiring between these days, both included.
    pub licence_expires: Option<(NaiveDate, NaiveDate)>,
    /// Customers with a monitor down (its latest result a failure, no older than
    /// `tenancy::STALE_AFTER`) at `now`.
    pub monitors_down: bool,
    /// Customers with an active licence whose reported seats in use exceed its
    /// quantity (bit 16 of `licence_flags`).
    pub seats_over: bool,
    /// When the view is read, from the app's clock; not part of the URL.
    pub now: Option<NaiveDateTime>,
    pub sort: SortKey,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
}

impl Default for View {
    fn default() -> Self {
        View::from(RawView::default())
    }
}

impl From<RawView> for View {
    fn from(raw: RawView) -> Self {
        let sort = SortKey::parse(&raw.sort).unwrap_or(SortKey::Name);
        let descending = match raw.dir.as_str() {
            "asc" => false,
            "desc" => true,
            _ => sort.descending_by_default(),
        };
        let q: String = raw.q.trim().chars().take(100).collect();
        View {
            q,
            licence: LicenceStatus::parse(&raw.licence),
            billing: BillingType::parse(&raw.billing),
            group: Some(raw.group.trim().to_owned()).filter(|g| !g.is_empty()),
            health: Health::parse(&raw.health),
            state: CustomerState::parse(&raw.state),
            mine: matches!(raw.mine.as_str(), "1" | "on" | "true"),
            trial_ends: parse_day_range(&raw.trial_ends),
            trials_ended: raw.trial == "ended",
            licence_expires: parse_day_range(&raw.licence_expires),
            monitors_down: raw.monitors == "down",
            seats_over: raw.seats == "over",
            now: None,
            sort,
            descending,
            page: raw.page.parse::<i64>().unwrap_or(1).clamp(1, 1_000_000),
            per_page: raw
                .per
                .parse::<i64>()
                .ok()
                .filter(|p| PAGE_SIZES.contains(p))
                .unwrap_or(DEFAULT_PAGE_SIZE),
        }
    }
}

/// "2026-11-21..2026-12-05", with its start not after its end.
fn parse_day_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = text.trim().split_once("..")?;
    let from = NaiveDate::parse_from_str(from, "%Y-%m-%d").ok()?;
    let to = NaiveDate::parse_from_str(to, "%Y-%m-%d").ok()?;
    (from <= to).then_some((from, to))
}

impl View {
    /// The list of the trials ending from `from` to `to`, both included.
    pub fn trials_ending(from: NaiveDate, to: NaiveDate) -> View {
        View {
            trial_ends: Some((from, to)),
            ..View::default()
        }
    }

    /// The list of the trials that ended without being converted.
    pub fn trials_ended() -> View {
        View {
            trials_ended: true,
            ..View::default()
        }
    }

    /// The list of the customers with an active licence expiring from `from` to `to`.
    pub fn licences_expiring(from: NaiveDate, to: NaiveDate) -> View {
        View {
            licence_expires: Some((from, to)),
            ..View::default()
        }
    }

    /// The list of the customers with an active licence over its quantity.
    pub fn licences_over_quantity() -> View {
        View {
            seats_over: true,
            ..View::default()
        }
    }

    /// The list of the customers with a monitor down at `now`.
    pub fn monitors_down(now: NaiveDateTime) -> View {
        View {
            monitors_down: true,
            now: Some(now),
            ..View::default()
        }
    }

    /// This view as read at `now` (the app's clock).
    pub fn at(self, now: NaiveDateTime) -> View {
        View {
            now: Some(now),
            ..self
        }
    }

    /// Whether the view filters on something kept only on the accounts, their
    /// licences and monitors, not beside SQLite's trigram index nor in the counts.
    fn filters_on_dates(&self) -> bool {
        self.trial_ends.is_some()
            || self.trials_ended
            || self.licence_expires.is_some()
            || self.monitors_down
    }

    /// The query string of this view, leaving out what is at its default.
    pub fn query_string(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        if let Some(licence) = self.licence {
            query.append_pair("licence", licence.as_str());
        }
        if let Some(billing) = self.billing {
            query.append_pair("billing", billing.as_str());
        }
        if let Some(group) = &self.group {
            query.append_pair("group", group);
        }
        if let Some(health) = self.health {
            query.append_pair("health", health.as_str());
        }
        if let Some(state) = self.state {
            query.append_pair("state", state.as_str());
        }
        if self.mine {
            query.append_pair("mine", "1");
        }
        if self.trials_ended {
            query.append_pair("trial", "ended");
        }
        if let Some((from, to)) = self.trial_ends {
            query.append_pair("trial_ends", &format!("{from}..{to}"));
        }
        if let Some((from, to)) = self.licence_expires {
            query.append_pair("licence_expires", &format!("{from}..{to}"));
        }
        if self.monitors_down {
            query.append_pair("monitors", "down");
        }
        if self.seats_over {
            query.append_pair("seats", "over");
        }
        if self.sort != SortKey::Name {
            query.append_pair("sort", self.sort.as_str());
        }
        if self.descending != self.sort.descending_by_default() {
            query.append_pair("dir", if self.descending { "desc" } else { "asc" });
        }
        if self.page != 1 {
            query.append_pair("page", &self.page.to_string());
        }
        if self.per_page != DEFAULT_PAGE_SIZE {
            query.append_pair("per", &self.per_page.to_string());
        }
        query.finish()
    }

    /// The list URL for this view changed by `change`.
    pub fn link(&self, change: impl FnOnce(&mut View)) -> String {
        let mut changed = self.clone();
        change(&mut changed);
        let query = changed.query_string();
        if query.is_empty() {
            "/partner/customers".to_owned()
        } else {
            format!("/partner/customers?{query}")
        }
    }

    /// The link of a column header: sorts by `key`, or turns the order round when
    /// the list is already sorted by it.
    pub fn sort_link(&self, key: &SortKey) -> String {
        let key = *key;
        self.link(|v| {
            v.descending = if v.sort == key {
                !v.descending
            } else {
                key.descending_by_default()
            };
            v.sort = key;
            v.page = 1;
        })
    }

    pub fn page_link(&self, page: i64) -> String {
        self.link(|v| v.page = page)
    }

    pub fn is_filtered(&self) -> bool {
        !self.q.is_empty()
            || self.licence.is_some()
            || self.billing.is_some()
            || self.group.is_some()
            || self.health.is_some()
            || self.state.is_some()
            || self.mine
            || self.seats_over
            || self.filters_on_dates()
    }

    /// This view without its trial-end filter.
    pub fn without_trial_ends(&self) -> String {
        self.link(|v| {
            v.trial_ends = None;
            v.page = 1;
        })
    }

    /// This view without its ended-trials filter.
    pub fn without_trials_ended(&self) -> String {
        self.link(|v| {
            v.trials_ended = false;
            v.page = 1;
        })
    }

    /// Whether a trial ending on `ends` has ended on the view's day.
    pub fn trial_has_ended(&self, ends: &Option<NaiveDate>) -> bool {
        match (ends, self.now) {
            (Some(ends), Some(now)) => *ends < now.date(),
            _ => false,
        }
    }

    /// This view without its licence-expiry filter.
    pub fn without_licence_expires(&self) -> String {
        self.link(|v| {
            v.licence_expires = None;
            v.page = 1;
        })
    }

    /// This view without its monitors-down filter.
    pub fn without_monitors_down(&self) -> String {
        self.link(|v| {
            v.monitors_down = false;
            v.page = 1;
        })
    }

    /// This view without its over-quantity filter.
    pub fn without_seats_over(&self) -> String {
        self.link(|v| {
            v.seats_over = false;
            v.page = 1;
        })
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, key: &SortKey) -> &'static str {
        match (self.sort == *key, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

type Boxed<'a> = customer_accounts::BoxedQuery<'a, MultiBackend>;

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
use search_index::{customer_search, customer_search_partners, customer_search_rows};

/// The rowids of SQLite's trigram index that belong to a partner.
#[derive(Debug, Clone, Copy)]
struct SearchRange {
    first: i64,
    last: i64,
}

impl SearchRange {
    /// The partner's range; none when the partner never had a customer.
    fn of(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Option<SearchRange>> {
        let numbers: Vec<i64> = customer_search_partners::table
            .filter(customer_search_partners::partner_id.eq(partner_id))
            .select(customer_search_partners::number)
            .load(conn)?;
        Ok(numbers.first().map(|number| SearchRange {
            first: number << 32,
            last: (number << 32) + 0xFFFF_FFFF,
        }))
    }
}

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

/// The search text as an FTS5 phrase: with the trigram tokenizer, a phrase of
/// three characters or more matches exactly the texts containing it, wildcards
/// and all.
fn trigram_phrase(text: &str) -> String {
    format!("\"{}\"", text.to_lowercase().replace('"', "\"\""))
}

/// Whether SQLite's trigram index answers this search (three characters at least;
/// shorter texts are compared with every customer of the partner).
fn uses_trigram_index(conn: &DbConnection, view: &View) -> bool {
    matches!(conn, DbConnection::Sqlite(_)) && view.q.chars().count() >= 3
}

/// The rowids of SQLite's trigram index matching a phrase (first bind) in the
/// range of a partner (second and third binds).
const TRIGRAM_MATCHES: [&str; 3] = [
    "SELECT rowid FROM customer_search WHERE customer_search MATCH ",
    " AND rowid BETWEEN (SELECT number << 32 FROM customer_search_partners WHERE partner_id = ",
    ") AND (SELECT (number << 32) + 4294967295 FROM customer_search_partners WHERE partner_id = ",
];

/// Bits of `licence_flags`: a licence in each status, and an active or trial
/// licence supplied by the customer's own partner.
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

// Operators as expressions rather than SQL text, so that diesel keeps the prepared
// statements that use them.
diesel::infix_operator!(BitAnd, " & ", diesel::sql_types::Integer);
diesel::infix_operator!(Matches, " MATCH ");

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
            query = query.filter($table::billing_type.eq(billing.as_str()));
        }
        if let Some(health) = view.health {
            query = query.filter($table::health_level.eq(health.level()));
        }
        if let Some(state) = view.state {
            query = query.filter($table::state.eq(state.as_str()));
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

/// `$query` (of customer_accounts or customer_search_rows, whose customer id is
/// `$id`) in the view's order.
macro_rules! in_view_order {
    ($query:expr, $table:ident, $id:ident, $view:expr) => {{
        use $table::{created_at, health_level, name_key, state};
        let (query, id) = ($query, $table::$id);
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
            .filter(licences::status.eq(LicenceStatus::Active.as_str()))
            .filter(licences::expires_on.between($from, $to))
    };
}

/// The partner's customers matching the view, unsorted. Every read of the list
/// (page, count, export) starts here.
pub fn matching<'a>(conn: &DbConnection, partner_id: &'a str, view: &'a View) -> Boxed<'a> {
    let mut query = customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner_id))
        .into_boxed::<MultiBackend>();
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
    if let Some(group) = &view.group {
        query = query.filter(customer_accounts::id.eq_any(members_of!(partner_id, group)));
    }
    if let Some((from, to)) = view.trial_ends {
        query = query
            .filter(customer_accounts::billing_type.eq(BillingType::Trial.as_str()))
            .filter(customer_accounts::trial_ends_on.between(from, to));
    }
    if view.trials_ended {
        // A view without a day (none is built so) ends nothing.
        let today = view.now.map_or(NaiveDate::MIN, |now| now.date());
        query = query
            .filter(customer_accounts::billing_type.eq(BillingType::Trial.as_str()))
            .filter(customer_accounts::trial_ends_on.lt(today));
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

/// How many of the partner's customers have an active licence expiring from
/// `from` to `to`: the count of `View::licences_expiring`, read from the
/// licences' index alone.
pub fn count_licences_expiring(
    conn: &mut DbConnection,
    partner_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<i64> {
    expiring_licences!(partner_id, from, to)
        .select(diesel::dsl::count(licences::customer_id).aggregate_distinct())
        .get_result(conn)
}

/// `matching`, in the view's order.
pub fn sorted<'a>(conn: &DbConnection, partner_id: &'a str, view: &'a View) -> Boxed<'a> {
    in_view_order!(
        matching(conn, partner_id, view),
        customer_accounts,
        id,
        view
    )
}

/// SQLite: the partner's matches of the view's text in the trigram index, with
/// the view's other filters, read from the index alone.
fn searched<'a>(
    partner_id: &'a str,
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
    if let Some(group) = &view.group {
        query =
            query.filter(customer_search_rows::customer_id.eq_any(members_of!(partner_id, group)));
    }
    filter_columns!(query, customer_search_rows, view)
}

/// The number of the partner's customers matching the view's filters on the
/// columns kept in `customer_counts`: a sum over a few dozen rows.
fn counted(conn: &mut DbConnection, partner_id: &str, view: &View) -> QueryResult<i64> {
    use crate::db::schema::customer_counts;
    let query = customer_counts::table
        .filter(customer_counts::partner_id.eq(partner_id))
        .into_boxed::<MultiBackend>();
    let sum: Option<i64> = filter_columns!(query, customer_counts, view)
        .select(diesel::dsl::sum(customer_counts::customers))
        .get_result(conn)?;
    Ok(sum.unwrap_or(0))
}

/// The number of customers matching the view; `range` is the partner's range of
/// SQLite's trigram index when the view searches it.
fn total(
    conn: &mut DbConnection,
    partner_id: &str,
    view: &View,
    range: Option<SearchRange>,
) -> QueryResult<i64> {
    if view.q.is_empty() && view.group.is_none() && !view.filters_on_dates() {
        return counted(conn, partner_id, view);
    }
    // The trial end is not kept beside SQLite's trigram index: such a view is
    // counted on the accounts.
    if !uses_trigram_index(conn, view) || view.filters_on_dates() {
        return matching(conn, partner_id, view).count().get_result(conn);
    }
    let Some(range) = range else {
        return Ok(0);
    };
    let filters_only_text = view.group.is_none()
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
    searched(partner_id, range, view).count().get_result(conn)
}

/// What a row of the list shows.
#[derive(Debug, Clone, Queryable)]
pub struct ListedCustomer {
    pub id: String,
    pub name: String,
    pub primary_domain: String,
    pub state: String,
    pub billing_type: String,
    pub trial_ends_on: Option<NaiveDate>,
    pub managed_order: bool,
    pub health_level: i32,
    pub created_at: NaiveDateTime,
}

pub type ListedColumns = (
    customer_accounts::id,
    customer_accounts::name,
    customer_accounts::primary_domain,
    customer_accounts::state,
    customer_accounts::billing_type,
    customer_accounts::trial_ends_on,
    customer_accounts::managed_order,
    customer_accounts::health_level,
    customer_accounts::created_at,
);

pub const LISTED: ListedColumns = (
    customer_accounts::id,
    customer_accounts::name,
    customer_accounts::primary_domain,
    customer_accounts::state,
    customer_accounts::billing_type,
    customer_accounts::trial_ends_on,
    customer_accounts::managed_order,
    customer_accounts::health_level,
    customer_accounts::created_at,
);

pub struct Row {
    pub customer: ListedCustomer,
    pub state: CustomerState,
    pub billing: BillingType,
    pub health: Health,
    pub groups: Vec<String>,
    /// (status, count of licences in it)
    pub licences: Vec<(LicenceStatus, i64)>,
}

pub struct Listing {
    pub rows: Vec<Row>,
    pub total: i64,
    /// Whether the partner has any customer at all (for the empty state).
    pub has_any: bool,
    pub groups: Vec<(String, String)>,
}

/// PostgreSQL: the ids of a searched page and the number of matches, in one read
/// of the trigram index. The matches are sorted rather than found by walking the
/// sort order's index, which the planner prefers but which reads most of the index
/// when the matches sit together in that order (a name's start in a list by
/// name); so index scans are off for this query and the trigram index is read as
/// a bitmap. None when the page is past the last match.
fn searched_page_pg(
    conn: &mut DbConnection,
    partner_id: &str,
    view: &View,
    offset: i64,
) -> QueryResult<Option<(i64, Vec<String>)>> {
    let rows: Vec<(String, i64)> = conn.transaction(|conn| {
        conn.batch_execute(
            "SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off",
        )?;
        sorted(conn, partner_id, view)
            .select((customer_accounts::id, sql::<BigInt>("COUNT(*) OVER ()")))
            .limit(view.per_page)
            .offset(offset)
            .load(conn)
    })?;
    Ok(rows
        .first()
        .map(|&(_, total)| total)
        .map(|total| (total, rows.into_iter().map(|(id, _)| id).collect())))
}

type PageColumn<ST> =
    Box<dyn BoxableExpression<customer_accounts::table, MultiBackend, SqlType = ST>>;

/// What a page row shows beside its customer: the names of its groups (a JSON
/// array, by name) and its number of active, trial and expired licences; read
/// with the row rather than by one more query each.
type PageRowColumns = (
    ListedColumns,
    PageColumn<Nullable<Text>>,
    PageColumn<BigInt>,
    PageColumn<BigInt>,
    PageColumn<BigInt>,
);
type PageRow = (ListedCustomer, Option<String>, i64, i64, i64);

fn page_row_columns(conn: &DbConnection, partner_id: &str) -> PageRowColumns {
    // Only the partner's own groups, by name.
    let aggregate = match conn {
        DbConnection::Sqlite(_) => {
            "json_group_array(customer_groups.name ORDER BY customer_groups.name_key)"
        }
        DbConnection::Postgres(_) => {
            "json_agg(customer_groups.name ORDER BY customer_groups.name_key)::text"
        }
    };
    let groups = sql::<Nullable<Text>>(&format!(
        "(SELECT {aggregate} FROM customer_group_members JOIN customer_groups \
         ON customer_groups.id = customer_group_members.group_id \
         WHERE customer_group_members.customer_id = customer_accounts.id \
         AND customer_groups.partner_id = "
    ))
    .bind::<Text, _>(partner_id.to_owned())
    .sql(")");
    let licences = |status: LicenceStatus| -> PageColumn<BigInt> {
        Box::new(
            sql::<BigInt>(
                "(SELECT COUNT(*) FROM licences WHERE licences.customer_id = customer_accounts.id \
                 AND licences.status = ",
            )
            .bind::<Text, _>(status.as_str())
            .sql(")"),
        )
    };
    (
        LISTED,
        Box::new(groups),
        licences(LicenceStatus::Active),
        licences(LicenceStatus::Trial),
        licences(LicenceStatus::Expired),
    )
}

/// The rows of the partner's customers `ids`, in that order.
fn rows_by_id(
    conn: &mut DbConnection,
    partner_id: &str,
    ids: &[String],
) -> QueryResult<Vec<PageRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Looked up by id (SQLite is kept off the partner's indexes, which it would
    // walk whole), still only among the partner's customers.
    let partner = if matches!(conn, DbConnection::Sqlite(_)) {
        "+customer_accounts.partner_id = "
    } else {
        "customer_accounts.partner_id = "
    };
    let columns = page_row_columns(conn, partner_id);
    let mut rows: Vec<PageRow> = customer_accounts::table
        .filter(sql::<Bool>(partner).bind::<Text, _>(partner_id))
        .filter(customer_accounts::id.eq_any(ids))
        .select(columns)
        .load(conn)?;
    let position: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| (id.as_str(), n))
        .collect();
    rows.sort_by_key(|row| position.get(row.0.id.as_str()).copied());
    Ok(rows)
}

/// Reads one page of the view, its total and what the filters offer.
pub fn load(conn: &mut DbConnection, partner_id: &str, view: &View) -> QueryResult<Listing> {
    let offset = (view.page - 1) * view.per_page;
    let range = if uses_trigram_index(conn, view) && !view.filters_on_dates() {
        SearchRange::of(conn, partner_id)?
    } else {
        None
    };
    let found = if matches!(conn, DbConnection::Postgres(_)) && !view.q.is_empty() {
        searched_page_pg(conn, partner_id, view, offset)?
    } else {
        None
    };
    let (total, customers) = match found {
        Some((total, ids)) => (total, rows_by_id(conn, partner_id, &ids)?),
        None => {
            let total = total(conn, partner_id, view, range)?;
            let customers = if offset >= total {
                Vec::new()
            } else if let Some(range) = range {
                let ids: Vec<String> = in_view_order!(
                    searched(partner_id, range, view),
                    customer_search_rows,
                    customer_id,
                    view
                )
                .select(customer_search_rows::customer_id)
                .limit(view.per_page)
                .offset(offset)
                .load(conn)?;
                rows_by_id(conn, partner_id, &ids)?
            } else if matches!(conn, DbConnection::Sqlite(_)) && offset <= 1_000 {
                // SQLite reads a row only when a column outside the index is needed,
                // so the entries skipped by the offset cost no row; a second query
                // for the rows costs more than that on the first pages, and less
                // than the deferred row lookups of a long skip.
                let columns = page_row_columns(conn, partner_id);
                sorted(conn, partner_id, view)
                    .select(columns)
                    .limit(view.per_page)
                    .offset(offset)
                    .load(conn)?
            } else {
                // The page's ids first, from the index alone (PostgreSQL would read
                // every skipped row otherwise), then their rows.
                let ids: Vec<String> = sorted(conn, partner_id, view)
                    .select(customer_accounts::id)
                    .limit(view.per_page)
                    .offset(offset)
                    .load(conn)?;
                rows_by_id(conn, partner_id, &ids)?
            };
            (total, customers)
        }
    };
    // Whether the partner has any customer, for the empty state.
    let has_any =
        total > 0 || (view.is_filtered() && counted(conn, partner_id, &View::default())? > 0);
    let rows = customers
        .into_iter()
        .map(|(customer, groups, active, trial, expired)| {
            let licences = [
                (LicenceStatus::Active, active),
                (LicenceStatus::Trial, trial),
                (LicenceStatus::Expired, expired),
            ]
            .into_iter()
            .filter(|&(_, count)| count > 0)
            .collect();
            Row {
                state: CustomerState::parse(&customer.state).unwrap_or(CustomerState::Active),
                billing: BillingType::parse(&customer.billing_type)
                    .unwrap_or(BillingType::MonthlyUsage),
                health: Health::from_level(customer.health_level),
                groups: groups
                    .and_then(|names| serde_json::from_str(&names).ok())
                    .unwrap_or_default(),
                licences,
                customer,
            }
        })
        .collect();
    Ok(Listing {
        rows,
        total,
        has_any,
        groups: groups_of_partner(conn, partner_id)?,
    })
}

/// The partner's groups as (id, name), by name.
pub fn groups_of_partner(
    conn: &mut DbConnection,
    partner_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    customer_groups::table
        .filter(customer_groups::partner_id.eq(partner_id))
        .order((customer_groups::name_key.asc(), customer_groups::id.asc()))
        .select((customer_groups::id, customer_groups::name))
        .load(conn)
}

#[derive(Template)]
#[template(path = "customers/list.html")]
struct ListPage {
    layout: Layout,
    view: View,
    listing: Listing,
    pages: i64,
    can_create: bool,
    sort_keys: [SortKey; 4],
    licence_statuses: &'static [LicenceStatus],
    billing_types: &'static [BillingType],
    healths: &'static [Health],
    states: &'static [CustomerState],
    page_sizes: [i64; 3],
    lang: Lang,
}

impl ListPage {
    fn day(&self, day: &NaiveDate) -> String {
        crate::i18n::format_date(*day, self.lang)
    }

    fn date(&self, day: &Option<NaiveDate>) -> String {
        day.map(|d| crate::i18n::format_date(d, self.lang))
            .unwrap_or_default()
    }

    fn created(&self, at: &NaiveDateTime) -> String {
        crate::i18n::format_date(at.date(), self.lang)
    }

    fn sort_label(&self, key: &SortKey) -> String {
        self.layout.tr.t(format!("customers-sort-{}", key.as_str()))
    }

    fn page_of(&self) -> String {
        self.layout.tr.with_numbers(
            "customers-page-of",
            &[],
            &[
                ("page", self.view.page.into()),
                ("pages", self.pages.into()),
            ],
        )
    }

    fn showing(&self) -> String {
        let first = (self.view.page - 1) * self.view.per_page + 1;
        let last = (first + self.listing.rows.len() as i64 - 1).max(first);
        self.layout.tr.with_numbers(
            "customers-showing",
            &[],
            &[
                ("first", first.into()),
                ("last", last.into()),
                ("total", self.listing.total.into()),
            ],
        )
    }
}

pub async fn page(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    query: web::Query<RawView>,
) -> Result<HttpResponse, PageError> {
    let view = View::from(query.into_inner()).at(state.clock.now());
    let partner_id = member.partner_id().to_owned();
    let wanted = view.clone();
    let listing = db::run(&state.pool, move |conn| {
        load(conn, &partner_id, &wanted).map_err(DbError::from)
    })
    .await?;
    let pages = ((listing.total + view.per_page - 1) / view.per_page).max(1);
    let lang = layout.lang;
    render(&ListPage {
        layout,
        view,
        listing,
        pages,
        can_create: member.role.can(Capability::ManageCustomers),
        sort_keys: SortKey::ALL,
        licence_statuses: LicenceStatus::ALL,
        billing_types: BillingType::ALL,
        healths: Health::ALL,
        states: CustomerState::ALL,
        page_sizes: PAGE_SIZES,
        lang,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(query: &str) -> View {
        let raw: RawView = serde_urlencoded_from(query);
        View::from(raw)
    }

    fn serde_urlencoded_from(query: &str) -> RawView {
        let pairs: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| pairs.get(k).cloned().unwrap_or_default();
        RawView {
            q: get("q"),
            licence: get("licence"),
            billing: get("billing"),
            group: get("group"),
            health: get("health"),
            state: get("state"),
            mine: get("mine"),
            trial_ends: get("trial_ends"),
            trial: get("trial"),
            licence_expires: get("licence_expires"),
            monitors: get("monitors"),
            seats: get("seats"),
            sort: get("sort"),
            dir: get("dir"),
            page: get("page"),
            per: get("per"),
        }
    }

    #[test]
    fn a_view_survives_its_own_url() {
        let query = "q=north+wind&licence=trial&billing=monthly_usage&group=g1&health=incident&state=active&mine=1&trial_ends=2026-11-21..2026-12-05&trial=ended&licence_expires=2026-11-21..2026-12-21&monitors=down&seats=over&sort=created&dir=asc&page=3&per=25";
        let parsed = view(query);
        assert_eq!(view(&parsed.query_string()), parsed);
        assert!(parsed.trial_ends.is_some());
        assert!(parsed.trials_ended);
        assert!(parsed.monitors_down);
        assert!(parsed.seats_over);
        assert_eq!(parsed.per_page, 25);
        assert!(!parsed.descending);
    }

    #[test]
    fn unknown_values_fall_back_to_defaults() {
        let parsed = view(
            "sort=evil&per=100000&page=-4&licence=x&trial_ends=2026-12-05..2026-11-21&monitors=up&seats=under",
        );
        assert_eq!(parsed, View::default());
        assert_eq!(parsed.query_string(), "");
    }

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(like_pattern("50%_A"), "%50\\%\\_a%");
    }

    #[test]
    fn a_header_link_turns_the_order_round() {
        let by_name = View::default();
        assert!(by_name.sort_link(&SortKey::Name).contains("dir=desc"));
        assert!(by_name.sort_link(&SortKey::Health).contains("sort=health"));
    }
}

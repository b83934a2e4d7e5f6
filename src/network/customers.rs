//! The customers of a distributor's resellers, read-only: which of them a view
//! of the network list matches, how many, and one page of them. The same
//! queries count the figures of the distributor's home (`rollup.rs`), so a
//! figure and the list it links to cannot disagree.
//!
//! Every query starts from the ids of the organisations under the
//! distributor (`tree::descendants`), never from an id in the URL alone: a
//! `reseller` outside the subtree matches nothing.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Integer;
use serde::Deserialize;

use crate::customers::{BillingType, CustomerState, Health};
use crate::db::derived::licence_flags;
use crate::db::schema::{customer_accounts, customer_counts, service_requests};
use crate::db::{DbConnection, MultiBackend};
use crate::service_requests::Status;

/// Rows a page of the list holds.
pub const PAGE_SIZE: i64 = 50;

diesel::infix_operator!(BitAnd, " & ", diesel::sql_types::Integer);

/// The view as the URL carries it; anything unknown is ignored, so an old
/// link still opens.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawNetworkView {
    reseller: String,
    state: String,
    billing: String,
    health: String,
    /// `over`: an active licence using more seats than it has.
    seats: String,
    /// `YYYY-MM-DD..YYYY-MM-DD`: trials ending between these days.
    trial_ends: String,
    /// `open`: customers with an open service request.
    requests: String,
    page: String,
}

/// Which of the network's customers a list shows.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NetworkView {
    pub reseller: Option<String>,
    pub state: Option<CustomerState>,
    pub billing: Option<BillingType>,
    pub health: Option<Health>,
    pub seats_over: bool,
    pub trial_ends: Option<(NaiveDate, NaiveDate)>,
    pub open_requests: bool,
    pub page: i64,
}

fn day_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = text.trim().split_once("..")?;
    let from = NaiveDate::parse_from_str(from, "%Y-%m-%d").ok()?;
    let to = NaiveDate::parse_from_str(to, "%Y-%m-%d").ok()?;
    (from <= to).then_some((from, to))
}

impl From<RawNetworkView> for NetworkView {
    fn from(raw: RawNetworkView) -> Self {
        let reseller = raw.reseller.trim();
        NetworkView {
            reseller: (!reseller.is_empty() && reseller.len() <= 64).then(|| reseller.to_owned()),
            state: CustomerState::parse(&raw.state),
            billing: BillingType::parse(&raw.billing),
            health: Health::parse(&raw.health),
            seats_over: raw.seats == "over",
            trial_ends: day_range(&raw.trial_ends),
            open_requests: raw.requests == "open",
            page: raw
                .page
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=100_000).contains(p))
                .unwrap_or(1),
        }
    }
}

impl NetworkView {
    /// The view's link, changed by `change` and back on its first page.
    pub fn link(&self, change: impl FnOnce(&mut NetworkView)) -> String {
        let mut view = self.clone();
        view.page = 1;
        change(&mut view);
        view.href()
    }

    pub fn without_trial_ends(&self) -> String {
        self.link(|view| view.trial_ends = None)
    }

    pub fn page_link(&self, page: i64) -> String {
        let mut view = self.clone();
        view.page = page;
        view.href()
    }

    fn href(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(reseller) = &self.reseller {
            query.append_pair("reseller", reseller);
        }
        if let Some(state) = self.state {
            query.append_pair("state", state.as_str());
        }
        if let Some(billing) = self.billing {
            query.append_pair("billing", billing.as_str());
        }
        if let Some(health) = self.health {
            query.append_pair("health", health.as_str());
        }
        if self.seats_over {
            query.append_pair("seats", "over");
        }
        if let Some((from, to)) = self.trial_ends {
            query.append_pair("trial_ends", &format!("{from}..{to}"));
        }
        if self.open_requests {
            query.append_pair("requests", "open");
        }
        if self.page > 1 {
            query.append_pair("page", &self.page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            LIST_PATH.to_owned()
        } else {
            format!("{LIST_PATH}?{query}")
        }
    }

    /// Whether only columns kept in `customer_counts` filter the view.
    fn counted_from_kept_counts(&self) -> bool {
        self.trial_ends.is_none() && !self.open_requests
    }

    pub fn is_filtered(&self) -> bool {
        *self
            != NetworkView {
                page: self.page,
                ..NetworkView::default()
            }
    }
}

pub const LIST_PATH: &str = "/partner/network/customers";

/// The organisations of `network` the view looks at: all of them, or the
/// one it names if it is among them (else none).
fn partners_of<'a>(network: &'a [String], view: &NetworkView) -> Vec<&'a str> {
    network
        .iter()
        .map(String::as_str)
        .filter(|id| view.reseller.as_deref().is_none_or(|wanted| wanted == *id))
        .collect()
}

type Boxed<'a> = customer_accounts::BoxedQuery<'a, MultiBackend>;

/// The network's customers matching the view, unsorted.
pub fn matching<'a>(network: &'a [String], view: &NetworkView) -> Boxed<'a> {
    let query = customer_accounts::table.into_boxed::<MultiBackend>();
    // One organisation (a reseller's customers) by equality: PostgreSQL
    // reads `= ANY` of even one value as a bitmap and sorts every one of the
    // reseller's customers for a page (6 to 8 ms for 5,000, over 20 ms under
    // the benchmark's load), where equality walks its index by name (0.2 ms).
    let query = match partners_of(network, view).as_slice() {
        [one] => query.filter(customer_accounts::partner_id.eq(*one)),
        partners => query.filter(customer_accounts::partner_id.eq_any(partners.to_vec())),
    };
    filtered(query, view)
}

/// `query` narrowed to the view's filters other than the reseller.
fn filtered<'a>(mut query: Boxed<'a>, view: &NetworkView) -> Boxed<'a> {
    if let Some(state) = view.state {
        query = query.filter(customer_accounts::state.eq(state));
    }
    if let Some(billing) = view.billing {
        query = query.filter(customer_accounts::billing_type.eq(billing));
    }
    if let Some(health) = view.health {
        query = query.filter(customer_accounts::health_level.eq(health.level()));
    }
    if view.seats_over {
        let bit = licence_flags::OVER_QUANTITY.into_sql::<Integer>();
        query = query.filter(BitAnd::new(customer_accounts::licence_flags, bit).ne(0));
    }
    if let Some((from, to)) = view.trial_ends {
        query = query
            .filter(customer_accounts::billing_type.eq(BillingType::Trial))
            .filter(customer_accounts::trial_ends_on.between(from, to));
    }
    if view.open_requests {
        query = query.filter(
            customer_accounts::id.eq_any(
                service_requests::table
                    .filter(service_requests::status.eq(Status::Open.as_str()))
                    .select(service_requests::customer_id),
            ),
        );
    }
    query
}

/// How many of the network's customers the view matches: from the kept
/// counts (a sum over a few dozen rows per organisation) when they answer it,
/// else counted on the accounts' indexes.
pub fn total(conn: &mut DbConnection, network: &[String], view: &NetworkView) -> QueryResult<i64> {
    if !view.counted_from_kept_counts() {
        return matching(network, view).count().get_result(conn);
    }
    let mut query = customer_counts::table
        .filter(customer_counts::partner_id.eq_any(partners_of(network, view)))
        .into_boxed::<MultiBackend>();
    if let Some(state) = view.state {
        query = query.filter(customer_counts::state.eq(state.as_str()));
    }
    if let Some(billing) = view.billing {
        query = query.filter(customer_counts::billing_type.eq(billing.as_str()));
    }
    if let Some(health) = view.health {
        query = query.filter(customer_counts::health_level.eq(health.level()));
    }
    if view.seats_over {
        let bit = licence_flags::OVER_QUANTITY.into_sql::<Integer>();
        query = query.filter(BitAnd::new(customer_counts::licence_flags, bit).ne(0));
    }
    let sum: Option<i64> = query
        .select(diesel::dsl::sum(customer_counts::customers))
        .get_result(conn)?;
    Ok(sum.unwrap_or(0))
}

/// What a row of the list shows: nothing that opens the customer.
#[derive(Debug, Clone, Queryable)]
pub struct NetworkCustomer {
    pub id: String,
    pub name: String,
    pub primary_domain: String,
    pub partner_id: Option<String>,
    pub state: CustomerState,
    pub billing: BillingType,
    pub trial_ends_on: Option<NaiveDate>,
    pub health_level: i32,
    pub created_at: NaiveDateTime,
}

/// Pages whose rows are found among each organisation's own first rows by
/// name, on PostgreSQL, while that is at most this many rows in all.
const MERGED_ROWS_MAX: i64 = 5_000;

/// The view's customers by name (then id).
///
/// The always-true `name_key >= ''` steers SQLite to an index ordered by
/// name within each organisation (`customer_accounts_by_name`, or the
/// state's or health's): for the `IN` list of organisations it then reads
/// each one's entries in name order and stops once the page's sort holds
/// rows before them, a few hundred entries for a first page. Without it,
/// SQLite took the narrowest index on the organisation alone
/// (`customer_accounts_by_trial_end`) and sorted all 100,000 customers of a
/// distributor's 20 resellers for each page: 35 ms a first page on the
/// benchmark's database, 0.2 ms with it (issue 21).
fn by_name(query: Boxed<'_>) -> Boxed<'_> {
    query.filter(customer_accounts::name_key.ge("")).order((
        customer_accounts::name_key.asc(),
        customer_accounts::id.asc(),
    ))
}

/// One page of the view, by name.
pub fn page(
    conn: &mut DbConnection,
    network: &[String],
    view: &NetworkView,
) -> QueryResult<Vec<NetworkCustomer>> {
    let offset = (view.page - 1) * PAGE_SIZE;
    let partners = partners_of(network, view);
    let merged_rows = partners.len() as i64 * (offset + PAGE_SIZE);
    if matches!(conn, DbConnection::Postgres(_))
        && partners.len() > 1
        && merged_rows <= MERGED_ROWS_MAX
    {
        // PostgreSQL reads every organisation's customers and sorts them
        // all (140 ms for 20 resellers' 100,000). The page's rows are among
        // each organisation's first `offset + PAGE_SIZE` by name, each read
        // from the start of its index (its names and ids alone), and are
        // then sorted among those alone, in the database's own order of
        // names; only the page's rows are read whole. (Read whole, the 1,000
        // to 5,000 candidates cost 8 to 22 ms, 70 to 350 ms under load.)
        // Each by equality: PostgreSQL reads `= ANY` of even one value as a
        // bitmap, unordered.
        let (mut names, mut ids) = (Vec::new(), Vec::new());
        for partner in partners {
            let one = customer_accounts::table
                .filter(customer_accounts::partner_id.eq(partner))
                .into_boxed();
            let first: Vec<(String, String)> = by_name(filtered(one, view))
                .select((customer_accounts::name_key, customer_accounts::id))
                .limit(offset + PAGE_SIZE)
                .load(conn)?;
            let (name_keys, first_ids): (Vec<_>, Vec<_>) = first.into_iter().unzip();
            names.extend(name_keys);
            ids.extend(first_ids);
        }
        let page_ids = page_among(conn, names, ids, offset)?;
        // The ids are the network's matches already: by id alone, so that
        // the planner reads them by key rather than every organisation's.
        return by_name(customer_accounts::table.into_boxed())
            .filter(customer_accounts::id.eq_any(page_ids))
            .select(NETWORK_CUSTOMER_COLUMNS)
            .load(conn);
    }
    by_name(matching(network, view))
        .select(NETWORK_CUSTOMER_COLUMNS)
        .offset(offset)
        .limit(PAGE_SIZE)
        .load(conn)
}

/// PostgreSQL: the ids of the page at `offset` among the candidates
/// (`names[n]` the name key of `ids[n]`), sorted by name then id as the
/// database sorts the column, without reading their rows.
fn page_among(
    conn: &mut DbConnection,
    names: Vec<String>,
    ids: Vec<String>,
    offset: i64,
) -> QueryResult<Vec<String>> {
    use diesel::sql_types::{Array, BigInt, Text};
    #[derive(QueryableByName)]
    struct Candidate {
        #[diesel(sql_type = Text)]
        id: String,
    }
    let DbConnection::Postgres(conn) = conn else {
        return Err(diesel::result::Error::QueryBuilderError(
            "the merged page is PostgreSQL's alone".into(),
        ));
    };
    let page: Vec<Candidate> = diesel::sql_query(
        "SELECT t.id FROM unnest(CAST($1 AS TEXT[]), CAST($2 AS TEXT[])) AS t(name_key, id) \
         ORDER BY t.name_key, t.id OFFSET $3 LIMIT $4",
    )
    .bind::<Array<Text>, _>(names)
    .bind::<Array<Text>, _>(ids)
    .bind::<BigInt, _>(offset)
    .bind::<BigInt, _>(PAGE_SIZE)
    .load(conn)?;
    Ok(page.into_iter().map(|candidate| candidate.id).collect())
}

/// The columns of a `NetworkCustomer`, in its order.
const NETWORK_CUSTOMER_COLUMNS: (
    customer_accounts::id,
    customer_accounts::name,
    customer_accounts::primary_domain,
    customer_accounts::partner_id,
    customer_accounts::state,
    customer_accounts::billing_type,
    customer_accounts::trial_ends_on,
    customer_accounts::health_level,
    customer_accounts::created_at,
) = (
    customer_accounts::id,
    customer_accounts::name,
    customer_accounts::primary_domain,
    customer_accounts::partner_id,
    customer_accounts::state,
    customer_accounts::billing_type,
    customer_accounts::trial_ends_on,
    customer_accounts::health_level,
    customer_accounts::created_at,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_goes_back_to_its_link() {
        let raw = RawNetworkView {
            reseller: "r1".into(),
            state: "active".into(),
            seats: "over".into(),
            trial_ends: "2026-01-01..2026-01-15".into(),
            requests: "open".into(),
            page: "3".into(),
            ..RawNetworkView::default()
        };
        let view = NetworkView::from(raw);
        assert_eq!(
            view.page_link(3),
            "/partner/network/customers?reseller=r1&state=active&seats=over\
             &trial_ends=2026-01-01..2026-01-15&requests=open&page=3"
        );
        assert!(view.is_filtered());
        assert!(!NetworkView::from(RawNetworkView::default()).is_filtered());
    }

    #[test]
    fn a_page_walks_each_organisation_in_name_order_on_sqlite() {
        use crate::db::plans::{empty_sqlite, plan_of, statements_of};
        let mut conn = empty_sqlite();
        let network = vec!["r1".to_owned(), "r2".to_owned()];
        for (view, index) in [
            (NetworkView::default(), "customer_accounts_by_name"),
            (
                NetworkView {
                    state: Some(CustomerState::Active),
                    ..NetworkView::default()
                },
                "customer_accounts_by_state",
            ),
        ] {
            let statements = statements_of(&mut conn, |conn| {
                page(conn, &network, &view).expect("a page");
            });
            let steps: Vec<String> = statements
                .iter()
                .flat_map(|sql| plan_of(&mut conn, sql))
                .collect();
            assert!(
                steps.iter().any(|step| step
                    .starts_with(&format!("SEARCH customer_accounts USING INDEX {index} "))),
                "{view:?}: {steps:#?}"
            );
        }
    }

    #[test]
    fn a_reseller_outside_the_network_finds_nobody() {
        let network = vec!["a".to_owned(), "b".to_owned()];
        let view = NetworkView {
            reseller: Some("elsewhere".into()),
            ..NetworkView::default()
        };
        assert!(partners_of(&network, &view).is_empty());
        assert_eq!(partners_of(&network, &NetworkView::default()).len(), 2);
    }
}

//! The scenarios: what each one asks for, request after request, and who asks.

use std::sync::OnceLock;

use rand::Rng;
use rand::rngs::StdRng;

/// Pieces of generated names ("Summit Dental 1234") and domains
/// ("summit-dental-1234.example"), as someone would type them.
pub const FRAGMENTS: &[&str] = &[
    "summit",
    "harbor log",
    "dental",
    "ber",
    "zephyr-w",
    "quartz st",
];

/// The dashboard scenario's path, known once the database is seeded.
pub static DASHBOARD_PATH: OnceLock<String> = OnceLock::new();
/// The distributor's resellers, as its network list's filter offers them.
pub static RESELLER_IDS: OnceLock<Vec<String>> = OnceLock::new();

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scenario {
    List,
    Search,
    SearchSortPage,
    Filter,
    DeepPage,
    /// The partner home page's roll-up over every customer (issue 8).
    Home,
    /// The distributor's home: its own figures and the roll-ups over its
    /// resellers (issue 21).
    DistributorHome,
    /// The distributor's list of its resellers' customers, by name.
    NetworkList,
    /// Partner A's home for an agent limited to one customer group.
    LimitedHome,
    /// Partner A's customer list for that agent: first page, search, and
    /// search + sort + page in turn.
    LimitedList,
    /// A dashboard of 50 monitors over 90 days of results (and the other periods).
    Dashboard,
    PlainWithSession,
    PlainText,
}

/// Who a scenario's client is signed in as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Owner,
    Distributor,
    Limited,
    CustomerAdmin,
    Nobody,
}

impl Scenario {
    /// Partner A's owner's list scenarios and home, the throughput target's.
    pub const LISTS: [Scenario; 6] = [
        Scenario::List,
        Scenario::Search,
        Scenario::SearchSortPage,
        Scenario::Filter,
        Scenario::DeepPage,
        Scenario::Home,
    ];

    /// Every scenario, in the order they run.
    pub const ALL: [Scenario; 13] = [
        Scenario::List,
        Scenario::Search,
        Scenario::SearchSortPage,
        Scenario::Filter,
        Scenario::DeepPage,
        Scenario::Home,
        Scenario::DistributorHome,
        Scenario::NetworkList,
        Scenario::LimitedHome,
        Scenario::LimitedList,
        Scenario::Dashboard,
        Scenario::PlainWithSession,
        Scenario::PlainText,
    ];

    /// The scenario's name in a table row, with the number of clients.
    pub fn at(self, concurrency: usize) -> String {
        format!("{} @{concurrency}", self.name())
    }

    pub fn name(self) -> &'static str {
        match self {
            Scenario::List => "list",
            Scenario::Search => "search",
            Scenario::SearchSortPage => "search+sort+page",
            Scenario::Filter => "filter",
            Scenario::DeepPage => "deep page",
            Scenario::Home => "partner home",
            Scenario::DistributorHome => "distributor home",
            Scenario::NetworkList => "network list",
            Scenario::LimitedHome => "limited home",
            Scenario::LimitedList => "limited list",
            Scenario::Dashboard => "dashboard",
            Scenario::PlainWithSession => "plain+session",
            Scenario::PlainText => "plain text",
        }
    }

    pub fn who(self) -> Who {
        match self {
            Scenario::DistributorHome | Scenario::NetworkList => Who::Distributor,
            Scenario::LimitedHome | Scenario::LimitedList => Who::Limited,
            Scenario::Dashboard => Who::CustomerAdmin,
            Scenario::PlainText => Who::Nobody,
            _ => Who::Owner,
        }
    }

    /// The scenario of partner A's owner that this one is compared with
    /// (its unscoped equivalent), if it is a scoped one.
    pub fn unscoped(self) -> Option<Scenario> {
        match self {
            Scenario::DistributorHome | Scenario::LimitedHome => Some(Scenario::Home),
            Scenario::NetworkList | Scenario::LimitedList => Some(Scenario::SearchSortPage),
            _ => None,
        }
    }

    /// The target of its p99 at the fewest clients, in ms, and its line.
    pub fn p99_target(self) -> Option<(f64, &'static str)> {
        match self {
            Scenario::SearchSortPage => Some((50.0, "search+sort+page p99 < 50 ms")),
            Scenario::LimitedList => Some((50.0, "limited list p99 < 50 ms")),
            Scenario::NetworkList => Some((50.0, "network list p99 < 50 ms")),
            Scenario::Home => Some((100.0, "partner home p99 < 100 ms")),
            Scenario::DistributorHome => Some((100.0, "distributor home p99 < 100 ms")),
            Scenario::LimitedHome => Some((100.0, "limited home p99 < 100 ms")),
            Scenario::Dashboard => Some((100.0, "dashboard (50 monitors, 90 days) p99 < 100 ms")),
            _ => None,
        }
    }

    /// The path of the `n`th request.
    pub fn path(self, n: usize, pages: usize, rng: &mut StdRng) -> String {
        let fragment = FRAGMENTS[n % FRAGMENTS.len()].as_bytes();
        let q: String = url::form_urlencoded::byte_serialize(fragment).collect();
        match self {
            Scenario::List => "/partner/customers".to_owned(),
            Scenario::Search => format!("/partner/customers?q={q}"),
            Scenario::SearchSortPage => format!("/partner/customers?q={q}&sort=created&page=2"),
            Scenario::Filter if n.is_multiple_of(2) => {
                "/partner/customers?billing=trial&licence=active&sort=health".to_owned()
            }
            Scenario::Filter => "/partner/customers?state=active&mine=1&sort=state&page=20".into(),
            Scenario::DeepPage => format!("/partner/customers?page={}", rng.gen_range(1..=pages)),
            Scenario::Home | Scenario::DistributorHome | Scenario::LimitedHome => {
                "/partner".to_owned()
            }
            Scenario::NetworkList => network_list_path(n),
            Scenario::LimitedList => match n % 3 {
                0 => "/partner/customers".to_owned(),
                1 => format!("/partner/customers?q={q}"),
                _ => format!("/partner/customers?q={q}&sort=created&page=2"),
            },
            Scenario::Dashboard => {
                let base = DASHBOARD_PATH
                    .get()
                    .map_or("/customer/dashboards", String::as_str);
                let period = ["90d", "90d", "30d", "7d", "24h"][n % 5];
                format!("{base}?period={period}")
            }
            Scenario::PlainWithSession | Scenario::PlainText => "/health_check".to_owned(),
        }
    }
}

/// The network list has no search and one order (by name): every other
/// request is its first page, and the others a reseller's customers or the
/// second page of the active ones, both by name.
fn network_list_path(n: usize) -> String {
    const LIST: &str = "/partner/network/customers";
    let resellers = RESELLER_IDS.get().map_or(&[][..], Vec::as_slice);
    match n % 4 {
        1 if !resellers.is_empty() => {
            format!("{LIST}?reseller={}", resellers[(n / 4) % resellers.len()])
        }
        3 => format!("{LIST}?state=active&page=2"),
        _ => LIST.to_owned(),
    }
}

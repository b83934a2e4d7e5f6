//! Derived data checked against what it derives from. The triggers of
//! `replaceable/*.sql` keep counts, flags, history and copies of columns in step
//! with the base tables; `differences` recomputes each of them from the base
//! tables, set by set, and lists where the stored value is not the expected one.
//! `partnerdesk check` prints them.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::{Backend, DbConnection};

/// The bits of `customer_accounts.licence_flags`, as the replaceable schema's
/// one definition of the flags computes them (a test holds the two together).
pub mod licence_flags {
    /// An active licence.
    pub const ACTIVE: i32 = 1;
    /// A trial licence.
    pub const TRIAL: i32 = 2;
    /// An expired licence.
    pub const EXPIRED: i32 = 4;
    /// An active or trial licence supplied by the customer's own partner.
    pub const OWN_PARTNER: i32 = 8;
    /// An active licence with more seats in use than its quantity.
    pub const OVER_QUANTITY: i32 = 16;
}

/// One derived value that is not what the base tables say it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The derived table, or table and column.
    pub derived: &'static str,
    /// Which row: its id, or the columns that group it, separated by " / ".
    pub key: String,
    pub stored: String,
    pub expected: String,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    stored: String,
    #[diesel(sql_type = Text)]
    expected: String,
}

/// How one derived table or column is recomputed: a query answering `key`,
/// `stored` and `expected` for each row that differs. `HOUR(x)` stands for the
/// backend's truncation of a timestamp to its hour, as the triggers write it.
struct Recomputation {
    derived: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// The same SQL on both backends.
const fn both(derived: &'static str, sql: &'static str) -> Recomputation {
    Recomputation {
        derived,
        sqlite: sql,
        postgres: sql,
    }
}

const SQLITE_HOUR: &str = "strftime('%Y-%m-%d %H:00:00', ";
const POSTGRES_HOUR: &str = "date_trunc('hour', ";

const LICENCE_FLAGS: Recomputation = Recomputation {
    derived: "customer_accounts.licence_flags",
    sqlite: "SELECT c.id AS key, CAST(c.licence_flags AS TEXT) AS stored, \
                    CAST(f.licence_flags AS TEXT) AS expected \
             FROM customer_accounts c JOIN customer_licence_flags f ON f.customer_id = c.id \
             WHERE c.licence_flags <> f.licence_flags",
    postgres: "SELECT id AS key, CAST(licence_flags AS TEXT) AS stored, \
                      CAST(customer_licence_flags(id, partner_id) AS TEXT) AS expected \
               FROM customer_accounts \
               WHERE licence_flags <> customer_licence_flags(id, partner_id)",
};

// The counters are compared with a count of the base rows by one pass over both
// (stored rows and base rows side by side, grouped by key): a join of the two
// sets is not planned as well on SQLite, where the hour of a row is an
// expression.

/// Counter rows at zero may stay when their combination no longer exists.
const CUSTOMER_COUNTS: Recomputation = both(
    "customer_counts",
    "SELECT partner_id || ' / ' || state || ' / ' || billing_type \
            || ' / ' || CAST(health_level AS TEXT) \
            || ' / ' || CAST(licence_flags AS TEXT) AS key, \
            CAST(SUM(stored) AS TEXT) AS stored, CAST(SUM(expected) AS TEXT) AS expected \
     FROM ( \
         SELECT partner_id, state, billing_type, health_level, licence_flags, \
                customers AS stored, 0 AS expected \
         FROM customer_counts \
         UNION ALL \
         SELECT partner_id, state, billing_type, health_level, licence_flags, 0, 1 \
         FROM customer_accounts WHERE partner_id IS NOT NULL) AS side_by_side \
     GROUP BY partner_id, state, billing_type, health_level, licence_flags \
     HAVING SUM(stored) <> SUM(expected)",
);

const CUSTOMER_CREATIONS: Recomputation = both(
    "customer_creations",
    "SELECT partner_id || ' / ' || CAST(hour AS TEXT) AS key, \
            CAST(SUM(stored) AS TEXT) AS stored, CAST(SUM(expected) AS TEXT) AS expected \
     FROM ( \
         SELECT partner_id, hour, customers AS stored, 0 AS expected \
         FROM customer_creations \
         UNION ALL \
         SELECT partner_id, HOUR(created_at), 0, 1 \
         FROM customer_accounts WHERE partner_id IS NOT NULL) AS side_by_side \
     GROUP BY partner_id, hour \
     HAVING SUM(stored) <> SUM(expected)",
);

/// A history cannot be recomputed from the present, but its sum can: every
/// hour's entries and departures of a state add up to the partner's customers
/// in that state now.
const CUSTOMER_STATE_CHANGES: Recomputation = both(
    "customer_state_changes",
    "SELECT partner_id || ' / ' || state || ' (sum of every hour)' AS key, \
            CAST(SUM(stored) AS TEXT) AS stored, CAST(SUM(expected) AS TEXT) AS expected \
     FROM ( \
         SELECT partner_id, state, delta AS stored, 0 AS expected \
         FROM customer_state_changes \
         UNION ALL \
         SELECT partner_id, state, 0, 1 \
         FROM customer_accounts WHERE partner_id IS NOT NULL) AS side_by_side \
     GROUP BY partner_id, state \
     HAVING SUM(stored) <> SUM(expected)",
);

/// A day's row holds the sum of that UTC day's hours. `DAY(x)` stands for the
/// backend's date of a timestamp, as the triggers write it.
const CUSTOMER_STATE_DAYS: Recomputation = both(
    "customer_state_days",
    "SELECT partner_id || ' / ' || CAST(day AS TEXT) || ' / ' || state AS key, \
            CAST(SUM(stored) AS TEXT) AS stored, CAST(SUM(expected) AS TEXT) AS expected \
     FROM ( \
         SELECT partner_id, day, state, delta AS stored, 0 AS expected \
         FROM customer_state_days \
         UNION ALL \
         SELECT partner_id, DAY(hour), state, 0, delta \
         FROM customer_state_changes) AS side_by_side \
     GROUP BY partner_id, day, state \
     HAVING SUM(stored) <> SUM(expected)",
);

const CUSTOMER_CREATION_DAYS: Recomputation = both(
    "customer_creation_days",
    "SELECT partner_id || ' / ' || CAST(day AS TEXT) AS key, \
            CAST(SUM(stored) AS TEXT) AS stored, CAST(SUM(expected) AS TEXT) AS expected \
     FROM ( \
         SELECT partner_id, day, customers AS stored, 0 AS expected \
         FROM customer_creation_days \
         UNION ALL \
         SELECT partner_id, DAY(hour), 0, customers \
         FROM customer_creations) AS side_by_side \
     GROUP BY partner_id, day \
     HAVING SUM(stored) <> SUM(expected)",
);

const PARTNER_MONITORS: Recomputation = both(
    "partner_monitors",
    "SELECT partner_id AS key, \
            CAST(SUM(stored) AS TEXT) AS stored, CAST(SUM(expected) AS TEXT) AS expected \
     FROM ( \
         SELECT partner_id, monitors AS stored, 0 AS expected FROM partner_monitors \
         UNION ALL \
         SELECT c.partner_id, 0, 1 \
         FROM monitors m JOIN customer_accounts c ON c.id = m.customer_id \
         WHERE c.partner_id IS NOT NULL) AS side_by_side \
     GROUP BY partner_id \
     HAVING SUM(stored) <> SUM(expected)",
);

const LICENCE_PARTNER: Recomputation = both(
    "licences.partner_id",
    "SELECT l.id AS key, COALESCE(l.partner_id, '(none)') AS stored, \
            COALESCE(c.partner_id, '(none)') AS expected \
     FROM licences l JOIN customer_accounts c ON c.id = l.customer_id \
     WHERE l.partner_id IS DISTINCT FROM c.partner_id",
);

const CUSTOMER_TRIAL_ENDS: Recomputation = both(
    "customer_trial_ends",
    "SELECT partner_id || ' / ' || CAST(day AS TEXT) AS key, \
            CAST(SUM(stored) AS TEXT) AS stored, CAST(SUM(expected) AS TEXT) AS expected \
     FROM ( \
         SELECT partner_id, day, customers AS stored, 0 AS expected \
         FROM customer_trial_ends \
         UNION ALL \
         SELECT partner_id, trial_ends_on, 0, 1 \
         FROM customer_accounts WHERE partner_id IS NOT NULL AND billing_type = 'trial' \
             AND trial_ends_on IS NOT NULL) AS side_by_side \
     GROUP BY partner_id, day \
     HAVING SUM(stored) <> SUM(expected)",
);

/// Each customer's dates of active licence expiry with the previous one
/// (migration 40), as the replaceable schema's one definition gives them; side
/// by side, as the counters are (joined to the view, which numbers each
/// customer's dates, SQLite read it again for every row: minutes at 100,000
/// customers).
const CUSTOMER_EXPIRY_DATES: Recomputation = both(
    "customer_expiry_dates",
    "SELECT customer_id || ' / ' || CAST(expires_on AS TEXT) AS key, \
            COALESCE(MAX(stored), '(none)') AS stored, \
            COALESCE(MAX(expected), '(none)') AS expected \
     FROM ( \
         SELECT customer_id, expires_on, \
                partner_id || ' / ' || COALESCE(CAST(previous_expiry AS TEXT), '(none)') AS stored, \
                NULL AS expected \
         FROM customer_expiry_dates \
         UNION ALL \
         SELECT customer_id, expires_on, NULL, \
                partner_id || ' / ' || COALESCE(CAST(previous_expiry AS TEXT), '(none)') \
         FROM customer_licence_expiries) AS side_by_side \
     GROUP BY customer_id, expires_on \
     HAVING COALESCE(MAX(stored), '(none)') <> COALESCE(MAX(expected), '(none)')",
);

/// SQLite's search: each customer with a partner has one row of the list's
/// columns, and no other customer has one.
const SEARCH_ROWS: Recomputation = both(
    "customer_search_rows",
    "SELECT c.id AS key, \
            CASE WHEN r.customer_id IS NULL THEN '(none)' ELSE \
                r.name_key || ' / ' || CAST(r.created_at AS TEXT) || ' / ' || r.state \
                || ' / ' || r.billing_type || ' / ' || CAST(r.health_level AS TEXT) \
                || ' / ' || CAST(r.licence_flags AS TEXT) END AS stored, \
            CASE WHEN c.partner_id IS NULL THEN '(none)' ELSE \
                c.name_key || ' / ' || CAST(c.created_at AS TEXT) || ' / ' || c.state \
                || ' / ' || c.billing_type || ' / ' || CAST(c.health_level AS TEXT) \
                || ' / ' || CAST(c.licence_flags AS TEXT) END AS expected \
     FROM customer_accounts c LEFT JOIN customer_search_rows r ON r.customer_id = c.id \
     WHERE (c.partner_id IS NULL) <> (r.customer_id IS NULL) \
        OR (r.customer_id IS NOT NULL AND ( \
            r.name_key IS DISTINCT FROM c.name_key OR r.created_at IS DISTINCT FROM c.created_at \
            OR r.state IS DISTINCT FROM c.state OR r.billing_type IS DISTINCT FROM c.billing_type \
            OR r.health_level IS DISTINCT FROM c.health_level \
            OR r.licence_flags IS DISTINCT FROM c.licence_flags)) \
     UNION ALL \
     SELECT r.customer_id, 'a row', '(none: no such customer)' FROM customer_search_rows r \
     WHERE NOT EXISTS (SELECT 1 FROM customer_accounts c WHERE c.id = r.customer_id)",
);

/// SQLite's search: each row's number lies in its partner's range.
const SEARCH_ROWIDS: Recomputation = both(
    "customer_search_rows.search_rowid",
    "SELECT r.customer_id AS key, CAST(r.search_rowid AS TEXT) AS stored, \
            CASE WHEN p.number IS NULL THEN '(a number for partner ' || c.partner_id || ')' \
                 ELSE CAST(p.number << 32 AS TEXT) || ' to ' \
                      || CAST((p.number << 32) + 4294967295 AS TEXT) END AS expected \
     FROM customer_search_rows r JOIN customer_accounts c ON c.id = r.customer_id \
     LEFT JOIN customer_search_partners p ON p.partner_id = c.partner_id \
     WHERE p.number IS NULL \
        OR r.search_rowid NOT BETWEEN p.number << 32 AND (p.number << 32) + 4294967295",
);

/// SQLite's search: the trigram index holds an entry for every row and no
/// other. (Its text cannot be read back: the index keeps no copy.)
const SEARCH_INDEX: Recomputation = both(
    "customer_search",
    "SELECT r.customer_id AS key, '(not indexed)' AS stored, 'indexed' AS expected \
     FROM customer_search_rows r \
     WHERE NOT EXISTS (SELECT 1 FROM customer_search_docsize d WHERE d.id = r.search_rowid) \
     UNION ALL \
     SELECT 'rowid ' || CAST(d.id AS TEXT), 'indexed', '(no such row)' \
     FROM customer_search_docsize d \
     WHERE NOT EXISTS (SELECT 1 FROM customer_search_rows r WHERE r.search_rowid = d.id)",
);

/// A group's members carry copies of their customers' columns.
const GROUP_MEMBER_COPIES: Recomputation = both(
    "customer_group_members (copies)",
    "SELECT m.group_id || ' / ' || m.customer_id AS key, \
            COALESCE(m.partner_id, '(none)') || ' / ' || m.state || ' / ' || m.billing_type \
            || ' / ' || CAST(m.health_level AS TEXT) || ' / ' || CAST(m.licence_flags AS TEXT) \
            || ' / ' || COALESCE(CAST(m.trial_ends_on AS TEXT), '(none)') \
            || ' / ' || CAST(m.customer_created_at AS TEXT) AS stored, \
            COALESCE(c.partner_id, '(none)') || ' / ' || c.state || ' / ' || c.billing_type \
            || ' / ' || CAST(c.health_level AS TEXT) || ' / ' || CAST(c.licence_flags AS TEXT) \
            || ' / ' || COALESCE(CAST(c.trial_ends_on AS TEXT), '(none)') \
            || ' / ' || CAST(c.created_at AS TEXT) AS expected \
     FROM customer_group_members m JOIN customer_accounts c ON c.id = m.customer_id \
     WHERE m.partner_id IS DISTINCT FROM c.partner_id OR m.state <> c.state \
        OR m.billing_type <> c.billing_type OR m.health_level <> c.health_level \
        OR m.licence_flags <> c.licence_flags \
        OR m.trial_ends_on IS DISTINCT FROM c.trial_ends_on \
        OR m.customer_created_at <> c.created_at",
);

/// A group's members carry their customers' name key and searched text
/// (migration 39), which PostgreSQL searches for a limited member.
const GROUP_MEMBER_SEARCHED_COPIES: Recomputation = both(
    "customer_group_members (searched copies)",
    "SELECT m.group_id || ' / ' || m.customer_id AS key, \
            m.name_key || ' / ' || m.search_text AS stored, \
            c.name_key || ' / ' || c.search_text AS expected \
     FROM customer_group_members m JOIN customer_accounts c ON c.id = m.customer_id \
     WHERE m.name_key <> c.name_key OR m.search_text <> c.search_text",
);

const EVERY_BACKEND: &[Recomputation] = &[
    LICENCE_FLAGS,
    CUSTOMER_COUNTS,
    CUSTOMER_CREATIONS,
    CUSTOMER_STATE_CHANGES,
    CUSTOMER_STATE_DAYS,
    CUSTOMER_CREATION_DAYS,
    PARTNER_MONITORS,
    LICENCE_PARTNER,
    CUSTOMER_EXPIRY_DATES,
    CUSTOMER_TRIAL_ENDS,
    GROUP_MEMBER_COPIES,
    GROUP_MEMBER_SEARCHED_COPIES,
];

/// PostgreSQL searches with an index on the customer's own column instead.
const SQLITE_ONLY: &[Recomputation] = &[SEARCH_ROWS, SEARCH_ROWIDS, SEARCH_INDEX];

/// The derived tables and columns this backend keeps, in the order checked.
pub fn checked(backend: Backend) -> Vec<&'static str> {
    recomputations(backend).map(|r| r.derived).collect()
}

fn recomputations(backend: Backend) -> impl Iterator<Item = &'static Recomputation> {
    let extra: &'static [Recomputation] = match backend {
        Backend::Sqlite => SQLITE_ONLY,
        Backend::Postgres => &[],
    };
    EVERY_BACKEND.iter().chain(extra)
}

/// Every derived value that differs from its recomputation, read in one
/// snapshot so that writers running meanwhile cannot make a false difference.
pub fn differences(conn: &mut DbConnection) -> QueryResult<Vec<Difference>> {
    let backend = match conn {
        DbConnection::Sqlite(_) => Backend::Sqlite,
        DbConnection::Postgres(_) => Backend::Postgres,
    };
    super::read_snapshot(conn, |conn| {
        let mut found = Vec::new();
        for recomputation in recomputations(backend) {
            let sql = match backend {
                Backend::Sqlite => recomputation
                    .sqlite
                    .replace("HOUR(", SQLITE_HOUR)
                    .replace("DAY(", "date("),
                Backend::Postgres => recomputation
                    .postgres
                    .replace("HOUR(", POSTGRES_HOUR)
                    .replace("DAY(", "DATE("),
            };
            let rows: Vec<Row> = diesel::sql_query(format!("{sql} ORDER BY 1")).load(conn)?;
            found.extend(rows.into_iter().map(|row| Difference {
                derived: recomputation.derived,
                key: row.key,
                stored: row.stored,
                expected: row.expected,
            }));
        }
        Ok(found)
    })
}

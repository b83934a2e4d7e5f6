//! One corruption of each derived table or column that `partnerdesk check`
//! recomputes, for `check_reports_each_corrupted_derived_value`.

use partnerdesk::db::Backend;

/// One corruption: the row it picks (as `key`), the statements that corrupt
/// and repair it (with `{key}` for that row), what reports it and under which
/// key (`{key}` again).
pub(super) struct Corruption {
    pub(super) pick: &'static str,
    pub(super) corrupt: &'static str,
    pub(super) repair: &'static str,
    pub(super) derived: &'static str,
    pub(super) reported_key: &'static str,
}

const EVERY_BACKEND: &[Corruption] = &[
    Corruption {
        pick: "SELECT id AS key FROM customer_accounts WHERE partner_id IS NOT NULL \
               ORDER BY id LIMIT 1",
        corrupt: "UPDATE customer_accounts SET licence_flags = licence_flags + 32 \
                  WHERE id = '{key}'",
        repair: "UPDATE customer_accounts SET licence_flags = licence_flags - 32 \
                 WHERE id = '{key}'",
        derived: "customer_accounts.licence_flags",
        reported_key: "{key}",
    },
    Corruption {
        pick: "SELECT partner_id || '|' || state || '|' || billing_type || '|' \
               || CAST(health_level AS TEXT) || '|' || CAST(licence_flags AS TEXT) AS key \
               FROM customer_counts WHERE customers > 0 ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_counts SET customers = customers + 1 WHERE partner_id \
                  || '|' || state || '|' || billing_type || '|' || CAST(health_level AS TEXT) \
                  || '|' || CAST(licence_flags AS TEXT) = '{key}'",
        repair: "UPDATE customer_counts SET customers = customers - 1 WHERE partner_id \
                 || '|' || state || '|' || billing_type || '|' || CAST(health_level AS TEXT) \
                 || '|' || CAST(licence_flags AS TEXT) = '{key}'",
        derived: "customer_counts",
        reported_key: "{key|/}",
    },
    Corruption {
        pick: "SELECT partner_id || '|' || CAST(hour AS TEXT) AS key FROM customer_creations \
               WHERE customers > 0 ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_creations SET customers = customers + 1 \
                  WHERE partner_id || '|' || CAST(hour AS TEXT) = '{key}'",
        repair: "UPDATE customer_creations SET customers = customers - 1 \
                 WHERE partner_id || '|' || CAST(hour AS TEXT) = '{key}'",
        derived: "customer_creations",
        reported_key: "{key|/}",
    },
    Corruption {
        pick: "SELECT partner_id || '|' || state AS key FROM customer_state_changes \
               ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_state_changes SET delta = delta + 1 WHERE hour = \
                  (SELECT MIN(hour) FROM customer_state_changes \
                   WHERE partner_id || '|' || state = '{key}') \
                  AND partner_id || '|' || state = '{key}'",
        repair: "UPDATE customer_state_changes SET delta = delta - 1 WHERE hour = \
                 (SELECT MIN(hour) FROM customer_state_changes \
                  WHERE partner_id || '|' || state = '{key}') \
                 AND partner_id || '|' || state = '{key}'",
        derived: "customer_state_changes",
        reported_key: "{key|/} (sum of every hour)",
    },
    Corruption {
        pick: "SELECT partner_id || '|' || CAST(day AS TEXT) || '|' || state AS key \
               FROM customer_state_days ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_state_days SET delta = delta + 1 \
                  WHERE partner_id || '|' || CAST(day AS TEXT) || '|' || state = '{key}'",
        repair: "UPDATE customer_state_days SET delta = delta - 1 \
                 WHERE partner_id || '|' || CAST(day AS TEXT) || '|' || state = '{key}'",
        derived: "customer_state_days",
        reported_key: "{key|/}",
    },
    Corruption {
        pick: "SELECT partner_id || '|' || CAST(day AS TEXT) AS key \
               FROM customer_creation_days ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_creation_days SET customers = customers + 1 \
                  WHERE partner_id || '|' || CAST(day AS TEXT) = '{key}'",
        repair: "UPDATE customer_creation_days SET customers = customers - 1 \
                 WHERE partner_id || '|' || CAST(day AS TEXT) = '{key}'",
        derived: "customer_creation_days",
        reported_key: "{key|/}",
    },
    Corruption {
        pick: "SELECT partner_id AS key FROM partner_monitors ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE partner_monitors SET monitors = monitors + 1 \
                  WHERE partner_id = '{key}'",
        repair: "UPDATE partner_monitors SET monitors = monitors - 1 \
                 WHERE partner_id = '{key}'",
        derived: "partner_monitors",
        reported_key: "{key}",
    },
    Corruption {
        pick: "SELECT id AS key FROM licences WHERE partner_id IS NOT NULL \
               ORDER BY id LIMIT 1",
        corrupt: "UPDATE licences SET partner_id = NULL WHERE id = '{key}'",
        repair: "UPDATE licences SET partner_id = (SELECT partner_id FROM customer_accounts \
                 WHERE customer_accounts.id = licences.customer_id) WHERE id = '{key}'",
        derived: "licences.partner_id",
        reported_key: "{key}",
    },
    Corruption {
        pick: "SELECT customer_id || '|' || CAST(expires_on AS TEXT) AS key \
               FROM customer_expiry_dates ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_expiry_dates SET previous_expiry = '2000-01-01' \
                  WHERE customer_id || '|' || CAST(expires_on AS TEXT) = '{key}'",
        repair: "UPDATE customer_expiry_dates SET previous_expiry = ( \
                     SELECT e.previous_expiry FROM customer_licence_expiries e \
                     WHERE e.customer_id = customer_expiry_dates.customer_id \
                       AND e.expires_on = customer_expiry_dates.expires_on) \
                 WHERE customer_id || '|' || CAST(expires_on AS TEXT) = '{key}'",
        derived: "customer_expiry_dates",
        reported_key: "{key|/}",
    },
    Corruption {
        pick: "SELECT partner_id || '|' || CAST(day AS TEXT) AS key \
               FROM customer_trial_ends ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_trial_ends SET customers = customers + 1 \
                  WHERE partner_id || '|' || CAST(day AS TEXT) = '{key}'",
        repair: "UPDATE customer_trial_ends SET customers = customers - 1 \
                 WHERE partner_id || '|' || CAST(day AS TEXT) = '{key}'",
        derived: "customer_trial_ends",
        reported_key: "{key|/}",
    },
    Corruption {
        pick: "SELECT group_id || '|' || customer_id AS key FROM customer_group_members \
               ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_group_members SET health_level = health_level + 10 \
                  WHERE group_id || '|' || customer_id = '{key}'",
        repair: "UPDATE customer_group_members SET health_level = health_level - 10 \
                 WHERE group_id || '|' || customer_id = '{key}'",
        derived: "customer_group_members (copies)",
        reported_key: "{key|/}",
    },
    Corruption {
        pick: "SELECT group_id || '|' || customer_id AS key FROM customer_group_members \
               ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_group_members SET search_text = search_text || 'x' \
                  WHERE group_id || '|' || customer_id = '{key}'",
        repair: "UPDATE customer_group_members SET search_text = substr(search_text, 1, \
                 length(search_text) - 1) WHERE group_id || '|' || customer_id = '{key}'",
        derived: "customer_group_members (searched copies)",
        reported_key: "{key|/}",
    },
];

const SQLITE_ONLY: &[Corruption] = &[
    Corruption {
        pick: "SELECT customer_id AS key FROM customer_search_rows ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_search_rows SET name_key = name_key || 'x' \
                  WHERE customer_id = '{key}'",
        repair: "UPDATE customer_search_rows SET name_key = substr(name_key, 1, \
                 length(name_key) - 1) WHERE customer_id = '{key}'",
        derived: "customer_search_rows",
        reported_key: "{key}",
    },
    Corruption {
        pick: "SELECT customer_id AS key FROM customer_search_rows ORDER BY 1 LIMIT 1",
        corrupt: "UPDATE customer_search_rows SET search_rowid = -search_rowid \
                  WHERE customer_id = '{key}'",
        repair: "UPDATE customer_search_rows SET search_rowid = -search_rowid \
                 WHERE customer_id = '{key}'",
        derived: "customer_search_rows.search_rowid",
        reported_key: "{key}",
    },
    Corruption {
        pick: "SELECT customer_id AS key FROM customer_search_rows ORDER BY 1 LIMIT 1",
        corrupt: "DELETE FROM customer_search WHERE rowid = \
                  (SELECT search_rowid FROM customer_search_rows WHERE customer_id = '{key}')",
        repair: "INSERT INTO customer_search (rowid, search_text) \
                 SELECT r.search_rowid, c.search_text FROM customer_search_rows r \
                 JOIN customer_accounts c ON c.id = r.customer_id WHERE c.id = '{key}'",
        derived: "customer_search",
        reported_key: "{key}",
    },
];

pub(super) fn corruptions(backend: Backend) -> Vec<&'static Corruption> {
    let extra: &'static [Corruption] = match backend {
        Backend::Sqlite => SQLITE_ONLY,
        Backend::Postgres => &[],
    };
    EVERY_BACKEND.iter().chain(extra).collect()
}

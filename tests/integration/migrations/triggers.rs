//! The triggers each backend is expected to hold, side by side.

use std::collections::BTreeSet;

/// Each PostgreSQL trigger (one may serve several events) and the SQLite
/// triggers doing its work (one per event). SQLite's search triggers keep its
/// full-text tables, which PostgreSQL does without; PostgreSQL's keep the
/// versions of its kept search counts, which SQLite does without.
const CORRESPONDING_TRIGGERS: &[(&[&str], &[&str])] = &[
    (
        &["activity_log_no_change"],
        &["activity_log_no_update", "activity_log_no_delete"],
    ),
    (
        &["instance_activity_no_change"],
        &["instance_activity_no_update", "instance_activity_no_delete"],
    ),
    (
        // SQLite's update trigger also recomputes the licence flags of a
        // customer changing partner, which PostgreSQL does before the update.
        &[
            "customer_counts_insert_delete",
            "customer_counts_update",
            "customer_own_licence",
        ],
        &[
            "customer_counts_insert",
            "customer_counts_delete",
            "customer_counts_update",
        ],
    ),
    (
        &[
            "customer_state_changes_insert_delete",
            "customer_state_changes_update",
        ],
        &[
            "customer_state_changes_insert",
            "customer_state_changes_delete",
            "customer_state_changes_update",
        ],
    ),
    (
        &[
            "customer_creations_insert_delete",
            "customer_creations_update",
        ],
        &[
            "customer_creations_insert",
            "customer_creations_delete",
            "customer_creations_update",
        ],
    ),
    (
        &["customer_state_days_track"],
        &[
            "customer_state_days_insert",
            "customer_state_days_update",
            "customer_state_days_delete",
        ],
    ),
    (
        &["customer_creation_days_track"],
        &[
            "customer_creation_days_insert",
            "customer_creation_days_update",
            "customer_creation_days_delete",
        ],
    ),
    (
        &[
            "partner_monitors_insert_delete",
            "partner_monitors_customer",
        ],
        &[
            "partner_monitors_insert",
            "partner_monitors_delete",
            "partner_monitors_customer",
        ],
    ),
    (&["partner_monitors_move"], &["partner_monitors_move"]),
    (
        &["licences_summary"],
        &[
            "licences_summary_insert",
            "licences_summary_update",
            "licences_summary_delete",
        ],
    ),
    (
        &["licence_partner"],
        &["licences_partner_insert", "licences_partner_move"],
    ),
    (
        &["customer_licences_partner"],
        &["licences_partner_customer"],
    ),
    (
        &[
            "customer_trial_ends_insert_delete",
            "customer_trial_ends_update",
        ],
        &[
            "customer_trial_ends_insert",
            "customer_trial_ends_update",
            "customer_trial_ends_delete",
        ],
    ),
    (
        &["licences_expiry_dates", "customer_expiry_dates_partner"],
        &[
            "customer_expiry_dates_insert",
            "customer_expiry_dates_update",
            "customer_expiry_dates_delete",
            "customer_expiry_dates_partner",
        ],
    ),
    (
        &[
            "customer_group_members_copy",
            "customer_accounts_copy_to_groups",
        ],
        &[
            "customer_group_members_copy",
            "customer_accounts_copy_to_groups",
        ],
    ),
    (
        // PostgreSQL's kept search counts (migration 38) are valid by the
        // partner's version these move; SQLite's trigram index needs none.
        &[
            "customer_search_versions_insert_delete",
            "customer_search_versions_update",
        ],
        &[],
    ),
    (
        &[],
        &[
            "customer_search_insert",
            "customer_search_update",
            "customer_search_columns",
            "customer_search_delete",
        ],
    ),
];

/// The triggers the table above expects of a backend.
pub(super) fn expected_triggers(sqlite: bool) -> BTreeSet<String> {
    CORRESPONDING_TRIGGERS
        .iter()
        .flat_map(|(postgres, sqlite_side)| if sqlite { *sqlite_side } else { *postgres })
        .map(|name| (*name).to_owned())
        .collect()
}

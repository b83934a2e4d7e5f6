//! Which tables a partner archive carries, which rows of each belong to the
//! partner, and what it leaves behind, in one place: the export reads these
//! lists, the import writes the tables in the same order (parents before the
//! rows that reference them), and the round-trip test compares by them.

/// A table the archive carries: the rows where `rows` holds, `$1` being the
/// partner's id; the names in braces are the sets of `SETS`.
pub struct Carried {
    pub table: &'static str,
    pub rows: &'static str,
    /// Columns that reference a row of another carried table which may lie
    /// outside the partner: each must point inside the archive.
    pub references: &'static [Reference],
}

/// A column holding the id of a row of `target` (`logins`, `memberships` or
/// `partner_organisations`).
pub struct Reference {
    pub column: &'static str,
    pub target: &'static str,
    /// Whether a reference to a row outside the partner may be cleared (the
    /// row keeps the name it stored beside it); when it may not, the export
    /// refuses.
    pub clearable: bool,
}

const fn clearable(column: &'static str, target: &'static str) -> Reference {
    Reference {
        column,
        target,
        clearable: true,
    }
}

const fn required(column: &'static str, target: &'static str) -> Reference {
    Reference {
        column,
        target,
        clearable: false,
    }
}

/// The sets the row conditions name, each a query of ids; later ones may name
/// earlier ones. A login is the partner's when one of its memberships in the
/// partner or its customers is more than an offer, or when it was made by an
/// invitation and was never activated: an existing person elsewhere who was
/// only offered a place has not joined, and stays out of the archive.
pub const SETS: &[(&str, &str)] = &[
    (
        "{customers}",
        "SELECT id FROM customer_accounts WHERE partner_id = $1",
    ),
    (
        "{sub_accounts}",
        "SELECT id FROM sub_accounts WHERE customer_id IN ({customers})",
    ),
    (
        "{in_scope}",
        "SELECT id FROM memberships WHERE partner_id = $1 OR customer_id IN ({customers}) \
         OR sub_account_id IN ({sub_accounts})",
    ),
    (
        "{logins}",
        "SELECT m.login_id FROM memberships m JOIN logins l ON l.id = m.login_id \
         WHERE m.id IN ({in_scope}) AND (m.state <> 'invited' OR l.state = 'pending')",
    ),
    (
        "{memberships}",
        "SELECT id FROM memberships WHERE id IN ({in_scope}) AND login_id IN ({logins})",
    ),
    (
        "{groups}",
        "SELECT id FROM customer_groups WHERE partner_id = $1",
    ),
    (
        "{sites}",
        "SELECT id FROM sites WHERE customer_id IN ({customers})",
    ),
    (
        "{subscriptions}",
        "SELECT id FROM subscriptions WHERE customer_id IN ({customers})",
    ),
    (
        "{incidents}",
        "SELECT id FROM service_incidents WHERE customer_id IN ({customers})",
    ),
    (
        "{requests}",
        "SELECT id FROM service_requests WHERE customer_id IN ({customers})",
    ),
    (
        "{monitors}",
        "SELECT id FROM monitors WHERE customer_id IN ({customers})",
    ),
    (
        "{dashboards}",
        "SELECT id FROM dashboards WHERE customer_id IN ({customers})",
    ),
    (
        "{alerts}",
        "SELECT id FROM alert_definitions WHERE customer_id IN ({customers})",
    ),
];

const fn carried(table: &'static str, rows: &'static str) -> Carried {
    Carried {
        table,
        rows,
        references: &[],
    }
}

const BY_CUSTOMER: &str = "customer_id IN ({customers})";
const BY_MONITOR: &str = "monitor_id IN ({monitors})";

/// Every carried table, in the order the import writes them.
pub const CARRIED: &[Carried] = &[
    carried("partner_organisations", "id = $1"),
    carried("logins", "id IN ({logins})"),
    carried("second_factors", "login_id IN ({logins})"),
    carried("recovery_codes", "login_id IN ({logins})"),
    carried("customer_accounts", "partner_id = $1"),
    carried("customer_security", BY_CUSTOMER),
    carried("sites", BY_CUSTOMER),
    carried("devices", BY_CUSTOMER),
    Carried {
        table: "licences",
        rows: BY_CUSTOMER,
        references: &[clearable("supplied_by_partner_id", "partner_organisations")],
    },
    carried("customer_groups", "partner_id = $1"),
    carried(
        "customer_group_members",
        "group_id IN ({groups}) AND customer_id IN ({customers})",
    ),
    carried("customer_group_rules", "group_id IN ({groups})"),
    carried("sub_accounts", BY_CUSTOMER),
    Carried {
        table: "memberships",
        rows: "id IN ({memberships})",
        references: &[clearable("invited_by_login_id", "logins")],
    },
    // Staff limited to some groups, and the groups they are limited to.
    carried(
        "membership_groups",
        "membership_id IN ({memberships}) AND group_id IN ({groups})",
    ),
    carried(
        "site_administrators",
        "site_id IN ({sites}) AND membership_id IN ({memberships})",
    ),
    Carried {
        table: "orders",
        rows: BY_CUSTOMER,
        references: &[
            required("partner_id", "partner_organisations"),
            clearable("placed_by_login_id", "logins"),
        ],
    },
    carried("subscriptions", BY_CUSTOMER),
    carried(
        "subscription_owners",
        "subscription_id IN ({subscriptions}) AND membership_id IN ({memberships})",
    ),
    carried("reservations", BY_CUSTOMER),
    Carried {
        table: "customer_permissions",
        rows: BY_CUSTOMER,
        references: &[clearable("granted_by_login_id", "logins")],
    },
    carried("api_tokens", BY_CUSTOMER),
    carried("services", BY_CUSTOMER),
    carried("service_incidents", BY_CUSTOMER),
    carried("service_incident_updates", "incident_id IN ({incidents})"),
    Carried {
        table: "service_requests",
        rows: BY_CUSTOMER,
        references: &[required("opened_by_login_id", "logins")],
    },
    Carried {
        table: "service_request_messages",
        rows: "request_id IN ({requests})",
        references: &[required("author_login_id", "logins")],
    },
    carried("monitors", BY_CUSTOMER),
    carried("monitor_results", BY_MONITOR),
    carried("monitor_rollups", BY_MONITOR),
    carried("monitor_daily_rollups", BY_MONITOR),
    carried("monitor_errors", BY_MONITOR),
    carried("dashboards", BY_CUSTOMER),
    carried("dashboard_monitors", "dashboard_id IN ({dashboards})"),
    carried(
        "sub_account_dashboards",
        "sub_account_id IN ({sub_accounts})",
    ),
    carried("sub_account_monitors", "sub_account_id IN ({sub_accounts})"),
    carried("alert_definitions", BY_CUSTOMER),
    carried(
        "alert_definition_monitors",
        "alert_definition_id IN ({alerts})",
    ),
    carried(
        "alert_definition_recipients",
        "alert_definition_id IN ({alerts}) AND membership_id IN ({memberships})",
    ),
    // The organisation's API tokens (only their hashes), which go on acting
    // on the target, in their creator's name.
    Carried {
        table: "partner_api_tokens",
        rows: "partner_id = $1",
        references: &[
            required("creator_login_id", "logins"),
            required("creator_membership_id", "memberships"),
        ],
    },
    // The partner's log, and its customers' own entries; an entry about one
    // of them made under another partner stays with that partner.
    Carried {
        table: "activity_log",
        rows: "partner_id = $1 OR (partner_id IS NULL AND customer_id IN ({customers}))",
        references: &[
            clearable("actor_login_id", "logins"),
            clearable("acting_membership_id", "memberships"),
        ],
    },
    // Kept by triggers, but a history the present cannot give back: the
    // import replaces what its triggers wrote for the partner with it.
    carried("customer_state_changes", "partner_id = $1"),
];

/// The columns that name a row of another carried table, and that table. On
/// import each must name a row of the archive itself (an activity entry's
/// customer may be one the partner let go), so that a changed archive cannot
/// attach a person, a factor or a customer to anything already in the target.
pub const POINTS_TO: &[(&str, &str)] = &[
    ("partner_id", "partner_organisations"),
    ("supplied_by_partner_id", "partner_organisations"),
    ("login_id", "logins"),
    ("invited_by_login_id", "logins"),
    ("placed_by_login_id", "logins"),
    ("granted_by_login_id", "logins"),
    ("opened_by_login_id", "logins"),
    ("author_login_id", "logins"),
    ("actor_login_id", "logins"),
    ("customer_id", "customer_accounts"),
    ("sub_account_id", "sub_accounts"),
    ("membership_id", "memberships"),
    ("acting_membership_id", "memberships"),
    ("site_id", "sites"),
    ("group_id", "customer_groups"),
    ("order_id", "orders"),
    ("subscription_id", "subscriptions"),
    ("service_id", "services"),
    ("incident_id", "service_incidents"),
    ("request_id", "service_requests"),
    ("monitor_id", "monitors"),
    ("dashboard_id", "dashboards"),
    ("alert_definition_id", "alert_definitions"),
    ("creator_login_id", "logins"),
    ("creator_membership_id", "memberships"),
    ("api_token_id", "partner_api_tokens"),
];

/// A column of `POINTS_TO` that may name a row outside the archive.
pub const MAY_POINT_OUTSIDE: &[(&str, &str)] = &[("activity_log", "customer_id")];

/// The history table whose rows the import writes over the triggers' own.
pub const HISTORY: &str = "customer_state_changes";

/// Columns of carried tables left out: derived ones, which the target's
/// triggers recompute as the rows arrive, and an offer's one-time link and
/// the outbox row of its email, neither of which travels.
pub const COLUMNS_NOT_CARRIED: &[(&str, &str)] = &[
    ("customer_accounts", "licence_flags"),
    ("licences", "partner_id"),
    ("memberships", "invitation_token_hash"),
    ("memberships", "invitation_email_id"),
];

/// Every other table of the database, and why the archive leaves it behind.
pub const NOT_CARRIED: &[(&str, &str)] = &[
    (
        "offers",
        "the operator's catalogue: an order's offer is found in the target by its description",
    ),
    ("customer_counts", "derived: kept by the target's triggers"),
    (
        "customer_creations",
        "derived: kept by the target's triggers",
    ),
    (
        "customer_state_days",
        "derived: kept by the target's triggers from the history",
    ),
    (
        "customer_creation_days",
        "derived: kept by the target's triggers",
    ),
    ("partner_monitors", "derived: kept by the target's triggers"),
    (
        "customer_expiry_dates",
        "derived: kept by the target's triggers",
    ),
    (
        "customer_trial_ends",
        "derived: kept by the target's triggers",
    ),
    ("customer_search_rows", "derived: SQLite's search index"),
    ("customer_search_partners", "derived: SQLite's search index"),
    ("customer_search", "derived: SQLite's search index"),
    ("customer_search_config", "derived: SQLite's search index"),
    ("customer_search_data", "derived: SQLite's search index"),
    ("customer_search_docsize", "derived: SQLite's search index"),
    ("customer_search_idx", "derived: SQLite's search index"),
    (
        "customer_search_versions",
        "derived: kept by the target's triggers",
    ),
    (
        "customer_search_counts",
        "derived: PostgreSQL's counts of common searches",
    ),
    ("sessions", "sign-ins end with the move"),
    ("assisted_sessions", "sign-ins end with the move"),
    (
        "reseller_assists",
        "a distributor's help belongs to the source's tree, which the partner leaves",
    ),
    ("login_tokens", "one-time links of the source's address"),
    ("withdrawn_links", "one-time links of the source's address"),
    ("auth_failures", "throttling counters"),
    ("email_outbox", "emails are the source's to send"),
    ("customer_imports", "CSV import jobs are the source's work"),
    (
        "api_idempotency_keys",
        "answers kept a day for API retries, which go to the source",
    ),
    (
        "sso_connections",
        "single sign-on is set up again on the target: the client secret is sealed with the source's key",
    ),
    (
        "sso_domains",
        "a domain is proven again on the target, by a sign-in through its provider",
    ),
    (
        "webhook_endpoints",
        "webhooks are registered again on the target: their signing secrets do not leave the source",
    ),
    (
        "webhook_deliveries",
        "events are the source's to deliver, like its emails",
    ),
    (
        "instance_operators",
        "the instance's own operators, not the partner's people",
    ),
    ("instance_activity", "what the instance's operators did"),
    (
        "partner_parent_history",
        "the instance's tree: the partner arrives where the target's operator puts it",
    ),
    ("replaceable_schema", "the instance's schema"),
    ("__diesel_schema_migrations", "the instance's schema"),
];

/// The query of `table`'s rows of the partner, its sets spelt out.
pub fn condition(rows: &str) -> String {
    let mut condition = rows.to_owned();
    // Later sets name earlier ones: replace the later ones first.
    for (name, query) in SETS.iter().rev() {
        condition = condition.replace(name, query);
    }
    condition
}

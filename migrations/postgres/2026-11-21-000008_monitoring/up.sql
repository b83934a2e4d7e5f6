-- Monitors and dashboards (C1, C2). Everything belongs to one customer account;
-- sub-accounts (C3) will add grants and an owning sub-account on top of this.

CREATE TABLE monitors (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('web', 'device', 'api')),
    target TEXT NOT NULL,
    site_id TEXT REFERENCES sites(id),
    -- The latest check result received (by its check time): the state derives from it.
    last_checked_at TIMESTAMP,
    last_success BOOLEAN,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (customer_id, name_key)
);
CREATE INDEX monitors_site ON monitors(site_id);

-- Raw check results; one per monitor and check time (a resent result is ignored).
CREATE TABLE monitor_results (
    monitor_id TEXT NOT NULL REFERENCES monitors(id),
    checked_at TIMESTAMP NOT NULL,
    success BOOLEAN NOT NULL,
    response_ms INTEGER,
    message TEXT,
    received_at TIMESTAMP NOT NULL,
    PRIMARY KEY (monitor_id, checked_at)
);

-- Hourly figures per monitor, kept in the transaction that inserts the results;
-- dashboards read these, never the raw results. h0..h11 count the timed results
-- per response-time bucket (bounds in src/monitoring/results.rs) for the p95.
CREATE TABLE monitor_rollups (
    monitor_id TEXT NOT NULL REFERENCES monitors(id),
    hour TIMESTAMP NOT NULL,
    checks BIGINT NOT NULL,
    successes BIGINT NOT NULL,
    timed BIGINT NOT NULL,
    response_sum BIGINT NOT NULL,
    response_max BIGINT NOT NULL,
    h0 BIGINT NOT NULL, h1 BIGINT NOT NULL, h2 BIGINT NOT NULL, h3 BIGINT NOT NULL,
    h4 BIGINT NOT NULL, h5 BIGINT NOT NULL, h6 BIGINT NOT NULL, h7 BIGINT NOT NULL,
    h8 BIGINT NOT NULL, h9 BIGINT NOT NULL, h10 BIGINT NOT NULL, h11 BIGINT NOT NULL,
    PRIMARY KEY (monitor_id, hour)
);

CREATE TABLE monitor_errors (
    id TEXT PRIMARY KEY NOT NULL,
    monitor_id TEXT NOT NULL REFERENCES monitors(id),
    logged_at TIMESTAMP NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),
    message TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX monitor_errors_monitor ON monitor_errors(monitor_id, logged_at);

-- A named set of monitors with an SLA target in thousandths of a percent
-- (99.9 % = 99900).
CREATE TABLE dashboards (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sla_target BIGINT NOT NULL CHECK (sla_target > 0 AND sla_target <= 100000),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (customer_id, name_key)
);

CREATE TABLE dashboard_monitors (
    dashboard_id TEXT NOT NULL REFERENCES dashboards(id),
    monitor_id TEXT NOT NULL REFERENCES monitors(id),
    PRIMARY KEY (dashboard_id, monitor_id)
);
CREATE INDEX dashboard_monitors_monitor ON dashboard_monitors(monitor_id);

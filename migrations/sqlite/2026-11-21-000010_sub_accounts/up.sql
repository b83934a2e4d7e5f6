-- Sub-accounts (C3) and alert definitions (C4). Keep in step with migrations/postgres.
PRAGMA foreign_keys = OFF;
BEGIN;

-- A part of a customer account handed to other people (operators): what they
-- may do is set here, what they see is granted below.
CREATE TABLE sub_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    can_build_dashboards BOOLEAN NOT NULL,
    can_manage_monitors BOOLEAN NOT NULL,
    monitor_quota INTEGER NOT NULL CHECK (monitor_quota >= 0),
    can_edit_alerts BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (customer_id, name_key)
);

CREATE TABLE sub_account_dashboards (
    sub_account_id TEXT NOT NULL REFERENCES sub_accounts(id),
    dashboard_id TEXT NOT NULL REFERENCES dashboards(id),
    PRIMARY KEY (sub_account_id, dashboard_id)
);
CREATE INDEX sub_account_dashboards_dashboard ON sub_account_dashboards(dashboard_id);

CREATE TABLE sub_account_monitors (
    sub_account_id TEXT NOT NULL REFERENCES sub_accounts(id),
    monitor_id TEXT NOT NULL REFERENCES monitors(id),
    PRIMARY KEY (sub_account_id, monitor_id)
);
CREATE INDEX sub_account_monitors_monitor ON sub_account_monitors(monitor_id);

-- Memberships may now belong to a sub-account (an operator's).
CREATE TABLE memberships_new (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    scope TEXT NOT NULL CHECK (scope IN ('instance', 'partner', 'customer', 'sub_account')),
    partner_id TEXT REFERENCES partner_organisations(id),
    customer_id TEXT REFERENCES customer_accounts(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
    created_at TIMESTAMP NOT NULL,
    notify_on_open BOOLEAN NOT NULL DEFAULT FALSE,
    invited_by_login_id TEXT,
    sub_account_id TEXT REFERENCES sub_accounts(id),
    CHECK ((scope = 'partner') = (partner_id IS NOT NULL)),
    CHECK ((scope = 'customer') = (customer_id IS NOT NULL)),
    CHECK ((scope = 'sub_account') = (sub_account_id IS NOT NULL))
);
INSERT INTO memberships_new (id, login_id, scope, partner_id, customer_id, role, state,
        created_at, notify_on_open, invited_by_login_id)
    SELECT id, login_id, scope, partner_id, customer_id, role, state,
        created_at, notify_on_open, invited_by_login_id FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;
CREATE INDEX memberships_login ON memberships(login_id);
CREATE INDEX memberships_partner ON memberships(partner_id);
CREATE INDEX memberships_customer ON memberships(customer_id);
CREATE INDEX memberships_sub_account ON memberships(sub_account_id);

-- Monitors and dashboards may belong to a sub-account (made by its operators);
-- names are unique per owner, so an operator learns nothing from a refused name.
-- failure_streak counts the failed checks in a row up to the latest result.
CREATE TABLE monitors_new (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('web', 'device', 'api')),
    target TEXT NOT NULL,
    site_id TEXT REFERENCES sites(id),
    last_checked_at TIMESTAMP,
    last_success BOOLEAN,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sub_account_id TEXT REFERENCES sub_accounts(id),
    failure_streak INTEGER NOT NULL DEFAULT 0
);
INSERT INTO monitors_new (id, customer_id, name, name_key, kind, target, site_id,
        last_checked_at, last_success, created_at, updated_at)
    SELECT id, customer_id, name, name_key, kind, target, site_id,
        last_checked_at, last_success, created_at, updated_at FROM monitors;
DROP TABLE monitors;
ALTER TABLE monitors_new RENAME TO monitors;
CREATE INDEX monitors_site ON monitors(site_id);
CREATE UNIQUE INDEX monitors_owner_name ON monitors(customer_id, COALESCE(sub_account_id, ''), name_key);
CREATE INDEX monitors_sub_account ON monitors(sub_account_id);

CREATE TABLE dashboards_new (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sla_target BIGINT NOT NULL CHECK (sla_target > 0 AND sla_target <= 100000),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sub_account_id TEXT REFERENCES sub_accounts(id)
);
INSERT INTO dashboards_new (id, customer_id, name, name_key, sla_target, created_at, updated_at)
    SELECT id, customer_id, name, name_key, sla_target, created_at, updated_at FROM dashboards;
DROP TABLE dashboards;
ALTER TABLE dashboards_new RENAME TO dashboards;
CREATE UNIQUE INDEX dashboards_owner_name ON dashboards(customer_id, COALESCE(sub_account_id, ''), name_key);
CREATE INDEX dashboards_sub_account ON dashboards(sub_account_id);

-- A token may act for a sub-account only. (No REFERENCES on SQLite: a column in
-- a foreign key cannot be dropped there.)
ALTER TABLE api_tokens ADD COLUMN sub_account_id TEXT;

-- Alert definitions (C4): after `failures` failed checks in a row of one of its
-- monitors, its recipients are emailed, and again when the monitor recovers.
CREATE TABLE alert_definitions (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    sub_account_id TEXT REFERENCES sub_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    failures INTEGER NOT NULL CHECK (failures BETWEEN 1 AND 100),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX alert_definitions_owner_name ON alert_definitions(customer_id, COALESCE(sub_account_id, ''), name_key);

-- `alerting` is true from the alert of a failure episode to its recovery, so an
-- episode alerts once however many checks fail.
CREATE TABLE alert_definition_monitors (
    alert_definition_id TEXT NOT NULL REFERENCES alert_definitions(id),
    monitor_id TEXT NOT NULL REFERENCES monitors(id),
    alerting BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (alert_definition_id, monitor_id)
);
CREATE INDEX alert_definition_monitors_monitor ON alert_definition_monitors(monitor_id);

CREATE TABLE alert_definition_recipients (
    alert_definition_id TEXT NOT NULL REFERENCES alert_definitions(id),
    membership_id TEXT NOT NULL REFERENCES memberships(id),
    PRIMARY KEY (alert_definition_id, membership_id)
);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

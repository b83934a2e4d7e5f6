-- Sub-accounts (C3) and alert definitions (C4). Keep in step with migrations/sqlite.

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
ALTER TABLE memberships ADD COLUMN sub_account_id TEXT REFERENCES sub_accounts(id);
ALTER TABLE memberships DROP CONSTRAINT memberships_scope_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_scope_check
    CHECK (scope IN ('instance', 'partner', 'customer', 'sub_account'));
ALTER TABLE memberships ADD CONSTRAINT memberships_sub_account_check
    CHECK ((scope = 'sub_account') = (sub_account_id IS NOT NULL));
CREATE INDEX memberships_sub_account ON memberships(sub_account_id);

-- Monitors and dashboards may belong to a sub-account (made by its operators);
-- names are unique per owner, so an operator learns nothing from a refused name.
-- failure_streak counts the failed checks in a row up to the latest result.
ALTER TABLE monitors ADD COLUMN sub_account_id TEXT REFERENCES sub_accounts(id);
ALTER TABLE monitors ADD COLUMN failure_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE monitors DROP CONSTRAINT monitors_customer_id_name_key_key;
CREATE UNIQUE INDEX monitors_owner_name ON monitors(customer_id, COALESCE(sub_account_id, ''), name_key);
CREATE INDEX monitors_sub_account ON monitors(sub_account_id);

ALTER TABLE dashboards ADD COLUMN sub_account_id TEXT REFERENCES sub_accounts(id);
ALTER TABLE dashboards DROP CONSTRAINT dashboards_customer_id_name_key_key;
CREATE UNIQUE INDEX dashboards_owner_name ON dashboards(customer_id, COALESCE(sub_account_id, ''), name_key);
CREATE INDEX dashboards_sub_account ON dashboards(sub_account_id);

-- A token may act for a sub-account only.
ALTER TABLE api_tokens ADD COLUMN sub_account_id TEXT REFERENCES sub_accounts(id);

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

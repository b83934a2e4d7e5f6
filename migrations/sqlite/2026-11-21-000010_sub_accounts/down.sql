PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE alert_definition_recipients;
DROP TABLE alert_definition_monitors;
DROP TABLE alert_definitions;
ALTER TABLE api_tokens DROP COLUMN sub_account_id;

-- What sub-accounts made goes with them.
DELETE FROM dashboard_monitors WHERE dashboard_id IN
    (SELECT id FROM dashboards WHERE sub_account_id IS NOT NULL);
DELETE FROM dashboards WHERE sub_account_id IS NOT NULL;
CREATE TABLE dashboards_old (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sla_target BIGINT NOT NULL CHECK (sla_target > 0 AND sla_target <= 100000),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (customer_id, name_key)
);
INSERT INTO dashboards_old (id, customer_id, name, name_key, sla_target, created_at, updated_at)
    SELECT id, customer_id, name, name_key, sla_target, created_at, updated_at FROM dashboards;
DROP TABLE dashboards;
ALTER TABLE dashboards_old RENAME TO dashboards;

DELETE FROM dashboard_monitors WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitor_results WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitor_rollups WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitor_errors WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitors WHERE sub_account_id IS NOT NULL;
CREATE TABLE monitors_old (
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
    UNIQUE (customer_id, name_key)
);
INSERT INTO monitors_old (id, customer_id, name, name_key, kind, target, site_id,
        last_checked_at, last_success, created_at, updated_at)
    SELECT id, customer_id, name, name_key, kind, target, site_id,
        last_checked_at, last_success, created_at, updated_at FROM monitors;
DROP TABLE monitors;
ALTER TABLE monitors_old RENAME TO monitors;
CREATE INDEX monitors_site ON monitors(site_id);

DELETE FROM memberships WHERE scope = 'sub_account';
CREATE TABLE memberships_old (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    scope TEXT NOT NULL CHECK (scope IN ('instance', 'partner', 'customer')),
    partner_id TEXT REFERENCES partner_organisations(id),
    customer_id TEXT REFERENCES customer_accounts(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
    created_at TIMESTAMP NOT NULL,
    notify_on_open BOOLEAN NOT NULL DEFAULT FALSE,
    invited_by_login_id TEXT,
    CHECK ((scope = 'partner') = (partner_id IS NOT NULL)),
    CHECK ((scope = 'customer') = (customer_id IS NOT NULL))
);
INSERT INTO memberships_old (id, login_id, scope, partner_id, customer_id, role, state,
        created_at, notify_on_open, invited_by_login_id)
    SELECT id, login_id, scope, partner_id, customer_id, role, state,
        created_at, notify_on_open, invited_by_login_id FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_old RENAME TO memberships;
CREATE INDEX memberships_login ON memberships(login_id);
CREATE INDEX memberships_partner ON memberships(partner_id);
CREATE INDEX memberships_customer ON memberships(customer_id);

DROP TABLE sub_account_monitors;
DROP TABLE sub_account_dashboards;
DROP TABLE sub_accounts;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

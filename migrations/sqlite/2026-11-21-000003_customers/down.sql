PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM memberships WHERE scope = 'customer';
CREATE TABLE memberships_old (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    scope TEXT NOT NULL CHECK (scope IN ('instance', 'partner')),
    partner_id TEXT REFERENCES partner_organisations(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
    created_at TIMESTAMP NOT NULL,
    CHECK ((scope = 'partner') = (partner_id IS NOT NULL))
);
INSERT INTO memberships_old (id, login_id, scope, partner_id, role, state, created_at)
    SELECT id, login_id, scope, partner_id, role, state, created_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_old RENAME TO memberships;
CREATE INDEX memberships_login ON memberships(login_id);
CREATE INDEX memberships_partner ON memberships(partner_id);

DROP INDEX activity_log_customer;
ALTER TABLE activity_log DROP COLUMN customer_id;
DROP TRIGGER customer_search_delete;
DROP TRIGGER customer_search_update;
DROP TRIGGER customer_search_insert;
DROP TABLE customer_search;
DROP TABLE customer_imports;
DROP TABLE customer_group_members;
DROP TABLE customer_groups;
DROP TABLE licences;
DROP TABLE devices;
DROP TABLE sites;
DROP TABLE customer_accounts;
COMMIT;
PRAGMA foreign_keys = ON;

PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE withdrawn_links;
DROP INDEX sessions_membership;
ALTER TABLE sessions DROP COLUMN membership_id;

CREATE TABLE memberships_old (
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
INSERT INTO memberships_old (id, login_id, scope, partner_id, customer_id, role, state,
        created_at, notify_on_open, invited_by_login_id, sub_account_id)
    SELECT id, login_id, scope, partner_id, customer_id, role,
        CASE WHEN state = 'invited' THEN 'active' ELSE state END,
        created_at, notify_on_open, invited_by_login_id, sub_account_id
    FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_old RENAME TO memberships;
CREATE INDEX memberships_login ON memberships(login_id);
CREATE INDEX memberships_partner ON memberships(partner_id);
CREATE INDEX memberships_customer ON memberships(customer_id);
CREATE INDEX memberships_sub_account ON memberships(sub_account_id);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

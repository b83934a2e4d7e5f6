-- Invitations are offers (issue 16). Keep in step with migrations/postgres.
--
-- A membership is 'invited' until the person accepts it: it grants nothing, is
-- never in the login's memberships, and counts for no rule (last owner, last
-- administrator). The inviter sees only what they typed (invited_name,
-- invited_email). An offer to an existing login carries its own link
-- (invitation_token_hash, kept as SHA-256) sent to the typed address only.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE memberships_new (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    scope TEXT NOT NULL CHECK (scope IN ('instance', 'partner', 'customer', 'sub_account')),
    partner_id TEXT REFERENCES partner_organisations(id),
    customer_id TEXT REFERENCES customer_accounts(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('invited', 'active', 'disabled')),
    created_at TIMESTAMP NOT NULL,
    notify_on_open BOOLEAN NOT NULL DEFAULT FALSE,
    invited_by_login_id TEXT,
    sub_account_id TEXT REFERENCES sub_accounts(id),
    invited_email TEXT,
    invited_name TEXT,
    invitation_token_hash TEXT,
    invitation_sent_at TIMESTAMP,
    invitation_expires_at TIMESTAMP,
    CHECK ((scope = 'partner') = (partner_id IS NOT NULL)),
    CHECK ((scope = 'customer') = (customer_id IS NOT NULL)),
    CHECK ((scope = 'sub_account') = (sub_account_id IS NOT NULL))
);
-- A login still waiting for activation held its memberships as 'active': they
-- were invitations all along.
INSERT INTO memberships_new (id, login_id, scope, partner_id, customer_id, role, state,
        created_at, notify_on_open, invited_by_login_id, sub_account_id,
        invited_email, invited_name)
    SELECT m.id, m.login_id, m.scope, m.partner_id, m.customer_id, m.role,
        CASE WHEN m.state = 'active' AND l.state = 'pending' THEN 'invited' ELSE m.state END,
        m.created_at, m.notify_on_open, m.invited_by_login_id, m.sub_account_id,
        l.email, l.full_name
    FROM memberships m JOIN logins l ON l.id = m.login_id;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;
CREATE INDEX memberships_login ON memberships(login_id);
CREATE INDEX memberships_partner ON memberships(partner_id);
CREATE INDEX memberships_customer ON memberships(customer_id);
CREATE INDEX memberships_sub_account ON memberships(sub_account_id);
CREATE UNIQUE INDEX memberships_invitation_token ON memberships(invitation_token_hash);
-- When each waiting invitation was last sent and until when, from its login's
-- newest unused activation link.
UPDATE memberships SET
    invitation_sent_at = (SELECT MAX(t.created_at) FROM login_tokens t
        WHERE t.login_id = memberships.login_id AND t.purpose = 'activation' AND t.used_at IS NULL),
    invitation_expires_at = (SELECT MAX(t.expires_at) FROM login_tokens t
        WHERE t.login_id = memberships.login_id AND t.purpose = 'activation' AND t.used_at IS NULL)
    WHERE state = 'invited';

-- The membership a session acts as, so that disabling one membership ends only
-- the sessions using it.
ALTER TABLE sessions ADD COLUMN membership_id TEXT;
CREATE INDEX sessions_membership ON sessions(membership_id);

-- Links of invitations that were taken back: they say so and offer nothing.
CREATE TABLE withdrawn_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    withdrawn_at TIMESTAMP NOT NULL
);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

-- Invitations are offers (issue 16). Keep in step with migrations/sqlite, which
-- explains the columns.
ALTER TABLE memberships DROP CONSTRAINT memberships_state_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_state_check
    CHECK (state IN ('invited', 'active', 'disabled'));
ALTER TABLE memberships ADD COLUMN invited_email TEXT;
ALTER TABLE memberships ADD COLUMN invited_name TEXT;
ALTER TABLE memberships ADD COLUMN invitation_token_hash TEXT;
ALTER TABLE memberships ADD COLUMN invitation_sent_at TIMESTAMP;
ALTER TABLE memberships ADD COLUMN invitation_expires_at TIMESTAMP;
CREATE UNIQUE INDEX memberships_invitation_token ON memberships(invitation_token_hash);
UPDATE memberships m SET invited_email = l.email, invited_name = l.full_name,
        state = CASE WHEN m.state = 'active' AND l.state = 'pending' THEN 'invited' ELSE m.state END
    FROM logins l WHERE l.id = m.login_id;
-- When each waiting invitation was last sent and until when, from its login's
-- newest unused activation link.
UPDATE memberships SET
    invitation_sent_at = (SELECT MAX(t.created_at) FROM login_tokens t
        WHERE t.login_id = memberships.login_id AND t.purpose = 'activation' AND t.used_at IS NULL),
    invitation_expires_at = (SELECT MAX(t.expires_at) FROM login_tokens t
        WHERE t.login_id = memberships.login_id AND t.purpose = 'activation' AND t.used_at IS NULL)
    WHERE state = 'invited';

ALTER TABLE sessions ADD COLUMN membership_id TEXT;
CREATE INDEX sessions_membership ON sessions(membership_id);

CREATE TABLE withdrawn_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    withdrawn_at TIMESTAMP NOT NULL
);

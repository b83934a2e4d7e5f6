-- An email refused for good (a 5xx reply, an address no mailer takes) is
-- 'failed' at once; SQLite cannot change a CHECK, so the table is rebuilt.
CREATE TABLE email_outbox_new (
    id TEXT PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
INSERT INTO email_outbox_new SELECT id, recipient, subject, text_body, html_body, state,
    attempts, next_attempt_at, locked_until, last_error, created_at, sent_at FROM email_outbox;
DROP TABLE email_outbox;
ALTER TABLE email_outbox_new RENAME TO email_outbox;
CREATE INDEX email_outbox_due ON email_outbox(state, next_attempt_at);

-- The outbox row of an offer's latest email, to tell the inviter it bounced.
ALTER TABLE memberships ADD COLUMN invitation_email_id TEXT;

-- One name per site of an account, held by the database too, so that two
-- requests creating the same name at once cannot both succeed. Names that
-- collide already are told apart by their id first.
UPDATE sites SET name = name || ' (' || id || ')'
WHERE id NOT IN (SELECT MIN(id) FROM sites GROUP BY customer_id, lower(name));
CREATE UNIQUE INDEX sites_customer_name ON sites(customer_id, lower(name));

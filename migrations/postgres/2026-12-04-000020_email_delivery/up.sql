-- An email refused for good (a 5xx reply, an address no mailer takes) is
-- 'failed' at once.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_state_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_state_check
    CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'failed'));

-- The outbox row of an offer's latest email, to tell the inviter it bounced.
ALTER TABLE memberships ADD COLUMN invitation_email_id TEXT;

-- One name per site of an account, held by the database too, so that two
-- requests creating the same name at once cannot both succeed. Names that
-- collide already are told apart by their id first.
UPDATE sites SET name = name || ' (' || id || ')'
WHERE id NOT IN (SELECT MIN(id) FROM sites GROUP BY customer_id, lower(name));
CREATE UNIQUE INDEX sites_customer_name ON sites(customer_id, lower(name));

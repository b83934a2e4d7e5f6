DROP INDEX sites_customer_name;

ALTER TABLE memberships DROP COLUMN invitation_email_id;
UPDATE email_outbox SET state = 'dead' WHERE state = 'failed';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_state_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_state_check
    CHECK (state IN ('pending', 'sending', 'sent', 'dead'));

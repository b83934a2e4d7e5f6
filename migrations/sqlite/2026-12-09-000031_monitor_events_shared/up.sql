-- Whether a customer account tells its partner when one of its monitors goes
-- down or recovers (the partner's `monitor.down` and `monitor.recovered`
-- webhooks, issue 20): the customer's choice, off until its administrator
-- turns it on. Keep in step with the other backend.
ALTER TABLE customer_accounts
    ADD COLUMN shares_monitor_events BOOLEAN NOT NULL DEFAULT FALSE;

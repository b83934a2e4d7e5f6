-- The partner home's "trials ending soon" and "licences expiring soon", and the
-- list's trial_ends and licence_expires filters, read these indexes alone.
CREATE INDEX customer_accounts_by_trial_end ON customer_accounts(partner_id, billing_type, trial_ends_on);
CREATE INDEX licences_by_expiry ON licences(status, expires_on, customer_id);

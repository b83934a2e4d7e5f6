-- The partner home's "trials ending soon" and the list's trial_ends filter read
-- the partner's trials by end date from this index alone.
CREATE INDEX customer_accounts_by_trial_end ON customer_accounts(partner_id, billing_type, trial_ends_on);

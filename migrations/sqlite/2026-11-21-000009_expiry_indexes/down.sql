DROP INDEX licences_by_expiry;
DROP INDEX customer_accounts_by_trial_end;

-- The replaceable file's triggers and function that keep these rows go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_trial_ends_insert_delete ON customer_accounts;
DROP TRIGGER IF EXISTS customer_trial_ends_update ON customer_accounts;
DROP FUNCTION IF EXISTS customer_trial_ends_track();
DROP TABLE customer_trial_ends;

-- The replaceable file's triggers that keep these rows go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_trial_ends_insert;
DROP TRIGGER IF EXISTS customer_trial_ends_update;
DROP TRIGGER IF EXISTS customer_trial_ends_delete;
DROP TABLE customer_trial_ends;

-- The replaceable file's triggers that write these tables go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_state_days_track ON customer_state_changes;
DROP TRIGGER IF EXISTS customer_creation_days_track ON customer_creations;
DROP FUNCTION IF EXISTS customer_state_days_track();
DROP FUNCTION IF EXISTS customer_creation_days_track();
DROP TABLE customer_creation_days;
DROP TABLE customer_state_days;

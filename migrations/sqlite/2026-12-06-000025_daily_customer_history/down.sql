-- The replaceable file's triggers that write these tables go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_state_days_insert;
DROP TRIGGER IF EXISTS customer_state_days_update;
DROP TRIGGER IF EXISTS customer_state_days_delete;
DROP TRIGGER IF EXISTS customer_creation_days_insert;
DROP TRIGGER IF EXISTS customer_creation_days_update;
DROP TRIGGER IF EXISTS customer_creation_days_delete;
DROP TABLE customer_creation_days;
DROP TABLE customer_state_days;

-- The replaceable file's triggers and view that keep these rows go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_expiry_dates_insert;
DROP TRIGGER IF EXISTS customer_expiry_dates_update;
DROP TRIGGER IF EXISTS customer_expiry_dates_delete;
DROP TRIGGER IF EXISTS customer_expiry_dates_partner;
DROP VIEW IF EXISTS customer_licence_expiries;
DROP TABLE customer_expiry_dates;

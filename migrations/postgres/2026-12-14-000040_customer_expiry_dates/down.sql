-- The replaceable file's triggers, functions and view that keep these rows go
-- first (db::revert_all_migrations drops all of it before reverting; these are
-- for a revert by other means).
DROP TRIGGER IF EXISTS licences_expiry_dates ON licences;
DROP TRIGGER IF EXISTS customer_expiry_dates_partner ON customer_accounts;
DROP FUNCTION IF EXISTS licences_expiry_dates();
DROP FUNCTION IF EXISTS customer_expiry_dates_partner();
DROP FUNCTION IF EXISTS refresh_customer_expiry_dates(TEXT);
DROP VIEW IF EXISTS customer_licence_expiries;
DROP TABLE customer_expiry_dates;

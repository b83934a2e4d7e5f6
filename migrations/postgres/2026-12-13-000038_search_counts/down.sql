-- The replaceable file's triggers that move the versions go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_search_versions_insert_delete ON customer_accounts;
DROP TRIGGER IF EXISTS customer_search_versions_update ON customer_accounts;
DROP FUNCTION IF EXISTS customer_search_versions_track();
DROP FUNCTION IF EXISTS customer_search_version_move(TEXT);
DROP INDEX customer_accounts_by_created_searched;
DROP TABLE customer_search_counts;
DROP TABLE customer_search_versions;

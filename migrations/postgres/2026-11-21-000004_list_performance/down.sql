-- Back to migration 3: its sort and search indexes, no summary. The btree_gin
-- extension stays, like pg_trgm after migration 3 is reverted.

DROP INDEX customer_accounts_search;
CREATE INDEX customer_accounts_search ON customer_accounts USING gin (search_text gin_trgm_ops);

DROP INDEX customer_accounts_by_name;
DROP INDEX customer_accounts_by_created;
DROP INDEX customer_accounts_by_state;
DROP INDEX customer_accounts_by_health;
DROP INDEX customer_accounts_by_health_desc;
CREATE INDEX customer_accounts_by_name ON customer_accounts(partner_id, name_key, id);
CREATE INDEX customer_accounts_by_created ON customer_accounts(partner_id, created_at, id);
CREATE INDEX customer_accounts_by_state ON customer_accounts(partner_id, state, name_key, id);
CREATE INDEX customer_accounts_by_health ON customer_accounts(partner_id, health_level, name_key, id);
CREATE INDEX customer_accounts_by_billing ON customer_accounts(partner_id, billing_type, name_key, id);

DROP TRIGGER customer_counts_update ON customer_accounts;
DROP TRIGGER customer_counts_insert_delete ON customer_accounts;
DROP FUNCTION customer_counts_track();
DROP TABLE customer_counts;

DROP TRIGGER customer_own_licence ON customer_accounts;
DROP FUNCTION customer_own_licence();
DROP TRIGGER licences_summary ON licences;
DROP FUNCTION licences_summary();
DROP FUNCTION customer_licence_flags(TEXT, TEXT);
ALTER TABLE customer_accounts DROP COLUMN licence_flags;

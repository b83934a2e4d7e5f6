-- Back to migration 3: its search table and triggers, its sort indexes, no summary.

DROP TRIGGER customer_search_insert;
DROP TRIGGER customer_search_update;
DROP TRIGGER customer_search_columns;
DROP TRIGGER customer_search_delete;
DROP TABLE customer_search;
DROP TABLE customer_search_rows;
DROP TABLE customer_search_partners;
CREATE VIRTUAL TABLE customer_search USING fts5(customer_id UNINDEXED, search_text, tokenize = 'trigram');
INSERT INTO customer_search (customer_id, search_text) SELECT id, search_text FROM customer_accounts;
CREATE TRIGGER customer_search_insert AFTER INSERT ON customer_accounts BEGIN
    INSERT INTO customer_search (customer_id, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER customer_search_update AFTER UPDATE OF search_text ON customer_accounts BEGIN
    DELETE FROM customer_search WHERE customer_id = old.id;
    INSERT INTO customer_search (customer_id, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER customer_search_delete AFTER DELETE ON customer_accounts BEGIN
    DELETE FROM customer_search WHERE customer_id = old.id;
END;

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

DROP TRIGGER customer_counts_insert;
DROP TRIGGER customer_counts_delete;
DROP TRIGGER customer_counts_update;
DROP TABLE customer_counts;

DROP TRIGGER licences_summary_insert;
DROP TRIGGER licences_summary_update;
DROP TRIGGER licences_summary_delete;
ALTER TABLE customer_accounts DROP COLUMN licence_flags;

-- Each member of a customer group also carries its customer's name key and
-- searched text (issue 21), kept by the triggers of src/db/replaceable/ like
-- the other copies of migration 37. PostgreSQL searches a limited member's
-- groups in a trigram index of these copies; this backend searches its own
-- trigram index (customer_search) and keeps the copies only to stay in step.

ALTER TABLE customer_group_members ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_group_members ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

UPDATE customer_group_members SET (name_key, search_text) =
    (SELECT a.name_key, a.search_text FROM customer_accounts a
     WHERE a.id = customer_group_members.customer_id);

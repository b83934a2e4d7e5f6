-- Each member of a customer group also carries its customer's name key and
-- searched text (issue 21), kept by the triggers of src/db/replaceable/ like
-- the other copies of migration 37. A member limited to groups kept by hand
-- then searches on PostgreSQL in a trigram index of the groups' members: a
-- common text's matches within the groups, sorted on the copies, instead of
-- every match among the partner's customers, one heap page each, probed for
-- the group (docs/benchmarks.md). Keep in step with the other backend, which
-- searches its own trigram index and has no such index.

ALTER TABLE customer_group_members
    ADD COLUMN name_key TEXT NOT NULL DEFAULT '',
    ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

UPDATE customer_group_members m SET name_key = a.name_key, search_text = a.search_text
FROM customer_accounts a WHERE a.id = m.customer_id;

CREATE INDEX customer_group_members_search ON customer_group_members
    USING gin (group_id, search_text gin_trgm_ops);

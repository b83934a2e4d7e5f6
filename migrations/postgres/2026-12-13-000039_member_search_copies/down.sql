DROP INDEX customer_group_members_search;
ALTER TABLE customer_group_members DROP COLUMN search_text, DROP COLUMN name_key;

ALTER TABLE customer_group_members DROP COLUMN search_text;
ALTER TABLE customer_group_members DROP COLUMN name_key;

DROP TABLE customer_group_rules;

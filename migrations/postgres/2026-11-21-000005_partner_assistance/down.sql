ALTER TABLE customer_accounts DROP COLUMN partner_assistance;

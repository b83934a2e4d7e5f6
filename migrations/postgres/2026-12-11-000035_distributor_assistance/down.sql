ALTER TABLE customer_imports DROP COLUMN on_behalf_of;
DROP TABLE reseller_assists;
ALTER TABLE partner_organisations DROP COLUMN distributor_assistance;

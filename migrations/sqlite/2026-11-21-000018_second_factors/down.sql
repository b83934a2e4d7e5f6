DROP TABLE customer_security;
ALTER TABLE partner_organisations DROP COLUMN second_factor_grace_days;
ALTER TABLE partner_organisations DROP COLUMN second_factor_required_since;
DROP TABLE recovery_codes;
DROP TABLE second_factors;

DROP TRIGGER customer_licences_partner ON customer_accounts;
DROP FUNCTION customer_licences_partner();
DROP TRIGGER licence_partner ON licences;
DROP FUNCTION licence_partner();
DROP INDEX licences_by_partner_expiry;
ALTER TABLE licences DROP COLUMN partner_id;

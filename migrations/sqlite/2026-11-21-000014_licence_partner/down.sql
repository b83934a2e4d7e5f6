DROP TRIGGER licences_partner_customer;
DROP TRIGGER licences_partner_move;
DROP TRIGGER licences_partner_insert;
DROP INDEX licences_by_partner_expiry;
ALTER TABLE licences DROP COLUMN partner_id;

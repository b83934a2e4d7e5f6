DROP TABLE instance_activity;
ALTER TABLE partner_organisations DROP COLUMN suspension_reason;
ALTER TABLE partner_organisations DROP COLUMN suspended_at;
DROP TABLE instance_operators;

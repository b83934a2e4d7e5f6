DROP TABLE site_administrators;
DROP TABLE assisted_sessions;
ALTER TABLE activity_log DROP COLUMN on_behalf_of;
ALTER TABLE memberships DROP COLUMN invited_by_login_id;
ALTER TABLE memberships DROP COLUMN notify_on_open;
ALTER TABLE customer_accounts DROP COLUMN partner_assistance;

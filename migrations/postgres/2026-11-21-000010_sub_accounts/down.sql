DROP TABLE alert_definition_recipients;
DROP TABLE alert_definition_monitors;
DROP TABLE alert_definitions;
ALTER TABLE api_tokens DROP COLUMN sub_account_id;

-- What sub-accounts made goes with them.
DELETE FROM dashboard_monitors WHERE dashboard_id IN
    (SELECT id FROM dashboards WHERE sub_account_id IS NOT NULL);
DELETE FROM dashboards WHERE sub_account_id IS NOT NULL;
DROP INDEX dashboards_owner_name;
ALTER TABLE dashboards DROP COLUMN sub_account_id;
ALTER TABLE dashboards ADD CONSTRAINT dashboards_customer_id_name_key_key UNIQUE (customer_id, name_key);

DELETE FROM dashboard_monitors WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitor_results WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitor_rollups WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitor_errors WHERE monitor_id IN
    (SELECT id FROM monitors WHERE sub_account_id IS NOT NULL);
DELETE FROM monitors WHERE sub_account_id IS NOT NULL;
DROP INDEX monitors_owner_name;
ALTER TABLE monitors DROP COLUMN failure_streak;
ALTER TABLE monitors DROP COLUMN sub_account_id;
ALTER TABLE monitors ADD CONSTRAINT monitors_customer_id_name_key_key UNIQUE (customer_id, name_key);

DELETE FROM memberships WHERE scope = 'sub_account';
ALTER TABLE memberships DROP CONSTRAINT memberships_sub_account_check;
ALTER TABLE memberships DROP CONSTRAINT memberships_scope_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_scope_check
    CHECK (scope IN ('instance', 'partner', 'customer'));
ALTER TABLE memberships DROP COLUMN sub_account_id;

DROP TABLE sub_account_monitors;
DROP TABLE sub_account_dashboards;
DROP TABLE sub_accounts;

-- A partner token's scopes become one list, so the API can grow scopes (orders,
-- permissions, requests, staff) without a column each. Keep in step with
-- migrations/sqlite.
--
-- `scopes` holds the scopes' names (`customers:read`, `orders:write`, …)
-- separated by single spaces; a name this version does not know gives nothing.
ALTER TABLE partner_api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
UPDATE partner_api_tokens SET scopes =
    trim(CASE WHEN read_customers THEN 'customers:read ' ELSE '' END
         || CASE WHEN write_customers THEN 'customers:write ' ELSE '' END
         || CASE WHEN read_activity THEN 'activity:read' ELSE '' END);
-- Dropping the flags drops the CHECK that names them.
ALTER TABLE partner_api_tokens DROP COLUMN read_customers;
ALTER TABLE partner_api_tokens DROP COLUMN write_customers;
ALTER TABLE partner_api_tokens DROP COLUMN read_activity;
ALTER TABLE partner_api_tokens ALTER COLUMN scopes DROP DEFAULT;
ALTER TABLE partner_api_tokens ADD CONSTRAINT partner_api_tokens_scopes CHECK (scopes <> '');

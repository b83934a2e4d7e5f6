-- Back to migration 26's three flags; scopes it did not know are lost, and a
-- token left with none of its three is removed with its idempotency keys.
ALTER TABLE partner_api_tokens ADD COLUMN read_customers BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE partner_api_tokens ADD COLUMN write_customers BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE partner_api_tokens ADD COLUMN read_activity BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE partner_api_tokens SET
    read_customers = ' ' || scopes || ' ' LIKE '% customers:read %',
    write_customers = ' ' || scopes || ' ' LIKE '% customers:write %',
    read_activity = ' ' || scopes || ' ' LIKE '% activity:read %';
DELETE FROM api_idempotency_keys WHERE token_id IN (
    SELECT id FROM partner_api_tokens
    WHERE NOT (read_customers OR write_customers OR read_activity));
UPDATE activity_log SET api_token_id = NULL WHERE api_token_id IN (
    SELECT id FROM partner_api_tokens
    WHERE NOT (read_customers OR write_customers OR read_activity));
DELETE FROM partner_api_tokens WHERE NOT (read_customers OR write_customers OR read_activity);
ALTER TABLE partner_api_tokens DROP CONSTRAINT partner_api_tokens_scopes;
ALTER TABLE partner_api_tokens DROP COLUMN scopes;
ALTER TABLE partner_api_tokens ALTER COLUMN read_customers DROP DEFAULT;
ALTER TABLE partner_api_tokens ALTER COLUMN write_customers DROP DEFAULT;
ALTER TABLE partner_api_tokens ALTER COLUMN read_activity DROP DEFAULT;
ALTER TABLE partner_api_tokens ADD CHECK (read_customers OR write_customers OR read_activity);

ALTER TABLE activity_log DROP COLUMN api_token_id;
DROP TABLE api_idempotency_keys;
DROP TABLE partner_api_tokens;

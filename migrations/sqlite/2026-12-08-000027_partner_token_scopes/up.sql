-- A partner token's scopes become one list, so the API can grow scopes (orders,
-- permissions, requests, staff) without a column each. Keep in step with
-- migrations/postgres.
--
-- `scopes` holds the scopes' names (`customers:read`, `orders:write`, …)
-- separated by single spaces; a name this version does not know gives nothing.
-- SQLite cannot drop a column a table CHECK names, so both tables of migration
-- 26 are rebuilt.
CREATE TABLE partner_api_tokens_new (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    creator_login_id TEXT NOT NULL REFERENCES logins(id),
    creator_membership_id TEXT NOT NULL REFERENCES memberships(id),
    scopes TEXT NOT NULL CHECK (scopes <> ''),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    CHECK (expires_at IS NULL OR expires_at > created_at),
    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
INSERT INTO partner_api_tokens_new
    (id, partner_id, token_hash, name, creator_login_id, creator_membership_id, scopes,
     created_at, expires_at, last_used_at, revoked_at)
SELECT id, partner_id, token_hash, name, creator_login_id, creator_membership_id,
       trim(CASE WHEN read_customers THEN 'customers:read ' ELSE '' END
            || CASE WHEN write_customers THEN 'customers:write ' ELSE '' END
            || CASE WHEN read_activity THEN 'activity:read' ELSE '' END),
       created_at, expires_at, last_used_at, revoked_at
FROM partner_api_tokens;

-- The keys wait in a copy without a foreign key while the tokens' table is
-- replaced: a key referring to the old table would stop it being dropped.
CREATE TABLE api_idempotency_keys_copy AS SELECT * FROM api_idempotency_keys;
DROP TABLE api_idempotency_keys;
DROP TABLE partner_api_tokens;
ALTER TABLE partner_api_tokens_new RENAME TO partner_api_tokens;
CREATE INDEX partner_api_tokens_partner ON partner_api_tokens(partner_id, created_at);

CREATE TABLE api_idempotency_keys (
    token_id TEXT NOT NULL REFERENCES partner_api_tokens(id),
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash TEXT NOT NULL CHECK (length(request_hash) = 64),
    status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 599),
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
);
INSERT INTO api_idempotency_keys
SELECT * FROM api_idempotency_keys_copy;
DROP TABLE api_idempotency_keys_copy;
CREATE INDEX api_idempotency_keys_created ON api_idempotency_keys(created_at);

-- Back to migration 26's three flags; scopes it did not know are lost, and a
-- token left with none of its three is revoked by being removed.
CREATE TABLE partner_api_tokens_old (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    creator_login_id TEXT NOT NULL REFERENCES logins(id),
    creator_membership_id TEXT NOT NULL REFERENCES memberships(id),
    read_customers BOOLEAN NOT NULL CHECK (read_customers IN (0, 1)),
    write_customers BOOLEAN NOT NULL CHECK (write_customers IN (0, 1)),
    read_activity BOOLEAN NOT NULL CHECK (read_activity IN (0, 1)),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    CHECK (read_customers OR write_customers OR read_activity),
    CHECK (expires_at IS NULL OR expires_at > created_at),
    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
INSERT INTO partner_api_tokens_old
SELECT id, partner_id, token_hash, name, creator_login_id, creator_membership_id,
       instr(' ' || scopes || ' ', ' customers:read ') > 0,
       instr(' ' || scopes || ' ', ' customers:write ') > 0,
       instr(' ' || scopes || ' ', ' activity:read ') > 0,
       created_at, expires_at, last_used_at, revoked_at
FROM partner_api_tokens
WHERE instr(' ' || scopes || ' ', ' customers:read ') > 0
   OR instr(' ' || scopes || ' ', ' customers:write ') > 0
   OR instr(' ' || scopes || ' ', ' activity:read ') > 0;

-- The keys wait in a copy without a foreign key while the tokens' table is
-- replaced: a key referring to the old table would stop it being dropped.
CREATE TABLE api_idempotency_keys_copy AS SELECT * FROM api_idempotency_keys;
DROP TABLE api_idempotency_keys;
DROP TABLE partner_api_tokens;
ALTER TABLE partner_api_tokens_old RENAME TO partner_api_tokens;
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
SELECT * FROM api_idempotency_keys_copy
WHERE token_id IN (SELECT id FROM partner_api_tokens);
DROP TABLE api_idempotency_keys_copy;
CREATE INDEX api_idempotency_keys_created ON api_idempotency_keys(created_at);

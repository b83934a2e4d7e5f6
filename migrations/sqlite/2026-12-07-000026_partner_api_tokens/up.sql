-- The partner API: tokens a partner's owners create, each acting in
-- the partner with its creator's role narrowed to its scopes. Keep in step with
-- migrations/postgres.
--
-- Only the token's SHA-256 is kept. A token acts while it is not revoked, not
-- expired, and its creator's membership is active with a role that allows the
-- route; `last_used_at` is written at most once a minute.
CREATE TABLE partner_api_tokens (
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
CREATE INDEX partner_api_tokens_partner ON partner_api_tokens(partner_id, created_at);

-- The first answer to a write sent with an `Idempotency-Key`, per token, so the
-- same key and request within 24 hours answer it again instead of acting twice.
-- `request_hash` is the SHA-256 of the method, path and canonical JSON body.
CREATE TABLE api_idempotency_keys (
    token_id TEXT NOT NULL REFERENCES partner_api_tokens(id),
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash TEXT NOT NULL CHECK (length(request_hash) = 64),
    status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 599),
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
);
CREATE INDEX api_idempotency_keys_created ON api_idempotency_keys(created_at);

-- An entry made through a partner API token names it. (No REFERENCES on
-- SQLite: a column in a foreign key cannot be dropped there.)
ALTER TABLE activity_log ADD COLUMN api_token_id TEXT;

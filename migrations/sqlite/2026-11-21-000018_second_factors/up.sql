-- Second factors (issue 16): TOTP authenticators and, later, passkeys; single-use
-- recovery codes kept as SHA-256; the organisation's and the account's policy.
-- Keep in step with migrations/postgres.
CREATE TABLE second_factors (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    kind TEXT NOT NULL CHECK (kind IN ('totp', 'passkey')),
    label TEXT NOT NULL,
    -- TOTP: the shared secret, base32.
    secret TEXT,
    -- TOTP: the last time step accepted, so that a code serves once.
    last_used_step BIGINT,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX second_factors_login ON second_factors(login_id);

CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_login ON recovery_codes(login_id);

-- Since when the organisation (or account) requires a second factor of its
-- people, and how many days those without one have to enrol.
ALTER TABLE partner_organisations ADD COLUMN second_factor_required_since TIMESTAMP;
ALTER TABLE partner_organisations ADD COLUMN second_factor_grace_days INTEGER NOT NULL DEFAULT 7;
-- An account's rule, in a table of its own (customer_accounts is wide enough).
CREATE TABLE customer_security (
    customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customer_accounts(id),
    second_factor_required_since TIMESTAMP,
    second_factor_grace_days INTEGER NOT NULL DEFAULT 7
);

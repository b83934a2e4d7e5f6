-- Passkeys (issue 16): a second factor of kind 'passkey' keeps the serialized
-- credential (public key, counter) and its id, by which a sign-in finds it.
-- Keep in step with migrations/postgres.
ALTER TABLE second_factors ADD COLUMN credential TEXT;
ALTER TABLE second_factors ADD COLUMN credential_id TEXT;
CREATE UNIQUE INDEX second_factors_credential_id ON second_factors(credential_id);

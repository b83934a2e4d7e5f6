-- Single sign-on: a partner organisation's OpenID Connect provider and the email
-- domains it claims. Keep in step with migrations/postgres.
CREATE TABLE sso_connections (
    partner_id TEXT PRIMARY KEY NOT NULL REFERENCES partner_organisations(id),
    issuer_url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    -- The client secret sealed with a key derived from the instance's secret key
    -- (sso::sealed); never shown back.
    client_secret_sealed TEXT NOT NULL,
    -- Staff of the claimed domains may not sign in with a password.
    required BOOLEAN NOT NULL DEFAULT FALSE,
    -- The role of a person created at their first sign-in through the provider;
    -- NULL: nobody is created.
    new_staff_role TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE sso_domains (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    -- Lower case, without a trailing dot.
    domain TEXT NOT NULL,
    claimed_at TIMESTAMP NOT NULL,
    -- When a sign-in through the organisation's provider first showed a
    -- verified address of the domain.
    proven_at TIMESTAMP,
    UNIQUE (partner_id, domain)
);
-- A proven domain belongs to one organisation.
CREATE UNIQUE INDEX sso_domains_proven ON sso_domains(domain) WHERE proven_at IS NOT NULL;

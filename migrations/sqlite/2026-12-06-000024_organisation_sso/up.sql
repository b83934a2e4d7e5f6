-- Single sign-on for customer accounts too, and domains proven by a DNS TXT
-- record. A connection and a claimed domain belong to exactly one
-- organisation: a partner organisation or a customer account. Keep in step
-- with migrations/postgres.
CREATE TABLE sso_connections_new (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT REFERENCES partner_organisations(id),
    customer_id TEXT REFERENCES customer_accounts(id),
    issuer_url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    -- The role of a person created at their first sign-in through the
    -- provider, in the organisation's own roles; NULL: nobody is created.
    new_member_role TEXT,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((partner_id IS NULL) <> (customer_id IS NULL))
);
INSERT INTO sso_connections_new
    (id, partner_id, customer_id, issuer_url, client_id, client_secret_sealed,
     required, new_member_role, updated_at)
SELECT partner_id, partner_id, NULL, issuer_url, client_id, client_secret_sealed,
       required, new_staff_role, updated_at
FROM sso_connections;
DROP TABLE sso_connections;
ALTER TABLE sso_connections_new RENAME TO sso_connections;
CREATE UNIQUE INDEX sso_connections_partner ON sso_connections(partner_id);
CREATE UNIQUE INDEX sso_connections_customer ON sso_connections(customer_id);

CREATE TABLE sso_domains_new (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT REFERENCES partner_organisations(id),
    customer_id TEXT REFERENCES customer_accounts(id),
    -- Lower case, without a trailing dot.
    domain TEXT NOT NULL,
    claimed_at TIMESTAMP NOT NULL,
    proven_at TIMESTAMP,
    -- 'provider': a sign-in through the organisation's provider showed a
    -- verified address of the domain; 'dns': the domain's TXT record carries
    -- `dns_token`, which outweighs a provider's word.
    proven_by TEXT CHECK (proven_by IN ('provider', 'dns')),
    -- The value the organisation publishes in the domain's TXT record.
    dns_token TEXT NOT NULL,
    CHECK ((partner_id IS NULL) <> (customer_id IS NULL)),
    CHECK ((proven_at IS NULL) = (proven_by IS NULL))
);
INSERT INTO sso_domains_new
    (id, partner_id, customer_id, domain, claimed_at, proven_at, proven_by, dns_token)
SELECT id, partner_id, NULL, domain, claimed_at, proven_at,
       CASE WHEN proven_at IS NULL THEN NULL ELSE 'provider' END,
       lower(hex(randomblob(16)))
FROM sso_domains;
DROP TABLE sso_domains;
ALTER TABLE sso_domains_new RENAME TO sso_domains;
CREATE UNIQUE INDEX sso_domains_of_partner ON sso_domains(partner_id, domain);
CREATE UNIQUE INDEX sso_domains_of_customer ON sso_domains(customer_id, domain);
-- A proven domain belongs to one organisation.
CREATE UNIQUE INDEX sso_domains_proven ON sso_domains(domain) WHERE proven_at IS NOT NULL;

-- Back to partner organisations only: customer accounts' connections and
-- domains are dropped.
CREATE TABLE sso_connections_old (
    partner_id TEXT PRIMARY KEY NOT NULL REFERENCES partner_organisations(id),
    issuer_url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    new_staff_role TEXT,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO sso_connections_old
SELECT partner_id, issuer_url, client_id, client_secret_sealed, required, new_member_role, updated_at
FROM sso_connections WHERE partner_id IS NOT NULL;
DROP TABLE sso_connections;
ALTER TABLE sso_connections_old RENAME TO sso_connections;

CREATE TABLE sso_domains_old (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    domain TEXT NOT NULL,
    claimed_at TIMESTAMP NOT NULL,
    proven_at TIMESTAMP,
    UNIQUE (partner_id, domain)
);
INSERT INTO sso_domains_old
SELECT id, partner_id, domain, claimed_at, proven_at
FROM sso_domains WHERE partner_id IS NOT NULL;
DROP TABLE sso_domains;
ALTER TABLE sso_domains_old RENAME TO sso_domains;
CREATE UNIQUE INDEX sso_domains_proven ON sso_domains(domain) WHERE proven_at IS NOT NULL;

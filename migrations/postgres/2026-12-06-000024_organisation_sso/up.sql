-- Single sign-on for customer accounts too, and domains proven by a DNS TXT
-- record. A connection and a claimed domain belong to exactly one
-- organisation: a partner organisation or a customer account. Keep in step
-- with migrations/sqlite.
ALTER TABLE sso_connections DROP CONSTRAINT sso_connections_pkey;
ALTER TABLE sso_connections ADD COLUMN id TEXT;
UPDATE sso_connections SET id = partner_id;
ALTER TABLE sso_connections ALTER COLUMN id SET NOT NULL;
ALTER TABLE sso_connections ADD PRIMARY KEY (id);
ALTER TABLE sso_connections ALTER COLUMN partner_id DROP NOT NULL;
ALTER TABLE sso_connections ADD COLUMN customer_id TEXT REFERENCES customer_accounts(id);
-- The role of a person created at their first sign-in through the provider, in
-- the organisation's own roles; NULL: nobody is created.
ALTER TABLE sso_connections RENAME COLUMN new_staff_role TO new_member_role;
ALTER TABLE sso_connections ADD CONSTRAINT sso_connections_one_organisation
    CHECK ((partner_id IS NULL) <> (customer_id IS NULL));
CREATE UNIQUE INDEX sso_connections_partner ON sso_connections(partner_id);
CREATE UNIQUE INDEX sso_connections_customer ON sso_connections(customer_id);

ALTER TABLE sso_domains DROP CONSTRAINT sso_domains_partner_id_domain_key;
ALTER TABLE sso_domains ALTER COLUMN partner_id DROP NOT NULL;
ALTER TABLE sso_domains ADD COLUMN customer_id TEXT REFERENCES customer_accounts(id);
-- 'provider': a sign-in through the organisation's provider showed a verified
-- address of the domain; 'dns': the domain's TXT record carries `dns_token`,
-- which outweighs a provider's word.
ALTER TABLE sso_domains ADD COLUMN proven_by TEXT CHECK (proven_by IN ('provider', 'dns'));
UPDATE sso_domains SET proven_by = 'provider' WHERE proven_at IS NOT NULL;
-- The value the organisation publishes in the domain's TXT record.
ALTER TABLE sso_domains ADD COLUMN dns_token TEXT;
UPDATE sso_domains SET dns_token = replace(gen_random_uuid()::text, '-', '');
ALTER TABLE sso_domains ALTER COLUMN dns_token SET NOT NULL;
ALTER TABLE sso_domains ADD CONSTRAINT sso_domains_one_organisation
    CHECK ((partner_id IS NULL) <> (customer_id IS NULL));
ALTER TABLE sso_domains ADD CONSTRAINT sso_domains_proof_named
    CHECK ((proven_at IS NULL) = (proven_by IS NULL));
CREATE UNIQUE INDEX sso_domains_of_partner ON sso_domains(partner_id, domain);
CREATE UNIQUE INDEX sso_domains_of_customer ON sso_domains(customer_id, domain);

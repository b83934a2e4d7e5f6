-- Back to partner organisations only: customer accounts' connections and
-- domains are dropped.
DELETE FROM sso_domains WHERE partner_id IS NULL;
DROP INDEX sso_domains_of_partner;
DROP INDEX sso_domains_of_customer;
ALTER TABLE sso_domains DROP CONSTRAINT sso_domains_proof_named;
ALTER TABLE sso_domains DROP CONSTRAINT sso_domains_one_organisation;
ALTER TABLE sso_domains DROP COLUMN dns_token;
ALTER TABLE sso_domains DROP COLUMN proven_by;
ALTER TABLE sso_domains DROP COLUMN customer_id;
ALTER TABLE sso_domains ALTER COLUMN partner_id SET NOT NULL;
ALTER TABLE sso_domains ADD CONSTRAINT sso_domains_partner_id_domain_key UNIQUE (partner_id, domain);

DELETE FROM sso_connections WHERE partner_id IS NULL;
DROP INDEX sso_connections_partner;
DROP INDEX sso_connections_customer;
ALTER TABLE sso_connections DROP CONSTRAINT sso_connections_one_organisation;
ALTER TABLE sso_connections RENAME COLUMN new_member_role TO new_staff_role;
ALTER TABLE sso_connections DROP COLUMN customer_id;
ALTER TABLE sso_connections ALTER COLUMN partner_id SET NOT NULL;
ALTER TABLE sso_connections DROP CONSTRAINT sso_connections_pkey;
ALTER TABLE sso_connections DROP COLUMN id;
ALTER TABLE sso_connections ADD PRIMARY KEY (partner_id);

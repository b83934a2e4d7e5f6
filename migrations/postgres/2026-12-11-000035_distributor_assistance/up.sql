-- Distributor assistance (issue 21): a reseller's owners may let the
-- organisation directly above it help in its portal, an hour at a time, with
-- a reason, as a customer lets its partner "open" its account. Keep in step
-- with migrations/sqlite.
ALTER TABLE partner_organisations
    ADD COLUMN distributor_assistance BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per time a distributor's person entered a reseller's portal: checked
-- on every request of that browser, and kept as the reseller's history.
CREATE TABLE reseller_assists (
    id TEXT PRIMARY KEY NOT NULL,
    reseller_id TEXT NOT NULL REFERENCES partner_organisations(id),
    distributor_id TEXT NOT NULL REFERENCES partner_organisations(id),
    distributor_membership_id TEXT NOT NULL REFERENCES memberships(id),
    login_id TEXT NOT NULL REFERENCES logins(id),
    reason TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    end_reason TEXT
);
CREATE INDEX reseller_assists_by_reseller ON reseller_assists(reseller_id, started_at);

-- An import started in a reseller's portal runs later, in the background: it
-- keeps the distributor its person came for, for the activity log.
ALTER TABLE customer_imports ADD COLUMN on_behalf_of TEXT;

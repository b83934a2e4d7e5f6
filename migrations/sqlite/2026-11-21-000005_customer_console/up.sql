-- Partner assistance (B2): whether the customer lets its partner open its account.
-- On from the start for trials created by the partner, monthly-usage accounts and
-- managed orders; every account so far was created by its partner.
ALTER TABLE customer_accounts ADD COLUMN partner_assistance BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE customer_accounts
SET partner_assistance = (billing_type IN ('trial', 'monthly_usage') OR managed_order);

-- A customer administrator may ask to be emailed each time a partner opens the account.
ALTER TABLE memberships ADD COLUMN notify_on_open BOOLEAN NOT NULL DEFAULT FALSE;

-- Who sent an invitation: a person whose link expired asks them for a new one.
-- (No REFERENCES on SQLite: a column in a foreign key cannot be dropped there.)
ALTER TABLE memberships ADD COLUMN invited_by_login_id TEXT;

-- Who an entry's person acted on behalf of, when a partner user worked inside a
-- customer's console ("open customer"); the partner's name at the time.
ALTER TABLE activity_log ADD COLUMN on_behalf_of TEXT;

-- "Open customer": a partner user's time inside a customer's console, at most an
-- hour, ended by leaving or, on the next request, by any reason it may no longer go on.
CREATE TABLE assisted_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    partner_membership_id TEXT NOT NULL REFERENCES memberships(id),
    login_id TEXT NOT NULL REFERENCES logins(id),
    reason TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    end_reason TEXT CHECK (end_reason IN ('left', 'expired', 'assistance_off', 'dissociated', 'access_removed'))
);
CREATE INDEX assisted_sessions_customer ON assisted_sessions(customer_id, started_at);

-- Site administrators (B4, seed 002): people of the account who run a site; one
-- person may run several sites.
CREATE TABLE site_administrators (
    site_id TEXT NOT NULL REFERENCES sites(id),
    membership_id TEXT NOT NULL REFERENCES memberships(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, membership_id)
);
CREATE INDEX site_administrators_membership ON site_administrators(membership_id);

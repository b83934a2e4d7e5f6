-- Customer accounts with their sites, devices, licences and groups; CSV imports;
-- customer memberships. Keep in step with migrations/postgres.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE customer_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT REFERENCES partner_organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    primary_domain TEXT NOT NULL,
    search_text TEXT NOT NULL,
    country TEXT NOT NULL,
    data_region TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    reference_number TEXT NOT NULL,
    subscription_term TEXT NOT NULL CHECK (subscription_term IN ('monthly', 'annual')),
    term_started_on DATE NOT NULL,
    next_term TEXT CHECK (next_term IN ('monthly', 'annual')),
    next_term_from DATE,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    region TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('creating', 'active', 'suspended')),
    billing_type TEXT NOT NULL CHECK (billing_type IN ('trial', 'monthly_usage', 'term_subscription')),
    trial_ends_on DATE,
    managed_order BOOLEAN NOT NULL,
    health_level INTEGER NOT NULL CHECK (health_level IN (0, 1, 2)),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((billing_type = 'trial') = (trial_ends_on IS NOT NULL)),
    CHECK ((next_term IS NULL) = (next_term_from IS NULL))
);
-- One index per sort order of the list, each led by the partner so a page of one
-- partner's customers is read in order without sorting.
CREATE INDEX customer_accounts_by_name ON customer_accounts(partner_id, name_key, id);
CREATE INDEX customer_accounts_by_created ON customer_accounts(partner_id, created_at, id);
CREATE INDEX customer_accounts_by_state ON customer_accounts(partner_id, state, name_key, id);
CREATE INDEX customer_accounts_by_health ON customer_accounts(partner_id, health_level, name_key, id);
CREATE INDEX customer_accounts_by_billing ON customer_accounts(partner_id, billing_type, name_key, id);

CREATE TABLE sites (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sites_customer ON sites(customer_id);

CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'enrolled')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX devices_customer ON devices(customer_id, state);

CREATE TABLE licences (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    product TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    status TEXT NOT NULL CHECK (status IN ('active', 'trial', 'expired')),
    supplied_by_partner_id TEXT REFERENCES partner_organisations(id),
    expires_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX licences_customer ON licences(customer_id, status);
CREATE INDEX licences_supplier ON licences(supplied_by_partner_id, customer_id);

CREATE TABLE customer_groups (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (partner_id, name_key)
);

CREATE TABLE customer_group_members (
    group_id TEXT NOT NULL REFERENCES customer_groups(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, customer_id)
);
CREATE INDEX customer_group_members_customer ON customer_group_members(customer_id);

CREATE TABLE customer_imports (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    created_by_login_id TEXT NOT NULL REFERENCES logins(id),
    state TEXT NOT NULL CHECK (state IN ('checking', 'invalid', 'importing', 'done', 'failed')),
    total_rows INTEGER NOT NULL,
    checked_rows INTEGER NOT NULL,
    imported_rows INTEGER NOT NULL,
    problems TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX customer_imports_partner ON customer_imports(partner_id, created_at);

-- Entries outlive what they describe, so the customer is named without a foreign key.
ALTER TABLE activity_log ADD COLUMN customer_id TEXT;
CREATE INDEX activity_log_customer ON activity_log(customer_id, occurred_at);

-- Text search by partial name or domain: a trigram index that answers LIKE '%…%'.
CREATE VIRTUAL TABLE customer_search USING fts5(customer_id UNINDEXED, search_text, tokenize = 'trigram');
CREATE TRIGGER customer_search_insert AFTER INSERT ON customer_accounts BEGIN
    INSERT INTO customer_search (customer_id, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER customer_search_update AFTER UPDATE OF search_text ON customer_accounts BEGIN
    DELETE FROM customer_search WHERE customer_id = old.id;
    INSERT INTO customer_search (customer_id, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER customer_search_delete AFTER DELETE ON customer_accounts BEGIN
    DELETE FROM customer_search WHERE customer_id = old.id;
END;

-- Memberships may now belong to a customer account.
CREATE TABLE memberships_new (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    scope TEXT NOT NULL CHECK (scope IN ('instance', 'partner', 'customer')),
    partner_id TEXT REFERENCES partner_organisations(id),
    customer_id TEXT REFERENCES customer_accounts(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
    created_at TIMESTAMP NOT NULL,
    CHECK ((scope = 'partner') = (partner_id IS NOT NULL)),
    CHECK ((scope = 'customer') = (customer_id IS NOT NULL))
);
INSERT INTO memberships_new (id, login_id, scope, partner_id, customer_id, role, state, created_at)
    SELECT id, login_id, scope, partner_id, NULL, role, state, created_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;
CREATE INDEX memberships_login ON memberships(login_id);
CREATE INDEX memberships_partner ON memberships(partner_id);
CREATE INDEX memberships_customer ON memberships(customer_id);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

-- The customer list at 100,000 customers per partner. Keep in step with
-- migrations/postgres.
--
-- 1. licence_flags on each customer, kept by triggers on every licence write, so
--    the licence and "only my products" filters read the customer row instead of
--    probing licences row by row. Bits: 1 an active licence, 2 a trial licence,
--    4 an expired licence, 8 an active or trial licence supplied by the
--    customer's own partner.
-- 2. customer_counts: the number of a partner's customers for each combination of
--    the filterable columns, kept by triggers, so the list's total is a sum over a
--    few dozen rows instead of a count over the partner's customers.
-- 3. Sort indexes that also carry the filterable columns, so a filtered page is
--    read from the index without visiting the rows it skips; one for the
--    worst-health-first order.
-- 4. The trigram search index split by partner: each partner's customers own one
--    range of rowids, so a search reads the partner's matches only, and finds
--    the columns to filter and sort them on beside each match.
--
-- The triggers rely on SQLite's default `recursive_triggers = OFF` (the application
-- never turns it on): customer_counts_update updates the row that fired it.

ALTER TABLE customer_accounts ADD COLUMN licence_flags INTEGER NOT NULL DEFAULT 0;

UPDATE customer_accounts SET licence_flags = (
        SELECT COALESCE(MAX(l.status = 'active'), 0)
             + 2 * COALESCE(MAX(l.status = 'trial'), 0)
             + 4 * COALESCE(MAX(l.status = 'expired'), 0)
             + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
        FROM licences l WHERE l.customer_id = customer_accounts.id)
    WHERE id IN (SELECT customer_id FROM licences);

CREATE TRIGGER licences_summary_insert AFTER INSERT ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT COALESCE(MAX(l.status = 'active'), 0)
                 + 2 * COALESCE(MAX(l.status = 'trial'), 0)
                 + 4 * COALESCE(MAX(l.status = 'expired'), 0)
                 + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
            FROM licences l WHERE l.customer_id = customer_accounts.id)
        WHERE id = new.customer_id;
END;
CREATE TRIGGER licences_summary_update AFTER UPDATE OF customer_id, status, supplied_by_partner_id ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT COALESCE(MAX(l.status = 'active'), 0)
                 + 2 * COALESCE(MAX(l.status = 'trial'), 0)
                 + 4 * COALESCE(MAX(l.status = 'expired'), 0)
                 + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
            FROM licences l WHERE l.customer_id = customer_accounts.id)
        WHERE id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER licences_summary_delete AFTER DELETE ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT COALESCE(MAX(l.status = 'active'), 0)
                 + 2 * COALESCE(MAX(l.status = 'trial'), 0)
                 + 4 * COALESCE(MAX(l.status = 'expired'), 0)
                 + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
            FROM licences l WHERE l.customer_id = customer_accounts.id)
        WHERE id = old.customer_id;
END;

-- Derived from customer_accounts (no foreign key: rows of a vanished combination
-- stay at zero).
CREATE TABLE customer_counts (
    partner_id TEXT NOT NULL,
    state TEXT NOT NULL,
    billing_type TEXT NOT NULL,
    health_level INTEGER NOT NULL,
    licence_flags INTEGER NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (partner_id, state, billing_type, health_level, licence_flags)
) WITHOUT ROWID;

INSERT INTO customer_counts (partner_id, state, billing_type, health_level, licence_flags, customers)
    SELECT partner_id, state, billing_type, health_level, licence_flags, COUNT(*)
    FROM customer_accounts WHERE partner_id IS NOT NULL
    GROUP BY partner_id, state, billing_type, health_level, licence_flags;

CREATE TRIGGER customer_counts_insert AFTER INSERT ON customer_accounts
WHEN new.partner_id IS NOT NULL BEGIN
    INSERT INTO customer_counts (partner_id, state, billing_type, health_level, licence_flags, customers)
        VALUES (new.partner_id, new.state, new.billing_type, new.health_level, new.licence_flags, 1)
        ON CONFLICT (partner_id, state, billing_type, health_level, licence_flags)
        DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER customer_counts_delete AFTER DELETE ON customer_accounts
WHEN old.partner_id IS NOT NULL BEGIN
    UPDATE customer_counts SET customers = customers - 1
        WHERE partner_id = old.partner_id AND state = old.state AND billing_type = old.billing_type
          AND health_level = old.health_level AND licence_flags = old.licence_flags;
END;
CREATE TRIGGER customer_counts_update AFTER UPDATE OF partner_id, state, billing_type, health_level,
    licence_flags ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id OR old.state IS NOT new.state
    OR old.billing_type IS NOT new.billing_type OR old.health_level IS NOT new.health_level
    OR old.licence_flags IS NOT new.licence_flags
BEGIN
    -- "Supplied by the own partner" follows the customer to another partner.
    UPDATE customer_accounts SET licence_flags = (licence_flags & 7) + 8 * (
            SELECT COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
            FROM licences l WHERE l.customer_id = customer_accounts.id)
        WHERE id = new.id AND old.partner_id IS NOT new.partner_id;
    UPDATE customer_counts SET customers = customers - 1
        WHERE old.partner_id IS NOT NULL
          AND partner_id = old.partner_id AND state = old.state AND billing_type = old.billing_type
          AND health_level = old.health_level AND licence_flags = old.licence_flags;
    -- Read back from the row: the update above may have changed it.
    INSERT INTO customer_counts (partner_id, state, billing_type, health_level, licence_flags, customers)
        SELECT partner_id, state, billing_type, health_level, licence_flags, 1
        FROM customer_accounts WHERE id = new.id AND partner_id IS NOT NULL
        ON CONFLICT (partner_id, state, billing_type, health_level, licence_flags)
        DO UPDATE SET customers = customers + 1;
END;

-- Sort indexes carrying the filterable columns (the partner's filters are checked
-- in the index; only the rows of the page are read).
DROP INDEX customer_accounts_by_name;
DROP INDEX customer_accounts_by_created;
DROP INDEX customer_accounts_by_state;
DROP INDEX customer_accounts_by_health;
DROP INDEX customer_accounts_by_billing;
CREATE INDEX customer_accounts_by_name ON customer_accounts(partner_id, name_key, id,
    state, billing_type, health_level, licence_flags);
CREATE INDEX customer_accounts_by_created ON customer_accounts(partner_id, created_at, id,
    state, billing_type, health_level, licence_flags);
CREATE INDEX customer_accounts_by_state ON customer_accounts(partner_id, state, name_key, id,
    billing_type, health_level, licence_flags);
CREATE INDEX customer_accounts_by_health ON customer_accounts(partner_id, health_level, name_key, id,
    state, billing_type, licence_flags);
CREATE INDEX customer_accounts_by_health_desc ON customer_accounts(partner_id, health_level DESC, name_key, id,
    state, billing_type, licence_flags);

-- Search: the trigram index holds no copy of the text (it is in customer_accounts)
-- and its rowids are grouped by partner: partner number n owns n << 32 to
-- (n << 32) + 2^32 - 1, so a search of one partner reads that range only.
-- customer_search_rows maps each rowid to its customer with the columns the list
-- filters and sorts on, so a searched page is chosen without reading customers.
-- Customers without a partner (dissociated) are not indexed.
DROP TRIGGER customer_search_insert;
DROP TRIGGER customer_search_update;
DROP TRIGGER customer_search_delete;
DROP TABLE customer_search;
CREATE TABLE customer_search_partners (
    number INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL UNIQUE
);
CREATE TABLE customer_search_rows (
    search_rowid INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    state TEXT NOT NULL,
    billing_type TEXT NOT NULL,
    health_level INTEGER NOT NULL,
    licence_flags INTEGER NOT NULL
);
CREATE VIRTUAL TABLE customer_search USING fts5(
    search_text, content = '', contentless_delete = 1, tokenize = 'trigram');

INSERT INTO customer_search_partners (partner_id)
    SELECT DISTINCT partner_id FROM customer_accounts WHERE partner_id IS NOT NULL ORDER BY partner_id;
INSERT INTO customer_search_rows (search_rowid, customer_id, name_key, created_at, state,
                                  billing_type, health_level, licence_flags)
    SELECT (p.number << 32) + ROW_NUMBER() OVER (PARTITION BY c.partner_id ORDER BY c.id),
           c.id, c.name_key, c.created_at, c.state, c.billing_type, c.health_level, c.licence_flags
    FROM customer_accounts c JOIN customer_search_partners p ON p.partner_id = c.partner_id;
INSERT INTO customer_search (rowid, search_text)
    SELECT r.search_rowid, c.search_text
    FROM customer_search_rows r JOIN customer_accounts c ON c.id = r.customer_id;

-- The columns are read back from the customer's row rather than from `new`: the
-- licence flags may have changed since (customer_counts_update).
CREATE TRIGGER customer_search_insert AFTER INSERT ON customer_accounts
WHEN new.partner_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO customer_search_partners (partner_id) VALUES (new.partner_id);
    INSERT INTO customer_search_rows (search_rowid, customer_id, name_key, created_at, state,
                                      billing_type, health_level, licence_flags)
        SELECT COALESCE((SELECT MAX(r.search_rowid) FROM customer_search_rows r
                         WHERE r.search_rowid BETWEEN p.number << 32 AND (p.number << 32) + 4294967295),
                        p.number << 32) + 1,
               c.id, c.name_key, c.created_at, c.state, c.billing_type, c.health_level, c.licence_flags
        FROM customer_accounts c JOIN customer_search_partners p ON p.partner_id = c.partner_id
        WHERE c.id = new.id;
    INSERT INTO customer_search (rowid, search_text)
        SELECT search_rowid, new.search_text FROM customer_search_rows WHERE customer_id = new.id;
END;
CREATE TRIGGER customer_search_update AFTER UPDATE OF search_text, partner_id ON customer_accounts BEGIN
    DELETE FROM customer_search
        WHERE rowid = (SELECT search_rowid FROM customer_search_rows WHERE customer_id = old.id);
    DELETE FROM customer_search_rows WHERE customer_id = old.id;
    INSERT OR IGNORE INTO customer_search_partners (partner_id)
        SELECT new.partner_id WHERE new.partner_id IS NOT NULL;
    INSERT INTO customer_search_rows (search_rowid, customer_id, name_key, created_at, state,
                                      billing_type, health_level, licence_flags)
        SELECT COALESCE((SELECT MAX(r.search_rowid) FROM customer_search_rows r
                         WHERE r.search_rowid BETWEEN p.number << 32 AND (p.number << 32) + 4294967295),
                        p.number << 32) + 1,
               c.id, c.name_key, c.created_at, c.state, c.billing_type, c.health_level, c.licence_flags
        FROM customer_accounts c JOIN customer_search_partners p ON p.partner_id = c.partner_id
        WHERE c.id = new.id;
    INSERT INTO customer_search (rowid, search_text)
        SELECT search_rowid, new.search_text FROM customer_search_rows WHERE customer_id = new.id;
END;
CREATE TRIGGER customer_search_columns AFTER UPDATE OF name_key, created_at, state, billing_type,
    health_level, licence_flags ON customer_accounts BEGIN
    UPDATE customer_search_rows SET
        (name_key, created_at, state, billing_type, health_level, licence_flags) = (
            SELECT name_key, created_at, state, billing_type, health_level, licence_flags
            FROM customer_accounts WHERE id = new.id)
        WHERE customer_id = new.id;
END;
CREATE TRIGGER customer_search_delete AFTER DELETE ON customer_accounts BEGIN
    DELETE FROM customer_search
        WHERE rowid = (SELECT search_rowid FROM customer_search_rows WHERE customer_id = old.id);
    DELETE FROM customer_search_rows WHERE customer_id = old.id;
END;

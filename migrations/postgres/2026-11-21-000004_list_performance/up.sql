-- The customer list at 100,000 customers per partner. Keep in step with
-- migrations/sqlite.
--
-- 1. licence_flags on each customer, kept by triggers on every licence write, so
--    the licence and "only my products" filters read the customer row instead of
--    probing licences row by row. Bits: 1 an active licence, 2 a trial licence,
--    4 an expired licence, 8 an active or trial licence supplied by the
--    customer's own partner.
-- 2. customer_counts: the number of a partner's customers for each combination of
--    the filterable columns, kept by triggers, so the list's total is a sum over a
--    few dozen rows instead of a count over the partner's customers. Writers of one
--    partner's customers take a transaction-scoped advisory lock first, so two of
--    them never take the counter rows in opposite orders.
-- 3. Sort indexes that also carry the filterable columns, so a page (and the rows
--    it skips) is read from the index alone; one for the worst-health-first order.
-- 4. The trigram index keyed by partner too.

ALTER TABLE customer_accounts ADD COLUMN licence_flags INTEGER NOT NULL DEFAULT 0;

-- The flags of one customer from its licences, for the partner `partner`.
CREATE FUNCTION customer_licence_flags(customer TEXT, partner TEXT) RETURNS INTEGER
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(bool_or(l.status = 'active'), FALSE)::INTEGER
         + 2 * COALESCE(bool_or(l.status = 'trial'), FALSE)::INTEGER
         + 4 * COALESCE(bool_or(l.status = 'expired'), FALSE)::INTEGER
         + 8 * COALESCE(bool_or(l.status <> 'expired' AND l.supplied_by_partner_id = partner), FALSE)::INTEGER
    FROM licences l WHERE l.customer_id = customer
$$;

UPDATE customer_accounts SET licence_flags = customer_licence_flags(id, partner_id)
    WHERE id IN (SELECT customer_id FROM licences);

CREATE FUNCTION licences_summary() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE customer_accounts SET licence_flags = customer_licence_flags(id, partner_id)
            WHERE id = NEW.customer_id AND licence_flags <> customer_licence_flags(id, partner_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.customer_id <> NEW.customer_id) THEN
        UPDATE customer_accounts SET licence_flags = customer_licence_flags(id, partner_id)
            WHERE id = OLD.customer_id AND licence_flags <> customer_licence_flags(id, partner_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER licences_summary AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, supplied_by_partner_id
    ON licences FOR EACH ROW EXECUTE FUNCTION licences_summary();

-- "Supplied by the own partner" follows the customer to another partner.
CREATE FUNCTION customer_own_licence() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    NEW.licence_flags := customer_licence_flags(NEW.id, NEW.partner_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER customer_own_licence BEFORE UPDATE OF partner_id ON customer_accounts
    FOR EACH ROW WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id)
    EXECUTE FUNCTION customer_own_licence();

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
);

INSERT INTO customer_counts (partner_id, state, billing_type, health_level, licence_flags, customers)
    SELECT partner_id, state, billing_type, health_level, licence_flags, COUNT(*)
    FROM customer_accounts WHERE partner_id IS NOT NULL
    GROUP BY partner_id, state, billing_type, health_level, licence_flags;

CREATE FUNCTION customer_counts_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    -- The advisory lock space of these counters.
    lock_space CONSTANT INTEGER := 25443;
BEGIN
    -- Two partners (a customer moving): the lower lock first.
    IF TG_OP = 'UPDATE' AND OLD.partner_id IS NOT NULL AND NEW.partner_id IS NOT NULL
       AND hashtext(NEW.partner_id) < hashtext(OLD.partner_id) THEN
        PERFORM pg_advisory_xact_lock(lock_space, hashtext(NEW.partner_id));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.partner_id IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(lock_space, hashtext(OLD.partner_id));
        UPDATE customer_counts SET customers = customers - 1
            WHERE partner_id = OLD.partner_id AND state = OLD.state
              AND billing_type = OLD.billing_type AND health_level = OLD.health_level
              AND licence_flags = OLD.licence_flags;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partner_id IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(lock_space, hashtext(NEW.partner_id));
        INSERT INTO customer_counts (partner_id, state, billing_type, health_level, licence_flags, customers)
            VALUES (NEW.partner_id, NEW.state, NEW.billing_type, NEW.health_level, NEW.licence_flags, 1)
            ON CONFLICT (partner_id, state, billing_type, health_level, licence_flags)
            DO UPDATE SET customers = customer_counts.customers + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_counts_insert_delete AFTER INSERT OR DELETE ON customer_accounts
    FOR EACH ROW EXECUTE FUNCTION customer_counts_track();
CREATE TRIGGER customer_counts_update
    AFTER UPDATE OF partner_id, state, billing_type, health_level, licence_flags ON customer_accounts
    FOR EACH ROW WHEN (
        (OLD.partner_id, OLD.state, OLD.billing_type, OLD.health_level, OLD.licence_flags)
        IS DISTINCT FROM
        (NEW.partner_id, NEW.state, NEW.billing_type, NEW.health_level, NEW.licence_flags))
    EXECUTE FUNCTION customer_counts_track();

-- Sort indexes carrying the filterable columns.
DROP INDEX customer_accounts_by_name;
DROP INDEX customer_accounts_by_created;
DROP INDEX customer_accounts_by_state;
DROP INDEX customer_accounts_by_health;
DROP INDEX customer_accounts_by_billing;
CREATE INDEX customer_accounts_by_name ON customer_accounts(partner_id, name_key, id)
    INCLUDE (state, billing_type, health_level, licence_flags);
CREATE INDEX customer_accounts_by_created ON customer_accounts(partner_id, created_at, id)
    INCLUDE (state, billing_type, health_level, licence_flags);
CREATE INDEX customer_accounts_by_state ON customer_accounts(partner_id, state, name_key, id)
    INCLUDE (billing_type, health_level, licence_flags);
CREATE INDEX customer_accounts_by_health ON customer_accounts(partner_id, health_level, name_key, id)
    INCLUDE (state, billing_type, licence_flags);
CREATE INDEX customer_accounts_by_health_desc ON customer_accounts(partner_id, health_level DESC, name_key, id)
    INCLUDE (state, billing_type, licence_flags);

-- Search by partner: the trigram index also keyed by partner (btree_gin), so a
-- search reads the partner's matches only, not every partner's.
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX customer_accounts_search;
CREATE INDEX customer_accounts_search ON customer_accounts USING gin (partner_id, search_text gin_trgm_ops);

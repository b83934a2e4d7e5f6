-- The partner home at 100,000 customers (issue 8). Keep in step with
-- migrations/sqlite.
--
-- 1. customer_state_changes: how many of a partner's customers entered (+) or
--    left (-) each state in each hour (UTC), kept by a trigger on
--    customer_accounts in the transaction of the change, so the chart of
--    customers by state over time reads a few rows per hour of the last year
--    instead of a history per customer. A change is dated by the account's
--    updated_at (created_at for a new account): every write of state or partner
--    sets it to the app's clock. The trigger runs after customer_counts_track
--    (triggers fire by name), under the partners' advisory locks it takes.
--    Backfill: each existing customer counts in its current state from its
--    creation on (the earlier states were not kept).
-- 2. customer_creations: a partner's customers by the hour (UTC) they were
--    created, kept by a trigger (a customer who leaves leaves its hour), so the
--    chart of new customers per month sums a year of hours instead of counting
--    the accounts month by month.
-- 3. partner_monitors: the number of monitors of each partner's customers, kept by
--    triggers on monitors and on a customer's partner, so the home page knows at
--    once whether to show "customers with a monitor down".
-- 4. Indexes for the home page's figures: each expiring licence, open request or
--    failing monitor found by its own index, and its customer's partner checked in
--    an index of (id, partner_id).

CREATE TABLE customer_state_changes (
    partner_id TEXT NOT NULL,
    hour TIMESTAMP NOT NULL,
    state TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (partner_id, hour, state)
);

INSERT INTO customer_state_changes (partner_id, hour, state, delta)
    SELECT partner_id, date_trunc('hour', created_at), state, COUNT(*)
    FROM customer_accounts WHERE partner_id IS NOT NULL
    GROUP BY 1, 2, 3;

CREATE FUNCTION customer_state_change(partner TEXT, at TIMESTAMP, customer_state TEXT, change INTEGER)
RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO customer_state_changes (partner_id, hour, state, delta)
        VALUES (partner, date_trunc('hour', at), customer_state, change)
        ON CONFLICT (partner_id, hour, state)
        DO UPDATE SET delta = customer_state_changes.delta + EXCLUDED.delta;
$$;

CREATE FUNCTION customer_state_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.partner_id IS NOT NULL THEN
            PERFORM customer_state_change(NEW.partner_id, NEW.created_at, NEW.state, 1);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.partner_id IS NOT NULL THEN
            PERFORM customer_state_change(OLD.partner_id, OLD.updated_at, OLD.state, -1);
        END IF;
    ELSE
        IF OLD.partner_id IS NOT NULL THEN
            PERFORM customer_state_change(OLD.partner_id, NEW.updated_at, OLD.state, -1);
        END IF;
        IF NEW.partner_id IS NOT NULL THEN
            PERFORM customer_state_change(NEW.partner_id, NEW.updated_at, NEW.state, 1);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_state_changes_insert_delete AFTER INSERT OR DELETE ON customer_accounts
    FOR EACH ROW EXECUTE FUNCTION customer_state_track();
CREATE TRIGGER customer_state_changes_update AFTER UPDATE OF partner_id, state ON customer_accounts
    FOR EACH ROW WHEN ((OLD.partner_id, OLD.state) IS DISTINCT FROM (NEW.partner_id, NEW.state))
    EXECUTE FUNCTION customer_state_track();

CREATE TABLE customer_creations (
    partner_id TEXT NOT NULL,
    hour TIMESTAMP NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (partner_id, hour)
);

INSERT INTO customer_creations (partner_id, hour, customers)
    SELECT partner_id, date_trunc('hour', created_at), COUNT(*)
    FROM customer_accounts WHERE partner_id IS NOT NULL
    GROUP BY 1, 2;

CREATE FUNCTION customer_creations_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.partner_id IS NOT NULL THEN
        UPDATE customer_creations SET customers = customers - 1
            WHERE partner_id = OLD.partner_id AND hour = date_trunc('hour', OLD.created_at);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partner_id IS NOT NULL THEN
        INSERT INTO customer_creations (partner_id, hour, customers)
            VALUES (NEW.partner_id, date_trunc('hour', NEW.created_at), 1)
            ON CONFLICT (partner_id, hour)
            DO UPDATE SET customers = customer_creations.customers + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_creations_insert_delete AFTER INSERT OR DELETE ON customer_accounts
    FOR EACH ROW EXECUTE FUNCTION customer_creations_track();
CREATE TRIGGER customer_creations_update AFTER UPDATE OF partner_id, created_at ON customer_accounts
    FOR EACH ROW WHEN ((OLD.partner_id, OLD.created_at) IS DISTINCT FROM (NEW.partner_id, NEW.created_at))
    EXECUTE FUNCTION customer_creations_track();

CREATE TABLE partner_monitors (
    partner_id TEXT PRIMARY KEY NOT NULL,
    monitors INTEGER NOT NULL
);

INSERT INTO partner_monitors (partner_id, monitors)
    SELECT c.partner_id, COUNT(*) FROM monitors m JOIN customer_accounts c ON c.id = m.customer_id
    WHERE c.partner_id IS NOT NULL GROUP BY c.partner_id;

-- Adds `change` monitors to the partner of `customer`, if it has one.
CREATE FUNCTION partner_monitors_add(customer TEXT, change BIGINT) RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO partner_monitors (partner_id, monitors)
        SELECT partner_id, change FROM customer_accounts
        WHERE id = customer AND partner_id IS NOT NULL
        ON CONFLICT (partner_id)
        DO UPDATE SET monitors = partner_monitors.monitors + EXCLUDED.monitors;
$$;

CREATE FUNCTION partner_monitors_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM partner_monitors_add(OLD.customer_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM partner_monitors_add(NEW.customer_id, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER partner_monitors_insert_delete AFTER INSERT OR DELETE ON monitors
    FOR EACH ROW EXECUTE FUNCTION partner_monitors_track();
CREATE TRIGGER partner_monitors_customer AFTER UPDATE OF customer_id ON monitors
    FOR EACH ROW WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id)
    EXECUTE FUNCTION partner_monitors_track();

CREATE FUNCTION partner_monitors_move() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    moved BIGINT;
BEGIN
    SELECT COUNT(*) INTO moved FROM monitors WHERE customer_id = NEW.id;
    IF moved > 0 THEN
        IF OLD.partner_id IS NOT NULL THEN
            UPDATE partner_monitors SET monitors = monitors - moved WHERE partner_id = OLD.partner_id;
        END IF;
        IF NEW.partner_id IS NOT NULL THEN
            INSERT INTO partner_monitors (partner_id, monitors) VALUES (NEW.partner_id, moved)
                ON CONFLICT (partner_id)
                DO UPDATE SET monitors = partner_monitors.monitors + EXCLUDED.monitors;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER partner_monitors_move AFTER UPDATE OF partner_id ON customer_accounts
    FOR EACH ROW WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id)
    EXECUTE FUNCTION partner_monitors_move();

CREATE INDEX customer_accounts_partner_of ON customer_accounts(id, partner_id);
CREATE INDEX service_requests_by_status ON service_requests(status, customer_id);
CREATE INDEX monitors_by_last_result ON monitors(last_success, last_checked_at, customer_id);

-- The partner home at 100,000 customers (issue 8). Keep in step with
-- migrations/postgres.
--
-- 1. customer_state_changes: how many of a partner's customers entered (+) or
--    left (-) each state in each hour (UTC), kept by triggers on customer_accounts
--    in the transaction of the change, so the chart of customers by state over
--    time reads a few rows per hour of the last year instead of a history per
--    customer. A change is dated by the account's updated_at (created_at for a new
--    account): every write of state or partner sets it to the app's clock.
--    Backfill: each existing customer counts in its current state from its
--    creation on (the earlier states were not kept).
-- 2. customer_creations: a partner's customers by the hour (UTC) they were
--    created, kept by triggers (a customer who leaves leaves its hour), so the
--    chart of new customers per month sums a year of hours instead of counting
--    the accounts month by month.
-- 3. partner_monitors: the number of monitors of each partner's customers, kept by
--    triggers on monitors and on a customer's partner, so the home page knows at
--    once whether to show "customers with a monitor down".
-- 4. Indexes for the home page's figures: each expiring licence, open request or
--    failing monitor found by its own index, and its customer's partner checked in
--    an index of (id, partner_id) rather than by reading the account's row.

CREATE TABLE customer_state_changes (
    partner_id TEXT NOT NULL,
    hour TIMESTAMP NOT NULL,
    state TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (partner_id, hour, state)
) WITHOUT ROWID;

INSERT INTO customer_state_changes (partner_id, hour, state, delta)
    SELECT partner_id, strftime('%Y-%m-%d %H:00:00', created_at), state, COUNT(*)
    FROM customer_accounts WHERE partner_id IS NOT NULL
    GROUP BY 1, 2, 3;

CREATE TRIGGER customer_state_changes_insert AFTER INSERT ON customer_accounts
WHEN new.partner_id IS NOT NULL BEGIN
    INSERT INTO customer_state_changes (partner_id, hour, state, delta)
        VALUES (new.partner_id, strftime('%Y-%m-%d %H:00:00', new.created_at), new.state, 1)
        ON CONFLICT (partner_id, hour, state) DO UPDATE SET delta = delta + 1;
END;
CREATE TRIGGER customer_state_changes_delete AFTER DELETE ON customer_accounts
WHEN old.partner_id IS NOT NULL BEGIN
    INSERT INTO customer_state_changes (partner_id, hour, state, delta)
        VALUES (old.partner_id, strftime('%Y-%m-%d %H:00:00', old.updated_at), old.state, -1)
        ON CONFLICT (partner_id, hour, state) DO UPDATE SET delta = delta - 1;
END;
CREATE TRIGGER customer_state_changes_update AFTER UPDATE OF partner_id, state ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id OR old.state IS NOT new.state
BEGIN
    INSERT INTO customer_state_changes (partner_id, hour, state, delta)
        SELECT old.partner_id, strftime('%Y-%m-%d %H:00:00', new.updated_at), old.state, -1
        WHERE old.partner_id IS NOT NULL
        ON CONFLICT (partner_id, hour, state) DO UPDATE SET delta = delta - 1;
    INSERT INTO customer_state_changes (partner_id, hour, state, delta)
        SELECT new.partner_id, strftime('%Y-%m-%d %H:00:00', new.updated_at), new.state, 1
        WHERE new.partner_id IS NOT NULL
        ON CONFLICT (partner_id, hour, state) DO UPDATE SET delta = delta + 1;
END;

CREATE TABLE customer_creations (
    partner_id TEXT NOT NULL,
    hour TIMESTAMP NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (partner_id, hour)
) WITHOUT ROWID;

INSERT INTO customer_creations (partner_id, hour, customers)
    SELECT partner_id, strftime('%Y-%m-%d %H:00:00', created_at), COUNT(*)
    FROM customer_accounts WHERE partner_id IS NOT NULL
    GROUP BY 1, 2;

CREATE TRIGGER customer_creations_insert AFTER INSERT ON customer_accounts
WHEN new.partner_id IS NOT NULL BEGIN
    INSERT INTO customer_creations (partner_id, hour, customers)
        VALUES (new.partner_id, strftime('%Y-%m-%d %H:00:00', new.created_at), 1)
        ON CONFLICT (partner_id, hour) DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER customer_creations_delete AFTER DELETE ON customer_accounts
WHEN old.partner_id IS NOT NULL BEGIN
    UPDATE customer_creations SET customers = customers - 1
        WHERE partner_id = old.partner_id AND hour = strftime('%Y-%m-%d %H:00:00', old.created_at);
END;
CREATE TRIGGER customer_creations_update AFTER UPDATE OF partner_id, created_at ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id OR old.created_at IS NOT new.created_at
BEGIN
    UPDATE customer_creations SET customers = customers - 1
        WHERE partner_id = old.partner_id AND hour = strftime('%Y-%m-%d %H:00:00', old.created_at);
    INSERT INTO customer_creations (partner_id, hour, customers)
        SELECT new.partner_id, strftime('%Y-%m-%d %H:00:00', new.created_at), 1
        WHERE new.partner_id IS NOT NULL
        ON CONFLICT (partner_id, hour) DO UPDATE SET customers = customers + 1;
END;

CREATE TABLE partner_monitors (
    partner_id TEXT PRIMARY KEY NOT NULL,
    monitors INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO partner_monitors (partner_id, monitors)
    SELECT c.partner_id, COUNT(*) FROM monitors m JOIN customer_accounts c ON c.id = m.customer_id
    WHERE c.partner_id IS NOT NULL GROUP BY c.partner_id;

CREATE TRIGGER partner_monitors_insert AFTER INSERT ON monitors BEGIN
    INSERT INTO partner_monitors (partner_id, monitors)
        SELECT partner_id, 1 FROM customer_accounts
        WHERE id = new.customer_id AND partner_id IS NOT NULL
        ON CONFLICT (partner_id) DO UPDATE SET monitors = monitors + 1;
END;
CREATE TRIGGER partner_monitors_delete AFTER DELETE ON monitors BEGIN
    UPDATE partner_monitors SET monitors = monitors - 1
        WHERE partner_id = (SELECT partner_id FROM customer_accounts WHERE id = old.customer_id);
END;
CREATE TRIGGER partner_monitors_customer AFTER UPDATE OF customer_id ON monitors
WHEN old.customer_id IS NOT new.customer_id BEGIN
    UPDATE partner_monitors SET monitors = monitors - 1
        WHERE partner_id = (SELECT partner_id FROM customer_accounts WHERE id = old.customer_id);
    INSERT INTO partner_monitors (partner_id, monitors)
        SELECT partner_id, 1 FROM customer_accounts
        WHERE id = new.customer_id AND partner_id IS NOT NULL
        ON CONFLICT (partner_id) DO UPDATE SET monitors = monitors + 1;
END;
CREATE TRIGGER partner_monitors_move AFTER UPDATE OF partner_id ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id BEGIN
    UPDATE partner_monitors
        SET monitors = monitors - (SELECT COUNT(*) FROM monitors WHERE customer_id = new.id)
        WHERE partner_id = old.partner_id;
    INSERT INTO partner_monitors (partner_id, monitors)
        SELECT new.partner_id, COUNT(*) FROM monitors WHERE customer_id = new.id
        HAVING new.partner_id IS NOT NULL AND COUNT(*) > 0
        ON CONFLICT (partner_id) DO UPDATE SET monitors = monitors + excluded.monitors;
END;

CREATE INDEX customer_accounts_partner_of ON customer_accounts(id, partner_id);
CREATE INDEX service_requests_by_status ON service_requests(status, customer_id);
CREATE INDEX monitors_by_last_result ON monitors(last_success, last_checked_at, customer_id);

-- The current definition of every trigger and view of the SQLite database: the
-- derived data (counts, flags, history, copies of a customer's columns) kept in
-- step with the base tables in the transaction of each write, and the activity
-- log's guard. `db::replaceable` drops every trigger and view and runs this file
-- again, in one transaction, whenever its content differs from what was last
-- applied; so edit the definitions here, never in a migration. Keep in step with
-- postgres.sql. `partnerdesk check` recomputes each derived value from the base
-- tables (src/db/derived.rs).
--
-- The triggers rely on SQLite's default `recursive_triggers = OFF` (the
-- application never turns it on): customer_counts_update updates the row that
-- fired it. They are created in the order the migrations first created them, so
-- the triggers of one event keep firing in the same order.

-- The activity logs (the partners' and customers', and the instance's) are append-only.
CREATE TRIGGER activity_log_no_update BEFORE UPDATE ON activity_log
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER activity_log_no_delete BEFORE DELETE ON activity_log
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER instance_activity_no_update BEFORE UPDATE ON instance_activity
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER instance_activity_no_delete BEFORE DELETE ON instance_activity
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;

-- customer_accounts.licence_flags summarises the customer's licences, so the
-- list's licence filters read the customer's row. Bits: 1 an active licence, 2 a
-- trial licence, 4 an expired licence, 8 an active or trial licence supplied by
-- the customer's own partner, 16 an active licence with more seats in use than
-- its quantity (`db::derived::licence_flags` names them for Rust). This view is
-- the one definition: the triggers below and `partnerdesk check` read it.
CREATE VIEW customer_licence_flags (customer_id, licence_flags) AS
    SELECT c.id, COALESCE((
            SELECT COALESCE(MAX(l.status = 'active'), 0)
                 + 2 * COALESCE(MAX(l.status = 'trial'), 0)
                 + 4 * COALESCE(MAX(l.status = 'expired'), 0)
                 + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = c.partner_id), 0)
                 + 16 * COALESCE(MAX(l.status = 'active' AND l.seats_used > l.quantity), 0)
            FROM licences l WHERE l.customer_id = c.id), 0)
    FROM customer_accounts c;

-- customer_counts: a partner's customers for each combination of the list's
-- filterable columns, so the list's total sums a few dozen rows. Rows of a
-- vanished combination stay at zero.
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

-- Search: the trigram index holds no copy of the text (it is in customer_accounts)
-- and its rowids are grouped by partner: partner number n owns n << 32 to
-- (n << 32) + 2^32 - 1, so a search of one partner reads that range only.
-- customer_search_rows maps each rowid to its customer with the columns the list
-- filters and sorts on. Customers without a partner are not indexed. The columns
-- are read back from the customer's row rather than from `new`: the licence
-- flags may have changed since (customer_counts_update).
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

-- customer_state_changes: how many of a partner's customers entered (+) or left
-- (-) each state in each hour (UTC). A change is dated by the account's
-- updated_at (created_at for a new account): every write of state or partner sets
-- it to the app's clock. Summed over every hour, a partner's deltas of a state are
-- its customers in that state now.
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

-- customer_creations: a partner's customers by the hour (UTC) they were created
-- (a customer who leaves leaves its hour).
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

-- customer_trial_ends: a partner's trial customers by the day their trial ends
-- (migration 41), for the home's two trial figures.
CREATE TRIGGER customer_trial_ends_insert AFTER INSERT ON customer_accounts
WHEN new.partner_id IS NOT NULL AND new.billing_type = 'trial' AND new.trial_ends_on IS NOT NULL
BEGIN
    INSERT INTO customer_trial_ends (partner_id, day, customers)
        VALUES (new.partner_id, new.trial_ends_on, 1)
        ON CONFLICT (partner_id, day) DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER customer_trial_ends_delete AFTER DELETE ON customer_accounts
WHEN old.partner_id IS NOT NULL AND old.billing_type = 'trial' AND old.trial_ends_on IS NOT NULL
BEGIN
    UPDATE customer_trial_ends SET customers = customers - 1
        WHERE partner_id = old.partner_id AND day = old.trial_ends_on;
END;
CREATE TRIGGER customer_trial_ends_update AFTER UPDATE OF partner_id, billing_type, trial_ends_on
    ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id OR old.billing_type IS NOT new.billing_type
    OR old.trial_ends_on IS NOT new.trial_ends_on
BEGIN
    UPDATE customer_trial_ends SET customers = customers - 1
        WHERE old.billing_type = 'trial' AND partner_id = old.partner_id AND day = old.trial_ends_on;
    INSERT INTO customer_trial_ends (partner_id, day, customers)
        SELECT new.partner_id, new.trial_ends_on, 1
        WHERE new.partner_id IS NOT NULL AND new.billing_type = 'trial'
          AND new.trial_ends_on IS NOT NULL
        ON CONFLICT (partner_id, day) DO UPDATE SET customers = customers + 1;
END;

-- customer_state_days and customer_creation_days: the two tables above summed by
-- UTC day (migration 25), kept by triggers on them, so a day's row is the sum of
-- its hours whoever writes the hours (a partner's import writes its history).
CREATE TRIGGER customer_state_days_insert AFTER INSERT ON customer_state_changes BEGIN
    INSERT INTO customer_state_days (partner_id, day, state, delta)
        VALUES (new.partner_id, date(new.hour), new.state, new.delta)
        ON CONFLICT (partner_id, day, state) DO UPDATE SET delta = delta + excluded.delta;
END;
CREATE TRIGGER customer_state_days_update AFTER UPDATE ON customer_state_changes BEGIN
    UPDATE customer_state_days SET delta = delta - old.delta
        WHERE partner_id = old.partner_id AND day = date(old.hour) AND state = old.state;
    INSERT INTO customer_state_days (partner_id, day, state, delta)
        VALUES (new.partner_id, date(new.hour), new.state, new.delta)
        ON CONFLICT (partner_id, day, state) DO UPDATE SET delta = delta + excluded.delta;
END;
CREATE TRIGGER customer_state_days_delete AFTER DELETE ON customer_state_changes BEGIN
    UPDATE customer_state_days SET delta = delta - old.delta
        WHERE partner_id = old.partner_id AND day = date(old.hour) AND state = old.state;
END;
CREATE TRIGGER customer_creation_days_insert AFTER INSERT ON customer_creations BEGIN
    INSERT INTO customer_creation_days (partner_id, day, customers)
        VALUES (new.partner_id, date(new.hour), new.customers)
        ON CONFLICT (partner_id, day) DO UPDATE SET customers = customers + excluded.customers;
END;
CREATE TRIGGER customer_creation_days_update AFTER UPDATE ON customer_creations BEGIN
    UPDATE customer_creation_days SET customers = customers - old.customers
        WHERE partner_id = old.partner_id AND day = date(old.hour);
    INSERT INTO customer_creation_days (partner_id, day, customers)
        VALUES (new.partner_id, date(new.hour), new.customers)
        ON CONFLICT (partner_id, day) DO UPDATE SET customers = customers + excluded.customers;
END;
CREATE TRIGGER customer_creation_days_delete AFTER DELETE ON customer_creations BEGIN
    UPDATE customer_creation_days SET customers = customers - old.customers
        WHERE partner_id = old.partner_id AND day = date(old.hour);
END;

-- partner_monitors: the number of monitors of each partner's customers.
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

-- licence_flags follows every licence write.
CREATE TRIGGER licences_summary_insert AFTER INSERT ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT f.licence_flags FROM customer_licence_flags f WHERE f.customer_id = customer_accounts.id)
        WHERE id = new.customer_id;
END;
CREATE TRIGGER licences_summary_update AFTER UPDATE OF customer_id, status, supplied_by_partner_id,
    quantity, seats_used ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT f.licence_flags FROM customer_licence_flags f WHERE f.customer_id = customer_accounts.id)
        WHERE id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER licences_summary_delete AFTER DELETE ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT f.licence_flags FROM customer_licence_flags f WHERE f.customer_id = customer_accounts.id)
        WHERE id = old.customer_id;
END;

-- A change of the customer's partner recomputes its licence flags ("supplied by
-- the own partner" follows the customer), then moves it between counters.
CREATE TRIGGER customer_counts_update AFTER UPDATE OF partner_id, state, billing_type, health_level,
    licence_flags ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id OR old.state IS NOT new.state
    OR old.billing_type IS NOT new.billing_type OR old.health_level IS NOT new.health_level
    OR old.licence_flags IS NOT new.licence_flags
BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT f.licence_flags FROM customer_licence_flags f WHERE f.customer_id = customer_accounts.id)
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

-- licences.partner_id: the licence's customer's partner, so a partner's
-- expiring licences are one range of an index. SQLite cannot change NEW in a
-- BEFORE trigger: the row is completed after it is written, in the same
-- statement.
CREATE TRIGGER licences_partner_insert AFTER INSERT ON licences BEGIN
    UPDATE licences SET partner_id = (
            SELECT partner_id FROM customer_accounts WHERE id = new.customer_id)
        WHERE id = new.id;
END;
CREATE TRIGGER licences_partner_move AFTER UPDATE OF customer_id ON licences
WHEN old.customer_id IS NOT new.customer_id BEGIN
    UPDATE licences SET partner_id = (
            SELECT partner_id FROM customer_accounts WHERE id = new.customer_id)
        WHERE id = new.id;
END;
CREATE TRIGGER licences_partner_customer AFTER UPDATE OF partner_id ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id BEGIN
    UPDATE licences SET partner_id = new.partner_id WHERE customer_id = new.id;
END;

-- customer_expiry_dates: each customer's dates of active licence expiry, each
-- with the customer's previous one (migration 40), so the home counts the
-- customers with a licence expiring soon as one range of its key. This view
-- is the one definition: the triggers rewrite a customer's rows from it and
-- `partnerdesk check` compares them with it.
CREATE VIEW customer_licence_expiries (partner_id, expires_on, customer_id, previous_expiry) AS
    SELECT c.partner_id, d.expires_on, d.customer_id,
           LAG(d.expires_on) OVER (PARTITION BY d.customer_id ORDER BY d.expires_on)
    FROM (SELECT DISTINCT customer_id, expires_on FROM licences
          WHERE status = 'active' AND expires_on IS NOT NULL) AS d
    JOIN customer_accounts c ON c.id = d.customer_id
    WHERE c.partner_id IS NOT NULL;

CREATE TRIGGER customer_expiry_dates_insert AFTER INSERT ON licences BEGIN
    DELETE FROM customer_expiry_dates WHERE customer_id = new.customer_id;
    INSERT INTO customer_expiry_dates (partner_id, expires_on, customer_id, previous_expiry)
        SELECT partner_id, expires_on, customer_id, previous_expiry
        FROM customer_licence_expiries WHERE customer_id = new.customer_id;
END;
CREATE TRIGGER customer_expiry_dates_update AFTER UPDATE OF customer_id, status, expires_on
    ON licences BEGIN
    DELETE FROM customer_expiry_dates WHERE customer_id IN (old.customer_id, new.customer_id);
    INSERT INTO customer_expiry_dates (partner_id, expires_on, customer_id, previous_expiry)
        SELECT partner_id, expires_on, customer_id, previous_expiry
        FROM customer_licence_expiries WHERE customer_id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER customer_expiry_dates_delete AFTER DELETE ON licences BEGIN
    DELETE FROM customer_expiry_dates WHERE customer_id = old.customer_id;
    INSERT INTO customer_expiry_dates (partner_id, expires_on, customer_id, previous_expiry)
        SELECT partner_id, expires_on, customer_id, previous_expiry
        FROM customer_licence_expiries WHERE customer_id = old.customer_id;
END;
CREATE TRIGGER customer_expiry_dates_partner AFTER UPDATE OF partner_id ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id BEGIN
    DELETE FROM customer_expiry_dates WHERE customer_id = new.id;
    INSERT INTO customer_expiry_dates (partner_id, expires_on, customer_id, previous_expiry)
        SELECT partner_id, expires_on, customer_id, previous_expiry
        FROM customer_licence_expiries WHERE customer_id = new.id;
END;

-- customer_group_members carries copies of its customer's partner and of the
-- columns a limited member's figures and counts read (migration 37), so a
-- group's are one range of an index. Whatever the writer gave, the copy is the
-- account's; an account's change is read back from its row, as a trigger
-- above may have changed it again.
CREATE TRIGGER customer_group_members_copy AFTER INSERT ON customer_group_members BEGIN
    UPDATE customer_group_members SET (partner_id, state, billing_type, health_level,
            licence_flags, trial_ends_on, customer_created_at, name_key, search_text) =
        (SELECT a.partner_id, a.state, a.billing_type, a.health_level, a.licence_flags,
                a.trial_ends_on, a.created_at, a.name_key, a.search_text
         FROM customer_accounts a WHERE a.id = new.customer_id)
        WHERE rowid = new.rowid;
END;
CREATE TRIGGER customer_accounts_copy_to_groups AFTER UPDATE OF partner_id, state, billing_type,
    health_level, licence_flags, trial_ends_on, created_at, name_key, search_text
    ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id OR old.state IS NOT new.state
    OR old.billing_type IS NOT new.billing_type OR old.health_level IS NOT new.health_level
    OR old.licence_flags IS NOT new.licence_flags OR old.trial_ends_on IS NOT new.trial_ends_on
    OR old.created_at IS NOT new.created_at OR old.name_key IS NOT new.name_key
    OR old.search_text IS NOT new.search_text
BEGIN
    UPDATE customer_group_members SET (partner_id, state, billing_type, health_level,
            licence_flags, trial_ends_on, customer_created_at, name_key, search_text) =
        (SELECT a.partner_id, a.state, a.billing_type, a.health_level, a.licence_flags,
                a.trial_ends_on, a.created_at, a.name_key, a.search_text
         FROM customer_accounts a WHERE a.id = new.id)
        WHERE customer_id = new.id;
END;

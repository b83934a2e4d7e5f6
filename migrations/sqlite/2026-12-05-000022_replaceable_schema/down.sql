-- Back to the triggers as the earlier migrations left them. What the
-- replaceable file defined is dropped first (db::revert_all_migrations drops all
-- of it before reverting; these are the objects it defined when this migration
-- was written, for a revert by other means).

DROP TABLE replaceable_schema;
DROP VIEW IF EXISTS customer_licence_flags;
DROP TRIGGER IF EXISTS customer_counts_insert;
DROP TRIGGER IF EXISTS customer_counts_delete;
DROP TRIGGER IF EXISTS customer_search_insert;
DROP TRIGGER IF EXISTS customer_search_update;
DROP TRIGGER IF EXISTS customer_search_columns;
DROP TRIGGER IF EXISTS customer_search_delete;
DROP TRIGGER IF EXISTS activity_log_no_update;
DROP TRIGGER IF EXISTS activity_log_no_delete;
DROP TRIGGER IF EXISTS customer_state_changes_insert;
DROP TRIGGER IF EXISTS customer_state_changes_delete;
DROP TRIGGER IF EXISTS customer_state_changes_update;
DROP TRIGGER IF EXISTS customer_creations_insert;
DROP TRIGGER IF EXISTS customer_creations_delete;
DROP TRIGGER IF EXISTS customer_creations_update;
DROP TRIGGER IF EXISTS partner_monitors_insert;
DROP TRIGGER IF EXISTS partner_monitors_delete;
DROP TRIGGER IF EXISTS partner_monitors_customer;
DROP TRIGGER IF EXISTS partner_monitors_move;
DROP TRIGGER IF EXISTS licences_summary_insert;
DROP TRIGGER IF EXISTS licences_summary_update;
DROP TRIGGER IF EXISTS licences_summary_delete;
DROP TRIGGER IF EXISTS customer_counts_update;
DROP TRIGGER IF EXISTS licences_partner_insert;
DROP TRIGGER IF EXISTS licences_partner_move;
DROP TRIGGER IF EXISTS licences_partner_customer;

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
CREATE TRIGGER activity_log_no_update BEFORE UPDATE ON activity_log
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER activity_log_no_delete BEFORE DELETE ON activity_log
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
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
CREATE TRIGGER licences_summary_insert AFTER INSERT ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT COALESCE(MAX(l.status = 'active'), 0)
                 + 2 * COALESCE(MAX(l.status = 'trial'), 0)
                 + 4 * COALESCE(MAX(l.status = 'expired'), 0)
                 + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
                 + 16 * COALESCE(MAX(l.status = 'active' AND l.seats_used > l.quantity), 0)
            FROM licences l WHERE l.customer_id = customer_accounts.id)
        WHERE id = new.customer_id;
END;
CREATE TRIGGER licences_summary_update AFTER UPDATE OF customer_id, status, supplied_by_partner_id,
    quantity, seats_used ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT COALESCE(MAX(l.status = 'active'), 0)
                 + 2 * COALESCE(MAX(l.status = 'trial'), 0)
                 + 4 * COALESCE(MAX(l.status = 'expired'), 0)
                 + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
                 + 16 * COALESCE(MAX(l.status = 'active' AND l.seats_used > l.quantity), 0)
            FROM licences l WHERE l.customer_id = customer_accounts.id)
        WHERE id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER licences_summary_delete AFTER DELETE ON licences BEGIN
    UPDATE customer_accounts SET licence_flags = (
            SELECT COALESCE(MAX(l.status = 'active'), 0)
                 + 2 * COALESCE(MAX(l.status = 'trial'), 0)
                 + 4 * COALESCE(MAX(l.status = 'expired'), 0)
                 + 8 * COALESCE(MAX(l.status <> 'expired' AND l.supplied_by_partner_id = customer_accounts.partner_id), 0)
                 + 16 * COALESCE(MAX(l.status = 'active' AND l.seats_used > l.quantity), 0)
            FROM licences l WHERE l.customer_id = customer_accounts.id)
        WHERE id = old.customer_id;
END;
CREATE TRIGGER customer_counts_update AFTER UPDATE OF partner_id, state, billing_type, health_level,
    licence_flags ON customer_accounts
WHEN old.partner_id IS NOT new.partner_id OR old.state IS NOT new.state
    OR old.billing_type IS NOT new.billing_type OR old.health_level IS NOT new.health_level
    OR old.licence_flags IS NOT new.licence_flags
BEGIN
    -- "Supplied by the own partner" follows the customer to another partner.
    UPDATE customer_accounts SET licence_flags = (licence_flags & ~8) + 8 * (
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

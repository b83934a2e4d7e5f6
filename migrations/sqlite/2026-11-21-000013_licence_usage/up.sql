-- Licence usage (issue 8, "licences over quantity"). Keep in step with
-- migrations/postgres.
--
-- 1. licences.seats_used: how many seats of the licence are in use, reported by
--    the instance operator's API; NULL until first reported.
-- 2. licence_flags (migration 4) gains bit 16: an active licence with more seats
--    in use than its quantity. The licence triggers now also fire on changes of
--    quantity and seats_used, so customer_counts (and with it the partner home's
--    figure and the list's total) follows every report.
-- 3. The partner-change trigger of migration 4 rebuilt bit 8 as
--    `(licence_flags & 7) + 8 * …`, which would drop bit 16 when a customer
--    moves; it now keeps every bit but 8.
--
-- Nothing to backfill: no licence has a reported usage yet.

ALTER TABLE licences ADD COLUMN seats_used INTEGER CHECK (seats_used >= 0);

DROP TRIGGER licences_summary_insert;
DROP TRIGGER licences_summary_update;
DROP TRIGGER licences_summary_delete;

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

-- Migration 4's, keeping every bit but 8 (which depends on the partner).
DROP TRIGGER customer_counts_update;
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

-- Licence usage (issue 8, "licences over quantity"). Keep in step with
-- migrations/sqlite.
--
-- 1. licences.seats_used: how many seats of the licence are in use, reported by
--    the instance operator's API; NULL until first reported.
-- 2. licence_flags (migration 4) gains bit 16: an active licence with more seats
--    in use than its quantity. The licence trigger now also fires on changes of
--    quantity and seats_used, so customer_counts (and with it the partner home's
--    figure and the list's total) follows every report. customer_own_licence
--    recomputes every bit through customer_licence_flags, so a customer moving
--    to another partner keeps bit 16.
--
-- Nothing to backfill: no licence has a reported usage yet.

ALTER TABLE licences ADD COLUMN seats_used INTEGER CHECK (seats_used >= 0);

CREATE OR REPLACE FUNCTION customer_licence_flags(customer TEXT, partner TEXT) RETURNS INTEGER
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(bool_or(l.status = 'active'), FALSE)::INTEGER
         + 2 * COALESCE(bool_or(l.status = 'trial'), FALSE)::INTEGER
         + 4 * COALESCE(bool_or(l.status = 'expired'), FALSE)::INTEGER
         + 8 * COALESCE(bool_or(l.status <> 'expired' AND l.supplied_by_partner_id = partner), FALSE)::INTEGER
         + 16 * COALESCE(bool_or(l.status = 'active' AND l.seats_used > l.quantity), FALSE)::INTEGER
    FROM licences l WHERE l.customer_id = customer
$$;

DROP TRIGGER licences_summary ON licences;
CREATE TRIGGER licences_summary
    AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, supplied_by_partner_id, quantity, seats_used
    ON licences FOR EACH ROW EXECUTE FUNCTION licences_summary();

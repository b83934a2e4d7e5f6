-- Back to migration 12: migration 4's flags and trigger, no seats_used.

DROP TRIGGER licences_summary ON licences;
CREATE TRIGGER licences_summary AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, supplied_by_partner_id
    ON licences FOR EACH ROW EXECUTE FUNCTION licences_summary();

CREATE OR REPLACE FUNCTION customer_licence_flags(customer TEXT, partner TEXT) RETURNS INTEGER
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(bool_or(l.status = 'active'), FALSE)::INTEGER
         + 2 * COALESCE(bool_or(l.status = 'trial'), FALSE)::INTEGER
         + 4 * COALESCE(bool_or(l.status = 'expired'), FALSE)::INTEGER
         + 8 * COALESCE(bool_or(l.status <> 'expired' AND l.supplied_by_partner_id = partner), FALSE)::INTEGER
    FROM licences l WHERE l.customer_id = customer
$$;

-- Bit 16 goes (customer_counts follows through its trigger).
UPDATE customer_accounts SET licence_flags = licence_flags & ~16 WHERE (licence_flags & 16) <> 0;
ALTER TABLE licences DROP COLUMN seats_used;

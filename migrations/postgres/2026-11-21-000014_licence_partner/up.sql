-- The partner home's "licences expiring soon" at 100,000 customers (issue 8).
-- Keep in step with migrations/sqlite.
--
-- Each licence carries its customer's partner, kept by triggers in the
-- transaction of every licence insert or move and every change of a customer's
-- partner (association, dissociation). A partner's expiring licences are then
-- one range of an index, instead of every licence expiring that month probed
-- for its customer's partner one by one.

ALTER TABLE licences ADD COLUMN partner_id TEXT;

UPDATE licences SET partner_id = customer_accounts.partner_id
    FROM customer_accounts WHERE customer_accounts.id = licences.customer_id;

CREATE INDEX licences_by_partner_expiry ON licences(partner_id, status, expires_on, customer_id);

CREATE FUNCTION licence_partner() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    NEW.partner_id := (SELECT partner_id FROM customer_accounts WHERE id = NEW.customer_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER licence_partner BEFORE INSERT OR UPDATE OF customer_id ON licences
    FOR EACH ROW EXECUTE FUNCTION licence_partner();

CREATE FUNCTION customer_licences_partner() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE licences SET partner_id = NEW.partner_id WHERE customer_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER customer_licences_partner AFTER UPDATE OF partner_id ON customer_accounts
    FOR EACH ROW WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id)
    EXECUTE FUNCTION customer_licences_partner();

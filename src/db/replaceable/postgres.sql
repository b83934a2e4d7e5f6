-- The current definition of every trigger and function of the PostgreSQL
-- database: the derived data (counts, flags, history, the licence's partner)
-- kept in step with the base tables in the transaction of each write, and the
-- activity log's guard. `db::replaceable` drops every trigger and function and
-- runs this file again, in one transaction, whenever its content differs from
-- what was last applied; so edit the definitions here, never in a migration.
-- Keep in step with sqlite.sql. `partnerdesk check` recomputes each derived
-- value from the base tables (src/db/derived.rs).
--
-- Triggers of one event fire in the order of their names.

-- The activity logs (the partners' and customers', and the instance's) are append-only.
CREATE FUNCTION activity_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the activity log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_log_no_change BEFORE UPDATE OR DELETE ON activity_log
    FOR EACH ROW EXECUTE FUNCTION activity_log_append_only();
CREATE TRIGGER instance_activity_no_change BEFORE UPDATE OR DELETE ON instance_activity
    FOR EACH ROW EXECUTE FUNCTION activity_log_append_only();

-- customer_accounts.licence_flags summarises the customer's licences, so the
-- list's licence filters read the customer's row. Bits: 1 an active licence, 2 a
-- trial licence, 4 an expired licence, 8 an active or trial licence supplied by
-- `partner` (the customer's own), 16 an active licence with more seats in use
-- than its quantity (`db::derived::licence_flags` names them for Rust). This
-- function is the one definition: the triggers below and `partnerdesk check`
-- call it.
CREATE FUNCTION customer_licence_flags(customer TEXT, partner TEXT) RETURNS INTEGER
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(bool_or(l.status = 'active'), FALSE)::INTEGER
         + 2 * COALESCE(bool_or(l.status = 'trial'), FALSE)::INTEGER
         + 4 * COALESCE(bool_or(l.status = 'expired'), FALSE)::INTEGER
         + 8 * COALESCE(bool_or(l.status <> 'expired' AND l.supplied_by_partner_id = partner), FALSE)::INTEGER
         + 16 * COALESCE(bool_or(l.status = 'active' AND l.seats_used > l.quantity), FALSE)::INTEGER
    FROM licences l WHERE l.customer_id = customer
$$;

-- The account is locked before the summary is computed: the UPDATE's own lock
-- would wait for another licence's change of the same customer but then sum the
-- licences as its statement began, without that change. After the PERFORM, the
-- UPDATE is a new statement and sees what the other committed.
CREATE FUNCTION licences_summary() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM 1 FROM customer_accounts WHERE id = NEW.customer_id FOR NO KEY UPDATE;
        UPDATE customer_accounts SET licence_flags = customer_licence_flags(id, partner_id)
            WHERE id = NEW.customer_id AND licence_flags <> customer_licence_flags(id, partner_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.customer_id <> NEW.customer_id) THEN
        PERFORM 1 FROM customer_accounts WHERE id = OLD.customer_id FOR NO KEY UPDATE;
        UPDATE customer_accounts SET licence_flags = customer_licence_flags(id, partner_id)
            WHERE id = OLD.customer_id AND licence_flags <> customer_licence_flags(id, partner_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER licences_summary
    AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, supplied_by_partner_id, quantity, seats_used
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

-- customer_counts: a partner's customers for each combination of the list's
-- filterable columns, so the list's total sums a few dozen rows. Rows of a
-- vanished combination stay at zero. Writers of one partner's customers take a
-- transaction-scoped advisory lock first, so two of them never take the counter
-- rows in opposite orders.
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

-- customer_state_changes: how many of a partner's customers entered (+) or left
-- (-) each state in each hour (UTC). A change is dated by the account's
-- updated_at (created_at for a new account): every write of state or partner sets
-- it to the app's clock. Summed over every hour, a partner's deltas of a state are
-- its customers in that state now. The trigger runs after customer_counts_track
-- (by name), under the partners' advisory locks it takes.
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

-- customer_creations: a partner's customers by the hour (UTC) they were created
-- (a customer who leaves leaves its hour).
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

-- customer_trial_ends: a partner's trial customers by the day their trial ends
-- (migration 41), for the home's two trial figures.
CREATE FUNCTION customer_trial_ends_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.partner_id IS NOT NULL
        AND OLD.billing_type = 'trial' AND OLD.trial_ends_on IS NOT NULL THEN
        UPDATE customer_trial_ends SET customers = customers - 1
            WHERE partner_id = OLD.partner_id AND day = OLD.trial_ends_on;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partner_id IS NOT NULL
        AND NEW.billing_type = 'trial' AND NEW.trial_ends_on IS NOT NULL THEN
        INSERT INTO customer_trial_ends (partner_id, day, customers)
            VALUES (NEW.partner_id, NEW.trial_ends_on, 1)
            ON CONFLICT (partner_id, day)
            DO UPDATE SET customers = customer_trial_ends.customers + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_trial_ends_insert_delete AFTER INSERT OR DELETE ON customer_accounts
    FOR EACH ROW EXECUTE FUNCTION customer_trial_ends_track();
CREATE TRIGGER customer_trial_ends_update AFTER UPDATE OF partner_id, billing_type, trial_ends_on
    ON customer_accounts
    FOR EACH ROW WHEN ((OLD.partner_id, OLD.billing_type, OLD.trial_ends_on)
                       IS DISTINCT FROM (NEW.partner_id, NEW.billing_type, NEW.trial_ends_on))
    EXECUTE FUNCTION customer_trial_ends_track();

-- customer_state_days and customer_creation_days: the two tables above summed by
-- UTC day (migration 25), kept by triggers on them, so a day's row is the sum of
-- its hours whoever writes the hours (a partner's import writes its history).
CREATE FUNCTION customer_state_days_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE customer_state_days SET delta = delta - OLD.delta
            WHERE partner_id = OLD.partner_id AND day = CAST(OLD.hour AS DATE)
              AND state = OLD.state;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO customer_state_days (partner_id, day, state, delta)
            VALUES (NEW.partner_id, CAST(NEW.hour AS DATE), NEW.state, NEW.delta)
            ON CONFLICT (partner_id, day, state)
            DO UPDATE SET delta = customer_state_days.delta + EXCLUDED.delta;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_state_days_track AFTER INSERT OR UPDATE OR DELETE ON customer_state_changes
    FOR EACH ROW EXECUTE FUNCTION customer_state_days_track();

CREATE FUNCTION customer_creation_days_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE customer_creation_days SET customers = customers - OLD.customers
            WHERE partner_id = OLD.partner_id AND day = CAST(OLD.hour AS DATE);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO customer_creation_days (partner_id, day, customers)
            VALUES (NEW.partner_id, CAST(NEW.hour AS DATE), NEW.customers)
            ON CONFLICT (partner_id, day)
            DO UPDATE SET customers = customer_creation_days.customers + EXCLUDED.customers;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_creation_days_track AFTER INSERT OR UPDATE OR DELETE ON customer_creations
    FOR EACH ROW EXECUTE FUNCTION customer_creation_days_track();

-- partner_monitors: the number of monitors of each partner's customers.
-- Adds `change` monitors to the partner of `customer`, if it has one. The
-- customer is read locked, as licence_partner reads it: a move of it not yet
-- committed is waited for and its new partner counted, and a move that starts
-- later waits, then counts this monitor in partner_monitors_move.
CREATE FUNCTION partner_monitors_add(customer TEXT, change BIGINT) RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO partner_monitors (partner_id, monitors)
        SELECT partner_id, change FROM customer_accounts
        WHERE id = customer AND partner_id IS NOT NULL
        FOR NO KEY UPDATE
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

-- licences.partner_id: the licence's customer's partner, so a partner's
-- expiring licences are one range of an index. The customer is read locked
-- as an update of it would lock it (FOR NO KEY UPDATE): a move of it not yet
-- committed is waited for and read, and one that starts later waits for this
-- licence. (FOR SHARE would let two licences of one customer each hold it and
-- then deadlock on licences_summary's update of the account.)
CREATE FUNCTION licence_partner() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    SELECT partner_id INTO NEW.partner_id FROM customer_accounts
        WHERE id = NEW.customer_id FOR NO KEY UPDATE;
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

-- The customer is locked first, as licences_summary does: a change of another
-- licence of theirs not yet committed is waited for, and the rows are then
-- rewritten from what it committed (each statement here sees it).
CREATE FUNCTION refresh_customer_expiry_dates(customer TEXT) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM customer_accounts WHERE id = customer FOR NO KEY UPDATE;
    DELETE FROM customer_expiry_dates WHERE customer_id = customer;
    INSERT INTO customer_expiry_dates (partner_id, expires_on, customer_id, previous_expiry)
        SELECT partner_id, expires_on, customer_id, previous_expiry
        FROM customer_licence_expiries WHERE customer_id = customer;
END;
$$;
CREATE FUNCTION licences_expiry_dates() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM refresh_customer_expiry_dates(NEW.customer_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.customer_id <> NEW.customer_id) THEN
        PERFORM refresh_customer_expiry_dates(OLD.customer_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER licences_expiry_dates
    AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, expires_on
    ON licences FOR EACH ROW EXECUTE FUNCTION licences_expiry_dates();
CREATE FUNCTION customer_expiry_dates_partner() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_customer_expiry_dates(NEW.id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_expiry_dates_partner AFTER UPDATE OF partner_id ON customer_accounts
    FOR EACH ROW WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id)
    EXECUTE FUNCTION customer_expiry_dates_partner();

-- customer_group_members carries copies of its customer's partner and of the
-- columns a limited member's figures and counts read (migration 37), so a
-- group's are one range of an index. Whatever the writer gave, the copy is the
-- account's. The account is read locked, as licence_partner reads it: a
-- change of it not yet committed is waited for and read, and one that starts
-- later waits for this member, so its own trigger below finds the row.
CREATE FUNCTION customer_group_members_copy() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.partner_id, a.state, a.billing_type, a.health_level, a.licence_flags,
           a.trial_ends_on, a.created_at, a.name_key, a.search_text
    INTO NEW.partner_id, NEW.state, NEW.billing_type, NEW.health_level, NEW.licence_flags,
         NEW.trial_ends_on, NEW.customer_created_at, NEW.name_key, NEW.search_text
    FROM customer_accounts a WHERE a.id = NEW.customer_id FOR NO KEY UPDATE;
    RETURN NEW;
END;
$$;
CREATE TRIGGER customer_group_members_copy BEFORE INSERT OR UPDATE OF customer_id
    ON customer_group_members FOR EACH ROW EXECUTE FUNCTION customer_group_members_copy();

CREATE FUNCTION customer_accounts_copy_to_groups() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customer_group_members SET partner_id = NEW.partner_id, state = NEW.state,
        billing_type = NEW.billing_type, health_level = NEW.health_level,
        licence_flags = NEW.licence_flags, trial_ends_on = NEW.trial_ends_on,
        customer_created_at = NEW.created_at, name_key = NEW.name_key,
        search_text = NEW.search_text
    WHERE customer_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_accounts_copy_to_groups
    AFTER UPDATE OF partner_id, state, billing_type, health_level, licence_flags, trial_ends_on,
        created_at, name_key, search_text ON customer_accounts
    FOR EACH ROW WHEN (
        (OLD.partner_id, OLD.state, OLD.billing_type, OLD.health_level, OLD.licence_flags,
         OLD.trial_ends_on, OLD.created_at, OLD.name_key, OLD.search_text)
        IS DISTINCT FROM
        (NEW.partner_id, NEW.state, NEW.billing_type, NEW.health_level, NEW.licence_flags,
         NEW.trial_ends_on, NEW.created_at, NEW.name_key, NEW.search_text))
    EXECUTE FUNCTION customer_accounts_copy_to_groups();

-- customer_search_versions (migration 38): a partner's version moves whenever
-- one of its customers comes, goes, or changes its searched text, in the
-- writer's transaction, so that a count of a search kept at an older version
-- (customer_search_counts) is never read again. The partners' advisory locks
-- of customer_counts_track are taken first (that trigger has already taken
-- them for an insert, a delete or a move; a change of text alone takes its
-- one here), so writers take the version rows in one order.
CREATE FUNCTION customer_search_version_move(partner TEXT) RETURNS VOID LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(25443, hashtext(partner));
    INSERT INTO customer_search_versions (partner_id, version) VALUES (partner, 1)
        ON CONFLICT (partner_id) DO UPDATE SET version = customer_search_versions.version + 1;
$$;
CREATE FUNCTION customer_search_versions_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.partner_id IS NOT NULL AND NEW.partner_id IS NOT NULL
       AND hashtext(NEW.partner_id) < hashtext(OLD.partner_id) THEN
        PERFORM customer_search_version_move(NEW.partner_id);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.partner_id IS NOT NULL THEN
        PERFORM customer_search_version_move(OLD.partner_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partner_id IS NOT NULL THEN
        IF TG_OP = 'INSERT' OR NEW.partner_id IS DISTINCT FROM OLD.partner_id THEN
            PERFORM customer_search_version_move(NEW.partner_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_search_versions_insert_delete AFTER INSERT OR DELETE ON customer_accounts
    FOR EACH ROW EXECUTE FUNCTION customer_search_versions_track();
CREATE TRIGGER customer_search_versions_update AFTER UPDATE OF partner_id, search_text
    ON customer_accounts
    FOR EACH ROW WHEN ((OLD.partner_id, OLD.search_text) IS DISTINCT FROM
        (NEW.partner_id, NEW.search_text))
    EXECUTE FUNCTION customer_search_versions_track();

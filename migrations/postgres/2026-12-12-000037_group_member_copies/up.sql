-- Each member of a customer group carries a copy of its customer's partner
-- and of the columns a limited member's figures and counts read (issue 21),
-- kept by the triggers of src/db/replaceable/ in the writer's transaction. The
-- home of a member limited
-- to groups kept by hand, and the list's total for such a member (or for a
-- filter by such a group), then read one range of an index on the group
-- instead of looking each member's account up. Migration 36's index, which
-- served those look-ups, goes. Keep in step with the other backend.

ALTER TABLE customer_group_members
    ADD COLUMN partner_id TEXT,
    ADD COLUMN state TEXT NOT NULL DEFAULT '',
    ADD COLUMN billing_type TEXT NOT NULL DEFAULT '',
    ADD COLUMN health_level INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN licence_flags INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN trial_ends_on DATE,
    ADD COLUMN customer_created_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';

UPDATE customer_group_members m SET partner_id = a.partner_id, state = a.state,
    billing_type = a.billing_type, health_level = a.health_level,
    licence_flags = a.licence_flags, trial_ends_on = a.trial_ends_on,
    customer_created_at = a.created_at
FROM customer_accounts a WHERE a.id = m.customer_id;

-- A group's members with their copies, read without the table's rows.
CREATE INDEX customer_group_members_copies ON customer_group_members(group_id, partner_id)
    INCLUDE (customer_id, state, billing_type, health_level, licence_flags, trial_ends_on,
        customer_created_at);

DROP INDEX customer_accounts_reach_columns;

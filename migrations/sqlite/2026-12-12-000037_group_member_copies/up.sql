-- Each member of a customer group carries a copy of its customer's partner
-- and of the columns a limited member's figures and counts read (issue 21),
-- kept by the triggers of src/db/replaceable/ in the writer's transaction. The
-- home of a member limited
-- to groups kept by hand, and the list's total for such a member (or for a
-- filter by such a group), then read one range of an index on the group
-- instead of looking each member's account up (10,000 descents of a B-tree
-- keyed by random ids, 20-43 ms of CPU a page). Migration 36's index, which
-- served those look-ups, goes. Keep in step with the other backend.

ALTER TABLE customer_group_members ADD COLUMN partner_id TEXT;
ALTER TABLE customer_group_members ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_group_members ADD COLUMN billing_type TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_group_members ADD COLUMN health_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_group_members ADD COLUMN licence_flags INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_group_members ADD COLUMN trial_ends_on DATE;
ALTER TABLE customer_group_members ADD COLUMN customer_created_at TIMESTAMP NOT NULL
    DEFAULT '1970-01-01 00:00:00';

UPDATE customer_group_members SET (partner_id, state, billing_type, health_level, licence_flags,
        trial_ends_on, customer_created_at) =
    (SELECT a.partner_id, a.state, a.billing_type, a.health_level, a.licence_flags,
            a.trial_ends_on, a.created_at
     FROM customer_accounts a WHERE a.id = customer_group_members.customer_id);

-- A group's members with their copies, read without the table's rows.
CREATE INDEX customer_group_members_copies ON customer_group_members(group_id, partner_id,
    customer_id, state, billing_type, health_level, licence_flags, trial_ends_on,
    customer_created_at);

DROP INDEX customer_accounts_reach_columns;

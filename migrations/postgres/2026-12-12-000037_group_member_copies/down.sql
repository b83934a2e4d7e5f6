-- The replaceable file's triggers that keep these copies go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_group_members_copy ON customer_group_members;
DROP TRIGGER IF EXISTS customer_accounts_copy_to_groups ON customer_accounts;
DROP FUNCTION IF EXISTS customer_group_members_copy();
DROP FUNCTION IF EXISTS customer_accounts_copy_to_groups();
CREATE INDEX customer_accounts_reach_columns ON customer_accounts(id, partner_id,
    state, billing_type, health_level, licence_flags, trial_ends_on, created_at);
DROP INDEX customer_group_members_copies;
ALTER TABLE customer_group_members
    DROP COLUMN customer_created_at,
    DROP COLUMN trial_ends_on,
    DROP COLUMN licence_flags,
    DROP COLUMN health_level,
    DROP COLUMN billing_type,
    DROP COLUMN state,
    DROP COLUMN partner_id;

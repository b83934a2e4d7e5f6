-- The replaceable file's triggers that keep these copies go first
-- (db::revert_all_migrations drops all of it before reverting; these are for a
-- revert by other means).
DROP TRIGGER IF EXISTS customer_group_members_copy;
DROP TRIGGER IF EXISTS customer_accounts_copy_to_groups;
CREATE INDEX customer_accounts_reach_columns ON customer_accounts(id, partner_id,
    state, billing_type, health_level, licence_flags, trial_ends_on, created_at);
DROP INDEX customer_group_members_copies;
ALTER TABLE customer_group_members DROP COLUMN customer_created_at;
ALTER TABLE customer_group_members DROP COLUMN trial_ends_on;
ALTER TABLE customer_group_members DROP COLUMN licence_flags;
ALTER TABLE customer_group_members DROP COLUMN health_level;
ALTER TABLE customer_group_members DROP COLUMN billing_type;
ALTER TABLE customer_group_members DROP COLUMN state;
ALTER TABLE customer_group_members DROP COLUMN partner_id;

DROP TABLE membership_groups;
ALTER TABLE memberships DROP COLUMN customers_scoped;

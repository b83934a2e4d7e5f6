-- Triggers and functions are no longer defined by migrations:
-- src/db/replaceable/postgres.sql holds the current definition of each, applied
-- after the migrations whenever it changes (src/db/replaceable.rs). This drops
-- the definitions the earlier migrations made, and keeps the hash of the file
-- last applied.

CREATE TABLE replaceable_schema (
    hash TEXT PRIMARY KEY NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

DROP TRIGGER IF EXISTS customer_own_licence ON customer_accounts;
DROP TRIGGER IF EXISTS customer_counts_insert_delete ON customer_accounts;
DROP TRIGGER IF EXISTS customer_counts_update ON customer_accounts;
DROP TRIGGER IF EXISTS activity_log_no_change ON activity_log;
DROP TRIGGER IF EXISTS customer_state_changes_insert_delete ON customer_accounts;
DROP TRIGGER IF EXISTS customer_state_changes_update ON customer_accounts;
DROP TRIGGER IF EXISTS customer_creations_insert_delete ON customer_accounts;
DROP TRIGGER IF EXISTS customer_creations_update ON customer_accounts;
DROP TRIGGER IF EXISTS partner_monitors_insert_delete ON monitors;
DROP TRIGGER IF EXISTS partner_monitors_customer ON monitors;
DROP TRIGGER IF EXISTS partner_monitors_move ON customer_accounts;
DROP TRIGGER IF EXISTS licences_summary ON licences;
DROP TRIGGER IF EXISTS licence_partner ON licences;
DROP TRIGGER IF EXISTS customer_licences_partner ON customer_accounts;
DROP FUNCTION IF EXISTS customer_licence_flags(TEXT, TEXT);
DROP FUNCTION IF EXISTS licences_summary();
DROP FUNCTION IF EXISTS customer_own_licence();
DROP FUNCTION IF EXISTS customer_counts_track();
DROP FUNCTION IF EXISTS activity_log_append_only();
DROP FUNCTION IF EXISTS customer_state_change(TEXT, TIMESTAMP, TEXT, INTEGER);
DROP FUNCTION IF EXISTS customer_state_track();
DROP FUNCTION IF EXISTS customer_creations_track();
DROP FUNCTION IF EXISTS partner_monitors_add(TEXT, BIGINT);
DROP FUNCTION IF EXISTS partner_monitors_track();
DROP FUNCTION IF EXISTS partner_monitors_move();
DROP FUNCTION IF EXISTS licence_partner();
DROP FUNCTION IF EXISTS customer_licences_partner();

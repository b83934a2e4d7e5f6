-- Triggers are no longer defined by migrations: src/db/replaceable/sqlite.sql
-- holds the current definition of each, applied after the migrations whenever
-- it changes (src/db/replaceable.rs). This drops the definitions the earlier
-- migrations made, and keeps the hash of the file last applied.

CREATE TABLE replaceable_schema (
    hash TEXT PRIMARY KEY NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

DROP TRIGGER IF EXISTS customer_counts_insert;
DROP TRIGGER IF EXISTS customer_counts_delete;
DROP TRIGGER IF EXISTS customer_search_insert;
DROP TRIGGER IF EXISTS customer_search_update;
DROP TRIGGER IF EXISTS customer_search_columns;
DROP TRIGGER IF EXISTS customer_search_delete;
DROP TRIGGER IF EXISTS activity_log_no_update;
DROP TRIGGER IF EXISTS activity_log_no_delete;
DROP TRIGGER IF EXISTS customer_state_changes_insert;
DROP TRIGGER IF EXISTS customer_state_changes_delete;
DROP TRIGGER IF EXISTS customer_state_changes_update;
DROP TRIGGER IF EXISTS customer_creations_insert;
DROP TRIGGER IF EXISTS customer_creations_delete;
DROP TRIGGER IF EXISTS customer_creations_update;
DROP TRIGGER IF EXISTS partner_monitors_insert;
DROP TRIGGER IF EXISTS partner_monitors_delete;
DROP TRIGGER IF EXISTS partner_monitors_customer;
DROP TRIGGER IF EXISTS partner_monitors_move;
DROP TRIGGER IF EXISTS licences_summary_insert;
DROP TRIGGER IF EXISTS licences_summary_update;
DROP TRIGGER IF EXISTS licences_summary_delete;
DROP TRIGGER IF EXISTS customer_counts_update;
DROP TRIGGER IF EXISTS licences_partner_insert;
DROP TRIGGER IF EXISTS licences_partner_move;
DROP TRIGGER IF EXISTS licences_partner_customer;

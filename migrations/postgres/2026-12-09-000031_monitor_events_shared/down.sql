ALTER TABLE customer_accounts DROP COLUMN shares_monitor_events;

DROP TRIGGER activity_log_no_change ON activity_log;
DROP FUNCTION activity_log_append_only();
DROP TABLE customer_permissions;
DROP TABLE reservations;
DROP TABLE subscription_owners;
DROP TABLE subscriptions;
DROP TABLE orders;
DROP TABLE offers;

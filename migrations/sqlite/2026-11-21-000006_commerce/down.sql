DROP TRIGGER activity_log_no_delete;
DROP TRIGGER activity_log_no_update;
DROP TABLE customer_permissions;
DROP TABLE reservations;
DROP TABLE subscription_owners;
DROP TABLE subscriptions;
DROP TABLE orders;
DROP TABLE offers;

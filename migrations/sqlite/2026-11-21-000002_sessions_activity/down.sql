DROP TABLE activity_log;
DROP TABLE sign_in_failures;
DROP TABLE sessions;

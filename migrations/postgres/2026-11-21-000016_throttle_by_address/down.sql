CREATE TABLE sign_in_failures (
    id TEXT PRIMARY KEY NOT NULL,
    username_key TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_failures_username ON sign_in_failures(username_key, failed_at);

INSERT INTO sign_in_failures (id, username_key, failed_at)
    SELECT id, username_key, failed_at FROM auth_failures WHERE kind = 'sign_in';

DROP TABLE auth_failures;

-- Throttling by username and client address (issue 16). Keep in step with
-- migrations/sqlite.
--
-- One row per failed check of a secret: its kind (sign_in, current_password,
-- second_factor), the username as typed (known or not), the client address
-- (IPv4, or an IPv6 /64) and the time. auth::throttle purges rows older than an
-- hour. The failures already counted carry over, from an unknown address.

CREATE TABLE auth_failures (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    username_key TEXT NOT NULL,
    client_key TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX auth_failures_username ON auth_failures(username_key, client_key, failed_at);
CREATE INDEX auth_failures_client ON auth_failures(client_key, failed_at);
CREATE INDEX auth_failures_time ON auth_failures(failed_at);

INSERT INTO auth_failures (id, kind, username_key, client_key, failed_at)
    SELECT id, 'sign_in', username_key, '', failed_at FROM sign_in_failures;

DROP TABLE sign_in_failures;

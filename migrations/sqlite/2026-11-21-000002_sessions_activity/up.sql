-- Server-side sessions, failed sign-in attempts and the activity log.

CREATE TABLE sessions (
    key_hash TEXT PRIMARY KEY NOT NULL,
    login_id TEXT REFERENCES logins(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    idle_expires_at TIMESTAMP NOT NULL,
    absolute_expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_login ON sessions(login_id);
CREATE INDEX sessions_idle_expiry ON sessions(idle_expires_at);

CREATE TABLE sign_in_failures (
    id TEXT PRIMARY KEY NOT NULL,
    username_key TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_failures_username ON sign_in_failures(username_key, failed_at);

CREATE TABLE activity_log (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_login_id TEXT REFERENCES logins(id),
    actor_name TEXT NOT NULL,
    acting_membership_id TEXT REFERENCES memberships(id),
    partner_id TEXT REFERENCES partner_organisations(id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX activity_log_partner ON activity_log(partner_id, occurred_at);
CREATE INDEX activity_log_actor ON activity_log(actor_login_id, occurred_at);

-- The instance operator's own area (/admin). Keep in step with migrations/sqlite.
--
-- An instance operator is a login, not a membership: the role belongs to no
-- organisation. A row here makes the login an operator; revoking deletes it
-- (the instance's activity log keeps who granted and revoked, and when).
-- `granted_by_login_id` is NULL when the command line granted it.
CREATE TABLE instance_operators (
    login_id TEXT PRIMARY KEY NOT NULL REFERENCES logins(id),
    granted_at TIMESTAMP NOT NULL,
    granted_by_login_id TEXT REFERENCES logins(id)
);

-- A suspended organisation's staff see only a page giving the reason; its
-- customers' consoles go on. Both columns are set together or not at all.
ALTER TABLE partner_organisations ADD COLUMN suspended_at TIMESTAMP;
ALTER TABLE partner_organisations ADD COLUMN suspension_reason TEXT
    CHECK ((suspension_reason IS NULL) = (suspended_at IS NULL));

-- What operators did to the instance: append-only, like activity_log (the
-- guard is in the replaceable schema). A table of its own: activity_log rows
-- without an organisation are people's own events, and partners' logs and
-- archives must not see the operators'.
CREATE TABLE instance_activity (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_login_id TEXT REFERENCES logins(id),
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX instance_activity_time ON instance_activity(occurred_at, id);

-- Organisations, logins, memberships, one-time tokens and the email outbox.
-- Keep in step with migrations/sqlite: the migration test compares both schemas.

CREATE TABLE partner_organisations (
    id TEXT PRIMARY KEY NOT NULL,
    parent_id TEXT REFERENCES partner_organisations(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX partner_organisations_parent ON partner_organisations(parent_id);

CREATE TABLE logins (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    full_name TEXT NOT NULL,
    password_hash TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'disabled')),
    language TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    identity_provider TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    scope TEXT NOT NULL CHECK (scope IN ('instance', 'partner')),
    partner_id TEXT REFERENCES partner_organisations(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
    created_at TIMESTAMP NOT NULL,
    CHECK ((scope = 'partner') = (partner_id IS NOT NULL))
);
CREATE INDEX memberships_login ON memberships(login_id);
CREATE INDEX memberships_partner ON memberships(partner_id);

CREATE TABLE login_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('activation', 'password_reset')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX login_tokens_login ON login_tokens(login_id, purpose);

CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX email_outbox_due ON email_outbox(state, next_attempt_at);

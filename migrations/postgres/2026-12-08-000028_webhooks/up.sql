-- Webhooks: a partner's owners register endpoints that receive the partner's
-- events, signed; each event is one delivery row per subscribed endpoint,
-- written in the transaction of the change that caused it and sent by a worker
-- with leases and backoff, like the email outbox. Keep in step with
-- migrations/sqlite.
--
-- `events` holds the event types (`customer.created`, …) separated by single
-- spaces. `secret` signs (HMAC needs it as is); after a rotation the previous
-- one also signs until `previous_secret_expires_at`. `failing_since` is the
-- first failure since the last success; an endpoint failing for longer than the
-- `webhook_disable_after` setting is disabled (`disabled_at`, `disabled_reason`).
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description TEXT NOT NULL CHECK (length(description) <= 200),
    events TEXT NOT NULL CHECK (events <> ''),
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_expires_at TIMESTAMP,
    created_by_login_id TEXT NOT NULL REFERENCES logins(id),
    created_at TIMESTAMP NOT NULL,
    last_success_at TIMESTAMP,
    failing_since TIMESTAMP,
    last_error TEXT,
    disabled_at TIMESTAMP,
    disabled_reason TEXT,
    CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);
CREATE INDEX webhook_endpoints_partner ON webhook_endpoints(partner_id, created_at);

-- One event for one endpoint: pending, sending (claimed until `locked_until`),
-- delivered, failed (given up), or cancelled (its endpoint was disabled).
-- `payload` is the exact body sent at every attempt.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_attempt_at TIMESTAMP,
    last_status INTEGER,
    last_response_ms INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, created_at);

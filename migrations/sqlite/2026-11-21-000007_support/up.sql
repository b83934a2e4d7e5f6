-- Service health (E1) and service requests (E2).

-- Tokens for the JSON API, stored as their SHA-256 only. `operator` tokens act for
-- the instance operator; a later issue adds `customer` tokens bound to one account.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL CHECK (scope IN ('operator', 'customer')),
    customer_id TEXT REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    CHECK ((scope = 'customer') = (customer_id IS NOT NULL))
);

-- A customer's services; `state` is the worst state of its unresolved incidents,
-- and the customer's `health_level` the worst state of its services.
CREATE TABLE services (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('healthy', 'advisory', 'incident')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (customer_id, name_key)
);

CREATE TABLE service_incidents (
    id TEXT PRIMARY KEY NOT NULL,
    service_id TEXT NOT NULL REFERENCES services(id),
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    title TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('advisory', 'incident')),
    started_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE INDEX service_incidents_customer ON service_incidents(customer_id, started_at);
CREATE INDEX service_incidents_service ON service_incidents(service_id);

-- The timeline of an incident.
CREATE TABLE service_incident_updates (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES service_incidents(id),
    posted_at TIMESTAMP NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('advisory', 'incident', 'resolved')),
    body TEXT NOT NULL
);
CREATE INDEX service_incident_updates_incident ON service_incident_updates(incident_id, posted_at);

CREATE TABLE service_requests (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting', 'resolved')),
    opened_by_login_id TEXT NOT NULL REFERENCES logins(id),
    opened_by_name TEXT NOT NULL,
    opened_by_side TEXT NOT NULL CHECK (opened_by_side IN ('customer', 'partner')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX service_requests_customer ON service_requests(customer_id, updated_at);

CREATE TABLE service_request_messages (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES service_requests(id),
    author_login_id TEXT NOT NULL REFERENCES logins(id),
    author_name TEXT NOT NULL,
    author_side TEXT NOT NULL CHECK (author_side IN ('customer', 'partner')),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX service_request_messages_request ON service_request_messages(request_id, created_at);

-- Orders and customer permissions (D1, D2, seed 004), and the activity log made
-- append-only in the database itself (D3). Keep in step with migrations/postgres.

-- The catalogue, defined by the instance operator. Prices are in cents: per unit
-- and month for subscriptions, per unit for the whole term for reservations.
CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('usage_subscription', 'term_subscription', 'reservation')),
    unit_price_cents BIGINT NOT NULL CHECK (unit_price_cents >= 0),
    currency TEXT NOT NULL,
    term_months INTEGER NOT NULL CHECK (term_months >= 0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

-- Every order placed for a customer, by its partner or, when allowed, by the
-- customer itself; always billed to the partner. The offer is copied as it was.
CREATE TABLE orders (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    offer_id TEXT NOT NULL REFERENCES offers(id),
    offer_name TEXT NOT NULL,
    offer_kind TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('purchase', 'renewal', 'exchange')),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    currency TEXT NOT NULL,
    placed_by TEXT NOT NULL CHECK (placed_by IN ('partner', 'customer')),
    placed_by_login_id TEXT REFERENCES logins(id),
    placed_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_customer ON orders(customer_id, created_at);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    order_id TEXT NOT NULL REFERENCES orders(id),
    offer_id TEXT NOT NULL REFERENCES offers(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('usage_subscription', 'term_subscription')),
    quantity INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'cancelled')),
    started_on DATE NOT NULL,
    ends_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX subscriptions_customer ON subscriptions(customer_id, state);

-- The customer's people holding the Owner role on a subscription: who may buy
-- reservations for it (seed 004).
CREATE TABLE subscription_owners (
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    membership_id TEXT NOT NULL REFERENCES memberships(id),
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subscription_id, membership_id)
);

CREATE TABLE reservations (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    order_id TEXT NOT NULL REFERENCES orders(id),
    offer_id TEXT NOT NULL REFERENCES offers(id),
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    name TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'cancelled', 'exchanged')),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    bought_by TEXT NOT NULL CHECK (bought_by IN ('partner', 'customer')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX reservations_customer ON reservations(customer_id, state);

-- Permissions a partner grants a customer; a row exists while the permission is on.
CREATE TABLE customer_permissions (
    customer_id TEXT NOT NULL REFERENCES customer_accounts(id),
    permission TEXT NOT NULL CHECK (permission IN ('buy_reservations')),
    granted_by_login_id TEXT REFERENCES logins(id),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (customer_id, permission)
);

-- The activity log is append-only, whatever code runs against the database.
CREATE TRIGGER activity_log_no_update BEFORE UPDATE ON activity_log
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER activity_log_no_delete BEFORE DELETE ON activity_log
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;

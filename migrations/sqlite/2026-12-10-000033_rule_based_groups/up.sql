-- Rule-based customer groups (issue 21): a group with a row here holds the
-- partner's customers that meet every condition given (a NULL column asks
-- nothing), evaluated in the query that reads the group, never by a job that
-- could drift. `in_group_id` names another (hand-kept) group of the partner.
-- Keep in step with the other backend.
CREATE TABLE customer_group_rules (
    group_id TEXT PRIMARY KEY NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
    country TEXT,
    billing_type TEXT,
    state TEXT,
    licence_status TEXT,
    product TEXT,
    health_level INTEGER,
    created_from DATE,
    created_until DATE,
    reference_prefix TEXT,
    in_group_id TEXT
);
CREATE INDEX customer_group_rules_by_in_group ON customer_group_rules (in_group_id);

CREATE TABLE customer_imports_old (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    created_by_login_id TEXT NOT NULL REFERENCES logins(id),
    state TEXT NOT NULL CHECK (state IN ('checking', 'invalid', 'importing', 'done', 'failed')),
    total_rows INTEGER NOT NULL,
    checked_rows INTEGER NOT NULL,
    imported_rows INTEGER NOT NULL,
    problems TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
-- Without the stored upload, nothing waiting or under way can be run any more.
INSERT INTO customer_imports_old (id, partner_id, created_by_login_id, state, total_rows,
    checked_rows, imported_rows, problems, source, created_at, finished_at)
SELECT id, partner_id, created_by_login_id,
    CASE WHEN state IN ('queued', 'checking', 'importing') THEN 'failed' ELSE state END,
    total_rows, checked_rows, imported_rows, problems, source, created_at,
    CASE WHEN state IN ('queued', 'checking', 'importing') THEN COALESCE(finished_at, created_at) ELSE finished_at END
FROM customer_imports;
DROP TABLE customer_imports;
ALTER TABLE customer_imports_old RENAME TO customer_imports;
CREATE INDEX customer_imports_partner ON customer_imports(partner_id, created_at);

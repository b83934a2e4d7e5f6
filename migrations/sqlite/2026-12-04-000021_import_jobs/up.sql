-- Imports become jobs (issue 18): the upload and what the job needs to run are
-- kept in the row, and a worker claims it with a lease (`claim_token`,
-- `locked_until`), renewed while it works. A lease that has run out means the
-- instance working on it stopped; any instance takes the import over and runs it
-- again from the start (the import itself is one transaction, so it never runs
-- twice). SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE customer_imports_new (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    created_by_login_id TEXT NOT NULL REFERENCES logins(id),
    state TEXT NOT NULL CHECK (state IN ('queued', 'checking', 'invalid', 'importing', 'done', 'failed')),
    total_rows INTEGER NOT NULL,
    checked_rows INTEGER NOT NULL,
    imported_rows INTEGER NOT NULL,
    problems TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    upload TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    acting_membership_id TEXT,
    actor_name TEXT NOT NULL DEFAULT '',
    claim_token TEXT,
    locked_until TIMESTAMP,
    attempts INTEGER NOT NULL DEFAULT 0,
    failure TEXT
);
-- Imports under way before this version kept their file in memory only: it is
-- gone, so they cannot be resumed.
INSERT INTO customer_imports_new (id, partner_id, created_by_login_id, state, total_rows,
    checked_rows, imported_rows, problems, source, created_at, finished_at, failure)
SELECT id, partner_id, created_by_login_id,
    CASE WHEN state IN ('checking', 'importing') THEN 'failed' ELSE state END,
    total_rows, checked_rows, imported_rows, problems, source, created_at,
    CASE WHEN state IN ('checking', 'importing') THEN COALESCE(finished_at, created_at) ELSE finished_at END,
    CASE WHEN state IN ('checking', 'importing') THEN 'import-failed-interrupted' END
FROM customer_imports;
DROP TABLE customer_imports;
ALTER TABLE customer_imports_new RENAME TO customer_imports;
CREATE INDEX customer_imports_partner ON customer_imports(partner_id, created_at);
CREATE INDEX customer_imports_claimable ON customer_imports(state, locked_until);

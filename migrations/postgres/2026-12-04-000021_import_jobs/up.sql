-- Imports become jobs (issue 18): the upload and what the job needs to run are
-- kept in the row, and a worker claims it with a lease (`claim_token`,
-- `locked_until`), renewed while it works. A lease that has run out means the
-- instance working on it stopped; any instance takes the import over and runs it
-- again from the start (the import itself is one transaction, so it never runs
-- twice).
ALTER TABLE customer_imports DROP CONSTRAINT customer_imports_state_check;
ALTER TABLE customer_imports
    ADD COLUMN upload TEXT NOT NULL DEFAULT '',
    ADD COLUMN language TEXT NOT NULL DEFAULT 'en',
    ADD COLUMN acting_membership_id TEXT,
    ADD COLUMN actor_name TEXT NOT NULL DEFAULT '',
    ADD COLUMN claim_token TEXT,
    ADD COLUMN locked_until TIMESTAMP,
    ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN failure TEXT;
-- Imports under way before this version kept their file in memory only: it is
-- gone, so they cannot be resumed.
UPDATE customer_imports
SET state = 'failed', finished_at = COALESCE(finished_at, created_at),
    failure = 'import-failed-interrupted'
WHERE state IN ('checking', 'importing');
ALTER TABLE customer_imports ADD CONSTRAINT customer_imports_state_check
    CHECK (state IN ('queued', 'checking', 'invalid', 'importing', 'done', 'failed'));
CREATE INDEX customer_imports_claimable ON customer_imports(state, locked_until);

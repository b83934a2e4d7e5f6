DROP INDEX customer_imports_claimable;
ALTER TABLE customer_imports DROP CONSTRAINT customer_imports_state_check;
-- Without the stored upload, nothing waiting or under way can be run any more.
UPDATE customer_imports
SET state = 'failed', finished_at = COALESCE(finished_at, created_at)
WHERE state IN ('queued', 'checking', 'importing');
ALTER TABLE customer_imports
    DROP COLUMN upload,
    DROP COLUMN language,
    DROP COLUMN acting_membership_id,
    DROP COLUMN actor_name,
    DROP COLUMN claim_token,
    DROP COLUMN locked_until,
    DROP COLUMN attempts,
    DROP COLUMN failure;
ALTER TABLE customer_imports ADD CONSTRAINT customer_imports_state_check
    CHECK (state IN ('checking', 'invalid', 'importing', 'done', 'failed'));

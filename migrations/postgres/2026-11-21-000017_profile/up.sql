-- The profile page's list of active sessions (issue 16). Keep in step with
-- migrations/sqlite, which explains the columns.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMP;
ALTER TABLE sessions ADD COLUMN public_id TEXT;

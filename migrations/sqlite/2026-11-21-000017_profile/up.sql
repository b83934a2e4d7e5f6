-- The profile page's list of active sessions (issue 16). Keep in step with
-- migrations/postgres.
--
-- Copied by the session store from the session's state, where sign-in puts them:
-- the browser's User-Agent (truncated) and the client's address at sign-in, and a
-- random id naming the session on pages (never its key). last_seen_at follows the
-- writes of the idle expiry, so it is at most a minute behind.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMP;
ALTER TABLE sessions ADD COLUMN public_id TEXT;

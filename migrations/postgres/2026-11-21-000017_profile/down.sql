ALTER TABLE sessions DROP COLUMN public_id;
ALTER TABLE sessions DROP COLUMN last_seen_at;
ALTER TABLE sessions DROP COLUMN client_address;
ALTER TABLE sessions DROP COLUMN user_agent;

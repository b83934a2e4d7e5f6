-- Whether the organisation's owners let admin agents create API tokens (issue
-- 20): off until an owner turns it on. Keep in step with the other backend.
ALTER TABLE partner_organisations
    ADD COLUMN admin_agents_manage_api_tokens BOOLEAN NOT NULL DEFAULT FALSE;

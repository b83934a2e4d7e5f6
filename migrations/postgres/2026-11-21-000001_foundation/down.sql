DROP TABLE email_outbox;
DROP TABLE login_tokens;
DROP TABLE memberships;
DROP TABLE logins;
DROP TABLE partner_organisations;

-- The rows of tests/integration/upgrade.rs in the schema of the last release
-- (migrations/RELEASED): plain SQL that SQLite and PostgreSQL both run. The test
-- clock stands at 2026-03-11 10:00; {password_hash} is the fixture password's.
INSERT INTO partner_organisations (id, parent_id, name, created_at) VALUES
    ('p-contoso', NULL, 'Contoso', '2026-01-05 08:00:00'),
    ('p-northwind', NULL, 'Northwind', '2026-01-06 08:00:00');

INSERT INTO logins (id, username, username_key, email, full_name, password_hash, state, language, time_zone, identity_provider, created_at, updated_at) VALUES
    ('l-olga', 'olga@contoso.example', 'olga@contoso.example', 'olga@contoso.example', 'Olga Owner', '{password_hash}', 'active', 'en', 'Europe/Paris', 'local', '2026-01-05 08:00:00', '2026-01-05 08:00:00'),
    ('l-sam', 'sam@contoso.example', 'sam@contoso.example', 'sam@contoso.example', 'Sam Sales', '{password_hash}', 'active', 'en', 'Europe/Paris', 'local', '2026-01-06 08:00:00', '2026-01-06 08:00:00'),
    ('l-ada', 'admin@adatum.example', 'admin@adatum.example', 'admin@adatum.example', 'Ada Admin', '{password_hash}', 'active', 'en', 'Europe/Paris', 'local', '2026-01-10 09:15:00', '2026-01-10 09:15:00');

-- Every state and billing type; Litware's trial ends within a fortnight and
-- Tailspin's has ended; Northgate is another partner's, Gonewest dissociated.
INSERT INTO customer_accounts (id, partner_id, name, name_key, primary_domain, search_text, country, data_region, time_zone, reference_number, subscription_term, term_started_on, address_line1, address_line2, postal_code, city, region, contact_name, contact_email, contact_phone, state, billing_type, trial_ends_on, health_level, managed_order, partner_assistance, created_at, updated_at) VALUES
    ('c-adatum', 'p-contoso', 'Adatum', 'adatum', 'adatum.example', 'adatum adatum.example', 'FR', 'eu-central', 'Europe/Paris', 'R-1', 'monthly', '2026-01-10', '1 rue de la Paix', '', '75002', 'Paris', '', 'Contact', 'contact@adatum.example', '+33 1 00 00 00 00', 'active', 'monthly_usage', NULL, 0, FALSE, TRUE, '2026-01-10 09:15:00', '2026-01-10 09:15:00'),
    ('c-fabrikam', 'p-contoso', 'Fabrikam', 'fabrikam', 'fabrikam.example', 'fabrikam fabrikam.example', 'FR', 'eu-central', 'Europe/Paris', 'R-1', 'monthly', '2026-02-01', '1 rue de la Paix', '', '75002', 'Paris', '', 'Contact', 'contact@fabrikam.example', '+33 1 00 00 00 00', 'suspended', 'term_subscription', NULL, 2, FALSE, TRUE, '2026-02-01 14:30:00', '2026-02-01 14:30:00'),
    ('c-litware', 'p-contoso', 'Litware', 'litware', 'litware.example', 'litware litware.example', 'FR', 'eu-central', 'Europe/Paris', 'R-1', 'monthly', '2026-03-01', '1 rue de la Paix', '', '75002', 'Paris', '', 'Contact', 'contact@litware.example', '+33 1 00 00 00 00', 'active', 'trial', '2026-03-20', 1, FALSE, TRUE, '2026-03-01 10:05:00', '2026-03-01 10:05:00'),
    ('c-tailspin', 'p-contoso', 'Tailspin', 'tailspin', 'tailspin.example', 'tailspin tailspin.example', 'FR', 'eu-central', 'Europe/Paris', 'R-1', 'monthly', '2026-02-01', '1 rue de la Paix', '', '75002', 'Paris', '', 'Contact', 'contact@tailspin.example', '+33 1 00 00 00 00', 'active', 'trial', '2026-03-01', 0, FALSE, TRUE, '2026-02-01 11:00:00', '2026-02-01 11:00:00'),
    ('c-wingtip', 'p-contoso', 'Wingtip', 'wingtip', 'wingtip.example', 'wingtip wingtip.example', 'FR', 'eu-central', 'Europe/Paris', 'R-1', 'monthly', '2026-03-11', '1 rue de la Paix', '', '75002', 'Paris', '', 'Contact', 'contact@wingtip.example', '+33 1 00 00 00 00', 'creating', 'monthly_usage', NULL, 0, FALSE, TRUE, '2026-03-11 09:40:00', '2026-03-11 09:40:00'),
    ('c-north', 'p-northwind', 'Northgate', 'northgate', 'northgate.example', 'northgate northgate.example', 'FR', 'eu-central', 'Europe/Paris', 'R-1', 'monthly', '2026-01-20', '1 rue de la Paix', '', '75002', 'Paris', '', 'Contact', 'contact@northgate.example', '+33 1 00 00 00 00', 'active', 'monthly_usage', NULL, 0, FALSE, TRUE, '2026-01-20 12:00:00', '2026-01-20 12:00:00'),
    ('c-gone', NULL, 'Gonewest', 'gonewest', 'gonewest.example', 'gonewest gonewest.example', 'FR', 'eu-central', 'Europe/Paris', 'R-1', 'monthly', '2026-01-02', '1 rue de la Paix', '', '75002', 'Paris', '', 'Contact', 'contact@gonewest.example', '+33 1 00 00 00 00', 'active', 'monthly_usage', NULL, 0, FALSE, TRUE, '2026-01-02 12:00:00', '2026-01-02 12:00:00');

INSERT INTO memberships (id, login_id, scope, partner_id, customer_id, role, state, created_at) VALUES
    ('m-olga', 'l-olga', 'partner', 'p-contoso', NULL, 'owner', 'active', '2026-01-05 08:00:00'),
    ('m-sam', 'l-sam', 'partner', 'p-contoso', NULL, 'sales_agent', 'active', '2026-01-06 08:00:00'),
    ('m-ada', 'l-ada', 'customer', NULL, 'c-adatum', 'administrator', 'active', '2026-01-10 09:15:00');

INSERT INTO licences (id, customer_id, product, quantity, status, supplied_by_partner_id, expires_on, created_at, seats_used) VALUES
    ('li-1', 'c-adatum', 'Endpoint Protection', 10, 'active', 'p-contoso', '2026-03-30', '2026-01-10 09:15:00', 12),
    ('li-2', 'c-adatum', 'Backup', 5, 'active', NULL, NULL, '2026-01-10 09:15:00', 3),
    ('li-3', 'c-fabrikam', 'Office', 20, 'expired', 'p-contoso', '2026-02-28', '2026-02-01 14:30:00', NULL),
    ('li-4', 'c-litware', 'Office', 5, 'trial', NULL, '2026-03-20', '2026-03-01 10:05:00', NULL),
    ('li-5', 'c-north', 'Office', 5, 'active', 'p-northwind', '2026-03-25', '2026-01-20 12:00:00', 9),
    ('li-6', 'c-gone', 'Backup', 5, 'active', NULL, NULL, '2026-01-02 12:00:00', 8);

-- Two names of one account differing only in case: the release allowed them.
INSERT INTO sites (id, customer_id, name, time_zone, created_at) VALUES
    ('s-1', 'c-adatum', 'Head office', 'Europe/Paris', '2026-01-10 09:15:00'),
    ('s-2', 'c-adatum', 'head office', 'Europe/Paris', '2026-01-11 09:15:00'),
    ('s-3', 'c-fabrikam', 'Lyon', 'Europe/Paris', '2026-02-01 14:30:00');

INSERT INTO customer_groups (id, partner_id, name, name_key, created_at) VALUES
    ('g-1', 'p-contoso', 'Key accounts', 'key accounts', '2026-02-02 09:00:00');
INSERT INTO customer_group_members (group_id, customer_id, added_at) VALUES
    ('g-1', 'c-adatum', '2026-02-02 09:00:00'),
    ('g-1', 'c-fabrikam', '2026-02-02 09:00:00');

-- Shop failed its last check ten minutes ago: down.
INSERT INTO monitors (id, customer_id, name, name_key, kind, target, site_id, last_checked_at, last_success, created_at, updated_at) VALUES
    ('mo-1', 'c-adatum', 'Shop', 'shop', 'web', 'https://shop.adatum.example', NULL, '2026-03-11 09:50:00', FALSE, '2026-01-12 08:00:00', '2026-03-11 09:50:00'),
    ('mo-2', 'c-adatum', 'Mail', 'mail', 'web', 'https://mail.adatum.example', 's-1', '2026-03-11 09:55:00', TRUE, '2026-01-12 08:00:00', '2026-03-11 09:55:00'),
    ('mo-3', 'c-fabrikam', 'VPN', 'vpn', 'device', 'vpn.fabrikam.example', 's-3', NULL, NULL, '2026-02-01 14:30:00', '2026-02-01 14:30:00');

INSERT INTO activity_log (id, occurred_at, actor_login_id, actor_name, acting_membership_id, partner_id, action, target, details, customer_id, on_behalf_of) VALUES
    ('a-1', '2026-01-10 09:15:00', 'l-olga', 'Olga Owner', 'm-olga', 'p-contoso', 'customer_created', 'Adatum', 'admin@adatum.example', 'c-adatum', NULL),
    ('a-2', '2026-02-01 14:30:00', 'l-sam', 'Sam Sales', 'm-sam', 'p-contoso', 'customer_created', 'Fabrikam', 'it@fabrikam.example', 'c-fabrikam', NULL);

-- An import the release was checking when it stopped, and a finished one.
INSERT INTO customer_imports (id, partner_id, created_by_login_id, state, total_rows, checked_rows, imported_rows, problems, source, created_at, finished_at) VALUES
    ('i-1', 'p-contoso', 'l-olga', 'checking', 40, 12, 0, '', 'customers.csv', '2026-03-11 09:30:00', NULL),
    ('i-2', 'p-contoso', 'l-olga', 'done', 2, 2, 2, '', 'first.csv', '2026-02-01 10:00:00', '2026-02-01 10:01:00');

-- An email the release failed to send once and will try again.
INSERT INTO email_outbox (id, recipient, subject, text_body, html_body, state, attempts, next_attempt_at, locked_until, last_error, created_at, sent_at) VALUES
    ('e-1', 'sam@contoso.example', 'Queued before the upgrade', 'Sent by the new version.', '<p>Sent by the new version.</p>', 'pending', 1, '2026-03-11 09:00:00', NULL, 'connection refused', '2026-03-11 08:59:00', NULL);

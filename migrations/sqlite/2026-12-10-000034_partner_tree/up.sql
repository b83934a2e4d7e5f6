-- The partner tree (distributors over resellers). Keep in step with migrations/postgres.
--
-- The tree itself is partner_organisations.parent_id (since migration 1, with
-- its index); a subtree is read with a recursive query (src/network/tree.rs).
-- This table keeps who each organisation answered to and when: one row per
-- period under one parent (NULL: directly under the instance's operator),
-- closed (valid_to) when the organisation moves. The open row of an
-- organisation is the one whose valid_to is NULL. moved_by_* name who put it
-- there: NULL and '' for a creation or a row written by this migration.
CREATE TABLE partner_parent_history (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner_organisations(id),
    parent_id TEXT REFERENCES partner_organisations(id),
    valid_from TIMESTAMP NOT NULL,
    valid_to TIMESTAMP,
    moved_by_login_id TEXT REFERENCES logins(id),
    moved_by_name TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX partner_parent_history_by_partner
    ON partner_parent_history(partner_id, valid_from);

-- Every organisation that exists has been under its present parent since its
-- creation, as far as anyone can tell now.
INSERT INTO partner_parent_history
    (id, partner_id, parent_id, valid_from, valid_to, moved_by_login_id, moved_by_name, reason)
SELECT 'initial-' || id, id, parent_id, created_at, NULL, NULL, '', ''
FROM partner_organisations;

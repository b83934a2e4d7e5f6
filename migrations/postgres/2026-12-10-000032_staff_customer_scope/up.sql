-- Staff limited to some of the partner's customer groups (issue 21): an owner
-- limits an admin, sales or helpdesk agent to one or more groups, and the
-- person then reaches only those groups' customers. The flag, not the rows,
-- says whether the membership is limited, so a limited person whose last group
-- is deleted reaches nobody rather than everyone. Keep in step with the other
-- backend.
ALTER TABLE memberships ADD COLUMN customers_scoped BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE membership_groups (
    membership_id TEXT NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (membership_id, group_id)
);
CREATE INDEX membership_groups_by_group ON membership_groups (group_id);

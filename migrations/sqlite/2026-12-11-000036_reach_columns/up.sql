-- The columns of the partner home's figures, on the account's id (issue 21):
-- the home of a member limited to some customer groups reads the customers
-- it reaches once (src/partner/home_reach.rs), one look-up of this index per
-- customer of the groups (members by id) without reading the account's row.
-- Keep in step with the other backend.
CREATE INDEX customer_accounts_reach_columns ON customer_accounts(id, partner_id,
    state, billing_type, health_level, licence_flags, trial_ends_on, created_at);

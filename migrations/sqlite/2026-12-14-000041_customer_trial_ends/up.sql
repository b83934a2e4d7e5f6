-- The partner home's trials ending soon and trials ended (issue 23). Keep in
-- step with migrations/postgres.
--
-- A partner's trial customers by the day their trial ends, kept by the
-- triggers of src/db/replaceable/ in the transaction of every change of a
-- customer's partner, billing type or trial end, and checked by
-- `partnerdesk check`. The home's two trial figures are then sums over a few
-- rows (the next two weeks' days, the days before today) instead of counts of
-- every trial customer in them (8,150 and 5,365 entries of an index at 100,000
-- customers).

CREATE TABLE customer_trial_ends (
    partner_id TEXT NOT NULL,
    day DATE NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (partner_id, day)
) WITHOUT ROWID;

INSERT INTO customer_trial_ends (partner_id, day, customers)
    SELECT partner_id, trial_ends_on, COUNT(*) FROM customer_accounts
    WHERE partner_id IS NOT NULL AND billing_type = 'trial' AND trial_ends_on IS NOT NULL
    GROUP BY partner_id, trial_ends_on;

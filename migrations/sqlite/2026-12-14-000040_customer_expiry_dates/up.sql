-- The partner home's "customers with a licence expiring soon" without counting
-- distinct customers (issue 23). Keep in step with migrations/postgres.
--
-- One row for each customer with a partner and each date on which an active
-- licence of theirs expires, with the customer's previous such date. A customer
-- has a licence expiring from `a` to `b` exactly when one of their dates lies
-- there with no previous date from `a` on: the first of them. Counting those
-- rows is one range of this table's key, where counting the licences' distinct
-- customers built a temporary B-tree of them on every page (about half of the
-- page's database time at 100,000 customers). The rows are kept by the
-- triggers of src/db/replaceable/ and checked by `partnerdesk check`.

CREATE TABLE customer_expiry_dates (
    partner_id TEXT NOT NULL,
    expires_on DATE NOT NULL,
    customer_id TEXT NOT NULL,
    previous_expiry DATE,
    PRIMARY KEY (partner_id, expires_on, customer_id)
) WITHOUT ROWID;

CREATE INDEX customer_expiry_dates_by_customer ON customer_expiry_dates (customer_id);

INSERT INTO customer_expiry_dates (partner_id, expires_on, customer_id, previous_expiry)
    SELECT c.partner_id, d.expires_on, d.customer_id,
           LAG(d.expires_on) OVER (PARTITION BY d.customer_id ORDER BY d.expires_on)
    FROM (SELECT DISTINCT customer_id, expires_on FROM licences
          WHERE status = 'active' AND expires_on IS NOT NULL) AS d
    JOIN customer_accounts c ON c.id = d.customer_id
    WHERE c.partner_id IS NOT NULL;

-- Partner assistance (B2): whether the customer lets its partner open its account.
-- On from the start for trials created by the partner, monthly-usage accounts and
-- managed orders; every account so far was created by its partner.
ALTER TABLE customer_accounts ADD COLUMN partner_assistance BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE customer_accounts
SET partner_assistance = (billing_type IN ('trial', 'monthly_usage') OR managed_order);

# The confirmation step before a costly or irreversible action (src/web/confirm.rs).
confirm-back = Back
confirm-nothing-yet = Nothing has been done yet: check, then confirm.

# What the review lists.
confirm-customer = Customer
confirm-offer = Offer
confirm-unit-price = Unit price
confirm-quantity = Quantity
confirm-period = Period
confirm-period-dates = from { $from } to { $until }
confirm-period-open = month by month from { $from }, with no end date
confirm-subscription = For the subscription
confirm-total = Total
confirm-billed-to = Billed to
confirm-per-month = { $amount } per month
confirm-reservation = Reservation
confirm-planned-end = Planned end
confirm-replaces = Replaces
confirm-person = Person
confirm-role = Role
confirm-group = Group
confirm-group-customers = Customers in the group
confirm-sub-account = Sub-account
confirm-permission = Permission

# Orders and reservations.
confirm-order-heading = Confirm the order
confirm-order-summary = You are ordering { $line } for { $customer }. The total of { $total } will be billed to { $partner }.
confirm-purchase-heading = Confirm the purchase
confirm-purchase-summary = You are buying { $line }. The total of { $total } will be billed to { $partner }.
confirm-renew-heading = Renew the reservation
confirm-renew-summary = The reservation { $line } of { $customer } will be extended until { $until }. The total of { $total } will be billed to { $partner }.
confirm-exchange-heading = Exchange the reservation
confirm-exchange-summary = The reservation { $old } of { $customer } will end today and be replaced by { $line } until { $until }. The total of { $total } will be billed to { $partner }.
confirm-cancel-heading = Cancel the reservation
confirm-cancel-summary = The reservation { $line } of { $customer } will end today. A cancelled reservation cannot be restored.

# Billing and permissions.
confirm-convert-heading = Convert the trial
confirm-convert-summary = The trial of { $customer } will end today, and its usage will be billed each month from then on. A converted customer cannot go back to a trial.
confirm-billing-now = Billing now
confirm-billing-after = Billing once converted
confirm-term-heading = Change the subscription term
confirm-term-now = The subscription term of { $customer } will change from { $from } to { $to } at once, as no device is enrolled.
confirm-term-later = The subscription term of { $customer } will change from { $from } to { $to } on { $date }, at the end of the current period, as devices are enrolled. Until then it stays { $from }.
confirm-term-call-off = The change to { $planned } planned for { $date } will be called off: the subscription term of { $customer } stays { $from }.
confirm-term-current = Current term
confirm-term-new = New term
confirm-term-effect = Takes effect
confirm-term-at-once = At once
confirm-term-on = On { $date }
confirm-permission-heading = Allow the customer to buy reservations
confirm-permission-summary = The users of { $customer } who hold the Owner role on a usage-based subscription will be able to buy reservations themselves, billed to { $partner }, without you being notified. You can turn this off at any time.

# People.
confirm-revoke-heading = Revoke the invitation
confirm-revoke-summary = The invitation sent to { $name } will be withdrawn and its link will stop working. To give them access later, send a new invitation.
confirm-disable-heading = Disable access
confirm-disable-summary = The access of { $name } will end at once: their sessions here stop and they can no longer act here. To give access back, you would have to invite them again.
confirm-operator-remove-heading = Remove the operator
confirm-operator-remove-summary = { $name } will lose access to the sub-account { $sub_account } at once: their sessions end and they stop receiving its alerts. To give access back, you would have to invite them again.
confirm-operator-revoke-summary = The invitation sent to { $name } for the sub-account { $sub_account } will be withdrawn and its link will stop working.

# Removals.
confirm-group-delete-heading = Delete the group
confirm-group-delete-summary = The group { $name } will be deleted. Its customers stay as they are; only the grouping goes.
confirm-monitor-delete-heading = Delete the monitor
confirm-monitor-delete-summary = The monitor { $name } will be deleted with all its results and error reports, and will disappear from the dashboards, sub-accounts and alerts that show it. This cannot be undone.
confirm-dashboard-delete-heading = Delete the dashboard
confirm-dashboard-delete-summary = The dashboard { $name } will be deleted, and the sub-accounts it was granted to will lose it. Its monitors and their results stay.
confirm-alert-delete-heading = Delete the alert definition
confirm-alert-delete-summary = The alert definition { $name } will be deleted: its recipients will no longer be alerted by it. The monitors it follows stay.
confirm-token-revoke-heading = Revoke the API token
confirm-token-revoke-summary = The API token { $name } will stop working at once: every program using it will be refused. A revoked token cannot be used again.
confirm-webhook-delete-heading = Delete the webhook endpoint
confirm-webhook-delete-summary = The endpoint { $name } will be deleted with its delivery log: it will receive no more events.

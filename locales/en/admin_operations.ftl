# The instance operator's area (/admin): the catalogue, service health, background jobs

nav-admin-catalogue = Catalogue
nav-admin-health = Service health
nav-admin-jobs = Background jobs

admin-catalogue-title = Catalogue
admin-catalogue-lead = { $active ->
    [0] No offer is open to orders: partners cannot order anything.
    [one] { $active } offer is open to orders. Retired offers stay listed below: what was ordered from them keeps its terms.
   *[other] { $active } offers are open to orders. Retired offers stay listed below: what was ordered from them keeps its terms.
}
admin-catalogue-empty = The catalogue is empty.
admin-offer-name = Offer
admin-offer-kind = Kind
admin-offer-price = Unit price
admin-offer-price-hint = Per unit and month for subscriptions, per unit for the whole term for reservations, e.g. 12.50.
admin-offer-currency = Currency
admin-offer-currency-hint = A three-letter code such as EUR.
admin-offer-term = Term
admin-offer-term-hint = None for a usage-based subscription; 1, 12 or 36 months for a term subscription; 12 or 36 for a reservation.
admin-offer-no-term = None
admin-offer-term-months = { $months ->
    [one] { $months } month
   *[other] { $months } months
}
admin-offer-state = State
admin-offer-active = Open to orders
admin-offer-retired = Retired
admin-offer-add = Add an offer
admin-offer-add-lead = Partners can order it for their customers as soon as it is added.
admin-offer-add-submit = Add the offer
admin-offer-retire = Retire
admin-offer-retire-named = Retire { $name }
offer-kind-invalid = Choose one of the kinds listed.
offer-price-invalid = Enter an amount such as 12.50 (at most two decimals).
offer-currency-invalid = Enter a three-letter currency code such as EUR.
offer-term-usage = A usage-based subscription has no term.
offer-term-subscription = A term subscription lasts 1, 12 or 36 months.
offer-term-reservation = A reservation lasts 12 or 36 months.
admin-confirm-retire-heading = Retire this offer?
admin-confirm-retire-summary = { $orders ->
    [0] Partners will no longer be able to order { $name }. Nothing was ordered from it yet.
    [one] Partners will no longer be able to order { $name }. The { $orders } order placed from it stays as it is, and so does what it became.
   *[other] Partners will no longer be able to order { $name }. The { $orders } orders placed from it stay as they are, and so does what they became.
}
flash-admin-offer-added = The offer is in the catalogue.
flash-admin-offer-retired = The offer is retired; what was ordered from it stays.

instance-action-offer-added = Added an offer to the catalogue
instance-action-offer-retired = Retired an offer
instance-action-service-added = Added a service to a customer
instance-action-incident-opened = Opened an incident
instance-action-incident-updated = Updated an incident
instance-action-incident-resolved = Resolved an incident

admin-health-title = Service health
admin-health-lead = Every customer's services across the instance, with their state as the customer and its partner see it. Open a customer to add a service or record an incident.
admin-health-search = Customer or partner name contains
admin-health-customers-found = Customers
admin-health-no-customer = No customer matches.
admin-health-no-services = No service matches.
admin-health-customer = Customer
admin-health-partner = Partner
admin-health-no-partner = No partner
admin-health-customer-of = Customer of { $partner }
admin-health-back = All services
admin-health-back-to = Back to { $customer }
admin-health-add-service = Add a service
admin-health-name-taken = The customer already has a service with this name.
admin-health-open-count = { $count ->
    [0] No incident is open.
    [one] { $count } incident is open.
   *[other] { $count } incidents are open.
}
admin-health-open-incident = Open an incident
admin-health-incident-title = Title
admin-health-first-entry = First entry of the timeline
admin-health-text-hint = Shown to the customer and to its partner as you write it.
admin-health-service-unknown = Choose one of the customer's services.
admin-health-post-update = Post an update
admin-health-update-text = Update
admin-health-new-state = State
admin-health-state-unchanged = Unchanged
admin-health-resolve = Resolve the incident with this update
flash-admin-service-added = The service is added; the customer and its partner see it.
flash-admin-incident-opened = The incident is open; the customer and its partner see it.
flash-admin-incident-updated = The update is posted.
flash-admin-incident-already-resolved = The incident was already resolved.

admin-jobs-title = Background jobs
admin-jobs-lead = What the instances' workers do in the background. An import is named by its partner and its id only; the server's log names the same id.
admin-jobs-imports = Customer imports
admin-jobs-under-way = Under way
admin-jobs-none-under-way = No import is waiting or under way.
admin-jobs-failed = Failed
admin-jobs-none-failed = No import has failed.
admin-jobs-partner = Partner · job
admin-jobs-worker = Worker
admin-jobs-started = Started
admin-jobs-ended = Ended
admin-jobs-waiting = Waiting for a worker
admin-jobs-leased = Held by a worker until { $until }
admin-jobs-lease-ran-out = Its instance stopped: another takes it over from the start
admin-jobs-progress = { $total ->
    [one] { $checked } of { $total } row checked
   *[other] { $checked } of { $total } rows checked
}
admin-jobs-failed-interrupted = Interrupted too many times: the instances working on it stopped before it finished. Nothing was imported.
admin-jobs-failed-error = Stopped on an unexpected error, written to the server's log with the job's id. Nothing was imported.
admin-jobs-failed-unknown = Stopped before it finished. Nothing was imported.
admin-jobs-queues = Queues
admin-jobs-queue = Queue
admin-jobs-waiting-count = Waiting
admin-jobs-working-count = Being sent
admin-jobs-given-up-count = Given up
admin-jobs-webhooks = Webhook deliveries
admin-jobs-oldest = Oldest waiting since { $since }
admin-jobs-none-waiting = Nothing is waiting.

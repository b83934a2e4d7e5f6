# The partner home page (issue 8): monitors down and customers by state over time.
customers-monitors-down = Customers with a monitor down now.
home-monitors-down = { $count ->
    [one] customer with a monitor down
   *[other] customers with a monitor down
} · { $monitors ->
    [one] { $monitors } monitor down
   *[other] { $monitors } monitors down
}
home-by-state = Customers by state over time
home-by-state-desc = The partner's customers in each state at the end of each of the last twelve months; the last bar is today. Now: { $now ->
    [one] { $now } customer.
   *[other] { $now } customers.
}
home-by-state-legend = Each bar is split by state, each state with its own pattern:
home-by-state-now = today
home-by-state-table = The same figures as a table
home-by-state-month = Month
home-by-state-total = Total
# Licences over quantity (issue 8): the home figure, the list's filter, the licences card.
home-licences-over = { $count ->
    [one] customer with a licence using more seats than it has
   *[other] customers with a licence using more seats than it has
}
customers-seats-over = An active licence using more seats than it has.
customers-seats-over-option = Licence over quantity
licence-seats-used = In use
licence-seats-not-reported = not reported
licence-over-by = over by { $excess }
# The console home's sites (issue 8).
rollup-sites = { $count ->
    [one] { $count } site
   *[other] { $count } sites
}
rollup-devices = { $count ->
    [one] { $count } device
   *[other] { $count } devices
}
rollup-sites-unassigned = { $count ->
    [one] { $count } site without an administrator
   *[other] { $count } sites without an administrator
}
sites-unassigned-filter = Only the sites without an administrator.
# The partner home's figures: a count and its noun, agreeing.
customer-state-count-creating = { $count ->
    [one] customer being created
   *[other] customers being created
}
customer-state-count-active = { $count ->
    [one] active customer
   *[other] active customers
}
customer-state-count-suspended = { $count ->
    [one] suspended customer
   *[other] suspended customers
}
billing-count-trial = { $count ->
    [one] customer on a trial
   *[other] customers on a trial
}
billing-count-monthly-usage = { $count ->
    [one] customer billed for monthly usage
   *[other] customers billed for monthly usage
}
billing-count-term-subscription = { $count ->
    [one] customer on a term subscription
   *[other] customers on a term subscription
}
health-count-healthy = { $count ->
    [one] healthy customer
   *[other] healthy customers
}
health-count-advisory = { $count ->
    [one] customer with an advisory
   *[other] customers with an advisory
}
health-count-incident = { $count ->
    [one] customer with an incident
   *[other] customers with an incident
}

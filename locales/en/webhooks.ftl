## Webhooks: the email to a partner's owners when an endpoint is disabled.

email-webhook-disabled-subject = A Partnerdesk webhook endpoint was disabled
email-webhook-disabled-intro = Partnerdesk stopped sending events to your webhook endpoint { $url }.
email-webhook-disabled-days = { $days ->
    [one] It had not accepted a delivery for a day.
   *[other] It had not accepted a delivery for { $days } days.
}
email-webhook-disabled-last-error = The last error was:
email-webhook-disabled-enable = Once the endpoint works again, enable it on its page (the events it missed are in its delivery log and can be redelivered):

## Webhook URLs refused.

webhook-url-malformed = Enter a full URL, such as https://example.com/partnerdesk-events.
webhook-url-not-https = Only https URLs are accepted.
webhook-url-credentials = The URL must not contain a user name or a password.
webhook-url-unresolved = This host name does not resolve.
webhook-url-not-public = This address is not on the public internet.

## The activity log.

action-webhook-created = Added a webhook endpoint
action-webhook-secret-rotated = Rotated a webhook endpoint's secret
action-webhook-enabled = Enabled a webhook endpoint
action-webhook-disabled = Disabled a webhook endpoint
action-webhook-disabled-for-failures = Webhook endpoint disabled after failing for days
action-webhook-deleted = Deleted a webhook endpoint
action-webhook-redelivered = Redelivered a webhook event

## The pages.

nav-partner-webhooks = Webhooks
cap-manage-webhooks = Register and manage the organisation's webhook endpoints
webhooks-title = Webhooks
webhooks-intro = Partnerdesk sends your systems an HTTPS request when something happens to your customers. Each request is signed with the endpoint's secret: check the Partnerdesk-Signature header before trusting it (see the API documentation). A delivery that fails is retried for three days; an endpoint that accepts nothing for three days is disabled and the owners are emailed.
webhooks-new = Add an endpoint
webhooks-url = URL
webhooks-url-hint = An https address on the internet that answers 2xx within 10 seconds.
webhooks-description = Description (optional)
webhooks-description-hint = What receives the events, for example "PSA synchronisation".
webhooks-events = Events
webhooks-add = Add the endpoint
webhooks-none = No endpoint yet.
webhooks-created = The endpoint { $url } was added. Its signing secret:
webhooks-rotated = The new signing secret (the previous one also signs for 24 hours):
webhooks-secret-shown-once = Copy it now: it will not be shown again.
webhooks-state = State
webhooks-state-active = Active
webhooks-state-failing = Failing
webhooks-state-disabled = Disabled
webhooks-last-delivery = Last delivery
webhooks-failing-since = Failing since
webhooks-never = Never
webhooks-open = Details
webhooks-deliveries = Deliveries
webhooks-no-deliveries = No delivery yet.
webhooks-event = Event
webhooks-time = Time
webhooks-attempts = Attempts
webhooks-last-status = Last status
webhooks-response-time = Response time
webhooks-last-error = Last error
webhooks-next-attempt = Next attempt
webhooks-disabled-reason = Why it was disabled
webhooks-actions = Actions
webhooks-rotate = Rotate the secret
webhooks-disable = Disable
webhooks-enable = Enable
webhooks-delete = Delete
webhooks-redeliver = Redeliver
webhooks-newer = Newer deliveries
webhooks-older = Older deliveries
webhooks-back = All endpoints
webhooks-delivery-pending = Waiting
webhooks-delivery-sending = Sending
webhooks-delivery-delivered = Delivered
webhooks-delivery-failed = Failed
webhooks-delivery-cancelled = Cancelled
webhook-url-too-long = The URL is too long.
webhook-description-too-long = At most 200 characters.
webhook-events-required = Choose at least one event.
flash-webhook-enabled = The endpoint was enabled.
flash-webhook-disabled = The endpoint was disabled.
flash-webhook-deleted = The endpoint was deleted.
flash-webhook-redelivered = The event will be sent again in a moment.
webhook-event-customer-created = Customer created
webhook-event-customer-activated = Customer activated
webhook-event-customer-renamed = Customer renamed
webhook-event-customer-dissociated = Customer dissociated
webhook-event-assistance-enabled = Assistance turned on
webhook-event-assistance-disabled = Assistance turned off
webhook-event-customer-opened = Customer opened
webhook-event-order-placed = Order placed
webhook-event-request-opened = Service request opened
webhook-event-request-answered = Service request answered
webhook-event-monitor-down = Monitor down
webhook-event-monitor-recovered = Monitor recovered
webhooks-disabled-for-failures = { $days ->
    [one] Partnerdesk disabled it: no delivery accepted for { $days } day. Last error: { $error }
   *[other] Partnerdesk disabled it: no delivery accepted for { $days } days. Last error: { $error }
}
webhooks-disabled-by = Disabled by { $name }.

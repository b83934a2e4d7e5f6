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

# The instance operator's area (/admin) and a suspended organisation's page

nav-admin-partners = Partners
nav-admin-outbox = Email outbox
nav-admin-activity = Instance activity
picker-admin-area = Open the operator's area

admin-partners-title = Partner organisations
admin-partners-search = Name contains
admin-partners-search-button = Search
admin-partners-empty = No partner organisation matches.
admin-partner-name = Organisation
admin-partner-state = State
admin-partner-owners = Owners
admin-partner-customers = Customers
admin-partner-created = Created
admin-partner-actions = Actions
admin-partner-parent = Belongs to { $parent }
admin-partner-active = Active
admin-partner-suspended = Suspended
admin-partner-customer-count = { $count ->
    [one] { $count } customer
   *[other] { $count } customers
}
admin-partner-suspend = Suspend
admin-partner-reinstate = Reinstate

admin-partner-create = Create a partner organisation
admin-partner-create-lead = The first owner receives an invitation by email; the organisation is theirs to run once they accept it.
admin-partner-first-owner = First owner
admin-partner-owner-email-hint = Leave empty when the username is the owner's email address.
admin-partner-second-factor = Require a second factor of its staff (the owner can change this later)
admin-partner-create-submit = Create and invite the owner
flash-admin-partner-created = The organisation is created and its owner's invitation is on its way.

admin-suspend-heading = Suspend { $name }
admin-suspend-lead = Its staff will see only a page saying that the organisation is suspended, with the reason below, and its API tokens will be refused. Its customers' consoles keep working: the customers did nothing wrong.
admin-suspend-reason-hint = { $max ->
    [one] Shown to the organisation's staff. At most { $max } character.
   *[other] Shown to the organisation's staff. At most { $max } characters.
}
admin-confirm-suspend-heading = Suspend this organisation?
admin-confirm-suspend-summary = { $name } will be suspended: its staff lose access to the partner area and its API tokens stop working until it is reinstated.
admin-confirm-reinstate-heading = Reinstate this organisation?
admin-confirm-reinstate-summary = { $name } will be reinstated: its staff and API tokens work again.
flash-admin-partner-suspended = The organisation is suspended.
flash-admin-partner-already-suspended = The organisation was already suspended.
flash-admin-partner-reinstated = The organisation is reinstated.
flash-admin-partner-not-suspended = The organisation was not suspended.

suspended-title = Organisation suspended
suspended-lead = The operator of this Partnerdesk has suspended { $organisation }. Its partner area is closed until the organisation is reinstated.
suspended-reason = Reason
suspended-next = Please contact the operator of this Partnerdesk. Your customers' consoles keep working.

admin-outbox-title = Email outbox
admin-outbox-state-pending = Waiting
admin-outbox-state-sending = Being sent
admin-outbox-state-sent = Sent
admin-outbox-state-dead = Given up
admin-outbox-state-failed = Refused
admin-outbox-failed = Emails not delivered
admin-outbox-failed-lead = Refused by the mail server, or given up after retrying. Their content is not shown: it may hold activation links.
admin-outbox-none-failed = Every email was delivered or is still being tried.
admin-outbox-retry-all-count = { $count ->
    [one] Retry the { $count } email not delivered
   *[other] Retry the { $count } emails not delivered
}
admin-outbox-retry-all = Retry them all
admin-outbox-recipient = Recipient
admin-outbox-subject = Subject
admin-outbox-reason = Reason
admin-outbox-queued = Queued
admin-outbox-attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
admin-outbox-retry = Retry
admin-confirm-retry-heading = Retry every email not delivered?
admin-confirm-retry-summary = { $count ->
    [one] { $count } email will be tried once more now.
   *[other] { $count } emails will be tried once more now.
}
flash-admin-email-retried = The email will be tried again in a moment.
flash-admin-emails-retried = The emails will be tried again in a moment.

admin-activity-title = Instance activity
admin-actor-command-line = Command line
instance-action-operator-granted = Made an instance operator
instance-action-operator-revoked = Removed an instance operator
instance-action-partner-created = Created a partner organisation
instance-action-partner-suspended = Suspended a partner organisation
instance-action-partner-reinstated = Reinstated a partner organisation
instance-action-email-retried = Retried an email
instance-action-failed-emails-retried = Retried the emails not delivered

action-partner-suspended = The instance operator suspended the organisation
action-partner-reinstated = The instance operator reinstated the organisation

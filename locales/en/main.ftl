# Layout
nav-label = Main navigation
nav-home = Home
nav-admin-home = Instance
nav-partner-home = Dashboard
nav-customer-home = Overview
footer-tagline = Partnerdesk, the open-source partner portal.

# Front page
home-title = Welcome
home-heading = The partner portal for resellers and managed service providers
home-lead = Run your customers' accounts in one place: customers, delegated access, orders, service health and requests.
home-partners-title = For partners
home-partners-text = A customer list that stays fast at any size, customer creation with an activation email, groups, billing and orders.
home-customers-title = For customers
home-customers-text = Your own console: users, sites, subscriptions, and partner assistance that you switch on and off.
home-subaccounts-title = Sub-accounts
home-subaccounts-text = Share chosen dashboards and monitors with end customers, vendors and resellers, and nothing more.

# Errors
error-back-home = Back to the home page
error-400-title = This request could not be understood
error-400-text = Please go back, check what you entered and try again.
error-403-title = Access denied
error-403-text = Your role does not allow this action.
error-404-title = Page not found
error-404-text = This page does not exist, or you do not have access to it.
error-405-title = This address answers a form
error-405-text = It is reached by sending a form, not by opening it. Please go back to the page with the form and send it again.
error-413-title = Too much data
error-413-text = What you sent is larger than the portal accepts.
error-429-title = Too many attempts
error-429-text = Please wait a moment before trying again.
error-500-title = Something went wrong
error-500-text = The error has been logged. Please try again in a moment.
error-503-title = The portal cannot reach its database
error-503-text = This is usually brief. Please try again in a moment.
error-reference = Reference for the operator:
error-malformed-title = This request holds characters the portal does not accept
error-malformed-text = Please check what you entered (no control characters) and try again.

# Form fields
field-required = This field is required.
field-too-long = This value is too long.
field-invalid = This value is not valid.

# Roles
role-owner = Owner
role-admin-agent = Admin agent
role-sales-agent = Sales agent
role-helpdesk-agent = Helpdesk agent

# Emails
email-greeting = Hello { $name },
email-activation-subject = Your Partnerdesk account for { $organisation }
email-activation-intro = An account has been created for you at { $organisation } on Partnerdesk.
email-activation-action = Choose your password to activate it:
email-activation-valid = This link is valid for { $hours ->
    [one] one hour
   *[other] { $hours } hours
} and can be used once.
email-activation-ignore = If you were not expecting this email, you can ignore it.

# Demo
demo-greeting = Welcome, { $name }!

# Sign-in
sign-in = Sign in
sign-out = Sign out
signin-title = Sign in to Partnerdesk
signin-submit = Sign in
signin-failed = Incorrect username or password.
signin-throttled = Too many attempts. Please wait a few minutes and try again.
field-username = Username
field-password = Password
field-new-password = New password
field-password-confirmation = Type the password again
flash-signed-out = You are signed out.
flash-activated = Your password is set. You can sign in now.
switch-membership = Switch
picker-title = Choose where to work
picker-lead = Your login has access to several organisations. Choose one; you can switch at any time from the header.
picker-none = Your login has no access to any organisation at the moment.
error-csrf-title = This form has expired
error-csrf-text = Please reload the page and try again.

# Passwords
password-hint = At least 8 characters. A long phrase is easier to remember and harder to guess.
password-too-short = The password must have at least 8 characters.
password-too-long = The password must have at most 128 characters.
password-too-common = This password is among the most common ones. Please choose another.
password-mismatch = The two passwords are not the same.

# Activation
activate-title = Choose your password
activate-lead = You are activating the login
activate-submit = Activate my account
link-invalid-title = This link can no longer be used
link-invalid-text = The link has expired or has already been used. Enter your username to receive a new one.
link-renew-submit = Send me a new link
link-renew-sent-title = Check your email
link-renew-sent = If a login with this username is waiting for activation, we have asked for a new link: the person who invited you sends it, or it comes straight to you. Earlier links no longer work once it is sent.

# Roles help
nav-roles-help = Roles
roles-title = What each partner role may do
roles-lead = Partner staff hold one of four roles. The portal enforces exactly this table.
roles-capability = Capability
yes = Yes
no = No
cap-see-partner-home = See the partner home page
cap-see-customers = See customers, details, licences, health
cap-manage-customers = Create customers, rename them, place orders
cap-see-customer-permissions = See customer permissions
cap-toggle-customer-permissions = Change customer permissions (self-purchase)
cap-open-customer = Open a customer (under partner assistance)
cap-service-requests = Service requests on behalf of customers
cap-dissociate-customer = Dissociate a customer
cap-manage-groups = Manage customer groups
cap-manage-staff = Manage partner staff and their roles
cap-see-activity = See the activity log

# Partner area
partner-your-role = Your role:

# Activity
action-signed-in = Signed in
action-sign-in-failed = Sign-in failed
action-activated = Activated their login
action-password-changed = Changed their password
action-password-reset = Reset their password
action-staff-invited = Invited a staff member
action-invitation-resent = Sent a new invitation
action-role-changed = Changed a role
action-member-disabled = Disabled a staff member

# Password reset and change
email-reset-subject = Reset your Partnerdesk password
email-reset-intro = Someone asked to reset the password of your Partnerdesk login.
email-reset-action = Choose a new password here:
email-reset-valid = This link is valid for { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
} and can be used once.
email-reset-ignore = If you did not ask for this, ignore this email: your password stays as it is.
email-changed-subject = Your Partnerdesk password was changed
email-changed-intro = The password of your Partnerdesk login has just been changed, and every open session was signed out.
email-changed-not-you = If this was not you, reset your password at once:
reset-title = Reset your password
reset-lead = Enter your username. If it belongs to an active login, we will email a link to choose a new password.
reset-submit = Send the link
reset-sent-title = Check your email
reset-sent = If this username belongs to an active login, a link to choose a new password is on its way. It is valid for 60 minutes.
reset-choose-title = Choose a new password
reset-choose-submit = Save the new password
reset-invalid-title = This link can no longer be used
reset-invalid-text = The link has expired or has already been used.
reset-ask-again = Ask for a new link
flash-password-reset = Your password has been changed. Sign in with the new one.
forgot-password = Forgot your password?
change-password-title = Change your password
field-current-password = Current password
change-password-submit = Change the password
current-password-wrong = This is not your current password.
current-password-throttled = Too many attempts. Please wait a few minutes and try again.
flash-password-changed = Your password has been changed. Your other sessions were signed out.
nav-account = My account

# Staff
nav-staff = Staff
nav-activity = Activity
staff-title = Partner staff
staff-invite = Invite a staff member
staff-name = Full name
staff-status = Status
staff-role = Role
staff-actions = Actions
staff-active = Active
staff-pending = Invitation pending
staff-disabled = Disabled
staff-change-role = Change
staff-resend = Send a new invitation
staff-disable = Disable
staff-username-hint = Leave empty to use the email address as the username.
staff-send-invitation = Send the invitation
staff-already-member = This person is already a member of your organisation.
field-email = Email
field-language = Language
cancel = Cancel
flash-staff-invited = The invitation has been sent.
flash-role-changed = The role has been changed.
flash-member-disabled = The staff member has been disabled and signed out.
flash-invitation-resent = A new invitation has been sent; the previous link no longer works.
flash-last-owner = Your organisation must keep at least one active owner.

# Activity log
activity-title = Activity log
activity-person = Person
activity-everyone = Everyone
activity-action = Action
activity-any-action = Any action
activity-from = From
activity-to = To
activity-filter = Filter
activity-when = When
activity-target = Concerning
activity-details = Details
activity-empty = No activity matches these filters.
pagination = Pages
previous-page = Previous page
next-page = Next page

# Shared
save = Save
close = Close
back = Back
field-choose = Choose a value from the list.
role-customer-administrator = Customer administrator
role-customer-user = Customer user
nav-customers = Customers
nav-groups = Groups

# Customer states, billing, terms, health, licences
customer-state-creating = Creating
customer-state-active = Active
customer-state-suspended = Suspended
billing-trial = Trial
billing-monthly-usage = Monthly usage
billing-term-subscription = Term subscription
term-monthly = Monthly
term-annual = Annual
health-healthy = Healthy
health-advisory = Advisory
health-incident = Incident
licence-active = Active
licence-trial = Trial
licence-expired = Expired

# Customer list
customers-title = Customers
customers-create = Create a customer account
customers-create-first = Create your first customer account
customers-import = Import from CSV
customers-export = Export to CSV
customers-export-semicolon = (with semicolons, for a spreadsheet set up for French)
customers-search = Search
customers-search-hint = Name or primary domain
customers-licence = Licence status
customers-billing = Billing
customers-group = Group
customers-health = Service health
customers-state = State
customers-any = Any
customers-mine = Only my products
customers-per-page = Per page
customers-apply = Apply
customers-clear = Clear the search and filters
customers-none-yet = You have no customers yet.
customers-no-match = No customer matches this search and these filters.
customers-past-end = This page is past the end of the list, which has { $pages ->
    [one] one page
   *[other] { $pages } pages
}.
customers-last-page = Go to the last page
customers-showing = Customers { $first }–{ $last } of { $total }
customers-page-of = Page { $page } of { $pages }
customers-sort-name = Name
customers-sort-state = State
customers-sort-health = Service health
customers-sort-created = Created
customers-domain = Primary domain
customers-licences = Licences
customers-groups = Groups
customers-managed-order = Managed order
customers-details = Details
customers-trial-until = until
customers-trial-ended-on = ended on
customers-trials-ended = Trials that ended without being converted.
home-trials-ended = { $count ->
    [one] trial ended, not converted
   *[other] trials ended, not converted
}
customers-back-to-list = Back to the customer list

# One customer
customer-account = Account
customer-name = Account name
customer-contact = Contact
customer-phone = Telephone
customer-address = Address
customer-open-details = Open the customer details
customer-reference = Customer reference number
customer-country = Country
customer-data-region = Data region
customer-time-zone = Time zone
customer-created = Created
customer-billing-type = Billing type
customer-term = Subscription term
customer-enrolled-devices = Enrolled devices
customer-convert-trial = Convert to monthly usage
customer-change-term = Change the subscription term
customer-term-change-now = No device is enrolled: a new term takes effect at once.
customer-term-change-later = { $devices ->
    [one] { $devices } device enrolled
   *[other] { $devices } devices enrolled
}: a new term takes effect at the end of the current period, on { $date }.
customer-term-pending = changes to { $term } on { $date }
customer-no-group = This customer is in no group.
customer-add-to-group = Add to a group
customer-remove-from-group = Remove
customer-no-licence = No licence yet.
customer-product = Product
customer-quantity = Quantity
customer-expires = Expires
customer-sites = Sites
customer-site = Site
customer-devices = Devices
customer-administrator = Customer administrator
customer-admin-active = activated
customer-admin-pending = waiting for activation
customer-rename = Rename the account
customer-dissociate = Dissociate this customer
customer-dissociate-explain = { $name } will no longer appear among your customers and you will lose access to its account. The account, its people and its data stay as they are. This is recorded in the activity log.
customer-dissociate-confirm = I understand that my organisation loses access to this customer.
customer-dissociate-confirm-required = Tick the box to confirm the dissociation.
customer-trial-in-future = The end of the trial must be after today.
customer-username-not-email = This username is not an email address: untick the box and give an email address.
customer-username-after-activation = The username can be changed once its owner has activated the login.
customer-username-shared = This login is also used outside your customers' accounts; only its owner can change its username.
customer-username-taken = This username is already taken.
flash-customer-created = The customer account has been created; its administrator has been sent an email.
flash-customer-renamed = The customer account has been renamed.
flash-customer-dissociated = The customer has been dissociated from your organisation.
flash-customer-grouped = The customer has been added to the group.
flash-customer-ungrouped = The customer has been removed from the group.
flash-trial-converted = The trial has been converted to monthly usage.
flash-not-a-trial = This customer is not on a trial.
flash-term-changed = The new subscription term is in effect.
flash-term-scheduled = The new subscription term will take effect at the end of the current period.
flash-term-unchanged = The subscription term is unchanged.
flash-term-change-cancelled = The scheduled change of subscription term is cancelled; the current term continues.
flash-username-changed = The username has been changed.

# Creating a customer account
create-title = Create a customer account
create-step-1 = Account data
create-step-2 = Customer address
create-step-3 = Customer administrator
create-name-hint = The name that identifies the customer in your customer list.
create-domain-hint = For example contoso.com; the list can be searched by it.
create-country-hint = The country of residence picks the data centre closest to the customer.
create-reference-hint = Identifies the customer in your accounting; shown on your invoices.
create-term-hint = Can be changed at once while no device is enrolled, otherwise at the end of the current period.
create-trial-ends = End of the trial
create-trial-hint = Only for trial accounts.
create-managed-order = Managed order (billed through you)
create-address-line1 = Address
create-address-line2 = Address, second line
create-postal-code = Postal code
create-city = City
create-region = State, province or region
create-country-carried = Carried over from the account data; go back to change it.
create-admin-name = Full name
create-language-hint = The language of the administrator's pages and emails.
create-identity-provider = Identity provider
idp-local = Partnerdesk (password)
create-username-hint = Can be changed only after the administrator has activated the login. An existing username gets access to this account too.
create-email-same = Email same as the username
create-email-hint = Only when the box above is unticked.
create-next = Next
create-back = Back
create-submit = Create

# Customer groups
groups-title = Customer groups
groups-new-name = New group
groups-create = Create the group
groups-none = No group yet.
groups-name = Group
groups-customers = Customers
groups-actions = Actions
groups-rename = Rename
groups-delete = Delete
group-name-taken = A group already has this name.
flash-group-created = The group has been created.
flash-group-renamed = The group has been renamed.
flash-group-deleted = The group has been deleted.

# Customer console
console-partner = Partner
console-no-partner = None

# Activity entries about customers
action-customer-created = Created a customer account
action-customer-renamed = Renamed a customer account
action-customer-dissociated = Dissociated a customer
action-customer-added-to-group = Added a customer to a group
action-customer-removed-from-group = Removed a customer from a group
action-group-created = Created a customer group
action-group-renamed = Renamed a customer group
action-group-deleted = Deleted a customer group
action-trial-converted = Converted a trial to monthly usage
action-term-changed = Changed a subscription term
action-customers-imported = Imported customers
action-username-changed = Changed a customer administrator's username

# Emails about customer accounts
email-access-subject = You now administer { $account } on Partnerdesk
email-access-intro = You have been made administrator of the customer account { $account }. Your existing login gives you access to it.
email-access-action = Sign in with your usual username and password:
flash-choose-group = Choose a group first.

## Customer import
import-title = Import customers
import-intro = Upload a CSV file with one customer per row. Every row is checked first: if any row has a problem, nothing is imported and you get the list of problems to fix. Each customer's administrator receives the activation email, as when you create a customer by hand.
import-file = CSV file
import-file-hint = UTF-8, separated by commas or semicolons, at most { $rows } rows and { $megabytes } MB.
import-start = Check and import
import-columns = Columns
import-required-columns = Required:
import-optional-columns = Optional:
import-rule-export = A file exported from the customer list can be imported as it is; its `id`, `data_region`, `state`, `health` and `created_at` columns are ignored.
import-rule-codes = `country` is a two-letter code (`FR`, `US`…); `subscription_term` is `monthly` or `annual`; `billing_type` is `trial`, `monthly_usage` or `term_subscription`; dates are written `2026-12-31`; `managed_order` is `yes` or `no`.
import-rule-defaults = Left empty, `time_zone` takes the `country`'s, `subscription_term` is `monthly`, `billing_type` is `trial`, for 30 days, the administrator's username is `contact_email` and their language is yours.
import-rule-all-or-nothing = A customer whose primary domain is already in your list, or appears twice in the file, is refused.
import-recent = Recent imports
import-started = Started
import-state = State
import-rows = Rows
import-state-checking = Checking
import-state-invalid = Refused
import-state-importing = Importing
import-state-done = Imported
import-state-failed = Failed
import-file-missing = Choose a CSV file.
import-file-not-utf8 = The file is not UTF-8 text. Save it as "CSV UTF-8" and try again.
import-file-unreadable = The file could not be read as CSV (check its quotes).
import-missing-columns = The file lacks these columns: { $columns }.
import-no-rows = The file has a header but no customers.
import-too-many-rows = The file has more than { $max } rows. Split it into several files.
import-yes-no = Write yes or no.
import-domain-repeated = This primary domain appears on an earlier row of the file.
import-domain-exists = A customer with this primary domain is already in your list.
import-checking = Checking the rows: { $checked } of { $total }.
import-importing = { $total ->
    [one] The row is valid. Importing…
   *[other] All { $total } rows are valid. Importing…
}
import-page-refreshes = This page refreshes by itself.
import-done = { $imported ->
    [one] { $imported } customer imported.
   *[other] { $imported } customers imported.
}
import-see-customers = See the customers
import-more-problems = { $count ->
    [one] …and one more problem.
   *[other] …and { $count } more problems.
}
import-row = Row
import-line = Row { $line }
import-column = Column
import-problem = Problem
import-again = Upload a file
import-failed = The import stopped before it finished; nothing was imported. Upload the file again.
import-state-queued = Waiting
import-queued = Waiting to start: the check begins in a moment.
import-resuming = The server working on this import stopped before it finished. Nothing has been imported; the import starts again from the beginning in a moment.
import-invalid-rows = Nothing was imported. Rows to fix: { $rows } of { $total }; { $problems ->
    [one] one problem found.
   *[other] { $problems } problems found.
} Fix them and upload the file again.
import-failed-interrupted = The import was interrupted too many times and has been abandoned; nothing was imported. Upload the file again.
import-failed-error = The import stopped on an unexpected error; nothing was imported. Upload the file again in a few minutes; if it happens again, contact your administrator.

## Partner assistance
nav-customer-assistance = Partner assistance
assistance-title = Partner assistance
assistance-explain = While partner assistance is on, people at { $partner } can open your account to help you. Each time, they give a reason and everything they do is recorded in your activity log with their name.
assistance-no-partner = Your account has no partner, so nobody can open it on your behalf.
assistance-state = Partner assistance is
assistance-on = On
assistance-off = Off
assistance-turn-on = Turn partner assistance on
assistance-turn-off = Turn partner assistance off
assistance-administrators-only = Only the account's administrators can turn partner assistance on or off.
assistance-history = History
assistance-history-empty = Partner assistance has not been turned on or off since the account was created.
assistance-change = Change
assistance-turned-on = Turned on
assistance-turned-off = Turned off
flash-assistance-on = Partner assistance is on.
flash-assistance-off = Partner assistance is off.
action-assistance-turned-on = Turned partner assistance on
action-assistance-turned-off = Turned partner assistance off
ccap-see-account = See the account, its sites and partner assistance
ccap-manage-assistance = Turn partner assistance on or off
customer-assistance = Partner assistance
roles-customer-title = In a customer account

## Open customer
open-title = Open customer
open-explain = You will enter this customer's console for at most { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}, under a banner naming you and your organisation. The customer sees your reason, and everything you do there is recorded in its activity log under your name.
open-reason = Reason
open-reason-hint = Say why you open the account, for example the ticket you are working on. At most 200 characters.
open-button = Open the customer's console
open-assistance-off = Partner assistance is off for this customer. Only its administrator can turn it on, in its own console.
customer-open = Open customer
assisted-banner = You are in the console of { $account } on behalf of { $partner }, as { $person }, until { $until }.
assisted-leave = Leave the customer's console
assisted-ended-left = You left the customer's console.
assisted-ended-expired = Your time in the customer's console is over: a session lasts at most an hour.
assisted-ended-assistance-off = The customer turned partner assistance off, which ended your session in its console.
assisted-ended-dissociated = The customer is no longer associated with your organisation, which ended your session in its console.
assisted-ended-access-removed = Your role no longer allows opening customers, which ended your session in its console.
flash-assisted-left = You left the customer's console.
role-assisting-partner = Partner user (open customer)
ccap-see-activity = See the activity concerning the account
ccap-manage-sites = Create and rename sites
ccap-leave-assisted = Leave a console opened through "open customer"
action-customer-opened = Opened the customer's console
action-customer-left = Left the customer's console
action-site-created = Created a site
action-site-renamed = Renamed a site
activity-on-behalf-of = on behalf of { $partner }
nav-customer-sites = Sites
nav-customer-activity = Activity
sites-title = Sites
sites-name = Name
sites-time-zone = Time zone
sites-devices = Devices
sites-rename = Rename
sites-new = New site
sites-create = Create the site
site-name-taken = A site already has this name.
flash-site-created = The site has been created.
flash-site-renamed = The site has been renamed.
assistance-notify = Email me each time my partner opens the account
assistance-notify-save = Save
flash-notify-on = You will be emailed each time your partner opens the account.
flash-notify-off = You will no longer be emailed when your partner opens the account.
email-opened-subject = { $partner } opened { $account }
email-opened-intro = { $person } of { $partner } has opened the console of { $account } through partner assistance.
email-opened-reason = Reason given:
email-opened-action = Everything done there appears in your activity log:

## Customer users and invitations
nav-customer-users = Users
users-title = Users
users-invite = Invite someone
users-already-member = This person already has access to this account, or their login is disabled.
users-last-administrator = The account must keep at least one active administrator.
flash-user-invited = The invitation has been sent.
flash-user-disabled = The user has been disabled; their sessions have ended.
flash-invitation-revoked = The invitation has been revoked; its link no longer works.
invitation-sent = Sent { $at }
invitation-until = the link works until { $until }
invitation-expired = the link has expired
invitation-bounced = the email could not be delivered: check the address, then send it again
invitation-revoke = Revoke
ccap-see-users = See the account's users and pending invitations
ccap-manage-users = Invite users, change their role, disable them, resend or revoke invitations
action-user-invited = Invited a user
action-user-disabled = Disabled a user
action-invitation-revoked = Revoked an invitation
email-request-subject = { $invitee } asks for a new invitation link
email-request-intro = { $invitee } ({ $username }) tried to use their invitation to { $organisation }, but the link had expired. Send them a new one from the page below; the old link no longer works.
email-request-action = Resend the invitation:
sites-administrators = Site administrators
sites-add-administrator = Add as administrator
sites-remove-administrator = Remove as administrator:
flash-site-administrator-added = The site administrator has been added.
flash-site-administrator-removed = The site administrator has been removed.
action-site-administrator-added = Made someone a site administrator
action-site-administrator-removed = Removed a site administrator
ccap-manage-assigned-sites = Rename the sites one administers
console-subscription = Subscription
context-label = Customer you are working on
context-working-on = Working on
context-details = Details
context-users = Users
context-activity = Activity
context-clear = All customers
context-choose = Work on this customer
context-activity-only = Only the entries about { $customer } are shown. Choose "All customers" above to see everything.
activity-customer = Customer
activity-customer-hint = Part of its name or domain.
activity-date-invalid = Enter a date as YYYY-MM-DD.
activity-range-invalid = The end date comes before the start date.
activity-action-invalid = Choose an action from the list.
activity-export = Download as CSV
action-open-notification-on = Asked to be emailed when the partner opens the account
action-open-notification-off = Stopped being emailed when the partner opens the account
customers-trials-ending = Trials ending from { $from } to { $to }.
customers-remove-filter = Remove this filter
home-attention = Needs attention
home-trials-ending = { $count ->
    [one] trial ending
   *[other] trials ending
} { $days ->
    [one] by tomorrow
   *[other] in the next { $days } days
}
home-worst = Worst service health first
home-customers = { $count ->
    [one] { $count } customer
   *[other] { $count } customers
}
home-recent = Recent activity
home-open-requests = { $count ->
    [one] open service request waiting on you
   *[other] open service requests waiting on you
}
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
home-new-customers = New customers per month
home-new-customers-desc = { $count ->
    [one] { $count } new customer over the last twelve months, one bar a month with its number.
   *[other] { $count } new customers over the last twelve months, one bar a month with its number.
}
home-current-month-hatched = The hatched bar is the month under way.
customers-licences-expiring = An active licence expiring from { $from } to { $to }.
home-licences-expiring = { $count ->
    [one] customer with a licence expiring
   *[other] customers with a licence expiring
} { $days ->
    [one] by tomorrow
   *[other] in the next { $days } days
}
home-invitations-expiring = { $count ->
    [one] staff invitation expiring within a day
   *[other] staff invitations expiring within a day
}
staff-only-expiring = Only the invitations whose link stops working within a day.
staff-count = People: { $total }

# Asking a customer for partner assistance (issue 17)
customer-assistance-off = This customer has not allowed partner assistance, so you cannot open its account. Only one of its administrators can turn assistance on.
customer-assistance-ask = Email its administrators to ask for access
customer-assistance-asked = Access was asked for on { $at }; the administrators can be asked again a day later.
flash-assistance-requested = The customer's administrators have been asked by email to turn partner assistance on.
flash-assistance-already-requested = Access was already asked for in the last 24 hours.
flash-assistance-nobody-to-ask = This customer has no active administrator to ask yet.
email-assistance-request-subject = { $partner } asks for access to { $account }
email-assistance-request-intro = { $person } from { $partner } asks you to turn partner assistance on for { $account }, so that they can open your account to help you.
email-assistance-request-action = You decide: partner assistance is turned on or off on this page of your console:
email-assistance-request-ignore = If you do not want to give this access, do nothing: assistance stays off.
action-assistance-requested = Asked for partner assistance

## The layout: the menu button on a narrow screen and the sections of the navigation.
skip-to-content = Skip to the content
nav-menu = Menu
nav-section-home = Home
nav-section-customers = Customers
nav-section-monitoring = Monitoring
nav-section-service = Service
nav-section-commerce = Commerce
nav-section-activity = Activity
nav-section-settings = Settings
table-scroll-label = Table, scrolls sideways when wider than the screen

# Staff limited to customer groups
staff-customers = Customers
staff-reach-title = Customers this person reaches
staff-reach-hint = A person limited to some groups sees, searches, exports, opens, orders for and counts only those groups' customers, on every page, in every export and through the API tokens they create. Customers they create join their groups.
staff-reach-legend = Reach
staff-reach-all = Every customer
staff-reach-groups = Only the customers of the groups below
staff-reach-groups-legend = Groups
staff-reach-no-groups-yet = There are no customer groups yet.
staff-reach-save = Save
staff-reach-change = Change
staff-reach-everyone = Every customer
staff-reach-only = { $count ->
    [one] Only one group: { $groups }
   *[other] Only { $count } groups: { $groups }
}
staff-reach-owner = Owners reach every customer; only other roles can be limited to groups.
staff-reach-no-group = Choose at least one group, or give this person every customer.
staff-reach-unknown-group = One of the groups chosen no longer exists; choose again.
flash-staff-reach-saved = The customers this person reaches have been saved.
action-staff-reach-changed = Changed the customers a staff member reaches
home-limited-reach = You reach the customers of { $count ->
    [one] one group
   *[other] { $count } groups
}: these figures count only them.

# Rule-based customer groups
rule-group-create = Create a rule-based group
rule-group-hint = A rule-based group holds every customer that meets all the conditions you choose, now and as customers change; nobody adds or removes its customers by hand.
rule-any = Any
rule-billing = Billing type
rule-state = State
rule-licence = Has a licence that is
rule-product = Has an active or trial licence of the product
rule-health = Service health
rule-created-from = Created on or after
rule-created-until = Created on or before
rule-reference-prefix = Reference starts with
rule-in-group = Also in the group
rule-group-submit = Create the rule-based group
rule-group-label = Rule-based
rule-shown-country = country { $value }
rule-shown-billing = billing { $value }
rule-shown-state = state { $value }
rule-shown-licence = a licence { $value }
rule-shown-product = product { $value }
rule-shown-health = health { $value }
rule-shown-created-from = created from { $value }
rule-shown-created-until = created until { $value }
rule-shown-reference = reference starting with { $value }
rule-shown-group = in { $value }
rule-shown-group-gone = a deleted group (matches nobody)
rule-value-unknown = Choose one of the values offered.
rule-day-invalid = Enter a date as YYYY-MM-DD.
rule-days-reversed = This date is before the first one.
rule-empty = Choose at least one condition.
flash-group-rule-based = A rule-based group holds the customers its conditions find; customers are not added to it or removed from it by hand.
customer-group-by-rule = (by its rule)
rule-edit-title = Conditions of the group
rule-edit-hint = The customers meeting these conditions are the group's from now on, in the lists, the counts and for the staff limited to the group. Every condition given must hold.
rule-edit-link = Change the conditions
flash-group-rule-changed = The group's conditions are changed.
action-group-rule-changed = Changed the conditions of a rule-based group

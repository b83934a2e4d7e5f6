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
error-413-title = Too much data
error-413-text = What you sent is larger than the portal accepts.
error-429-title = Too many attempts
error-429-text = Please wait a moment before trying again.
error-500-title = Something went wrong
error-500-text = The error has been logged. Please try again in a moment.

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
email-activation-valid = This link is valid for { $hours } hours and can be used once.
email-activation-ignore = If you were not expecting this email, you can ignore it.

# Demo
demo-greeting = Welcome, { $name }!

# Sign-in
sign-in = Sign in
sign-out = Sign out
signin-title = Sign in to Partnerdesk
signin-submit = Sign in
signin-failed = Incorrect username or password.
signin-throttled = Too many attempts for this username. Please wait a few minutes and try again.
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
link-renew-sent = If a login with this username is waiting for activation, a new link is on its way. Earlier links no longer work.

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
email-reset-valid = This link is valid for { $minutes } minutes and can be used once.
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

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

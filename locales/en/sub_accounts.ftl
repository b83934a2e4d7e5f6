# Sub-accounts (C3) and alert definitions (C4).
nav-customer-alerts = Alerts
nav-customer-sub-accounts = Sub-accounts
role-operator = Sub-account operator
ccap-see-console-home = See the console's home page (an operator: what the sub-account was granted)
ccap-manage-alerts = Create, change and delete alert definitions (an operator: when the sub-account allows it)
ccap-manage-sub-accounts = Create sub-accounts, grant them dashboards and monitors, set their permissions and invite their operators
action-sub-account-created = Created a sub-account
action-sub-account-changed = Changed a sub-account
action-sub-account-grants-changed = Changed what a sub-account is granted
action-operator-invited = Invited a sub-account operator
action-operator-removed = Removed a sub-account operator
action-alert-definition-created = Created an alert definition
action-alert-definition-changed = Changed an alert definition
action-alert-definition-deleted = Deleted an alert definition
monitor-quota-reached = The sub-account already has { $quota ->
    [one] its { $quota } monitor
   *[other] its { $quota } monitors
}: its quota is reached. Delete one or ask the account's administrator for a higher quota.

sub-accounts-title = Sub-accounts
sub-accounts-intro = A sub-account gives other people (your customers, vendors or resellers) access to chosen dashboards and monitors, and nothing else of this account.
sub-accounts-none = No sub-account yet.
sub-accounts-new = New sub-account
sub-accounts-create = Create the sub-account
sub-account-name = Name
sub-account-permissions = What its operators may do
sub-account-view-only-hint = Operators always see the dashboards and monitors granted to the sub-account, read-only. Each box below adds a permission.
sub-account-can-view = See the granted dashboards and monitors
sub-account-can-build-dashboards = Build their own dashboards from the monitors they see
sub-account-can-manage-monitors = Create and manage their own monitors, up to the quota
sub-account-quota = Monitor quota
sub-account-quota-hint = How many monitors its operators may create (0 to 10,000).
sub-account-can-edit-alerts = Edit the sub-account's alert definitions
sub-account-monitors-made = Monitors made
sub-account-quota-use = { $quota ->
    [one] { $made } of { $quota } monitor
   *[other] { $made } of { $quota } monitors
}
sub-account-operators = Operators
sub-account-grants = Granted dashboards and monitors
sub-account-grants-hint = A granted dashboard shows all its monitors. Removing a grant takes effect on the operators' next page.
sub-account-save-grants = Save the grants
sub-account-no-operators = No operator yet.
sub-account-remove-operator = Remove
sub-account-invite = Invite an operator
sub-account-settings = Name and permissions
sub-account-save = Save
sub-account-quota-invalid = Enter a whole number from 0 to { $max }.
sub-account-name-taken = Another sub-account already has this name.
sub-account-already-operator = This person already operates this sub-account.
flash-sub-account-created = The sub-account was created.
flash-sub-account-changed = The sub-account was saved.
flash-sub-account-grants-changed = The grants were saved.
flash-operator-invited = The invitation was sent.
flash-operator-removed = The operator was removed.

alerts-title = Alert definitions
alerts-intro = When a monitor fails as many checks in a row as the rule says, the recipients are emailed once, and again when it recovers.
alerts-none = No alert definition yet.
alerts-new = New alert definition
alerts-create = Create the alert definition
alert-name = Name
alert-owner = For
alert-owner-account = This account
alert-owner-hint = An alert definition for a sub-account can only watch what the sub-account sees and email its operators.
alert-rule = Rule
alert-rule-text = { $failures ->
    [one] After one failed check
   *[other] After { $failures } failed checks in a row
}
alert-state = State
alert-alerting = { $count } failing
alert-quiet = Quiet
alert-failures = Failed checks in a row before alerting
alert-failures-hint = From 1 to 100.
alert-recipients = Recipients
alert-recipients-hint = Only the people of whom the definition is for can receive it.
alert-people-of-account = This account's people
alert-people-of-sub-account = Operators of { $name }
alert-no-people = Nobody yet.
alert-edit = Change the alert definition
alert-save = Save
alert-delete = Delete the alert definition
alert-failures-invalid = Enter a whole number from 1 to { $max }.
alert-name-taken = Another alert definition already has this name.
alert-owner-unknown = Choose this account or one of its sub-accounts.
alert-monitor-required = Choose at least one monitor.
alert-monitor-unknown = Choose among the monitors listed.
alert-recipient-required = Choose at least one recipient.
alert-recipient-unknown = Choose recipients among the people of whom the definition is for.
flash-alert-created = The alert definition was created.
flash-alert-changed = The alert definition was saved.
flash-alert-deleted = The alert definition was deleted.

email-alert-failing-subject = Monitor down: { $monitor }
email-alert-failing-intro = The monitor { $monitor } has failed { $failures ->
    [one] a check
   *[other] { $failures } checks in a row
} (last at { $time }). You receive this under the alert definition "{ $definition }". You will be told once when it recovers.
email-alert-recovered-subject = Monitor recovered: { $monitor }
email-alert-recovered-intro = The monitor { $monitor } is up again: its check at { $time } succeeded. (Alert definition "{ $definition }".)
email-alert-last-message = The check said:
email-alert-action = See the monitor and its error log:

rollup-monitors = Monitors
rollup-monitors-down = { $count } down
rollup-monitors-unknown = { $count } without recent results
rollup-monitors-up = { $count } up
rollup-monitors-all = { $count ->
    [one] The only monitor
   *[other] All { $count } monitors
}
rollup-requests-waiting = { $count ->
    [one] { $count } request waiting for your answer
   *[other] { $count } requests waiting for your answer
}
rollup-requests-open = { $count ->
    [one] { $count } open request with the partner
   *[other] { $count } open requests with the partner
}
rollup-sub-accounts = { $count ->
    [one] { $count } sub-account
   *[other] { $count } sub-accounts
}
rollup-alerts = { $count ->
    [one] { $count } alert definition
   *[other] { $count } alert definitions
}, { $alerting } with a monitor failing
rollup-down-now = Down now
rollup-you-may = What you may do here
operator-can-view = See the dashboards and monitors granted to you
operator-can-build-dashboards = Build your own dashboards from the monitors you see
operator-can-manage-monitors = Create and manage your own monitors, up to the quota
operator-can-edit-alerts = Edit the sub-account's alert definitions
rollup-quota = quota: { $quota }
monitors-filter-state = Showing monitors that are: { $state }
monitors-filter-clear = Show all monitors

# The partner tree: a distributor's resellers, their customers and figures,
# and moving an organisation in /admin

nav-resellers = Resellers
cap-see-network = See the resellers under the organisation, their figures and customers (read-only)
cap-manage-resellers = Create resellers under the organisation

network-resellers-title = Resellers
network-resellers-lead = Every organisation under yours, at any depth. You see their customers and figures; you do not open their customers.
network-customers-title = Resellers' customers
network-customers-lead = Read-only: each reseller runs its own customers.
network-reseller = Reseller
network-reseller-parent = Under
network-reseller-direct = Directly under yours
network-none-yet = No reseller yet.
network-open-requests-option = Only with an open request
network-open-requests = { $count ->
    [one] customer with an open request
   *[other] customers with an open request
}
network-reseller-create = Create a reseller
network-reseller-create-lead = The reseller's first owner receives an invitation by email; the organisation is theirs to run once they accept it. It sits under yours: you will see its customers and figures.
network-reseller-owner-email-hint = The owner signs in with this address.
network-reseller-create-submit = Create and invite the owner
flash-reseller-created = The reseller is created and its owner's invitation is on its way.

network-home-title = Your resellers
network-home-lead = { $count ->
    [one] Figures of the { $count } organisation under yours.
   *[other] Figures of the { $count } organisations under yours.
}
network-home-customers-link = All their customers

admin-partners-subtree = An organisation and every organisation under it.
admin-partner-resellers = { $count ->
    [one] { $count } reseller directly under it
   *[other] { $count } resellers directly under it
}
admin-partner-move = Move
admin-partner-top-level = Top level (no parent)
admin-move-title = Move { $name }
admin-move-from = From
admin-move-to = Under
admin-move-reason = Reason (optional)
admin-move-reason-hint = Kept in the history below and in both sides' activity logs.
admin-move-history = Who it answered to
admin-move-history-parent = Parent
admin-move-history-from = From
admin-move-history-to = Until
admin-move-history-by = Put there by
admin-move-history-now = Now
admin-move-history-creation = Its creation
admin-confirm-move-heading = Move this organisation?
admin-confirm-move-summary = { $name } and every organisation under it will answer to the new parent from now on. Its old parent stops seeing its customers and figures; the new one starts.
flash-admin-partner-moved = The organisation is moved.
network-move-unknown-parent = This organisation no longer exists.
network-move-under-itself = An organisation cannot be its own parent.
network-move-under-descendant = This organisation is under the one being moved: choose one outside its tree.
network-move-already-there = The organisation is already there.

instance-action-partner-moved = Moved a partner organisation
action-partner-moved = The instance operator moved an organisation in the partner tree
action-reseller-created = Created a reseller

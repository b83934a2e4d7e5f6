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

## Distributor assistance
nav-distributor-assistance = Distributor assistance
cap-assist-resellers = Help in a reseller's portal (under distributor assistance)
cap-manage-distributor-assistance = Let the distributor help in the organisation's portal
cap-leave-reseller-assistance = Leave a reseller's portal
role-assisting-distributor = Assisting distributor
action-distributor-assistance-on = Let the distributor help in the portal
action-distributor-assistance-off = Stopped the distributor helping in the portal
action-reseller-assist-started = Entered the reseller's portal
action-reseller-assist-left = Left the reseller's portal
network-reseller-assist = Help
reseller-assist-title = Help a reseller
reseller-assist-explain = You will enter the portal of { $reseller } for at most { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}, under a banner naming you and your organisation. You will see and manage its customers as it does, but not its staff, its security settings or its customers' consoles. { $reseller } sees your reason, and everything you do there is recorded in its activity log under your name.
reseller-assist-reason-hint = Say why you enter the portal, for example the ticket you are working on. At most 200 characters.
reseller-assist-button = Enter the reseller's portal
reseller-assist-off = { $reseller } has not allowed its distributor to help in its portal. Its owners can allow it on their Distributor assistance page.
reseller-assist-banner = You are in the portal of { $reseller } on behalf of { $distributor }, as { $person }, until { $until }.
reseller-assist-leave = Leave the reseller's portal
reseller-assist-ended-left = You left the reseller's portal.
reseller-assist-ended-expired = Your time in the reseller's portal is over: a session lasts at most an hour.
reseller-assist-ended-assistance-off = The reseller stopped distributor assistance, which ended your session in its portal.
reseller-assist-ended-moved = The reseller is no longer under your organisation, which ended your session in its portal.
reseller-assist-ended-access-removed = Your access no longer allows helping resellers, which ended your session in its portal.
flash-reseller-assist-left = You left the reseller's portal.
distributor-assistance-title = Distributor assistance
distributor-assistance-explain = While you allow it, the people of { $distributor } who may open customers can enter your portal to help you, for at most { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
} at a time and with a reason. They see and manage your customers as you do, but not your staff, your security settings or your customers' consoles. Everything they do is in your activity log under their name.
distributor-assistance-on = Distributor assistance is on.
distributor-assistance-off = Distributor assistance is off.
distributor-assistance-turn-on = Allow distributor assistance
distributor-assistance-turn-off = Stop distributor assistance
distributor-assistance-off-hint = Stopping it also ends at once any session of your distributor in your portal.
distributor-assistance-no-distributor = Your organisation has no distributor above it: there is no one to allow.
distributor-assistance-history = Who came, and why
distributor-assistance-started = Entered
distributor-assistance-person = Person
distributor-assistance-ended = Left
distributor-assistance-going = Still in the portal
distributor-visit-left = They left.
distributor-visit-expired = Their hour was over.
distributor-visit-assistance-off = Distributor assistance was stopped.
distributor-visit-moved = Your organisation moved under another distributor.
distributor-visit-access-removed = Their access no longer allowed it.
flash-distributor-assistance-on = Your distributor can now help in your portal.
flash-distributor-assistance-off = Distributor assistance is off; any session of your distributor in your portal has ended.

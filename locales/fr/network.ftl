# L'arbre des partenaires : les revendeurs d'un distributeur, leurs clients et
# leurs chiffres, et le déplacement d'une organisation dans /admin

nav-resellers = Revendeurs
cap-see-network = Voir les revendeurs sous l'organisation, leurs chiffres et leurs clients (lecture seule)
cap-manage-resellers = Créer des revendeurs sous l'organisation

network-resellers-title = Revendeurs
network-resellers-lead = Toutes les organisations sous la vôtre, à toute profondeur. Vous voyez leurs clients et leurs chiffres ; vous n'ouvrez pas leurs clients.
network-customers-title = Clients des revendeurs
network-customers-lead = Lecture seule : chaque revendeur gère ses propres clients.
network-reseller = Revendeur
network-reseller-parent = Sous
network-reseller-direct = Directement sous la vôtre
network-none-yet = Aucun revendeur pour l'instant.
network-open-requests-option = Seulement avec une demande ouverte
network-open-requests = { $count ->
    [one] client avec une demande ouverte
   *[other] clients avec une demande ouverte
}
network-reseller-create = Créer un revendeur
network-reseller-create-lead = Le premier propriétaire du revendeur reçoit une invitation par e-mail ; l'organisation est la sienne dès qu'il l'accepte. Elle se place sous la vôtre : vous verrez ses clients et ses chiffres.
network-reseller-owner-email-hint = Le propriétaire se connecte avec cette adresse.
network-reseller-create-submit = Créer et inviter le propriétaire
flash-reseller-created = Le revendeur est créé et l'invitation de son propriétaire est en route.

network-home-title = Vos revendeurs
network-home-lead = { $count ->
    [one] Chiffres de l'organisation sous la vôtre.
   *[other] Chiffres des { $count } organisations sous la vôtre.
}
network-home-customers-link = Tous leurs clients

admin-partners-subtree = Une organisation et toutes celles qui sont sous elle.
admin-partner-resellers = { $count ->
    [one] { $count } revendeur directement sous elle
   *[other] { $count } revendeurs directement sous elle
}
admin-partner-move = Déplacer
admin-partner-top-level = Premier niveau (sans parent)
admin-move-title = Déplacer { $name }
admin-move-from = De
admin-move-to = Sous
admin-move-reason = Motif (facultatif)
admin-move-reason-hint = Conservé dans l'historique ci-dessous et dans le journal d'activité des deux côtés.
admin-move-history = De qui elle a dépendu
admin-move-history-parent = Parent
admin-move-history-from = Du
admin-move-history-to = Au
admin-move-history-by = Placée par
admin-move-history-now = Aujourd'hui
admin-move-history-creation = Sa création
admin-confirm-move-heading = Déplacer cette organisation ?
admin-confirm-move-summary = { $name } et toutes les organisations sous elle dépendront du nouveau parent à partir de maintenant. L'ancien parent cesse de voir ses clients et ses chiffres ; le nouveau commence.
flash-admin-partner-moved = L'organisation est déplacée.
network-move-unknown-parent = Cette organisation n'existe plus.
network-move-under-itself = Une organisation ne peut pas être son propre parent.
network-move-under-descendant = Cette organisation est sous celle que vous déplacez : choisissez-en une hors de son arbre.
network-move-already-there = L'organisation y est déjà.

instance-action-partner-moved = A déplacé une organisation partenaire
action-partner-moved = L'opérateur de l'instance a déplacé une organisation dans l'arbre des partenaires
action-reseller-created = A créé un revendeur

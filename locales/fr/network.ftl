# L’arbre des partenaires : les revendeurs d’un distributeur, leurs clients et
# leurs chiffres, et le déplacement d’une organisation dans /admin

nav-resellers = Revendeurs
cap-see-network = Voir les revendeurs sous l’organisation, leurs chiffres et leurs clients (lecture seule)
cap-manage-resellers = Créer des revendeurs sous l’organisation

network-resellers-title = Revendeurs
network-resellers-lead = Toutes les organisations sous la vôtre, à toute profondeur. Vous voyez leurs clients et leurs chiffres ; vous n’ouvrez pas leurs clients.
network-customers-title = Clients des revendeurs
network-customers-lead = Lecture seule : chaque revendeur gère ses propres clients.
network-reseller = Revendeur
network-reseller-parent = Sous
network-reseller-direct = Directement sous la vôtre
network-none-yet = Aucun revendeur pour l’instant.
network-open-requests-option = Seulement avec une demande ouverte
network-open-requests = { $count ->
    [one] client avec une demande ouverte
   *[other] clients avec une demande ouverte
}
network-reseller-create = Créer un revendeur
network-reseller-create-lead = Le premier propriétaire du revendeur reçoit une invitation par e-mail ; l’organisation est la sienne dès qu’il l’accepte. Elle se place sous la vôtre : vous verrez ses clients et ses chiffres.
network-reseller-owner-email-hint = Le propriétaire se connecte avec cette adresse.
network-reseller-create-submit = Créer et inviter le propriétaire
flash-reseller-created = Le revendeur est créé et l’invitation de son propriétaire est en route.

network-home-title = Vos revendeurs
network-home-lead = { $count ->
    [one] Chiffres de l’organisation sous la vôtre.
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
admin-move-reason-hint = Conservé dans l’historique ci-dessous et dans le journal d’activité des deux côtés.
admin-move-history = De qui elle a dépendu
admin-move-history-parent = Parent
admin-move-history-from = Du
admin-move-history-to = Au
admin-move-history-by = Placée par
admin-move-history-now = Aujourd’hui
admin-move-history-creation = Sa création
admin-confirm-move-heading = Déplacer cette organisation ?
admin-confirm-move-summary = { $name } et toutes les organisations sous elle dépendront du nouveau parent à partir de maintenant. L’ancien parent cesse de voir ses clients et ses chiffres ; le nouveau commence.
flash-admin-partner-moved = L’organisation est déplacée.
network-move-unknown-parent = Cette organisation n’existe plus.
network-move-under-itself = Une organisation ne peut pas être son propre parent.
network-move-under-descendant = Cette organisation est sous celle que vous déplacez : choisissez-en une hors de son arbre.
network-move-already-there = L’organisation y est déjà.

instance-action-partner-moved = A déplacé une organisation partenaire
action-partner-moved = L’opérateur de l’instance a déplacé une organisation dans l’arbre des partenaires
action-reseller-created = A créé un revendeur

## Assistance du distributeur
nav-distributor-assistance = Assistance du distributeur
cap-assist-resellers = Aider dans le portail d’un revendeur (avec l’assistance du distributeur)
cap-manage-distributor-assistance = Permettre au distributeur d’aider dans le portail de l’organisation
cap-leave-reseller-assistance = Quitter le portail d’un revendeur
role-assisting-distributor = Distributeur en assistance
action-distributor-assistance-on = A permis au distributeur d’aider dans le portail
action-distributor-assistance-off = A retiré au distributeur l’accès d’assistance au portail
action-reseller-assist-started = Est entré dans le portail du revendeur
action-reseller-assist-left = A quitté le portail du revendeur
network-reseller-assist = Aider
reseller-assist-title = Aider un revendeur
reseller-assist-explain = Vous entrerez dans le portail de { $reseller } pour { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
} au plus, sous un bandeau qui vous nomme avec votre organisation. Vous verrez et gérerez ses clients comme lui, mais pas son personnel, ses réglages de sécurité ni les consoles de ses clients. { $reseller } voit votre motif, et tout ce que vous y faites est consigné à votre nom dans son journal d’activité.
reseller-assist-reason-hint = Dites pourquoi vous entrez dans le portail, par exemple le ticket que vous traitez. 200 caractères au plus.
reseller-assist-button = Entrer dans le portail du revendeur
reseller-assist-off = { $reseller } n’a pas permis à son distributeur d’aider dans son portail. Ses propriétaires peuvent le permettre sur leur page Assistance du distributeur.
reseller-assist-banner = Vous êtes dans le portail de { $reseller } au nom de { $distributor }, en tant que { $person }, jusqu’à { $until }.
reseller-assist-leave = Quitter le portail du revendeur
reseller-assist-ended-left = Vous avez quitté le portail du revendeur.
reseller-assist-ended-expired = Votre temps dans le portail du revendeur est écoulé : une session dure une heure au plus.
reseller-assist-ended-assistance-off = Le revendeur a arrêté l’assistance du distributeur, ce qui a mis fin à votre session dans son portail.
reseller-assist-ended-moved = Le revendeur n’est plus sous votre organisation, ce qui a mis fin à votre session dans son portail.
reseller-assist-ended-access-removed = Votre accès ne permet plus d’aider les revendeurs, ce qui a mis fin à votre session dans son portail.
flash-reseller-assist-left = Vous avez quitté le portail du revendeur.
distributor-assistance-title = Assistance du distributeur
distributor-assistance-explain = Tant que vous le permettez, les personnes de { $distributor } qui peuvent ouvrir des clients peuvent entrer dans votre portail pour vous aider, { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
} au plus à chaque fois et avec un motif. Elles voient et gèrent vos clients comme vous, mais pas votre personnel, vos réglages de sécurité ni les consoles de vos clients. Tout ce qu’elles font est consigné à leur nom dans votre journal d’activité.
distributor-assistance-on = L’assistance du distributeur est activée.
distributor-assistance-off = L’assistance du distributeur est désactivée.
distributor-assistance-turn-on = Permettre l’assistance du distributeur
distributor-assistance-turn-off = Arrêter l’assistance du distributeur
distributor-assistance-off-hint = L’arrêter met aussi fin immédiatement à toute session de votre distributeur dans votre portail.
distributor-assistance-no-distributor = Votre organisation n’a pas de distributeur au-dessus d’elle : il n’y a personne à qui le permettre.
distributor-assistance-history = Qui est venu, et pourquoi
distributor-assistance-started = Entrée
distributor-assistance-person = Personne
distributor-assistance-ended = Sortie
distributor-assistance-going = Encore dans le portail
distributor-visit-left = La personne est sortie.
distributor-visit-expired = Son heure était écoulée.
distributor-visit-assistance-off = L’assistance du distributeur a été arrêtée.
distributor-visit-moved = Votre organisation est passée sous un autre distributeur.
distributor-visit-access-removed = Son accès ne le permettait plus.
flash-distributor-assistance-on = Votre distributeur peut maintenant aider dans votre portail.
flash-distributor-assistance-off = L’assistance du distributeur est désactivée ; toute session de votre distributeur dans votre portail a pris fin.

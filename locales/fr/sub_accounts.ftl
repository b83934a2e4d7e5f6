# Sous-comptes (C3) et définitions d'alerte (C4).
nav-customer-alerts = Alertes
nav-customer-sub-accounts = Sous-comptes
role-operator = Opérateur de sous-compte
ccap-see-console-home = Voir la page d'accueil de la console (un opérateur : ce qui est accordé au sous-compte)
ccap-manage-alerts = Créer, modifier et supprimer des définitions d'alerte (un opérateur : si le sous-compte le permet)
ccap-manage-sub-accounts = Créer des sous-comptes, leur accorder des tableaux de bord et des moniteurs, fixer leurs autorisations et inviter leurs opérateurs
action-sub-account-created = A créé un sous-compte
action-sub-account-changed = A modifié un sous-compte
action-sub-account-grants-changed = A modifié ce qui est accordé à un sous-compte
action-operator-invited = A invité un opérateur de sous-compte
action-operator-removed = A retiré un opérateur de sous-compte
action-alert-definition-created = A créé une définition d'alerte
action-alert-definition-changed = A modifié une définition d'alerte
action-alert-definition-deleted = A supprimé une définition d'alerte
monitor-quota-reached = Le sous-compte a déjà { $quota ->
    [one] son { $quota } moniteur
   *[other] ses { $quota } moniteurs
} : son quota est atteint. Supprimez-en un ou demandez un quota plus élevé à l'administrateur du compte.

sub-accounts-title = Sous-comptes
sub-accounts-intro = Un sous-compte donne à d'autres personnes (vos clients, fournisseurs ou revendeurs) l'accès à des tableaux de bord et des moniteurs choisis, et à rien d'autre de ce compte.
sub-accounts-none = Aucun sous-compte pour l'instant.
sub-accounts-new = Nouveau sous-compte
sub-accounts-create = Créer le sous-compte
sub-account-name = Nom
sub-account-permissions = Ce que ses opérateurs peuvent faire
sub-account-view-only-hint = Les opérateurs voient toujours, en lecture seule, les tableaux de bord et moniteurs accordés au sous-compte. Chaque case ci-dessous ajoute une autorisation.
sub-account-can-view = Voir les tableaux de bord et moniteurs accordés
sub-account-can-build-dashboards = Créer leurs propres tableaux de bord à partir des moniteurs qu'ils voient
sub-account-can-manage-monitors = Créer et gérer leurs propres moniteurs, dans la limite du quota
sub-account-quota = Quota de moniteurs
sub-account-quota-hint = Combien de moniteurs ses opérateurs peuvent créer (de 0 à 10 000).
sub-account-can-edit-alerts = Modifier les définitions d'alerte du sous-compte
sub-account-monitors-made = Moniteurs créés
sub-account-quota-use = { $made ->
    [one] { $made } moniteur sur { $quota }
   *[other] { $made } moniteurs sur { $quota }
}
sub-account-operators = Opérateurs
sub-account-grants = Tableaux de bord et moniteurs accordés
sub-account-grants-hint = Un tableau de bord accordé montre tous ses moniteurs. Retirer un accès prend effet à la page suivante des opérateurs.
sub-account-save-grants = Enregistrer les accès
sub-account-no-operators = Aucun opérateur pour l'instant.
sub-account-remove-operator = Retirer
sub-account-invite = Inviter un opérateur
sub-account-settings = Nom et autorisations
sub-account-save = Enregistrer
sub-account-quota-invalid = Saisissez un nombre entier de 0 à { $max }.
sub-account-name-taken = Un autre sous-compte porte déjà ce nom.
sub-account-already-operator = Cette personne est déjà opérateur de ce sous-compte.
flash-sub-account-created = Le sous-compte a été créé.
flash-sub-account-changed = Le sous-compte a été enregistré.
flash-sub-account-grants-changed = Les accès ont été enregistrés.
flash-operator-invited = L'invitation a été envoyée.
flash-operator-removed = L'opérateur a été retiré.

alerts-title = Définitions d'alerte
alerts-intro = Quand un moniteur échoue autant de vérifications d'affilée que le dit la règle, les destinataires reçoivent un seul e-mail, puis un autre quand il se rétablit.
alerts-none = Aucune définition d'alerte pour l'instant.
alerts-new = Nouvelle définition d'alerte
alerts-create = Créer la définition d'alerte
alert-name = Nom
alert-owner = Pour
alert-owner-account = Ce compte
alert-owner-hint = Une définition d'alerte d'un sous-compte ne peut surveiller que ce que voit le sous-compte et n'écrit qu'à ses opérateurs.
alert-rule = Règle
alert-rule-text = { $failures ->
    [one] Après une vérification échouée
   *[other] Après { $failures } vérifications échouées d'affilée
}
alert-state = État
alert-alerting = { $count } en échec
alert-quiet = Calme
alert-failures = Vérifications échouées d'affilée avant l'alerte
alert-failures-hint = De 1 à 100.
alert-recipients = Destinataires
alert-recipients-hint = Seules les personnes du compte ou du sous-compte auquel appartient la définition peuvent la recevoir.
alert-people-of-account = Les personnes de ce compte
alert-people-of-sub-account = Les opérateurs du sous-compte { $name }
alert-no-people = Personne pour l'instant.
alert-edit = Modifier la définition d'alerte
alert-save = Enregistrer
alert-delete = Supprimer la définition d'alerte
alert-failures-invalid = Saisissez un nombre entier de 1 à { $max }.
alert-name-taken = Une autre définition d'alerte porte déjà ce nom.
alert-owner-unknown = Choisissez ce compte ou l'un de ses sous-comptes.
alert-monitor-required = Choisissez au moins un moniteur.
alert-monitor-unknown = Choisissez parmi les moniteurs proposés.
alert-recipient-required = Choisissez au moins un destinataire.
alert-recipient-unknown = Choisissez les destinataires parmi les personnes du compte ou du sous-compte auquel appartient la définition.
flash-alert-created = La définition d'alerte a été créée.
flash-alert-changed = La définition d'alerte a été enregistrée.
flash-alert-deleted = La définition d'alerte a été supprimée.

email-alert-failing-subject = Moniteur en panne : { $monitor }
email-alert-failing-intro = Le moniteur { $monitor } a échoué { $failures ->
    [one] à une vérification
   *[other] { $failures } vérifications d'affilée
} (la dernière à { $time }). Vous recevez ce message au titre de la définition d'alerte « { $definition } ». Vous serez prévenu une fois quand il se rétablira.
email-alert-recovered-subject = Moniteur rétabli : { $monitor }
email-alert-recovered-intro = Le moniteur { $monitor } fonctionne de nouveau : sa vérification de { $time } a réussi. (Définition d'alerte « { $definition } ».)
email-alert-last-message = La vérification a indiqué :
email-alert-action = Voir le moniteur et son journal d'erreurs :

rollup-monitors = Moniteurs
rollup-monitors-down = { $count } en panne
rollup-monitors-unknown = { $count } sans résultat récent
rollup-monitors-up = { $count } en service
rollup-monitors-all = { $count ->
    [one] Le seul moniteur
   *[other] Les { $count } moniteurs
}
rollup-requests-waiting = { $count ->
    [one] { $count } demande attend votre réponse
   *[other] { $count } demandes attendent votre réponse
}
rollup-requests-open = { $count ->
    [one] { $count } demande ouverte chez le partenaire
   *[other] { $count } demandes ouvertes chez le partenaire
}
rollup-sub-accounts = { $count ->
    [one] { $count } sous-compte
   *[other] { $count } sous-comptes
}
rollup-alerts = { $count ->
    [one] { $count } définition d'alerte
   *[other] { $count } définitions d'alerte
}, dont { $alerting } avec un moniteur en échec
rollup-down-now = En panne maintenant
rollup-you-may = Ce que vous pouvez faire ici
operator-can-view = Voir les tableaux de bord et les moniteurs qui vous sont accordés
operator-can-build-dashboards = Créer vos propres tableaux de bord à partir des moniteurs que vous voyez
operator-can-manage-monitors = Créer et gérer vos propres moniteurs, dans la limite du quota
operator-can-edit-alerts = Modifier les définitions d'alerte du sous-compte
rollup-quota = quota : { $quota }
monitors-filter-state = Moniteurs affichés : { $state }
monitors-filter-clear = Afficher tous les moniteurs

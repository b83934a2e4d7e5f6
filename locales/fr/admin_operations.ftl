# L'espace de l'opérateur de l'instance (/admin) : le catalogue, l'état des services, les tâches de fond

nav-admin-catalogue = Catalogue
nav-admin-health = État des services
nav-admin-jobs = Tâches de fond

admin-catalogue-title = Catalogue
admin-catalogue-lead = { $active ->
    [0] Aucune offre n'est ouverte à la commande : les partenaires ne peuvent rien commander.
    [one] { $active } offre est ouverte à la commande. Les offres retirées restent listées ci-dessous : ce qui a été commandé garde ses conditions.
   *[other] { $active } offres sont ouvertes à la commande. Les offres retirées restent listées ci-dessous : ce qui a été commandé garde ses conditions.
}
admin-catalogue-empty = Le catalogue est vide.
admin-offer-name = Offre
admin-offer-kind = Type
admin-offer-price = Prix unitaire
admin-offer-price-hint = Par unité et par mois pour les abonnements, par unité pour toute la durée pour les réservations, par exemple 12,50.
admin-offer-currency = Devise
admin-offer-currency-hint = Un code de trois lettres comme EUR.
admin-offer-term = Durée
admin-offer-term-hint = Aucune pour un abonnement à l'usage ; 1, 12 ou 36 mois pour un abonnement à durée fixe ; 12 ou 36 pour une réservation.
admin-offer-no-term = Aucune
admin-offer-term-months = { $months ->
    [one] { $months } mois
   *[other] { $months } mois
}
admin-offer-state = État
admin-offer-active = Ouverte à la commande
admin-offer-retired = Retirée
admin-offer-add = Ajouter une offre
admin-offer-add-lead = Les partenaires peuvent la commander pour leurs clients dès qu'elle est ajoutée.
admin-offer-add-submit = Ajouter l'offre
admin-offer-retire = Retirer
admin-offer-retire-named = Retirer { $name }
offer-kind-invalid = Choisissez l'un des types proposés.
offer-price-invalid = Saisissez un montant comme 12,50 (deux décimales au plus).
offer-currency-invalid = Saisissez un code de devise de trois lettres comme EUR.
offer-term-usage = Un abonnement à l'usage n'a pas de durée.
offer-term-subscription = Un abonnement à durée fixe dure 1, 12 ou 36 mois.
offer-term-reservation = Une réservation dure 12 ou 36 mois.
admin-confirm-retire-heading = Retirer cette offre ?
admin-confirm-retire-summary = { $orders ->
    [0] Les partenaires ne pourront plus commander { $name }. Rien n'a encore été commandé.
    [one] Les partenaires ne pourront plus commander { $name }. La commande passée reste telle quelle, ainsi que ce qu'elle est devenue.
   *[other] Les partenaires ne pourront plus commander { $name }. Les { $orders } commandes passées restent telles quelles, ainsi que ce qu'elles sont devenues.
}
flash-admin-offer-added = L'offre est au catalogue.
flash-admin-offer-retired = L'offre est retirée ; ce qui a été commandé reste.

instance-action-offer-added = A ajouté une offre au catalogue
instance-action-offer-retired = A retiré une offre
instance-action-service-added = A ajouté un service à un client
instance-action-incident-opened = A ouvert un incident
instance-action-incident-updated = A mis à jour un incident
instance-action-incident-resolved = A résolu un incident

admin-health-title = État des services
admin-health-lead = Les services de tous les clients de l'instance, avec leur état tel que le client et son partenaire le voient. Ouvrez un client pour ajouter un service ou signaler un incident.
admin-health-search = Le nom du client ou du partenaire contient
admin-health-customers-found = Clients
admin-health-no-customer = Aucun client ne correspond.
admin-health-no-services = Aucun service ne correspond.
admin-health-customer = Client
admin-health-partner = Partenaire
admin-health-no-partner = Sans partenaire
admin-health-customer-of = Client de { $partner }
admin-health-back = Tous les services
admin-health-back-to = Retour à { $customer }
admin-health-add-service = Ajouter un service
admin-health-name-taken = Le client a déjà un service de ce nom.
admin-health-open-count = { $count ->
    [0] Aucun incident n'est ouvert.
    [one] { $count } incident est ouvert.
   *[other] { $count } incidents sont ouverts.
}
admin-health-open-incident = Ouvrir un incident
admin-health-incident-title = Titre
admin-health-first-entry = Première entrée du fil
admin-health-text-hint = Montré au client et à son partenaire tel que vous l'écrivez.
admin-health-service-unknown = Choisissez l'un des services du client.
admin-health-post-update = Publier une mise à jour
admin-health-update-text = Mise à jour
admin-health-new-state = État
admin-health-state-unchanged = Inchangé
admin-health-resolve = Résoudre l'incident avec cette mise à jour
flash-admin-service-added = Le service est ajouté ; le client et son partenaire le voient.
flash-admin-incident-opened = L'incident est ouvert ; le client et son partenaire le voient.
flash-admin-incident-updated = La mise à jour est publiée.
flash-admin-incident-already-resolved = L'incident était déjà résolu.

admin-jobs-title = Tâches de fond
admin-jobs-lead = Ce que les workers des instances font en arrière-plan. Une importation n'est désignée que par son partenaire et son identifiant ; le journal du serveur cite le même identifiant.
admin-jobs-imports = Importations de clients
admin-jobs-under-way = En cours
admin-jobs-none-under-way = Aucune importation n'attend ni n'est en cours.
admin-jobs-failed = En échec
admin-jobs-none-failed = Aucune importation n'a échoué.
admin-jobs-partner = Partenaire · tâche
admin-jobs-worker = Worker
admin-jobs-started = Commencée
admin-jobs-ended = Terminée
admin-jobs-waiting = En attente d'un worker
admin-jobs-leased = Tenue par un worker jusqu'à { $until }
admin-jobs-lease-ran-out = Son instance s'est arrêtée : une autre la reprend depuis le début
admin-jobs-progress = { $checked ->
    [one] { $checked } ligne vérifiée sur { $total }
   *[other] { $checked } lignes vérifiées sur { $total }
}
admin-jobs-failed-interrupted = Interrompue trop de fois : les instances qui la traitaient se sont arrêtées avant la fin. Rien n'a été importé.
admin-jobs-failed-error = Arrêtée sur une erreur inattendue, écrite dans le journal du serveur avec l'identifiant de la tâche. Rien n'a été importé.
admin-jobs-failed-unknown = Arrêtée avant la fin. Rien n'a été importé.
admin-jobs-queues = Files d'attente
admin-jobs-queue = File
admin-jobs-waiting-count = En attente
admin-jobs-working-count = En cours d'envoi
admin-jobs-given-up-count = Abandonnés
admin-jobs-webhooks = Envois de webhooks
admin-jobs-oldest = Le plus ancien attend depuis le { $since }
admin-jobs-none-waiting = Rien n'attend.

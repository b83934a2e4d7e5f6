## Webhooks : le courriel aux propriétaires d'un partenaire quand un point de réception est désactivé.

email-webhook-disabled-subject = Un point de réception de webhooks Partnerdesk a été désactivé
email-webhook-disabled-intro = Partnerdesk n'envoie plus d'événements à votre point de réception { $url }.
email-webhook-disabled-days = { $days ->
    [one] Il n'avait accepté aucun envoi depuis un jour.
   *[other] Il n'avait accepté aucun envoi depuis { $days } jours.
}
email-webhook-disabled-last-error = La dernière erreur était :
email-webhook-disabled-enable = Une fois le point de réception rétabli, réactivez-le sur sa page (les événements manqués sont dans son journal d'envois et peuvent être renvoyés) :

## Adresses de webhooks refusées.

webhook-url-malformed = Saisissez une URL complète, par exemple https://example.com/partnerdesk-events.
webhook-url-not-https = Seules les URL https sont acceptées.
webhook-url-credentials = L'URL ne doit contenir ni nom d'utilisateur ni mot de passe.
webhook-url-unresolved = Ce nom d'hôte ne correspond à aucune adresse.
webhook-url-not-public = Cette adresse n'est pas sur l'internet public.

## Le journal d'activité.

action-webhook-created = A ajouté un point de réception de webhooks
action-webhook-secret-rotated = A renouvelé le secret d'un point de réception de webhooks
action-webhook-enabled = A réactivé un point de réception de webhooks
action-webhook-disabled = A désactivé un point de réception de webhooks
action-webhook-disabled-for-failures = Point de réception de webhooks désactivé après des jours d'échecs
action-webhook-deleted = A supprimé un point de réception de webhooks
action-webhook-redelivered = A renvoyé un événement de webhook

## Les pages.

nav-partner-webhooks = Webhooks
cap-manage-webhooks = Enregistrer et gérer les points de réception de webhooks de l'organisation
webhooks-title = Webhooks
webhooks-intro = Partnerdesk envoie une requête HTTPS à vos systèmes quand quelque chose arrive à vos clients. Chaque requête est signée avec le secret du point de réception : vérifiez l'en-tête Partnerdesk-Signature avant de vous y fier (voir la documentation de l'API). Un envoi qui échoue est retenté pendant trois jours ; un point de réception qui n'accepte rien pendant trois jours est désactivé et les propriétaires sont prévenus par courriel.
webhooks-new = Ajouter un point de réception
webhooks-url = URL
webhooks-url-hint = Une adresse https sur internet qui répond 2xx en moins de 10 secondes.
webhooks-description = Description (facultative)
webhooks-description-hint = Ce qui reçoit les événements, par exemple « Synchronisation PSA ».
webhooks-events = Événements
webhooks-add = Ajouter le point de réception
webhooks-none = Aucun point de réception pour l'instant.
webhooks-created = Le point de réception { $url } a été ajouté. Son secret de signature :
webhooks-rotated = Le nouveau secret de signature (le précédent signe aussi pendant 24 heures) :
webhooks-secret-shown-once = Copiez-le maintenant : il ne sera plus affiché.
webhooks-state = État
webhooks-state-active = Actif
webhooks-state-failing = En échec
webhooks-state-disabled = Désactivé
webhooks-last-delivery = Dernier envoi
webhooks-failing-since = En échec depuis
webhooks-never = Jamais
webhooks-open = Détails
webhooks-deliveries = Envois
webhooks-no-deliveries = Aucun envoi pour l'instant.
webhooks-event = Événement
webhooks-time = Heure
webhooks-attempts = Tentatives
webhooks-last-status = Dernier statut
webhooks-response-time = Temps de réponse
webhooks-last-error = Dernière erreur
webhooks-next-attempt = Prochaine tentative
webhooks-disabled-reason = Motif de la désactivation
webhooks-actions = Actions
webhooks-rotate = Renouveler le secret
webhooks-disable = Désactiver
webhooks-enable = Réactiver
webhooks-delete = Supprimer
webhooks-redeliver = Renvoyer
webhooks-newer = Envois plus récents
webhooks-older = Envois plus anciens
webhooks-back = Tous les points de réception
webhooks-delivery-pending = En attente
webhooks-delivery-sending = En cours
webhooks-delivery-delivered = Remis
webhooks-delivery-failed = Échoué
webhooks-delivery-cancelled = Annulé
webhook-url-too-long = L'URL est trop longue.
webhook-description-too-long = 200 caractères au plus.
webhook-events-required = Choisissez au moins un événement.
flash-webhook-enabled = Le point de réception a été réactivé.
flash-webhook-disabled = Le point de réception a été désactivé.
flash-webhook-deleted = Le point de réception a été supprimé.
flash-webhook-redelivered = L'événement va être renvoyé dans un instant.
webhook-event-customer-created = Client créé
webhook-event-customer-activated = Client activé
webhook-event-customer-renamed = Client renommé
webhook-event-customer-dissociated = Client dissocié
webhook-event-assistance-enabled = Assistance activée
webhook-event-assistance-disabled = Assistance désactivée
webhook-event-customer-opened = Client ouvert
webhook-event-order-placed = Commande passée
webhook-event-request-opened = Demande de service ouverte
webhook-event-request-answered = Demande de service répondue
webhook-event-monitor-down = Sonde en panne
webhook-event-monitor-recovered = Sonde rétablie
webhooks-disabled-for-failures = { $days ->
    [one] Partnerdesk l'a désactivé : aucun envoi accepté depuis { $days } jour. Dernière erreur : { $error }
   *[other] Partnerdesk l'a désactivé : aucun envoi accepté depuis { $days } jours. Dernière erreur : { $error }
}
webhooks-disabled-by = Désactivé par { $name }.

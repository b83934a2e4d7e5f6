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

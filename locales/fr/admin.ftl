# L'espace de l'opérateur de l'instance (/admin) et la page d'une organisation suspendue

nav-admin-partners = Partenaires
nav-admin-outbox = File des e-mails
nav-admin-activity = Activité de l'instance
picker-admin-area = Ouvrir l'espace opérateur

admin-partners-title = Organisations partenaires
admin-partners-search = Le nom contient
admin-partners-search-button = Rechercher
admin-partners-empty = Aucune organisation partenaire ne correspond.
admin-partner-name = Organisation
admin-partner-state = État
admin-partner-owners = Propriétaires
admin-partner-customers = Clients
admin-partner-created = Créée le
admin-partner-actions = Actions
admin-partner-parent = Rattachée à { $parent }
admin-partner-active = Active
admin-partner-suspended = Suspendue
admin-partner-customer-count = { $count ->
    [one] { $count } client
   *[other] { $count } clients
}
admin-partner-suspend = Suspendre
admin-partner-reinstate = Rétablir

admin-partner-create = Créer une organisation partenaire
admin-partner-create-lead = Le premier propriétaire reçoit une invitation par e-mail ; l'organisation est à lui dès qu'il l'accepte.
admin-partner-first-owner = Premier propriétaire
admin-partner-owner-email-hint = Laissez vide quand le nom d'utilisateur est l'adresse e-mail du propriétaire.
admin-partner-second-factor = Exiger un second facteur de son personnel (le propriétaire pourra le changer)
admin-partner-create-submit = Créer et inviter le propriétaire
flash-admin-partner-created = L'organisation est créée et l'invitation de son propriétaire est en route.

admin-suspend-heading = Suspendre { $name }
admin-suspend-lead = Son personnel ne verra plus qu'une page disant que l'organisation est suspendue, avec le motif ci-dessous, et ses jetons d'API seront refusés. Les consoles de ses clients continuent de fonctionner : les clients n'y sont pour rien.
admin-suspend-reason-hint = { $max ->
    [one] Montré au personnel de l'organisation. { $max } caractère au plus.
   *[other] Montré au personnel de l'organisation. { $max } caractères au plus.
}
admin-confirm-suspend-heading = Suspendre cette organisation ?
admin-confirm-suspend-summary = { $name } sera suspendue : son personnel perd l'accès à l'espace partenaire et ses jetons d'API cessent de fonctionner jusqu'à ce qu'elle soit rétablie.
admin-confirm-reinstate-heading = Rétablir cette organisation ?
admin-confirm-reinstate-summary = { $name } sera rétablie : son personnel et ses jetons d'API fonctionnent de nouveau.
flash-admin-partner-suspended = L'organisation est suspendue.
flash-admin-partner-already-suspended = L'organisation était déjà suspendue.
flash-admin-partner-reinstated = L'organisation est rétablie.
flash-admin-partner-not-suspended = L'organisation n'était pas suspendue.

suspended-title = Organisation suspendue
suspended-lead = L'opérateur de ce Partnerdesk a suspendu { $organisation }. Son espace partenaire est fermé jusqu'à ce que l'organisation soit rétablie.
suspended-reason = Motif
suspended-next = Veuillez contacter l'opérateur de ce Partnerdesk. Les consoles de vos clients continuent de fonctionner.

admin-outbox-title = File des e-mails
admin-outbox-state-pending = En attente
admin-outbox-state-sending = En cours d'envoi
admin-outbox-state-sent = Envoyés
admin-outbox-state-dead = Abandonnés
admin-outbox-state-failed = Refusés
admin-outbox-failed = E-mails non remis
admin-outbox-failed-lead = Refusés par le serveur de messagerie, ou abandonnés après plusieurs essais. Leur contenu n'est pas montré : il peut contenir des liens d'activation.
admin-outbox-none-failed = Chaque e-mail a été remis ou est encore en cours d'essai.
admin-outbox-retry-all-count = { $count ->
    [one] Réessayer l'e-mail non remis ({ $count })
   *[other] Réessayer les { $count } e-mails non remis
}
admin-outbox-retry-all = Tous les réessayer
admin-outbox-recipient = Destinataire
admin-outbox-subject = Objet
admin-outbox-reason = Motif
admin-outbox-queued = Mis en file
admin-outbox-attempts = { $count ->
    [one] { $count } essai
   *[other] { $count } essais
}
admin-outbox-retry = Réessayer
admin-confirm-retry-heading = Réessayer tous les e-mails non remis ?
admin-confirm-retry-summary = { $count ->
    [one] { $count } e-mail sera essayé une fois de plus maintenant.
   *[other] { $count } e-mails seront essayés une fois de plus maintenant.
}
flash-admin-email-retried = L'e-mail sera réessayé dans un instant.
flash-admin-emails-retried = Les e-mails seront réessayés dans un instant.

admin-activity-title = Activité de l'instance
admin-actor-command-line = Ligne de commande
instance-action-operator-granted = A nommé un opérateur de l'instance
instance-action-operator-revoked = A retiré un opérateur de l'instance
instance-action-partner-created = A créé une organisation partenaire
instance-action-partner-suspended = A suspendu une organisation partenaire
instance-action-partner-reinstated = A rétabli une organisation partenaire
instance-action-email-retried = A réessayé un e-mail
instance-action-failed-emails-retried = A réessayé les e-mails non remis

action-partner-suspended = L'opérateur de l'instance a suspendu l'organisation
action-partner-reinstated = L'opérateur de l'instance a rétabli l'organisation

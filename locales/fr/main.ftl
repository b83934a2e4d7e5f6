# Mise en page
nav-label = Navigation principale
nav-home = Accueil
nav-admin-home = Instance
nav-partner-home = Tableau de bord
nav-customer-home = Vue d'ensemble
footer-tagline = Partnerdesk, le portail partenaires libre.

# Page d'accueil
home-title = Bienvenue
home-heading = Le portail partenaires des revendeurs et des prestataires de services managés
home-lead = Gérez les comptes de vos clients en un seul endroit : clients, accès délégué, commandes, état des services et demandes.
home-partners-title = Pour les partenaires
home-partners-text = Une liste de clients rapide quelle que soit sa taille, la création de clients avec un e-mail d'activation, les groupes, la facturation et les commandes.
home-customers-title = Pour les clients
home-customers-text = Votre propre console : utilisateurs, sites, abonnements, et l'assistance du partenaire que vous activez ou désactivez.
home-subaccounts-title = Sous-comptes
home-subaccounts-text = Partagez les tableaux de bord et les moniteurs choisis avec vos clients finaux, fournisseurs et revendeurs, et rien de plus.

# Erreurs
error-back-home = Retour à l'accueil
error-400-title = Cette demande n'a pas pu être comprise
error-400-text = Revenez en arrière, vérifiez votre saisie et réessayez.
error-403-title = Accès refusé
error-403-text = Votre rôle ne permet pas cette action.
error-404-title = Page introuvable
error-404-text = Cette page n'existe pas, ou vous n'y avez pas accès.
error-405-title = Cette adresse répond à un formulaire
error-405-text = On y accède en envoyant un formulaire, pas en l'ouvrant. Revenez à la page du formulaire et envoyez-le à nouveau.
error-413-title = Trop de données
error-413-text = Ce que vous avez envoyé dépasse la taille acceptée par le portail.
error-429-title = Trop de tentatives
error-429-text = Veuillez patienter un instant avant de réessayer.
error-500-title = Une erreur est survenue
error-500-text = L'erreur a été enregistrée. Veuillez réessayer dans un instant.
error-503-title = Le portail ne parvient pas à joindre sa base de données
error-503-text = C'est en général passager. Merci de réessayer dans un instant.
error-reference = Référence à communiquer à l'exploitant :
error-malformed-title = Cette requête contient des caractères que le portail n'accepte pas
error-malformed-text = Vérifiez ce que vous avez saisi (pas de caractères de contrôle), puis réessayez.

# Champs de formulaire
field-required = Ce champ est obligatoire.
field-too-long = Cette valeur est trop longue.
field-invalid = Cette valeur n'est pas valide.

# Rôles
role-owner = Propriétaire
role-admin-agent = Agent administrateur
role-sales-agent = Agent commercial
role-helpdesk-agent = Agent du support

# E-mails
email-greeting = Bonjour { $name },
email-activation-subject = Votre compte Partnerdesk pour { $organisation }
email-activation-intro = Un compte a été créé pour vous chez { $organisation } sur Partnerdesk.
email-activation-action = Choisissez votre mot de passe pour l'activer :
email-activation-valid = Ce lien est valable { $hours ->
    [one] une heure
   *[other] { $hours } heures
} et ne peut servir qu'une fois.
email-activation-ignore = Si vous n'attendiez pas cet e-mail, vous pouvez l'ignorer.

# Démo
demo-greeting = Bienvenue, { $name } !

# Connexion
sign-in = Se connecter
sign-out = Se déconnecter
signin-title = Connexion à Partnerdesk
signin-submit = Se connecter
signin-failed = Nom d'utilisateur ou mot de passe incorrect.
signin-throttled = Trop de tentatives. Veuillez patienter quelques minutes avant de réessayer.
field-username = Nom d'utilisateur
field-password = Mot de passe
field-new-password = Nouveau mot de passe
field-password-confirmation = Saisissez de nouveau le mot de passe
flash-signed-out = Vous êtes déconnecté.
flash-activated = Votre mot de passe est enregistré. Vous pouvez vous connecter.
switch-membership = Changer
picker-title = Choisissez où travailler
picker-lead = Votre identifiant donne accès à plusieurs organisations. Choisissez-en une ; vous pourrez en changer à tout moment depuis l'en-tête.
picker-none = Votre identifiant ne donne accès à aucune organisation pour le moment.
error-csrf-title = Ce formulaire a expiré
error-csrf-text = Veuillez recharger la page et réessayer.

# Mots de passe
password-hint = Au moins 8 caractères. Une longue phrase est plus facile à retenir et plus difficile à deviner.
password-too-short = Le mot de passe doit comporter au moins 8 caractères.
password-too-long = Le mot de passe doit comporter au plus 128 caractères.
password-too-common = Ce mot de passe fait partie des plus courants. Veuillez en choisir un autre.
password-mismatch = Les deux mots de passe ne sont pas identiques.

# Activation
activate-title = Choisissez votre mot de passe
activate-lead = Vous activez l'identifiant
activate-submit = Activer mon compte
link-invalid-title = Ce lien n'est plus utilisable
link-invalid-text = Le lien a expiré ou a déjà servi. Saisissez votre nom d'utilisateur pour en recevoir un nouveau.
link-renew-submit = M'envoyer un nouveau lien
link-renew-sent-title = Consultez vos e-mails
link-renew-sent = Si un identifiant portant ce nom attend son activation, nous avons demandé un nouveau lien : la personne qui vous a invité vous l’envoie, ou il vous parvient directement. Les liens précédents ne fonctionnent plus dès son envoi.

# Aide sur les rôles
nav-roles-help = Rôles
roles-title = Ce que chaque rôle partenaire peut faire
roles-lead = Le personnel du partenaire détient l'un de ces quatre rôles. Le portail applique exactement ce tableau.
roles-capability = Droit
yes = Oui
no = Non
cap-see-partner-home = Voir la page d'accueil partenaire
cap-see-customers = Voir les clients, leurs détails, licences et état de santé
cap-manage-customers = Créer et renommer des clients, passer des commandes
cap-see-customer-permissions = Voir les autorisations des clients
cap-toggle-customer-permissions = Modifier les autorisations des clients (achats en libre-service)
cap-open-customer = Ouvrir un client (avec l'assistance partenaire)
cap-service-requests = Demandes de service pour le compte des clients
cap-dissociate-customer = Dissocier un client
cap-manage-groups = Gérer les groupes de clients
cap-manage-staff = Gérer le personnel du partenaire et ses rôles
cap-see-activity = Voir le journal d'activité

# Espace partenaire
partner-your-role = Votre rôle :

# Activité
action-signed-in = S'est connecté
action-sign-in-failed = Échec de connexion
action-activated = A activé son identifiant
action-password-changed = A changé son mot de passe
action-password-reset = A réinitialisé son mot de passe
action-staff-invited = A invité un membre du personnel
action-invitation-resent = A envoyé une nouvelle invitation
action-role-changed = A changé un rôle
action-member-disabled = A désactivé un membre du personnel

# Réinitialisation et changement de mot de passe
email-reset-subject = Réinitialisez votre mot de passe Partnerdesk
email-reset-intro = Quelqu'un a demandé la réinitialisation du mot de passe de votre identifiant Partnerdesk.
email-reset-action = Choisissez un nouveau mot de passe ici :
email-reset-valid = Ce lien est valable { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
} et ne peut servir qu'une fois.
email-reset-ignore = Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.
email-changed-subject = Votre mot de passe Partnerdesk a été modifié
email-changed-intro = Le mot de passe de votre identifiant Partnerdesk vient d'être modifié, et toutes les sessions ouvertes ont été fermées.
email-changed-not-you = Si ce n'était pas vous, réinitialisez votre mot de passe immédiatement :
reset-title = Réinitialiser votre mot de passe
reset-lead = Saisissez votre nom d'utilisateur. S'il correspond à un identifiant actif, nous vous enverrons un lien pour choisir un nouveau mot de passe.
reset-submit = Envoyer le lien
reset-sent-title = Consultez vos e-mails
reset-sent = Si ce nom d'utilisateur correspond à un identifiant actif, un lien pour choisir un nouveau mot de passe est en route. Il est valable 60 minutes.
reset-choose-title = Choisissez un nouveau mot de passe
reset-choose-submit = Enregistrer le nouveau mot de passe
reset-invalid-title = Ce lien n'est plus utilisable
reset-invalid-text = Le lien a expiré ou a déjà servi.
reset-ask-again = Demander un nouveau lien
flash-password-reset = Votre mot de passe a été modifié. Connectez-vous avec le nouveau.
forgot-password = Mot de passe oublié ?
change-password-title = Changer votre mot de passe
field-current-password = Mot de passe actuel
change-password-submit = Changer le mot de passe
current-password-wrong = Ce n'est pas votre mot de passe actuel.
current-password-throttled = Trop de tentatives. Veuillez patienter quelques minutes avant de réessayer.
flash-password-changed = Votre mot de passe a été modifié. Vos autres sessions ont été fermées.
nav-account = Mon compte

# Personnel
nav-staff = Personnel
nav-activity = Activité
staff-title = Personnel du partenaire
staff-invite = Inviter un membre du personnel
staff-name = Nom complet
staff-status = Statut
staff-role = Rôle
staff-actions = Actions
staff-active = Actif
staff-pending = Invitation en attente
staff-disabled = Désactivé
staff-change-role = Modifier
staff-resend = Envoyer une nouvelle invitation
staff-disable = Désactiver
staff-username-hint = Laissez vide pour utiliser l'adresse e-mail comme nom d'utilisateur.
staff-send-invitation = Envoyer l'invitation
staff-already-member = Cette personne est déjà membre de votre organisation.
field-email = E-mail
field-language = Langue
cancel = Annuler
flash-staff-invited = L'invitation a été envoyée.
flash-role-changed = Le rôle a été modifié.
flash-member-disabled = Le membre du personnel a été désactivé et déconnecté.
flash-invitation-resent = Une nouvelle invitation a été envoyée ; le lien précédent ne fonctionne plus.
flash-last-owner = Votre organisation doit conserver au moins un propriétaire actif.

# Journal d'activité
activity-title = Journal d'activité
activity-person = Personne
activity-everyone = Tout le monde
activity-action = Action
activity-any-action = Toutes les actions
activity-from = Du
activity-to = Au
activity-filter = Filtrer
activity-when = Quand
activity-target = Concernant
activity-details = Détails
activity-empty = Aucune activité ne correspond à ces filtres.
pagination = Pages
previous-page = Page précédente
next-page = Page suivante

# Commun
save = Enregistrer
close = Fermer
back = Retour
field-choose = Choisissez une valeur dans la liste.
role-customer-administrator = Administrateur client
role-customer-user = Utilisateur client
nav-customers = Clients
nav-groups = Groupes

# États, facturation, durées, intégrité, licences
customer-state-creating = Création
customer-state-active = Actif
customer-state-suspended = Suspendu
billing-trial = Essai
billing-monthly-usage = Utilisation mensuelle
billing-term-subscription = Abonnement à durée fixe
term-monthly = Mensuelle
term-annual = Annuelle
health-healthy = Sain
health-advisory = Avis
health-incident = Incident
licence-active = Active
licence-trial = Essai
licence-expired = Expirée

# Liste des clients
customers-title = Clients
customers-create = Créer un compte client
customers-create-first = Créer votre premier compte client
customers-import = Importer un CSV
customers-export = Exporter en CSV
customers-export-semicolon = (avec points-virgules, pour un tableur en français)
customers-search = Rechercher
customers-search-hint = Nom ou domaine principal
customers-licence = État des licences
customers-billing = Facturation
customers-group = Groupe
customers-health = État du service
customers-state = État
customers-any = Tous
customers-mine = Afficher uniquement mes produits
customers-per-page = Par page
customers-apply = Appliquer
customers-clear = Effacer la recherche et les filtres
customers-none-yet = Vous n’avez pas encore de client.
customers-no-match = Aucun client ne correspond à cette recherche et à ces filtres.
customers-past-end = Cette page est au-delà de la fin de la liste, qui compte { $pages ->
    [one] une page
   *[other] { $pages } pages
}.
customers-last-page = Aller à la dernière page
customers-showing = Clients { $first } à { $last } sur { $total }
customers-page-of = Page { $page } sur { $pages }
customers-sort-name = Nom
customers-sort-state = État
customers-sort-health = État du service
customers-sort-created = Création
customers-domain = Domaine principal
customers-licences = Licences
customers-groups = Groupes
customers-managed-order = Commande client gérée
customers-details = Détails
customers-trial-until = jusqu’au
customers-trial-ended-on = terminé le
customers-trials-ended = Essais terminés sans avoir été convertis.
home-trials-ended = { $count ->
    [one] essai terminé, non converti
   *[other] essais terminés, non convertis
}
customers-back-to-list = Retour à la liste des clients

# Un client
customer-account = Compte
customer-name = Nom du compte
customer-contact = Contact
customer-phone = Téléphone
customer-address = Adresse
customer-open-details = Ouvrir les détails du client
customer-reference = Numéro de référence client
customer-country = Pays
customer-data-region = Région des données
customer-time-zone = Fuseau horaire
customer-created = Créé le
customer-billing-type = Type de facturation
customer-term = Durée de l’abonnement
customer-enrolled-devices = Unités inscrites
customer-convert-trial = Convertir en utilisation mensuelle
customer-change-term = Modifier la durée de l’abonnement
customer-term-change-now = Aucune unité n’est inscrite : une nouvelle durée prend effet immédiatement.
customer-term-change-later = { $devices ->
    [one] { $devices } unité inscrite
   *[other] { $devices } unités inscrites
} : une nouvelle durée prend effet à la fin de la période en cours, le { $date }.
customer-term-pending = passe à { $term } le { $date }
customer-no-group = Ce client n’appartient à aucun groupe.
customer-add-to-group = Ajouter à un groupe
customer-remove-from-group = Retirer
customer-no-licence = Aucune licence pour l’instant.
customer-product = Produit
customer-quantity = Quantité
customer-expires = Expire le
customer-sites = Sites
customer-site = Site
customer-devices = Unités
customer-administrator = Administrateur de clients
customer-admin-active = activé
customer-admin-pending = en attente d’activation
customer-rename = Renommer le compte
customer-dissociate = Dissocier ce client
customer-dissociate-explain = { $name } n’apparaîtra plus parmi vos clients et vous perdrez l’accès à son compte. Le compte, ses utilisateurs et ses données restent tels quels. L’opération est inscrite au journal d’activité.
customer-dissociate-confirm = Je comprends que mon organisation perd l’accès à ce client.
customer-dissociate-confirm-required = Cochez la case pour confirmer la dissociation.
customer-trial-in-future = La fin de l’essai doit être postérieure à aujourd’hui.
customer-username-not-email = Ce nom d’utilisateur n’est pas une adresse e-mail : décochez la case et indiquez une adresse e-mail.
customer-username-after-activation = Le nom d’utilisateur ne peut être modifié qu’après l’activation du compte par son titulaire.
customer-username-shared = Ce compte est aussi utilisé en dehors des comptes de vos clients ; seul son titulaire peut changer son nom d’utilisateur.
customer-username-taken = Ce nom d’utilisateur est déjà pris.
flash-customer-created = Le compte client a été créé ; son administrateur a reçu un e-mail.
flash-customer-renamed = Le compte client a été renommé.
flash-customer-dissociated = Le client a été dissocié de votre organisation.
flash-customer-grouped = Le client a été ajouté au groupe.
flash-customer-ungrouped = Le client a été retiré du groupe.
flash-trial-converted = L’essai a été converti en utilisation mensuelle.
flash-not-a-trial = Ce client n’est pas en essai.
flash-term-changed = La nouvelle durée d’abonnement est en vigueur.
flash-term-scheduled = La nouvelle durée d’abonnement prendra effet à la fin de la période en cours.
flash-term-unchanged = La durée de l’abonnement est inchangée.
flash-term-change-cancelled = Le changement de durée prévu est annulé ; la durée actuelle continue.
flash-username-changed = Le nom d’utilisateur a été modifié.

# Créer un compte client
create-title = Créer un compte client
create-step-1 = Données du compte
create-step-2 = Adresse du client
create-step-3 = Administrateur de clients
create-name-hint = Le nom qui identifie le client dans votre liste de clients.
create-domain-hint = Par exemple contoso.fr ; la liste peut être recherchée par ce domaine.
create-country-hint = Le pays de résidence sélectionne le centre de données le plus proche du client.
create-reference-hint = Identifie le client dans votre comptabilité ; indiqué sur vos factures.
create-term-hint = Modifiable immédiatement tant qu’aucune unité n’est inscrite, sinon à la fin de la période en cours.
create-trial-ends = Fin de l’essai
create-trial-hint = Seulement pour les comptes d’essai.
create-managed-order = Commande client gérée (facturée par vous)
create-address-line1 = Adresse
create-address-line2 = Adresse, deuxième ligne
create-postal-code = Code postal
create-city = Ville
create-region = État, province ou région
create-country-carried = Repris des données du compte ; revenez en arrière pour le modifier.
create-admin-name = Nom complet
create-language-hint = La langue des pages et des e-mails de l’administrateur.
create-identity-provider = Fournisseur d’identité
idp-local = Partnerdesk (mot de passe)
create-username-hint = Modifiable uniquement après l’activation du compte par l’administrateur. Un nom d’utilisateur existant reçoit aussi l’accès à ce compte.
create-email-same = Identique au nom d’utilisateur
create-email-hint = Seulement si la case ci-dessus est décochée.
create-next = Suivant
create-back = Précédent
create-submit = Créer

# Groupes de clients
groups-title = Groupes de clients
groups-new-name = Nouveau groupe
groups-create = Créer le groupe
groups-none = Aucun groupe pour l’instant.
groups-name = Groupe
groups-customers = Clients
groups-actions = Actions
groups-rename = Renommer
groups-delete = Supprimer
group-name-taken = Un groupe porte déjà ce nom.
flash-group-created = Le groupe a été créé.
flash-group-renamed = Le groupe a été renommé.
flash-group-deleted = Le groupe a été supprimé.

# Console client
console-partner = Partenaire
console-no-partner = Aucun

# Activité sur les clients
action-customer-created = A créé un compte client
action-customer-renamed = A renommé un compte client
action-customer-dissociated = A dissocié un client
action-customer-added-to-group = A ajouté un client à un groupe
action-customer-removed-from-group = A retiré un client d’un groupe
action-group-created = A créé un groupe de clients
action-group-renamed = A renommé un groupe de clients
action-group-deleted = A supprimé un groupe de clients
action-trial-converted = A converti un essai en utilisation mensuelle
action-term-changed = A modifié une durée d’abonnement
action-customers-imported = A importé des clients
action-username-changed = A modifié le nom d’utilisateur d’un administrateur client

# E-mails sur les comptes clients
email-access-subject = Vous administrez désormais { $account } sur Partnerdesk
email-access-intro = Vous avez été nommé administrateur du compte client { $account }. Votre compte existant vous y donne accès.
email-access-action = Connectez-vous avec votre nom d’utilisateur et votre mot de passe habituels :
flash-choose-group = Choisissez d’abord un groupe.

## Import de clients
import-title = Importer des clients
import-intro = Déposez un fichier CSV avec un client par ligne. Toutes les lignes sont d'abord vérifiées : si une ligne pose problème, rien n'est importé et vous obtenez la liste des problèmes à corriger. L'administrateur de chaque client reçoit le courriel d'activation, comme lorsque vous créez un client à la main.
import-file = Fichier CSV
import-file-hint = UTF-8, séparé par des virgules ou des points-virgules, { $rows } lignes et { $megabytes } Mo au plus.
import-start = Vérifier et importer
import-columns = Colonnes
import-required-columns = Obligatoires :
import-optional-columns = Facultatives :
import-rule-export = Un fichier exporté de la liste des clients s'importe tel quel ; ses colonnes `id`, `data_region`, `state`, `health` et `created_at` sont ignorées.
import-rule-codes = `country` est un code à deux lettres (`FR`, `US`…) ; `subscription_term` vaut `monthly` ou `annual` ; `billing_type` vaut `trial`, `monthly_usage` ou `term_subscription` ; les dates s'écrivent `2026-12-31` ; `managed_order` vaut `yes` ou `no`.
import-rule-defaults = Laissés vides, `time_zone` prend celui du pays, `subscription_term` vaut `monthly`, `billing_type` vaut `trial`, pour 30 jours, l'identifiant de l'administrateur est `contact_email` et sa langue est la vôtre.
import-rule-all-or-nothing = Un client dont le domaine principal est déjà dans votre liste, ou figure deux fois dans le fichier, est refusé.
import-recent = Imports récents
import-started = Commencé
import-state = État
import-rows = Lignes
import-state-checking = Vérification
import-state-invalid = Refusé
import-state-importing = Import en cours
import-state-done = Importé
import-state-failed = Échoué
import-file-missing = Choisissez un fichier CSV.
import-file-not-utf8 = Le fichier n'est pas du texte UTF-8. Enregistrez-le en « CSV UTF-8 » et réessayez.
import-file-unreadable = Le fichier n'a pas pu être lu comme un CSV (vérifiez ses guillemets).
import-missing-columns = Il manque ces colonnes au fichier : { $columns }.
import-no-rows = Le fichier a un en-tête mais aucun client.
import-too-many-rows = Le fichier a plus de { $max } lignes. Découpez-le en plusieurs fichiers.
import-yes-no = Écrivez oui ou non.
import-domain-repeated = Ce domaine principal figure déjà sur une ligne précédente du fichier.
import-domain-exists = Un client avec ce domaine principal est déjà dans votre liste.
import-checking = Vérification des lignes : { $checked } sur { $total }.
import-importing = { $total ->
    [one] La ligne est valide. Import en cours…
   *[other] Les { $total } lignes sont valides. Import en cours…
}
import-page-refreshes = Cette page se rafraîchit d'elle-même.
import-done = { $imported ->
    [one] { $imported } client importé.
   *[other] { $imported } clients importés.
}
import-see-customers = Voir les clients
import-more-problems = { $count ->
    [one] …et un autre problème.
   *[other] …et { $count } autres problèmes.
}
import-row = Ligne
import-line = Ligne { $line }
import-column = Colonne
import-problem = Problème
import-again = Déposer un fichier
import-failed = L'import s'est arrêté avant la fin ; rien n'a été importé. Déposez à nouveau le fichier.
import-state-queued = En attente
import-queued = En attente : la vérification commence dans un instant.
import-resuming = Le serveur qui traitait cet import s'est arrêté avant la fin. Rien n'a été importé ; l'import reprend depuis le début dans un instant.
import-invalid-rows = Rien n'a été importé. Lignes à corriger : { $rows } sur { $total } ; { $problems ->
    [one] { $problems } problème relevé.
   *[other] { $problems } problèmes relevés.
} Corrigez-les et déposez à nouveau le fichier.
import-failed-interrupted = L'import a été interrompu trop de fois et a été abandonné ; rien n'a été importé. Déposez à nouveau le fichier.
import-failed-error = L'import s'est arrêté sur une erreur inattendue ; rien n'a été importé. Déposez à nouveau le fichier dans quelques minutes ; si cela se reproduit, contactez votre administrateur.

## Assistance partenaire
nav-customer-assistance = Assistance partenaire
assistance-title = Assistance partenaire
assistance-explain = Tant que l’assistance partenaire est activée, les personnes chez { $partner } peuvent ouvrir votre compte pour vous aider. À chaque fois, elles donnent un motif et tout ce qu’elles font est consigné à leur nom dans votre journal d’activité.
assistance-no-partner = Votre compte n’a pas de partenaire : personne ne peut l’ouvrir en votre nom.
assistance-state = L’assistance partenaire est
assistance-on = Activée
assistance-off = Désactivée
assistance-turn-on = Activer l’assistance partenaire
assistance-turn-off = Désactiver l’assistance partenaire
assistance-administrators-only = Seuls les administrateurs du compte peuvent activer ou désactiver l’assistance partenaire.
assistance-history = Historique
assistance-history-empty = L’assistance partenaire n’a été ni activée ni désactivée depuis la création du compte.
assistance-change = Changement
assistance-turned-on = Activée
assistance-turned-off = Désactivée
flash-assistance-on = L’assistance partenaire est activée.
flash-assistance-off = L’assistance partenaire est désactivée.
action-assistance-turned-on = A activé l’assistance partenaire
action-assistance-turned-off = A désactivé l’assistance partenaire
ccap-see-account = Voir le compte, ses sites et l’assistance partenaire
ccap-manage-assistance = Activer ou désactiver l’assistance partenaire
customer-assistance = Assistance partenaire
roles-customer-title = Dans un compte client

## Ouvrir le client
open-title = Ouvrir le client
open-explain = Vous entrerez dans la console de ce client pour { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
} au plus, sous un bandeau qui vous nomme avec votre organisation. Le client voit votre motif, et tout ce que vous y faites est consigné à votre nom dans son journal d’activité.
open-reason = Motif
open-reason-hint = Dites pourquoi vous ouvrez le compte, par exemple le ticket que vous traitez. 200 caractères au plus.
open-button = Ouvrir la console du client
open-assistance-off = L’assistance partenaire est désactivée pour ce client. Seul son administrateur peut l’activer, depuis sa propre console.
customer-open = Ouvrir le client
assisted-banner = Vous êtes dans la console du compte { $account }, au nom du partenaire { $partner }, en tant que { $person }, jusqu’à { $until }.
assisted-leave = Quitter la console du client
assisted-ended-left = Vous avez quitté la console du client.
assisted-ended-expired = Votre temps dans la console du client est écoulé : une session dure une heure au plus.
assisted-ended-assistance-off = Le client a désactivé l’assistance partenaire, ce qui a mis fin à votre session dans sa console.
assisted-ended-dissociated = Le client n’est plus associé à votre organisation, ce qui a mis fin à votre session dans sa console.
assisted-ended-access-removed = Votre rôle ne permet plus d’ouvrir les clients, ce qui a mis fin à votre session dans sa console.
flash-assisted-left = Vous avez quitté la console du client.
role-assisting-partner = Utilisateur partenaire (ouvrir le client)
ccap-see-activity = Voir l’activité concernant le compte
ccap-manage-sites = Créer et renommer des sites
ccap-leave-assisted = Quitter une console ouverte par « Ouvrir le client »
action-customer-opened = A ouvert la console du client
action-customer-left = A quitté la console du client
action-site-created = A créé un site
action-site-renamed = A renommé un site
activity-on-behalf-of = au nom du partenaire { $partner }
nav-customer-sites = Sites
nav-customer-activity = Activité
sites-title = Sites
sites-name = Nom
sites-time-zone = Fuseau horaire
sites-devices = Appareils
sites-rename = Renommer
sites-new = Nouveau site
sites-create = Créer le site
site-name-taken = Un site porte déjà ce nom.
flash-site-created = Le site a été créé.
flash-site-renamed = Le site a été renommé.
assistance-notify = M’envoyer un courriel chaque fois que mon partenaire ouvre le compte
assistance-notify-save = Enregistrer
flash-notify-on = Vous recevrez un courriel chaque fois que votre partenaire ouvrira le compte.
flash-notify-off = Vous ne recevrez plus de courriel quand votre partenaire ouvrira le compte.
email-opened-subject = { $partner } a ouvert { $account }
email-opened-intro = { $person }, chez { $partner }, a ouvert la console du compte { $account } grâce à l’assistance partenaire.
email-opened-reason = Motif donné :
email-opened-action = Tout ce qui y est fait apparaît dans votre journal d’activité :

## Utilisateurs du client et invitations
nav-customer-users = Utilisateurs
users-title = Utilisateurs
users-invite = Inviter quelqu’un
users-already-member = Cette personne a déjà accès à ce compte, ou son identifiant est désactivé.
users-last-administrator = Le compte doit garder au moins un administrateur actif.
flash-user-invited = L’invitation a été envoyée.
flash-user-disabled = L’utilisateur a été désactivé ; ses sessions ont pris fin.
flash-invitation-revoked = L’invitation a été révoquée ; son lien ne fonctionne plus.
invitation-sent = Envoyée { $at }
invitation-until = le lien fonctionne jusqu’au { $until }
invitation-expired = le lien a expiré
invitation-bounced = l'e-mail n'a pas pu être remis : vérifiez l'adresse, puis renvoyez-le
invitation-revoke = Révoquer
ccap-see-users = Voir les utilisateurs du compte et les invitations en attente
ccap-manage-users = Inviter des utilisateurs, changer leur rôle, les désactiver, renvoyer ou révoquer des invitations
action-user-invited = A invité un utilisateur
action-user-disabled = A désactivé un utilisateur
action-invitation-revoked = A révoqué une invitation
email-request-subject = { $invitee } demande un nouveau lien d’invitation
email-request-intro = { $invitee } ({ $username }) a voulu utiliser son invitation à { $organisation }, mais le lien avait expiré. Envoyez-lui-en un nouveau depuis la page ci-dessous ; l’ancien lien ne fonctionne plus.
email-request-action = Renvoyer l’invitation :
sites-administrators = Administrateurs du site
sites-add-administrator = Ajouter comme administrateur
sites-remove-administrator = Retirer comme administrateur :
flash-site-administrator-added = L’administrateur du site a été ajouté.
flash-site-administrator-removed = L’administrateur du site a été retiré.
action-site-administrator-added = A nommé un administrateur de site
action-site-administrator-removed = A retiré un administrateur de site
ccap-manage-assigned-sites = Renommer les sites dont on est administrateur
console-subscription = Abonnement
context-label = Client sur lequel vous travaillez
context-working-on = Vous travaillez sur
context-details = Détails
context-users = Utilisateurs
context-activity = Activité
context-clear = Tous les clients
context-choose = Travailler sur ce client
context-activity-only = Seules les entrées concernant { $customer } sont affichées. Choisissez « Tous les clients » ci-dessus pour tout voir.
activity-customer = Client
activity-customer-hint = Une partie de son nom ou de son domaine.
activity-date-invalid = Saisissez une date au format AAAA-MM-JJ.
activity-range-invalid = La date de fin précède la date de début.
activity-action-invalid = Choisissez une action de la liste.
activity-export = Télécharger en CSV
action-open-notification-on = A demandé un email à chaque ouverture du compte par le partenaire
action-open-notification-off = Ne reçoit plus d’email à l’ouverture du compte par le partenaire
customers-trials-ending = Essais se terminant du { $from } au { $to }.
customers-remove-filter = Retirer ce filtre
home-attention = À traiter
home-trials-ending = { $count ->
    [one] essai se terminant
   *[other] essais se terminant
} { $days ->
    [one] d'ici demain
   *[other] dans les { $days } prochains jours
}
home-worst = Santé des services, la pire d’abord
home-customers = { $count ->
    [one] { $count } client
   *[other] { $count } clients
}
home-recent = Activité récente
home-open-requests = { $count ->
    [one] demande de service ouverte qui vous attend
   *[other] demandes de service ouvertes qui vous attendent
}
month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.
home-new-customers = Nouveaux clients par mois
home-new-customers-desc = { $count ->
    [one] { $count } nouveau client sur les douze derniers mois, une barre par mois avec son nombre.
   *[other] { $count } nouveaux clients sur les douze derniers mois, une barre par mois avec son nombre.
}
home-current-month-hatched = La barre hachurée est le mois en cours.
customers-licences-expiring = Une licence active expirant du { $from } au { $to }.
home-licences-expiring = { $count ->
    [one] client dont une licence expire
   *[other] clients dont une licence expire
} { $days ->
    [one] d'ici demain
   *[other] dans les { $days } prochains jours
}
home-invitations-expiring = { $count ->
    [one] invitation du personnel expirant dans la journée
   *[other] invitations du personnel expirant dans la journée
}
staff-only-expiring = Seulement les invitations dont le lien cesse de fonctionner dans la journée.
staff-count = Personnes : { $total }

# Asking a customer for partner assistance (issue 17)
customer-assistance-off = Ce client n'a pas autorisé l'assistance partenaire : vous ne pouvez donc pas ouvrir son compte. Seul l'un de ses administrateurs peut l'activer.
customer-assistance-ask = Demander l'accès à ses administrateurs par e-mail
customer-assistance-asked = L'accès a été demandé le { $at } ; les administrateurs pourront être relancés un jour plus tard.
flash-assistance-requested = Les administrateurs du client ont reçu par e-mail une demande d'activation de l'assistance partenaire.
flash-assistance-already-requested = L'accès a déjà été demandé au cours des dernières 24 heures.
flash-assistance-nobody-to-ask = Ce client n'a pas encore d'administrateur actif à qui le demander.
email-assistance-request-subject = { $partner } demande l'accès à { $account }
email-assistance-request-intro = { $person }, chez { $partner }, vous demande d'activer l'assistance partenaire pour { $account } afin de pouvoir ouvrir votre compte et vous aider.
email-assistance-request-action = C'est vous qui décidez : l'assistance partenaire s'active ou se désactive sur cette page de votre console :
email-assistance-request-ignore = Si vous ne souhaitez pas donner cet accès, ne faites rien : l'assistance reste désactivée.
action-assistance-requested = A demandé l'assistance partenaire

## The layout: the menu button on a narrow screen and the sections of the navigation.
skip-to-content = Aller au contenu
nav-menu = Menu
nav-section-home = Accueil
nav-section-customers = Clients
nav-section-monitoring = Surveillance
nav-section-service = Services
nav-section-commerce = Achats
nav-section-activity = Activité
nav-section-settings = Paramètres
table-scroll-label = Tableau, défile horizontalement s'il dépasse la largeur de l'écran

# Personnel limité à des groupes de clients
staff-customers = Clients
staff-reach-title = Clients auxquels cette personne accède
staff-reach-hint = Une personne limitée à des groupes ne voit, ne recherche, n'exporte, n'ouvre, ne commande pour et ne compte que les clients de ces groupes, sur chaque page, dans chaque export et par les jetons d'API qu'elle crée. Les clients qu'elle crée rejoignent ses groupes.
staff-reach-legend = Accès
staff-reach-all = Tous les clients
staff-reach-groups = Seulement les clients des groupes ci-dessous
staff-reach-groups-legend = Groupes
staff-reach-no-groups-yet = Il n'y a pas encore de groupe de clients.
staff-reach-save = Enregistrer
staff-reach-change = Modifier
staff-reach-everyone = Tous les clients
staff-reach-only = { $count ->
    [one] Un seul groupe : { $groups }
   *[other] Seulement { $count } groupes : { $groups }
}
staff-reach-owner = Les propriétaires accèdent à tous les clients ; seuls les autres rôles peuvent être limités à des groupes.
staff-reach-no-group = Choisissez au moins un groupe, ou donnez à cette personne accès à tous les clients.
staff-reach-unknown-group = Un des groupes choisis n'existe plus ; choisissez à nouveau.
flash-staff-reach-saved = Les clients auxquels cette personne accède ont été enregistrés.
action-staff-reach-changed = A modifié les clients auxquels un membre du personnel accède
home-limited-reach = Vous accédez aux clients { $count ->
    [one] d'un groupe
   *[other] de { $count } groupes
} : ces chiffres ne comptent qu'eux.

# Groupes de clients par règle
rule-group-create = Créer un groupe par règle
rule-group-hint = Un groupe par règle contient chaque client qui remplit toutes les conditions choisies, maintenant et au fil de ses changements ; personne n'y ajoute ni n'en retire de client à la main.
rule-any = Indifférent
rule-billing = Type de facturation
rule-state = État
rule-licence = A une licence
rule-product = A une licence active ou d'essai du produit
rule-health = État des services
rule-created-from = Créé le ou après le
rule-created-until = Créé le ou avant le
rule-reference-prefix = Référence commençant par
rule-in-group = Aussi dans le groupe
rule-group-submit = Créer le groupe par règle
rule-group-label = Par règle
rule-shown-country = pays { $value }
rule-shown-billing = facturation { $value }
rule-shown-state = état { $value }
rule-shown-licence = une licence { $value }
rule-shown-product = produit { $value }
rule-shown-health = services { $value }
rule-shown-created-from = créé à partir du { $value }
rule-shown-created-until = créé jusqu'au { $value }
rule-shown-reference = référence commençant par { $value }
rule-shown-group = dans { $value }
rule-shown-group-gone = un groupe supprimé (ne retient personne)
rule-value-unknown = Choisissez une des valeurs proposées.
rule-day-invalid = Saisissez une date au format AAAA-MM-JJ.
rule-days-reversed = Cette date précède la première.
rule-empty = Choisissez au moins une condition.
flash-group-rule-based = Un groupe par règle contient les clients que ses conditions retiennent ; on n'y ajoute ni n'en retire de client à la main.
customer-group-by-rule = (selon sa règle)
rule-edit-title = Conditions du groupe
rule-edit-hint = Les clients qui remplissent ces conditions forment le groupe dès maintenant, dans les listes, les décomptes et pour le personnel limité au groupe. Chaque condition donnée doit être remplie.
rule-edit-link = Modifier les conditions
flash-group-rule-changed = Les conditions du groupe sont modifiées.
action-group-rule-changed = A modifié les conditions d’un groupe par règle

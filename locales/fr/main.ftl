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
error-413-title = Trop de données
error-413-text = Ce que vous avez envoyé dépasse la taille acceptée par le portail.
error-429-title = Trop de tentatives
error-429-text = Veuillez patienter un instant avant de réessayer.
error-500-title = Une erreur est survenue
error-500-text = L'erreur a été enregistrée. Veuillez réessayer dans un instant.

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
email-activation-valid = Ce lien est valable { $hours } heures et ne peut servir qu'une fois.
email-activation-ignore = Si vous n'attendiez pas cet e-mail, vous pouvez l'ignorer.

# Démo
demo-greeting = Bienvenue, { $name } !

# Connexion
sign-in = Se connecter
sign-out = Se déconnecter
signin-title = Connexion à Partnerdesk
signin-submit = Se connecter
signin-failed = Nom d'utilisateur ou mot de passe incorrect.
signin-throttled = Trop de tentatives pour ce nom d'utilisateur. Veuillez patienter quelques minutes avant de réessayer.
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
link-renew-sent = Si un identifiant portant ce nom attend son activation, un nouveau lien est en route. Les liens précédents ne fonctionnent plus.

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
email-reset-valid = Ce lien est valable { $minutes } minutes et ne peut servir qu'une fois.
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

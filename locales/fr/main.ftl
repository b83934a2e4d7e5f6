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

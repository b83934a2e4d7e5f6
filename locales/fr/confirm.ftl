# L’étape de confirmation avant une action coûteuse ou irréversible (src/web/confirm.rs).
confirm-back = Retour
confirm-nothing-yet = Rien n’a encore été fait : vérifiez, puis confirmez.

# Ce que le récapitulatif présente.
confirm-customer = Client
confirm-offer = Offre
confirm-unit-price = Prix unitaire
confirm-quantity = Quantité
confirm-period = Période
confirm-period-dates = du { $from } au { $until }
confirm-period-open = au mois à partir du { $from }, sans date de fin
confirm-subscription = Pour l’abonnement
confirm-total = Total
confirm-billed-to = Facturé à
confirm-per-month = { $amount } par mois
confirm-reservation = Réservation
confirm-planned-end = Fin prévue
confirm-replaces = Remplace
confirm-person = Personne
confirm-role = Rôle
confirm-group = Groupe
confirm-group-customers = Clients du groupe
confirm-sub-account = Sous-compte
confirm-permission = Autorisation

# Commandes et réservations.
confirm-order-heading = Confirmer la commande
confirm-order-summary = Vous commandez { $line } pour { $customer }. Le total de { $total } sera facturé à { $partner }.
confirm-purchase-heading = Confirmer l’achat
confirm-purchase-summary = Vous achetez { $line }. Le total de { $total } sera facturé à { $partner }.
confirm-renew-heading = Renouveler la réservation
confirm-renew-summary = La réservation { $line } de { $customer } sera prolongée jusqu’au { $until }. Le total de { $total } sera facturé à { $partner }.
confirm-exchange-heading = Échanger la réservation
confirm-exchange-summary = La réservation { $old } de { $customer } prendra fin aujourd’hui et sera remplacée par { $line } jusqu’au { $until }. Le total de { $total } sera facturé à { $partner }.
confirm-cancel-heading = Annuler la réservation
confirm-cancel-summary = La réservation { $line } de { $customer } prendra fin aujourd’hui. Une réservation annulée ne peut pas être rétablie.

# Facturation et autorisations.
confirm-convert-heading = Convertir l’essai
confirm-convert-summary = L’essai de { $customer } prendra fin aujourd’hui et son utilisation sera ensuite facturée chaque mois. Un client converti ne peut pas revenir à l’essai.
confirm-billing-now = Facturation actuelle
confirm-billing-after = Facturation après conversion
confirm-term-heading = Modifier la durée de l’abonnement
confirm-term-now = La durée de l’abonnement de { $customer } passera de « { $from } » à « { $to } » immédiatement, car aucune unité n’est inscrite.
confirm-term-later = La durée de l’abonnement de { $customer } passera de « { $from } » à « { $to } » le { $date }, à la fin de la période en cours, car des unités sont inscrites. D’ici là, elle reste « { $from } ».
confirm-term-call-off = Le passage à « { $planned } » prévu le { $date } sera annulé : la durée de l’abonnement de { $customer } reste « { $from } ».
confirm-term-current = Durée actuelle
confirm-term-new = Nouvelle durée
confirm-term-effect = Prise d’effet
confirm-term-at-once = Immédiate
confirm-term-on = Le { $date }
confirm-permission-heading = Autoriser le client à acheter des réservations
confirm-permission-summary = Les utilisateurs de { $customer } qui ont le rôle propriétaire d’un abonnement basé sur l’utilisation pourront acheter eux-mêmes des réservations, facturées à { $partner }, sans que vous en soyez averti. Vous pourrez désactiver cette autorisation à tout moment.

# Personnes.
confirm-revoke-heading = Révoquer l’invitation
confirm-revoke-summary = L’invitation envoyée à { $name } sera retirée et son lien ne fonctionnera plus. Pour lui donner accès plus tard, envoyez une nouvelle invitation.
confirm-disable-heading = Désactiver l’accès
confirm-disable-summary = L’accès de { $name } prendra fin immédiatement : ses sessions ici s’arrêtent et cette personne ne pourra plus rien faire ici. Pour lui rendre l’accès, il faudrait l’inviter de nouveau.
confirm-operator-remove-heading = Retirer l’opérateur
confirm-operator-remove-summary = { $name } perdra immédiatement l’accès au sous-compte { $sub_account } : ses sessions prennent fin et cette personne ne recevra plus ses alertes. Pour lui rendre l’accès, il faudrait l’inviter de nouveau.
confirm-operator-revoke-summary = L’invitation envoyée à { $name } pour le sous-compte { $sub_account } sera retirée et son lien ne fonctionnera plus.

# Suppressions.
confirm-group-delete-heading = Supprimer le groupe
confirm-group-delete-summary = Le groupe { $name } sera supprimé. Ses clients restent tels quels ; seul le regroupement disparaît.
confirm-monitor-delete-heading = Supprimer le moniteur
confirm-monitor-delete-summary = Le moniteur { $name } sera supprimé avec tous ses résultats et rapports d’erreurs, et disparaîtra des tableaux de bord, sous-comptes et alertes qui l’affichent. Cette suppression est définitive.
confirm-dashboard-delete-heading = Supprimer le tableau de bord
confirm-dashboard-delete-summary = Le tableau de bord { $name } sera supprimé et les sous-comptes auxquels il était attribué le perdront. Ses moniteurs et leurs résultats restent.
confirm-alert-delete-heading = Supprimer la définition d’alerte
confirm-alert-delete-summary = La définition d’alerte { $name } sera supprimée : ses destinataires ne seront plus alertés par elle. Les moniteurs qu’elle suit restent.
confirm-token-revoke-heading = Révoquer le jeton d’API
confirm-token-revoke-summary = Le jeton d’API { $name } cessera de fonctionner immédiatement : tout programme qui l’utilise sera refusé. Un jeton révoqué ne peut plus être réutilisé.
confirm-webhook-delete-heading = Supprimer le point de réception
confirm-webhook-delete-summary = Le point de réception { $name } sera supprimé avec son journal d'envois : il ne recevra plus aucun événement.

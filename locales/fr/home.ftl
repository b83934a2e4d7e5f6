# La page d'accueil du partenaire (issue 8) : moniteurs en panne et clients par état au fil du temps.
customers-monitors-down = Clients dont un moniteur est en panne en ce moment.
home-monitors-down = { $count ->
    [one] client dont un moniteur est en panne
   *[other] clients dont un moniteur est en panne
} · { $monitors ->
    [one] { $monitors } moniteur en panne
   *[other] { $monitors } moniteurs en panne
}
home-by-state = Clients par état au fil du temps
home-by-state-desc = Les clients du partenaire dans chaque état à la fin de chacun des douze derniers mois ; la dernière barre est aujourd'hui. Aujourd'hui : { $now ->
    [one] { $now } client.
   *[other] { $now } clients.
}
home-by-state-legend = Chaque barre est partagée par état, chaque état avec son propre motif :
home-by-state-now = aujourd'hui
home-by-state-table = Les mêmes chiffres en tableau
home-by-state-month = Mois
home-by-state-total = Total
# Licences au-delà de leur quantité (issue 8) : le chiffre de l'accueil, le filtre de la liste, la carte des licences.
home-licences-over = { $count ->
    [one] client dont une licence utilise plus de postes qu'elle n'en compte
   *[other] clients dont une licence utilise plus de postes qu'elle n'en compte
}
customers-seats-over = Une licence active utilisant plus de postes qu'elle n'en compte.
customers-seats-over-option = Licence au-delà de sa quantité
licence-seats-used = Utilisés
licence-seats-not-reported = non communiqué
licence-over-by = { $excess } en trop
# Les sites sur l'accueil de la console (issue 8).
rollup-sites = { $count ->
    [one] { $count } site
   *[other] { $count } sites
}
rollup-devices = { $count ->
    [one] { $count } appareil
   *[other] { $count } appareils
}
rollup-sites-unassigned = { $count ->
    [one] { $count } site sans administrateur
   *[other] { $count } sites sans administrateur
}
sites-unassigned-filter = Seuls les sites sans administrateur.
# The partner home's figures: a count and its noun, agreeing.
customer-state-count-creating = { $count ->
    [one] client en cours de création
   *[other] clients en cours de création
}
customer-state-count-active = { $count ->
    [one] client actif
   *[other] clients actifs
}
customer-state-count-suspended = { $count ->
    [one] client suspendu
   *[other] clients suspendus
}
billing-count-trial = { $count ->
    [one] client en essai
   *[other] clients en essai
}
billing-count-monthly-usage = { $count ->
    [one] client facturé à l'utilisation mensuelle
   *[other] clients facturés à l'utilisation mensuelle
}
billing-count-term-subscription = { $count ->
    [one] client en abonnement à durée fixe
   *[other] clients en abonnement à durée fixe
}
health-count-healthy = { $count ->
    [one] client en bonne santé
   *[other] clients en bonne santé
}
health-count-advisory = { $count ->
    [one] client avec un avis
   *[other] clients avec un avis
}
health-count-incident = { $count ->
    [one] client avec un incident
   *[other] clients avec un incident
}

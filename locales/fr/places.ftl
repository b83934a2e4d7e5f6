# Pays et fuseaux horaires (ticket 17, point 4) : le choix du fuseau et les heures avec leur fuseau.
places-zone-group-utc = UTC
places-zone-unknown = Choisissez un fuseau horaire dans la liste. Une ville seule comme « Paris » ne suffit pas : le nom s’écrit Région/Ville, par exemple Europe/Paris.
places-zone-of-country = Le fuseau horaire du pays
places-zone-hint = Prérempli avec le fuseau du pays ; choisissez-en un autre si le client réside ailleurs dans le pays.
places-zone-country-has-none = Ce pays n’a pas de fuseau horaire propre : choisissez-en un dans la liste.
places-times-in = Heures exprimées à l’heure de { $city } ({ $zone }).
places-times-in-utc = Heures exprimées en UTC.
places-daily-bars = Chaque barre journalière couvre une journée UTC.

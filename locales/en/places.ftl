# Countries and time zones (issue 17, item 4): the zone picker and times named with their zone.
places-zone-group-utc = UTC
places-zone-unknown = Choose a time zone from the list. A city alone such as “Paris” is not enough: the name reads Region/City, for example Europe/Paris.
places-zone-of-country = The country’s time zone
places-zone-hint = Preset to the country’s zone; choose another if the customer lives elsewhere in the country.
places-zone-country-has-none = This country has no time zone of its own: choose one from the list.
places-times-in = Times are in { $city } time ({ $zone }).
places-times-in-utc = Times are in UTC.
places-daily-bars = Each daily bar covers a day in UTC.

// The creation wizard's zone select: its first option is "the country's time
// zone"; naming that zone as the country changes shows what will be stored.
// Without this script the option is named when the page is drawn, and the
// server uses the country's zone all the same.
"use strict";
(function () {
  const country = document.getElementById("country");
  const option = document.getElementById("zone-of-country");
  const select = document.getElementById("time_zone");
  if (!country || !option || !select) return;
  const words = select.dataset.countryZone || option.textContent;
  country.addEventListener("change", () => {
    const chosen = country.options[country.selectedIndex];
    const city = chosen && chosen.dataset.zoneCity;
    option.textContent = city ? words + " (" + city + ")" : words;
  });
})();

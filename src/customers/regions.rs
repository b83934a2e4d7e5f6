//! Countries a customer can reside in, and the data region each one picks (the
//! data centre closest to the customer, seed 002). The defaults below can be
//! overridden per country in the settings (`[data_regions]` in partnerdesk.toml,
//! or `PARTNERDESK_DATA_REGIONS__FR=eu-west`); see the README.

use crate::config::Settings;
use crate::i18n::Lang;

pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    /// The time zone proposed for a customer in this country.
    pub zone: &'static str,
    pub default_region: &'static str,
}

impl Country {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.name_en,
            Lang::Fr => self.name_fr,
        }
    }
}

macro_rules! countries {
    ($( $code:literal, $en:literal, $fr:literal, $zone:literal, $region:literal; )*) => {
        pub const COUNTRIES: &[Country] = &[
            $( Country { code: $code, name_en: $en, name_fr: $fr, zone: $zone, default_region: $region }, )*
        ];
    };
}

countries! {
    "AR", "Argentina", "Argentine", "America/Argentina/Buenos_Aires", "us-east";
    "AT", "Austria", "Autriche", "Europe/Vienna", "eu-central";
    "AU", "Australia", "Australie", "Australia/Sydney", "ap-southeast";
    "BE", "Belgium", "Belgique", "Europe/Brussels", "eu-central";
    "BR", "Brazil", "Brésil", "America/Sao_Paulo", "us-east";
    "CA", "Canada", "Canada", "America/Toronto", "ca-central";
    "CH", "Switzerland", "Suisse", "Europe/Zurich", "eu-central";
    "CL", "Chile", "Chili", "America/Santiago", "us-east";
    "CN", "China", "Chine", "Asia/Shanghai", "ap-southeast";
    "CZ", "Czechia", "Tchéquie", "Europe/Prague", "eu-central";
    "DE", "Germany", "Allemagne", "Europe/Berlin", "eu-central";
    "DK", "Denmark", "Danemark", "Europe/Copenhagen", "eu-central";
    "DZ", "Algeria", "Algérie", "Africa/Algiers", "eu-central";
    "ES", "Spain", "Espagne", "Europe/Madrid", "eu-central";
    "FI", "Finland", "Finlande", "Europe/Helsinki", "eu-central";
    "FR", "France", "France", "Europe/Paris", "eu-central";
    "GB", "United Kingdom", "Royaume-Uni", "Europe/London", "uk-south";
    "GR", "Greece", "Grèce", "Europe/Athens", "eu-central";
    "HK", "Hong Kong", "Hong Kong", "Asia/Hong_Kong", "ap-southeast";
    "IE", "Ireland", "Irlande", "Europe/Dublin", "eu-central";
    "IN", "India", "Inde", "Asia/Kolkata", "ap-southeast";
    "IT", "Italy", "Italie", "Europe/Rome", "eu-central";
    "JP", "Japan", "Japon", "Asia/Tokyo", "ap-southeast";
    "LU", "Luxembourg", "Luxembourg", "Europe/Luxembourg", "eu-central";
    "MA", "Morocco", "Maroc", "Africa/Casablanca", "eu-central";
    "MX", "Mexico", "Mexique", "America/Mexico_City", "us-east";
    "NL", "Netherlands", "Pays-Bas", "Europe/Amsterdam", "eu-central";
    "NO", "Norway", "Norvège", "Europe/Oslo", "eu-central";
    "NZ", "New Zealand", "Nouvelle-Zélande", "Pacific/Auckland", "ap-southeast";
    "PL", "Poland", "Pologne", "Europe/Warsaw", "eu-central";
    "PT", "Portugal", "Portugal", "Europe/Lisbon", "eu-central";
    "RO", "Romania", "Roumanie", "Europe/Bucharest", "eu-central";
    "SE", "Sweden", "Suède", "Europe/Stockholm", "eu-central";
    "SG", "Singapore", "Singapour", "Asia/Singapore", "ap-southeast";
    "SN", "Senegal", "Sénégal", "Africa/Dakar", "eu-central";
    "TN", "Tunisia", "Tunisie", "Africa/Tunis", "eu-central";
    "US", "United States", "États-Unis", "America/New_York", "us-east";
    "ZA", "South Africa", "Afrique du Sud", "Africa/Johannesburg", "eu-central";
}

pub fn country(code: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// The data region for a customer residing in `country`: the settings' override,
/// else the table's default.
pub fn data_region(settings: &Settings, country: &Country) -> String {
    settings
        .data_regions
        .get(country.code)
        .cloned()
        .unwrap_or_else(|| country.default_region.to_owned())
}

/// The countries sorted by their name in `lang`, for a select.
pub fn sorted_for(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> = COUNTRIES.iter().map(|c| (c.code, c.name(lang))).collect();
    all.sort_by(|a, b| a.1.cmp(b.1));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_proposes_a_real_time_zone() {
        for c in COUNTRIES {
            assert!(c.zone.parse::<chrono_tz::Tz>().is_ok(), "{}", c.code);
        }
        assert!(country("fr").is_some());
        assert!(country("XX").is_none());
    }
}

//! French and English: the Fluent messages in `locales/`, compiled into the binary,
//! and the choice of language for each request.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use fluent_templates::{Loader, fluent_bundle::FluentValue};
use unic_langid::{LanguageIdentifier, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks around arguments would end up in emails and titles.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const LANGUAGE_COOKIE: &str = "partnerdesk_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name, as shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The best supported language in an `Accept-Language` header, by its q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag)
                && quality > 0.0
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    fn identifier(self) -> LanguageIdentifier {
        match self {
            Lang::En => langid!("en"),
            Lang::Fr => langid!("fr"),
        }
    }

    pub fn translator(self) -> Translator {
        Translator { lang: self }
    }

    /// The language of a request: the signed-in person's choice when the session put
    /// one in the request, else the switcher's cookie, else the browser's header.
    pub fn of_request(req: &HttpRequest) -> Lang {
        if let Some(chosen) = req.extensions().get::<Lang>() {
            return *chosen;
        }
        if let Some(lang) = req
            .cookie(LANGUAGE_COOKIE)
            .and_then(|c| Lang::from_code(c.value()))
        {
            return lang;
        }
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_default()
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::of_request(req)))
    }
}

/// Looks messages up in one language; templates call `tr.t("key")`.
#[derive(Debug, Clone, Copy)]
pub struct Translator {
    pub lang: Lang,
}

impl Translator {
    pub fn t(&self, key: impl AsRef<str>) -> String {
        LOCALES.lookup(&self.lang.identifier(), key.as_ref())
    }

    /// A message with named arguments, e.g. `tr.with("welcome", &[("name", name)])`.
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                (
                    Cow::Owned((*name).to_owned()),
                    FluentValue::from(value.to_string()),
                )
            })
            .collect();
        LOCALES.lookup_with_args(&self.lang.identifier(), key, &args)
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

/// A stored UTC time as the viewer reads it: in their time zone, in their
/// language's usual form.
pub fn format_time(at: chrono::NaiveDateTime, zone: chrono_tz::Tz, lang: Lang) -> String {
    let local = at.and_utc().with_timezone(&zone);
    match lang {
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
        Lang::Fr => local.format("%d/%m/%Y %H:%M").to_string(),
    }
}

/// `value` thousandths (99155 is 99.155) as the reader writes the number:
/// `99.155` in English, `99,155` in French, grouped by thousands the reader's
/// way; with three digits after the separator when `all_places`, otherwise as
/// few as the value needs (`99.9`, `99`). Formatted from ICU4X's CLDR data.
pub fn format_thousandths(value: i64, all_places: bool, lang: Lang) -> String {
    let (mut digits, mut places) = (value, 3i16);
    while !all_places && places > 0 && digits % 10 == 0 {
        digits /= 10;
        places -= 1;
    }
    let mut decimal = icu_decimal::input::Decimal::from(digits);
    decimal.multiply_pow10(-places);
    thread_local! {
        // Made once per thread and language: a page formats a number per row
        // of its tables. (ICU4X's formatter is not Sync without a feature.)
        static FORMATTERS: [Option<icu_decimal::DecimalFormatter>; 2] = [
            decimal_formatter(icu_locale_core::locale!("en")),
            decimal_formatter(icu_locale_core::locale!("fr")),
        ];
    }
    let index = match lang {
        Lang::En => 0,
        Lang::Fr => 1,
    };
    FORMATTERS.with(|formatters| match &formatters[index] {
        Some(formatter) => formatter.format(&decimal).to_string(),
        None => decimal.to_string(),
    })
}

fn decimal_formatter(locale: icu_locale_core::Locale) -> Option<icu_decimal::DecimalFormatter> {
    icu_decimal::DecimalFormatter::try_new(locale.into(), Default::default()).ok()
}

/// A calendar date as the reader writes it.
pub fn format_date(day: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => day.format("%Y-%m-%d").to_string(),
        Lang::Fr => day.format("%d/%m/%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousandths_are_written_the_readers_way() {
        assert_eq!(format_thousandths(99_155, true, Lang::En), "99.155");
        assert_eq!(format_thousandths(99_155, true, Lang::Fr), "99,155");
        assert_eq!(format_thousandths(75_000, true, Lang::Fr), "75,000");
        assert_eq!(format_thousandths(99_900, false, Lang::Fr), "99,9");
        assert_eq!(format_thousandths(99_000, false, Lang::En), "99");
        assert_eq!(format_thousandths(1_234_500, false, Lang::En), "1,234.5");
    }
    use std::collections::BTreeSet;

    fn message_ids(ftl: &str) -> BTreeSet<String> {
        ftl.lines()
            .filter(|line| !line.starts_with([' ', '#', '.', '\t']) && line.contains(" ="))
            .filter_map(|line| line.split(" =").next())
            .map(|id| id.trim().to_owned())
            .collect()
    }

    /// The message ids of every file of one language's folder.
    fn language_ids(code: &str) -> BTreeSet<String> {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(code);
        let mut ids = BTreeSet::new();
        for entry in std::fs::read_dir(folder).expect("the locales folder") {
            let path = entry.expect("a locales entry").path();
            if path.extension().is_some_and(|ext| ext == "ftl") {
                let text = std::fs::read_to_string(&path).expect("a Fluent file");
                let before = ids.len();
                let file_ids = message_ids(&text);
                let count = file_ids.len();
                ids.extend(file_ids);
                assert_eq!(ids.len(), before + count, "an id defined twice: {path:?}");
            }
        }
        ids
    }

    #[test]
    fn both_languages_define_the_same_support_messages() {
        let en = message_ids(include_str!("../../locales/en/support.ftl"));
        let fr = message_ids(include_str!("../../locales/fr/support.ftl"));
        assert_eq!(en, fr);
        let main = message_ids(include_str!("../../locales/en/main.ftl"));
        let twice: Vec<_> = en.intersection(&main).collect();
        assert!(twice.is_empty(), "defined in both files: {twice:?}");
    }

    #[test]
    fn both_languages_define_the_same_messages() {
        let en = language_ids("en");
        let fr = language_ids("fr");
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in French: {only_en:?}");
        assert!(only_fr.is_empty(), "missing in English: {only_fr:?}");
        assert!(en.len() > 10);
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(
            Lang::from_accept_language("fr-CA,fr;q=0.9,en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,en;q=0.5,fr;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("de-DE"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, fr;q=0.1"),
            Some(Lang::Fr)
        );
    }

    #[test]
    fn times_are_shown_in_the_viewers_zone_and_language() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .and_then(|d| d.and_hms_opt(9, 5, 0))
            .expect("valid time");
        assert_eq!(
            format_time(at, chrono_tz::Europe::Paris, Lang::Fr),
            "21/11/2026 10:05"
        );
        assert_eq!(
            format_time(at, chrono_tz::America::New_York, Lang::En),
            "2026-11-21 04:05"
        );
    }

    #[test]
    fn messages_are_translated_with_arguments() {
        assert_eq!(Lang::Fr.translator().t("nav-home"), "Accueil");
        assert!(
            Lang::En
                .translator()
                .with("demo-greeting", &[("name", "Ada")])
                .contains("Ada")
        );
    }
}

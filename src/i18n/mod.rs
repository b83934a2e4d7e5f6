//! French and English: the Fluent messages in `locales/`, compiled into the binary,
//! and the choice of language for each request.
//!
//! A number reaches a message as a number ([`Translator::count`],
//! [`Translator::with_numbers`]), never as text: Fluent picks the plural form
//! from it (`[one]`, `*[other]`) and our formatter writes it the reader's way.

mod format;

pub use format::{
    format_date, format_integer, format_money, format_number, format_thousandths, format_time,
};

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
        customise: |bundle| {
            // Bidi isolation marks around arguments would end up in emails and titles.
            bundle.set_use_isolating(false);
            let french = bundle.locales.first().is_some_and(|l| l.language.as_str() == "fr");
            bundle.set_formatter(Some(if french { fluent_number_fr } else { fluent_number_en }));
        },
    };
}

/// Fluent's own formatter writes `4260`; ours groups and separates as the
/// bundle's language does. (A plain `fn` per language: Fluent takes a pointer.)
fn fluent_number(value: &FluentValue, lang: Lang) -> Option<String> {
    match value {
        FluentValue::Number(number) => Some(format_number(
            number.value,
            number.options.minimum_fraction_digits.unwrap_or(0),
            lang,
        )),
        _ => None,
    }
}

fn fluent_number_en<M>(value: &FluentValue, _: &M) -> Option<String> {
    fluent_number(value, Lang::En)
}

fn fluent_number_fr<M>(value: &FluentValue, _: &M) -> Option<String> {
    fluent_number(value, Lang::Fr)
}

/// A count or another whole number handed to a message: it picks the plural
/// form. Made from any integer type a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number(pub i64);

macro_rules! numbers_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(value: $t) -> Number {
                Number(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
    )*};
}

numbers_from!(i64, i32, u32, u64, usize);

// Templates hand over their values by reference, sometimes twice.
impl<T: Copy + Into<Number>> From<&T> for Number {
    fn from(value: &T) -> Number {
        (*value).into()
    }
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

    /// A message whose `$count` is `count`: `tr.count("rollup-sites", 1)` is
    /// "1 site", with 2 "2 sites".
    pub fn count(&self, key: impl AsRef<str>, count: impl Into<Number>) -> String {
        self.with_numbers(key, &[], &[("count", count.into())])
    }

    /// A message with text arguments and number arguments, the numbers
    /// choosing plural forms and written the reader's way.
    pub fn with_numbers(
        &self,
        key: impl AsRef<str>,
        texts: &[(&str, &str)],
        numbers: &[(&str, Number)],
    ) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = texts
            .iter()
            .map(|(name, value)| {
                (
                    Cow::Owned((*name).to_owned()),
                    FluentValue::from(value.to_string()),
                )
            })
            .collect();
        for (name, Number(value)) in numbers {
            args.insert(Cow::Owned((*name).to_owned()), FluentValue::from(*value));
        }
        LOCALES.lookup_with_args(&self.lang.identifier(), key.as_ref(), &args)
    }

    /// A message that quotes codes between backticks (a file's column names,
    /// the values it takes), cut into its parts: `(true, code)` for each
    /// quoted code, which the page shows as code, `(false, text)` between.
    pub fn code_spans(&self, key: &str) -> Vec<(bool, String)> {
        self.t(key)
            .split('`')
            .enumerate()
            .filter(|(_, part)| !part.is_empty())
            .map(|(n, part)| (n % 2 == 1, part.to_owned()))
            .collect()
    }

    /// A whole number on its own, grouped the reader's way.
    pub fn number(&self, value: impl Into<Number>) -> String {
        format_integer(value.into().0, self.lang)
    }

    /// An amount of `currency` in cents, written the reader's way.
    pub fn money(&self, cents: i64, currency: &str) -> String {
        format_money(cents, currency, self.lang)
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn both_languages_define_the_same_service_health_and_request_messages() {
        let en = message_ids(include_str!("../../locales/en/service_health.ftl"));
        let fr = message_ids(include_str!("../../locales/fr/service_health.ftl"));
        assert_eq!(en, fr);
        let en_requests = message_ids(include_str!("../../locales/en/service_requests.ftl"));
        let fr_requests = message_ids(include_str!("../../locales/fr/service_requests.ftl"));
        assert_eq!(en_requests, fr_requests);
        let main = message_ids(include_str!("../../locales/en/main.ftl"));
        let twice: Vec<_> = en
            .iter()
            .chain(&en_requests)
            .filter(|id| main.contains(*id))
            .collect();
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
    fn counts_choose_the_plural_form_and_are_written_the_readers_way() {
        let (en, fr) = (Lang::En.translator(), Lang::Fr.translator());
        assert_eq!(en.count("rollup-sites", 1), "1 site");
        assert_eq!(en.count("rollup-sites", 2), "2 sites");
        assert_eq!(en.count("rollup-sites", 0), "0 sites");
        // French puts 0 and 1 in the singular.
        assert_eq!(fr.count("rollup-sites", 0), "0 site");
        assert_eq!(fr.count("rollup-sites", 1), "1 site");
        assert_eq!(en.count("home-customers", 4_260_usize), "4,260 customers");
        assert_eq!(fr.count("home-customers", 4_260), "4\u{202f}260 clients");
        assert_eq!(
            fr.with_numbers(
                "sub-account-quota-use",
                &[],
                &[("made", 1.into()), ("quota", 5.into())]
            ),
            "1 moniteur sur 5"
        );
        assert_eq!(en.number(1_234_567), "1,234,567");
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

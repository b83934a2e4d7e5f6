//! Messages shown next to form fields. Parsing a form knows nothing of the
//! reader's language: it records, per refused field, a message id and its
//! arguments, and the page translates them when it renders
//! (`errors.text("field", layout.tr)` in the template).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::i18n::{Number, Translator};

/// A form of one field, `name`: what renaming or naming one thing posts.
#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Default)]
pub struct FieldErrors {
    /// The first message recorded for each field.
    messages: BTreeMap<&'static str, FieldMessage>,
}

/// A message id and its arguments, kept until the reader's language is known.
/// Numbers stay numbers so that the translation chooses their plural form and
/// writes them the reader's way.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldMessage {
    id: String,
    texts: Vec<(&'static str, String)>,
    numbers: Vec<(&'static str, Number)>,
}

impl FieldMessage {
    fn new(id: &str) -> Self {
        FieldMessage {
            id: id.to_owned(),
            texts: Vec::new(),
            numbers: Vec::new(),
        }
    }

    fn translate(&self, tr: &Translator) -> String {
        if self.texts.is_empty() && self.numbers.is_empty() {
            return tr.t(&self.id);
        }
        let texts: Vec<(&str, &str)> = self
            .texts
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        tr.with_numbers(&self.id, &texts, &self.numbers)
    }
}

impl FieldErrors {
    /// A form refused on one field only, such as a name already taken.
    pub fn one(field: &'static str, message_id: &str) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message_id);
        errors
    }

    /// Refuses `field` with the message `message_id`; a field keeps its first message.
    pub fn add(&mut self, field: &'static str, message_id: &str) {
        self.insert(field, FieldMessage::new(message_id));
    }

    /// As `add`, for a message with a number, such as a limit; the number
    /// chooses the message's plural form when it is translated.
    pub fn add_number(
        &mut self,
        field: &'static str,
        message_id: &str,
        number: (&'static str, Number),
    ) {
        let mut message = FieldMessage::new(message_id);
        message.numbers.push(number);
        self.insert(field, message);
    }

    /// As `add`, for a message with text variables.
    pub fn add_with(
        &mut self,
        field: &'static str,
        message_id: &str,
        args: &[(&'static str, &str)],
    ) {
        let mut message = FieldMessage::new(message_id);
        message.texts = args
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect();
        self.insert(field, message);
    }

    fn insert(&mut self, field: &'static str, message: FieldMessage) {
        self.messages.entry(field).or_insert(message);
    }

    /// The message refusing `field`, in the language of `tr`.
    pub fn text(&self, field: &str, tr: &Translator) -> Option<String> {
        self.messages
            .get(field)
            .map(|message| message.translate(tr))
    }

    /// Each refused field with the id of its message, for callers that translate
    /// later (an import's problems are shown in whoever reads them's language).
    pub fn message_ids(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.messages
            .iter()
            .map(|(field, message)| (*field, message.id.as_str()))
    }

    /// Adds `other`'s messages, keeping the first one of each field.
    pub fn extend(&mut self, other: FieldErrors) {
        for (field, message) in other.messages {
            self.messages.entry(field).or_insert(message);
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.messages.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn refused_form(quota: i64) -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add("full_name", "field-required");
        errors.add_number("name", "monitor-quota-reached", ("quota", quota.into()));
        errors.add_with(
            "file",
            "import-missing-columns",
            &[("columns", "name, city")],
        );
        errors
    }

    fn texts(errors: &FieldErrors, lang: Lang) -> [Option<String>; 3] {
        let tr = lang.translator();
        ["full_name", "name", "file"].map(|field| errors.text(field, &tr))
    }

    #[test]
    fn one_set_of_errors_reads_in_english_and_in_french() {
        let errors = refused_form(1);
        assert_eq!(
            texts(&errors, Lang::En),
            [
                Some("This field is required.".to_owned()),
                Some(
                    "The sub-account already has its 1 monitor: its quota is reached. \
                     Delete one or ask the account's administrator for a higher quota."
                        .to_owned()
                ),
                Some("The file lacks these columns: name, city.".to_owned()),
            ]
        );
        assert_eq!(
            texts(&errors, Lang::Fr),
            [
                Some("Ce champ est obligatoire.".to_owned()),
                Some(
                    "Le sous-compte a déjà son 1 moniteur : son quota est atteint. \
                     Supprimez-en un ou demandez un quota plus élevé à l'administrateur du compte."
                        .to_owned()
                ),
                Some("Il manque ces colonnes au fichier : name, city.".to_owned()),
            ]
        );
    }

    #[test]
    fn a_number_chooses_its_plural_form_and_is_written_the_readers_way() {
        let errors = refused_form(1500);
        let [_, english, _] = texts(&errors, Lang::En);
        let [_, french, _] = texts(&errors, Lang::Fr);
        let english = english.expect("an English message");
        let french = french.expect("a French message");
        assert!(
            english.starts_with("The sub-account already has its 1,500 monitors:"),
            "{english}"
        );
        let french_number = crate::i18n::format_integer(1500, Lang::Fr);
        assert!(
            french.starts_with(&format!(
                "Le sous-compte a déjà ses {french_number} moniteurs :"
            )),
            "{french}"
        );
        assert_ne!(french_number, "1500", "French groups its thousands");
    }

    #[test]
    fn a_field_keeps_its_first_message_and_ids_stay_untranslated() {
        let mut errors = refused_form(2);
        errors.add("full_name", "field-too-long");
        let ids: Vec<_> = errors.message_ids().collect();
        assert_eq!(
            ids,
            [
                ("file", "import-missing-columns"),
                ("full_name", "field-required"),
                ("name", "monitor-quota-reached"),
            ]
        );
        assert!(errors.has("name") && !errors.has("city"));
        assert_eq!(errors.text("city", &Lang::En.translator()), None);
    }
}

//! Messages shown next to form fields, already translated for the reader.

use std::collections::BTreeMap;

use crate::i18n::Translator;

#[derive(Debug, Default)]
pub struct FieldErrors {
    /// Field → (message id, translated message).
    messages: BTreeMap<&'static str, (String, String)>,
}

impl FieldErrors {
    pub fn add(&mut self, tr: &Translator, field: &'static str, message_key: &str) {
        self.messages
            .entry(field)
            .or_insert_with(|| (message_key.to_owned(), tr.t(message_key)));
    }

    /// As `add`, for a message with a number, such as a limit; it chooses the
    /// message's plural form.
    pub fn add_number(
        &mut self,
        tr: &Translator,
        field: &'static str,
        message_key: &str,
        number: (&str, crate::i18n::Number),
    ) {
        self.messages.entry(field).or_insert_with(|| {
            (
                message_key.to_owned(),
                tr.with_numbers(message_key, &[], &[number]),
            )
        });
    }

    /// As `add`, for a message with text variables.
    pub fn add_with(
        &mut self,
        tr: &Translator,
        field: &'static str,
        message_key: &str,
        args: &[(&str, &str)],
    ) {
        self.messages
            .entry(field)
            .or_insert_with(|| (message_key.to_owned(), tr.with(message_key, args)));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.messages.get(field).map(|(_, text)| text.as_str())
    }

    /// Each refused field with the id of its message, for callers that translate
    /// later (an import's problems are shown in whoever reads them's language).
    pub fn message_ids(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.messages
            .iter()
            .map(|(field, (id, _))| (*field, id.as_str()))
    }

    pub fn has(&self, field: &str) -> bool {
        self.messages.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

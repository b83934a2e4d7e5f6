//! Messages shown next to form fields, already translated for the reader.

use std::collections::BTreeMap;

use crate::i18n::Translator;

#[derive(Debug, Default)]
pub struct FieldErrors {
    messages: BTreeMap<&'static str, String>,
}

impl FieldErrors {
    pub fn add(&mut self, tr: &Translator, field: &'static str, message_key: &str) {
        self.messages
            .entry(field)
            .or_insert_with(|| tr.t(message_key));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.messages.get(field).map(String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.messages.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

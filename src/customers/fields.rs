//! The values of a customer account as domain types, parsed once from what was
//! typed (the creation steps and the CSV import share them).

use chrono::NaiveDate;

use crate::accounts::FieldError;

/// A primary domain such as `contoso.example`: lower case, labels of letters,
/// digits and hyphens, at least two of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainName(String);

impl DomainName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().trim_end_matches('.').to_lowercase();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.len() > 253 {
            return Err(FieldError::TooLong);
        }
        let labels: Vec<&str> = value.split('.').collect();
        let label_ok = |label: &&str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(FieldError::Invalid);
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub use crate::accounts::{optional_text, required_text};

/// A telephone number: digits with the usual separators, or nothing.
pub fn phone(raw: &str) -> Result<String, FieldError> {
    let value = optional_text(raw, 32)?;
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    if !value.chars().all(allowed)
        || (!value.is_empty() && !value.chars().any(|c| c.is_ascii_digit()))
    {
        return Err(FieldError::Invalid);
    }
    Ok(value)
}

/// A date typed as YYYY-MM-DD (what `<input type="date">` sends).
pub fn date(raw: &str) -> Result<NaiveDate, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| FieldError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_lower_cased_and_checked() {
        assert_eq!(
            DomainName::parse(" Contoso.Example. ").map(|d| d.0),
            Ok("contoso.example".into())
        );
        assert_eq!(DomainName::parse("localhost"), Err(FieldError::Invalid));
        assert_eq!(DomainName::parse("a..b"), Err(FieldError::Invalid));
        assert_eq!(DomainName::parse("-a.b"), Err(FieldError::Invalid));
        assert_eq!(DomainName::parse(""), Err(FieldError::Required));
        assert!(DomainName::parse("café.fr").is_ok());
    }

    #[test]
    fn phones() {
        assert_eq!(phone("+33 1 23 45 67 89"), Ok("+33 1 23 45 67 89".into()));
        assert_eq!(phone(""), Ok(String::new()));
        assert_eq!(phone("call me"), Err(FieldError::Invalid));
    }
}

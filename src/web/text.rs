//! Free text typed into a form, a JSON body or a command's flag: titles and
//! names on one line, longer texts on several, each within the length limit its
//! feature sets.

use crate::accounts::FieldError;

/// One line, required, at most `max` characters.
pub fn line(raw: &str, max: usize) -> Result<String, FieldError> {
    crate::accounts::required_text(raw, max)
}

/// Several lines, required, at most `max` characters; line ends become `\n` and
/// no other control character is allowed.
pub fn paragraphs(raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.replace("\r\n", "\n").replace('\r', "\n");
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    if value.chars().count() > max {
        return Err(FieldError::TooLong);
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldError::Invalid);
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_keep_lines_and_refuse_other_controls() {
        assert_eq!(paragraphs(" a\r\nb ", 10), Ok("a\nb".to_owned()));
        assert_eq!(paragraphs("   ", 10), Err(FieldError::Required));
        assert_eq!(paragraphs("abc", 2), Err(FieldError::TooLong));
        assert_eq!(paragraphs("a\u{0}b", 10), Err(FieldError::Invalid));
    }
}

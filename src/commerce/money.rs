//! Amounts in cents of a currency, written as each language writes them.

use crate::i18n::Lang;

/// `cents` of `currency` (an ISO 4217 code), e.g. "€1,234.50" or "1 234,50 €".
pub fn format(cents: i64, currency: &str, lang: Lang) -> String {
    crate::i18n::format_money(cents, currency, lang)
}

/// Parses a typed price such as "12.50" or "12,5" into cents.
pub fn parse_cents(typed: &str) -> Option<i64> {
    let typed = typed.trim().replace(',', ".");
    let (units, fraction) = typed.split_once('.').unwrap_or((&typed, ""));
    if units.is_empty() || !units.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 2 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let units: i64 = units.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    units.checked_mul(100)?.checked_add(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_prices_become_cents() {
        assert_eq!(parse_cents("12.50"), Some(1250));
        assert_eq!(parse_cents("12,5"), Some(1250));
        assert_eq!(parse_cents("7"), Some(700));
        assert_eq!(parse_cents("-1"), None);
        assert_eq!(parse_cents("1.234"), None);
        assert_eq!(parse_cents(""), None);
    }
}

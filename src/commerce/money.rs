//! Amounts in cents of a currency, written as each language writes them.

use crate::i18n::Lang;

/// `cents` of `currency` (an ISO 4217 code), e.g. "€1,234.50" or "1 234,50 €".
pub fn format(cents: i64, currency: &str, lang: Lang) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let (units, rest) = (cents / 100, cents % 100);
    let digits = units.to_string();
    let separator = match lang {
        Lang::En => ',',
        // A narrow no-break space, as French typography groups thousands.
        Lang::Fr => '\u{202f}',
    };
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    let symbol = match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    };
    match lang {
        Lang::En if symbol.chars().count() == 1 => format!("{sign}{symbol}{grouped}.{rest:02}"),
        Lang::En => format!("{sign}{grouped}.{rest:02} {symbol}"),
        Lang::Fr => format!("{sign}{grouped},{rest:02}\u{a0}{symbol}"),
    }
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
    fn amounts_read_as_each_language_writes_them() {
        assert_eq!(format(123_450, "EUR", Lang::En), "€1,234.50");
        assert_eq!(format(123_450, "EUR", Lang::Fr), "1\u{202f}234,50\u{a0}€");
        assert_eq!(format(5, "CHF", Lang::En), "0.05 CHF");
        assert_eq!(format(100_000_000, "USD", Lang::En), "$1,000,000.00");
    }

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

//! Numbers, amounts, dates and times written the reader's way, from the CLDR
//! data that ICU4X compiles in: `4 260,00 €` and `4 déc. 2026` in French,
//! `€4,260.00` and `Dec 4, 2026` in English. Nothing here formats by hand
//! beyond choosing which ICU4X formatter to call.

use icu_datetime::fieldsets::{YMD, YMDT};
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::options::TimePrecision;
use icu_datetime::{DateTimeFormatter, DateTimeFormatterPreferences};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::{Locale, locale};

use super::Lang;

/// ICU4X's formatters for one language, made once per thread: a page formats
/// a value per row of its tables, and the formatters are not all `Sync`.
struct Formatters {
    decimal: Option<DecimalFormatter>,
    date: Option<DateTimeFormatter<YMD>>,
    time: Option<DateTimeFormatter<YMDT>>,
}

impl Formatters {
    fn new(locale: Locale) -> Formatters {
        let prefs = DateTimeFormatterPreferences::from(&locale);
        Formatters {
            decimal: DecimalFormatter::try_new((&locale).into(), Default::default()).ok(),
            date: DateTimeFormatter::try_new(prefs, YMD::medium()).ok(),
            time: DateTimeFormatter::try_new(
                prefs,
                YMDT::medium().with_time_precision(TimePrecision::Minute),
            )
            .ok(),
        }
    }
}

fn with_formatters<T>(lang: Lang, f: impl FnOnce(&Formatters) -> T) -> T {
    thread_local! {
        static FORMATTERS: [Formatters; 2] =
            [Formatters::new(locale!("en")), Formatters::new(locale!("fr"))];
    }
    let index = match lang {
        Lang::En => 0,
        Lang::Fr => 1,
    };
    FORMATTERS.with(|all| f(&all[index]))
}

fn decimal(value: &Decimal, lang: Lang) -> String {
    with_formatters(lang, |f| match &f.decimal {
        Some(formatter) => formatter.format(value).to_string(),
        None => value.to_string(),
    })
}

/// A whole number grouped the reader's way: `4,260` or `4 260`.
pub fn format_integer(value: i64, lang: Lang) -> String {
    decimal(&Decimal::from(value), lang)
}

/// A number as Fluent hands it to its formatter: `places` digits after the
/// separator at least, as the message's options ask.
pub fn format_number(value: f64, places: usize, lang: Lang) -> String {
    // Whole numbers are the common case (counts); others go through their
    // shortest decimal text, which round-trips.
    let parsed = if value.fract() == 0.0 && value.abs() < 1e15 {
        Ok(Decimal::from(value as i64))
    } else {
        Decimal::try_from_str(&value.to_string())
    };
    let Ok(mut number) = parsed else {
        return value.to_string();
    };
    let places = i16::try_from(places).unwrap_or(0);
    number.pad_end(-places);
    decimal(&number, lang)
}

/// `value` thousandths (99155 is 99.155) as the reader writes the number:
/// `99.155` in English, `99,155` in French, grouped by thousands the reader's
/// way; with three digits after the separator when `all_places`, otherwise as
/// few as the value needs (`99.9`, `99`).
pub fn format_thousandths(value: i64, all_places: bool, lang: Lang) -> String {
    let (mut digits, mut places) = (value, 3i16);
    while !all_places && places > 0 && digits % 10 == 0 {
        digits /= 10;
        places -= 1;
    }
    let mut number = Decimal::from(digits);
    number.multiply_pow10(-places);
    decimal(&number, lang)
}

/// `cents` of `currency` (an ISO 4217 code): the amount by ICU4X, the symbol
/// where each language's CLDR pattern puts it (`¤#,##0.00` in English,
/// `#,##0.00 ¤` in French).
pub fn format_money(cents: i64, currency: &str, lang: Lang) -> String {
    let mut amount = Decimal::from(cents.unsigned_abs());
    amount.multiply_pow10(-2);
    amount.pad_end(-2);
    let digits = decimal(&amount, lang);
    let sign = if cents < 0 { "-" } else { "" };
    let symbol = match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    };
    match lang {
        Lang::En if symbol.chars().count() == 1 => format!("{sign}{symbol}{digits}"),
        Lang::En => format!("{sign}{symbol}\u{a0}{digits}"),
        Lang::Fr => format!("{sign}{digits}\u{a0}{symbol}"),
    }
}

fn icu_date(day: chrono::NaiveDate) -> Option<Date<icu_calendar::Iso>> {
    use chrono::Datelike;
    let month = u8::try_from(day.month()).ok()?;
    let day_of_month = u8::try_from(day.day()).ok()?;
    Date::try_new_iso(day.year(), month, day_of_month).ok()
}

/// A calendar date as the reader writes it: `Dec 4, 2026` or `4 déc. 2026`.
pub fn format_date(day: chrono::NaiveDate, lang: Lang) -> String {
    let formatted = icu_date(day).and_then(|date| {
        with_formatters(lang, |f| {
            f.date
                .as_ref()
                .map(|formatter| formatter.format(&date).to_string())
        })
    });
    formatted.unwrap_or_else(|| day.format("%Y-%m-%d").to_string())
}

/// A stored UTC time as the viewer reads it: in their time zone, in their
/// language's usual form (`Dec 4, 2026, 10:05 AM`, `4 déc. 2026, 10:05`).
pub fn format_time(at: chrono::NaiveDateTime, zone: chrono_tz::Tz, lang: Lang) -> String {
    use chrono::Timelike;
    let local = at.and_utc().with_timezone(&zone).naive_local();
    let time = Time::try_new(
        u8::try_from(local.hour()).unwrap_or(0),
        u8::try_from(local.minute()).unwrap_or(0),
        0,
        0,
    )
    .ok();
    let formatted = icu_date(local.date()).zip(time).and_then(|(date, time)| {
        with_formatters(lang, |f| {
            f.time
                .as_ref()
                .map(|formatter| formatter.format(&DateTime { date, time }).to_string())
        })
    });
    formatted.unwrap_or_else(|| local.format("%Y-%m-%d %H:%M").to_string())
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

    #[test]
    fn amounts_read_as_each_language_writes_them() {
        assert_eq!(format_money(426_000, "EUR", Lang::En), "€4,260.00");
        assert_eq!(
            format_money(426_000, "EUR", Lang::Fr),
            "4\u{202f}260,00\u{a0}€"
        );
        assert_eq!(format_money(5, "CHF", Lang::En), "CHF\u{a0}0.05");
        assert_eq!(format_money(100_000_000, "USD", Lang::En), "$1,000,000.00");
        assert_eq!(format_money(-1_250, "EUR", Lang::Fr), "-12,50\u{a0}€");
    }

    #[test]
    fn numbers_are_grouped_the_readers_way() {
        assert_eq!(format_integer(4_260, Lang::En), "4,260");
        assert_eq!(format_integer(4_260, Lang::Fr), "4\u{202f}260");
        assert_eq!(format_integer(12, Lang::Fr), "12");
        assert_eq!(format_number(2.5, 2, Lang::Fr), "2,50");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date");
        assert_eq!(format_date(day, Lang::Fr), "4 déc. 2026");
        assert_eq!(format_date(day, Lang::En), "Dec 4, 2026");
    }

    #[test]
    fn times_are_shown_in_the_viewers_zone_and_language() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .and_then(|d| d.and_hms_opt(9, 5, 0))
            .expect("valid time");
        assert_eq!(
            format_time(at, chrono_tz::Europe::Paris, Lang::Fr),
            "21 nov. 2026, 10:05"
        );
        assert_eq!(
            format_time(at, chrono_tz::America::New_York, Lang::En),
            "Nov 21, 2026, 4:05\u{202f}AM"
        );
    }
}

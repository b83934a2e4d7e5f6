//! The uploaded file: its columns read and checked at once, its rows checked one
//! by one as the three creation steps would, and the problems found, by row and
//! column.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::MAX_ROWS;
use crate::customers::create::{self, NewCustomer, WizardForm};
use crate::customers::export::FORMULA_STARTS;
use crate::customers::{BillingType, fields};
use crate::i18n::Lang;
use crate::web::FieldErrors;

/// Problems kept for the page; the count covers them all.
const PROBLEMS_KEPT: usize = 500;

/// Columns without which no row could be valid.
pub const REQUIRED_COLUMNS: [&str; 7] = [
    "name",
    "primary_domain",
    "country",
    "address_line1",
    "city",
    "contact_name",
    "contact_email",
];

/// Columns an import reads besides the required ones; the export's other columns
/// (id, data region, state, health, creation time) are the portal's to set.
pub const OPTIONAL_COLUMNS: [&str; 12] = [
    "time_zone",
    "reference_number",
    "subscription_term",
    "billing_type",
    "trial_ends_on",
    "managed_order",
    "address_line2",
    "postal_code",
    "region",
    "contact_phone",
    "administrator_username",
    "administrator_language",
];

/// A file whose columns are usable, with its rows not yet checked.
pub struct Upload {
    pub(super) file_name: String,
    /// The file as text (UTF-8, without its byte-order mark), kept with the job.
    pub(super) text: String,
    columns: HashMap<String, usize>,
    /// (line in the file, cells)
    pub(super) rows: Vec<(u64, csv::StringRecord)>,
}

/// Why a file was refused as a whole.
#[derive(Debug, PartialEq)]
pub enum FileProblem {
    Missing,
    NotUtf8,
    Unreadable,
    MissingColumns(Vec<&'static str>),
    NoRows,
    TooManyRows,
}

impl FileProblem {
    pub(super) fn add_to(&self, errors: &mut FieldErrors) {
        match self {
            FileProblem::Missing => errors.add("file", "import-file-missing"),
            FileProblem::NotUtf8 => errors.add("file", "import-file-not-utf8"),
            FileProblem::Unreadable => errors.add("file", "import-file-unreadable"),
            FileProblem::MissingColumns(columns) => errors.add_with(
                "file",
                "import-missing-columns",
                &[("columns", &columns.join(", "))],
            ),
            FileProblem::NoRows => errors.add("file", "import-no-rows"),
            FileProblem::TooManyRows => {
                errors.add_number("file", "import-too-many-rows", ("max", MAX_ROWS.into()))
            }
        }
    }
}

impl Upload {
    /// Reads the file: UTF-8 (a byte-order mark is allowed), comma or semicolon
    /// separated, with a header naming at least the required columns.
    pub fn read(file_name: &str, bytes: &[u8]) -> Result<Self, FileProblem> {
        if bytes.is_empty() {
            return Err(FileProblem::Missing);
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
        // No text a person types holds NUL, and PostgreSQL refuses it.
        if text.contains('\0') {
            return Err(FileProblem::Unreadable);
        }
        let first_line = text.lines().next().unwrap_or_default();
        // Spreadsheets set to French write semicolons.
        let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader.headers().map_err(|_| FileProblem::Unreadable)?;
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(index, name)| (name.trim().to_lowercase(), index))
            .collect();
        let missing: Vec<&'static str> = REQUIRED_COLUMNS
            .into_iter()
            .filter(|column| !columns.contains_key(*column))
            .collect();
        if !missing.is_empty() {
            return Err(FileProblem::MissingColumns(missing));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|_| FileProblem::Unreadable)?;
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if rows.len() == MAX_ROWS {
                return Err(FileProblem::TooManyRows);
            }
            let line = record.position().map_or(0, |p| p.line());
            rows.push((line, record));
        }
        if rows.is_empty() {
            return Err(FileProblem::NoRows);
        }
        Ok(Self {
            file_name: file_name
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect(),
            text: text.to_owned(),
            columns,
            rows,
        })
    }

    /// A cell as typed, trimmed, with the apostrophe an export puts before a
    /// formula-like value taken off again.
    fn cell<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        let raw = self
            .columns
            .get(column)
            .and_then(|index| record.get(*index))
            .unwrap_or_default()
            .trim();
        match raw.strip_prefix('\'') {
            Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
            _ => raw,
        }
    }

    fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
}

/// One refused cell: the row's line in the file, the column, and the id of the
/// message, translated when the page is read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Problem {
    pub line: u64,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Problems {
    /// Every problem found, kept or not.
    pub count: usize,
    /// Rows with at least one problem (imports checked before this count was
    /// kept read 0).
    #[serde(default)]
    pub rows: usize,
    pub kept: Vec<Problem>,
    #[serde(skip)]
    lines: HashSet<u64>,
}

impl Problems {
    pub(super) fn add(&mut self, line: u64, column: &str, message: &str) {
        self.count += 1;
        if self.lines.insert(line) {
            self.rows += 1;
        }
        if self.kept.len() < PROBLEMS_KEPT {
            self.kept.push(Problem {
                line,
                column: column.to_owned(),
                message: message.to_owned(),
            });
        }
    }
}

/// The column of the file a field of the creation form was read from.
fn column_of(field: &str, upload: &Upload) -> &'static str {
    match field {
        "term" => "subscription_term",
        "admin_full_name" => "contact_name",
        "admin_language" => "administrator_language",
        "admin_username" if upload.has_column("administrator_username") => "administrator_username",
        "admin_username" | "admin_email" => "contact_email",
        other => REQUIRED_COLUMNS
            .into_iter()
            .chain(OPTIONAL_COLUMNS)
            .find(|column| *column == other)
            .unwrap_or("name"),
    }
}

/// Reads a `yes`/`no` cell in either language; empty is no.
fn yes_or_no(cell: &str) -> Option<bool> {
    match cell.to_lowercase().as_str() {
        "" | "no" | "non" | "false" | "0" => Some(false),
        "yes" | "oui" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// Checks one row as the three creation steps would, filling in what a file may
/// leave out: the country's time zone, a monthly term, a trial of the usual
/// length, the importing person's language for the administrator.
///
/// A trial whose end has passed is accepted as an ended trial: an export lists
/// such customers, and an export must import as it is (the creation form, where
/// a person picks the end of a new trial, refuses a past date).
pub(super) fn check_row(
    upload: &Upload,
    record: &csv::StringRecord,
    importer_lang: Lang,
    today: chrono::NaiveDate,
) -> Result<NewCustomer, Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let managed = yes_or_no(upload.cell(record, "managed_order")).unwrap_or_else(|| {
        problems.push(("managed_order", "import-yes-no".to_owned()));
        false
    });
    let form = row_as_form(upload, record, importer_lang, today, managed);
    // `account_part` reads "today" only to refuse a trial ending by then; for an
    // ended trial in a file, the day before its end stands in for today.
    let checked_on = match fields::date(&form.trial_ends_on) {
        Ok(end) if end <= today => end.pred_opt().unwrap_or(end),
        _ => today,
    };
    let mut refused = |errors: FieldErrors| {
        for (field, message) in errors.message_ids() {
            let column = column_of(field, upload);
            if !problems.iter().any(|(c, _)| *c == column) {
                problems.push((column, message.to_owned()));
            }
        }
    };
    let account = form.account_part(checked_on).map_err(&mut refused).ok();
    let address = form.address_part().map_err(&mut refused).ok();
    let administrator = form
        .administrator_part(account.as_ref().map_or(chrono_tz::UTC, |a| a.time_zone))
        .map_err(&mut refused)
        .ok();
    match (account, address, administrator) {
        (Some(account), Some(address), Some(administrator)) if problems.is_empty() => {
            Ok(NewCustomer {
                account,
                address,
                administrator,
            })
        }
        _ => Err(problems),
    }
}

/// A row as the creation steps' form would carry it, with the defaults filled
/// in where the file leaves a cell empty.
fn row_as_form(
    upload: &Upload,
    record: &csv::StringRecord,
    importer_lang: Lang,
    today: chrono::NaiveDate,
    managed: bool,
) -> WizardForm {
    let cell = |column: &str| upload.cell(record, column).to_owned();
    let or = |value: String, default: &str| {
        if value.is_empty() {
            default.to_owned()
        } else {
            value
        }
    };
    let contact_email = cell("contact_email");
    let default_trial_end = (today + chrono::Duration::days(create::DEFAULT_TRIAL_DAYS))
        .format("%Y-%m-%d")
        .to_string();
    WizardForm {
        step: 3,
        name: cell("name"),
        primary_domain: cell("primary_domain"),
        country: cell("country"),
        // Left empty, the country's zone.
        time_zone: cell("time_zone"),
        reference_number: cell("reference_number"),
        term: or(
            cell("subscription_term"),
            crate::customers::Term::Monthly.as_str(),
        ),
        trial_ends_on: or(cell("trial_ends_on"), &default_trial_end),
        billing_type: or(cell("billing_type"), BillingType::Trial.as_str()),
        managed_order: managed.then(|| "1".to_owned()),
        address_line1: cell("address_line1"),
        address_line2: cell("address_line2"),
        postal_code: cell("postal_code"),
        city: cell("city"),
        region: cell("region"),
        contact_phone: cell("contact_phone"),
        admin_full_name: cell("contact_name"),
        admin_language: or(cell("administrator_language"), importer_lang.code()),
        identity_provider: create::IDENTITY_PROVIDERS[0].0.to_owned(),
        admin_username: or(cell("administrator_username"), &contact_email),
        email_same_known: "1".to_owned(),
        admin_email: contact_email,
        ..WizardForm::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_file_with_a_byte_order_mark_is_read() {
        let file = "\u{FEFF}name;primary_domain;country;address_line1;city;contact_name;contact_email\n\
                    Acme;acme.example;FR;1 rue de la Paix;Paris;Ann Lee;ann@acme.example\n\n";
        let upload = Upload::read("f.csv", file.as_bytes()).expect("readable");
        assert_eq!(upload.rows.len(), 1);
        assert_eq!(upload.rows[0].0, 2);
        assert_eq!(upload.cell(&upload.rows[0].1, "city"), "Paris");
        assert!(upload.text.starts_with("name;"), "kept without its mark");
    }

    #[test]
    fn files_missing_columns_or_rows_are_refused() {
        assert_eq!(
            Upload::read("f.csv", b"name,city\nAcme,Paris\n").err(),
            Some(FileProblem::MissingColumns(vec![
                "primary_domain",
                "country",
                "address_line1",
                "contact_name",
                "contact_email"
            ]))
        );
        let header = REQUIRED_COLUMNS.join(",");
        assert_eq!(
            Upload::read("f.csv", header.as_bytes()).err(),
            Some(FileProblem::NoRows)
        );
        assert_eq!(
            Upload::read("f.csv", b"\xff\xfe").err(),
            Some(FileProblem::NotUtf8)
        );
        assert_eq!(Upload::read("f.csv", b"").err(), Some(FileProblem::Missing));
    }

    #[test]
    fn an_exported_apostrophe_before_a_formula_is_taken_off() {
        let file = format!(
            "{}\n'=1+1,'+33 1 23,FR,x,y,z,'hello\n",
            REQUIRED_COLUMNS.join(",")
        );
        let upload = Upload::read("f.csv", file.as_bytes()).expect("readable");
        let row = &upload.rows[0].1;
        assert_eq!(upload.cell(row, "name"), "=1+1");
        assert_eq!(upload.cell(row, "primary_domain"), "+33 1 23");
        assert_eq!(upload.cell(row, "contact_email"), "'hello");
    }

    #[test]
    fn problems_count_the_rows_they_are_on_once() {
        let mut problems = Problems::default();
        problems.add(3, "country", "field-choose");
        problems.add(3, "contact_email", "field-invalid");
        problems.add(5, "city", "field-required");
        problems.add(2, "primary_domain", "import-domain-exists");
        assert_eq!((problems.count, problems.rows), (4, 3));
    }

    #[test]
    fn a_trial_that_has_ended_is_accepted_and_a_bad_date_is_not() {
        let file = format!(
            "{},billing_type,trial_ends_on\n\
             Ended,ended.example,FR,1 rue A,Paris,Ann Lee,ann@ended.example,trial,2020-01-31\n\
             Today,today.example,FR,1 rue B,Paris,Bob Ray,bob@today.example,trial,2026-12-04\n\
             Bad,bad.example,FR,1 rue C,Paris,Cy Dee,cy@bad.example,trial,someday\n",
            REQUIRED_COLUMNS.join(",")
        );
        let upload = Upload::read("f.csv", file.as_bytes()).expect("readable");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        let check = |n: usize| check_row(&upload, &upload.rows[n].1, Lang::En, today);
        let ended = check(0).expect("an ended trial imports");
        assert_eq!(
            ended.account.trial_ends_on,
            chrono::NaiveDate::from_ymd_opt(2020, 1, 31)
        );
        assert!(check(1).is_ok(), "a trial ending today imports");
        let refused = check(2).err().expect("an unreadable date is refused");
        assert!(refused.iter().any(|(column, _)| *column == "trial_ends_on"));
    }
}

//! CSV import of customers (A9). The upload is read and its columns checked at
//! once; the rows are then checked in the background, batch by batch, while the
//! import's page shows how far it got. If any row is refused, nothing is imported
//! and the page lists every problem by row and column; otherwise every customer
//! is created in one transaction, exactly as the creation steps would.
//!
//! The file's columns are those of the export, so an export can be imported as is.

use std::collections::{HashMap, HashSet};

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as UploadedBytes;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::create::{self, NewCustomer, WizardForm};
use super::export::FORMULA_STARTS;
use super::kinds::ImportState;
use super::{BillingType, CustomerError, regions};
use crate::audit::{self, Action, Actor};
use crate::auth::identity::PartnerMember;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::schema::{customer_accounts, customer_imports};
use crate::db::{self, DbConnection, DbPool};
use crate::i18n::{Lang, Translator};
use crate::startup::AppState;
use crate::web::{FieldErrors, Layout, PageError, render, see_other};

pub const PATH: &str = "/partner/customers/import";
/// The largest file accepted; the request cap for this one route follows it.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Bounded so that the one transaction importing a whole file stays short.
pub const MAX_ROWS: usize = 5_000;
/// Rows checked between two progress updates.
const CHECK_BATCH: usize = 250;
/// Problems kept for the page; the count covers them all.
const PROBLEMS_KEPT: usize = 500;
/// An import still under way after this long was interrupted.
const STALE_AFTER_MINUTES: i64 = 30;
/// Imports listed on the upload page.
const RECENT_IMPORTS: i64 = 5;

/// Columns without which no row could be valid.
const REQUIRED_COLUMNS: [&str; 7] = [
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
const OPTIONAL_COLUMNS: [&str; 12] = [
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

#[derive(MultipartForm)]
pub struct UploadForm {
    file: Option<UploadedBytes>,
}

/// A file whose columns are usable, with its rows not yet checked.
pub struct Upload {
    file_name: String,
    columns: HashMap<String, usize>,
    /// (line in the file, cells)
    rows: Vec<(u64, csv::StringRecord)>,
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
    fn add_to(&self, errors: &mut FieldErrors, tr: &Translator) {
        match self {
            FileProblem::Missing => errors.add(tr, "file", "import-file-missing"),
            FileProblem::NotUtf8 => errors.add(tr, "file", "import-file-not-utf8"),
            FileProblem::Unreadable => errors.add(tr, "file", "import-file-unreadable"),
            FileProblem::MissingColumns(columns) => errors.add_with(
                tr,
                "file",
                "import-missing-columns",
                &[("columns", &columns.join(", "))],
            ),
            FileProblem::NoRows => errors.add(tr, "file", "import-no-rows"),
            FileProblem::TooManyRows => errors.add_with(
                tr,
                "file",
                "import-too-many-rows",
                &[("max", &MAX_ROWS.to_string())],
            ),
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
            file_name: file_name.chars().take(200).collect(),
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
    pub count: usize,
    pub kept: Vec<Problem>,
}

impl Problems {
    fn add(&mut self, line: u64, column: &str, message: &str) {
        self.count += 1;
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
fn check_row(
    upload: &Upload,
    record: &csv::StringRecord,
    tr: &Translator,
    importer_lang: Lang,
    today: chrono::NaiveDate,
) -> Result<NewCustomer, Vec<(&'static str, String)>> {
    let cell = |column: &str| upload.cell(record, column).to_owned();
    let or = |value: String, default: &str| {
        if value.is_empty() {
            default.to_owned()
        } else {
            value
        }
    };
    let country = cell("country");
    let zone = regions::country(&country).map_or("", |c| c.zone);
    let contact_email = cell("contact_email");
    let username = or(cell("administrator_username"), &contact_email);
    let billing_type = or(cell("billing_type"), BillingType::Trial.as_str());
    let default_trial_end = (today + chrono::Duration::days(create::DEFAULT_TRIAL_DAYS))
        .format("%Y-%m-%d")
        .to_string();
    let mut problems = Vec::new();
    let managed = yes_or_no(&cell("managed_order")).unwrap_or_else(|| {
        problems.push(("managed_order", "import-yes-no".to_owned()));
        false
    });
    let form = WizardForm {
        step: 3,
        name: cell("name"),
        primary_domain: cell("primary_domain"),
        country,
        time_zone: or(cell("time_zone"), zone),
        reference_number: cell("reference_number"),
        term: or(cell("subscription_term"), super::Term::Monthly.as_str()),
        trial_ends_on: or(cell("trial_ends_on"), &default_trial_end),
        billing_type,
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
        admin_username: username,
        email_same_known: "1".to_owned(),
        admin_email: contact_email,
        ..WizardForm::default()
    };
    let mut refused = |errors: FieldErrors| {
        for (field, message) in errors.message_ids() {
            let column = column_of(field, upload);
            if !problems.iter().any(|(c, _)| *c == column) {
                problems.push((column, message.to_owned()));
            }
        }
    };
    let account = form.account_part(tr, today).map_err(&mut refused).ok();
    let address = form.address_part(tr).map_err(&mut refused).ok();
    let administrator = form
        .administrator_part(tr, account.as_ref().map_or(chrono_tz::UTC, |a| a.time_zone))
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

/// What the background work needs, owned.
struct Job {
    import_id: String,
    partner_id: String,
    login_id: String,
    actor_name: String,
    acting_as: String,
    lang: Lang,
    settings: Settings,
    clock: SharedClock,
    upload: Upload,
}

impl Job {
    fn actor(&self) -> Actor<'_> {
        Actor {
            login_id: Some(&self.login_id),
            name: &self.actor_name,
            membership_id: Some(&self.acting_as),
            on_behalf_of: None,
        }
    }
}

fn set_state(
    conn: &mut DbConnection,
    import_id: &str,
    state: ImportState,
    finished_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(customer_imports::table.find(import_id))
        .set((
            customer_imports::state.eq(state.as_str()),
            customer_imports::finished_at.eq(finished_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Checks every row, then imports them all in one transaction, or none.
fn check_and_import(conn: &mut DbConnection, job: &Job) -> Result<(), CustomerError> {
    let tr = job.lang.translator();
    let today = job.clock.now().date();
    let mut problems = Problems::default();
    let mut accepted: Vec<NewCustomer> = Vec::with_capacity(job.upload.rows.len());
    let mut domains_in_file: HashSet<String> = HashSet::new();
    let mut checked = 0;
    for batch in job.upload.rows.chunks(CHECK_BATCH) {
        let mut valid: Vec<(u64, NewCustomer)> = Vec::new();
        for (line, record) in batch {
            match check_row(&job.upload, record, &tr, job.lang, today) {
                Ok(new) => {
                    let domain = new.account.domain.as_str().to_owned();
                    if domains_in_file.insert(domain) {
                        valid.push((*line, new));
                    } else {
                        problems.add(*line, "primary_domain", "import-domain-repeated");
                    }
                }
                Err(row_problems) => {
                    for (column, message) in row_problems {
                        problems.add(*line, column, &message);
                    }
                }
            }
        }
        let domains: Vec<&str> = valid
            .iter()
            .map(|(_, new)| new.account.domain.as_str())
            .collect();
        let taken_domains: HashSet<String> = customer_accounts::table
            .filter(customer_accounts::partner_id.eq(&job.partner_id))
            .filter(customer_accounts::primary_domain.eq_any(&domains))
            .select(customer_accounts::primary_domain)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        for (line, new) in valid {
            if taken_domains.contains(new.account.domain.as_str()) {
                problems.add(line, "primary_domain", "import-domain-exists");
            } else {
                accepted.push(new);
            }
        }
        checked += batch.len();
        diesel::update(customer_imports::table.find(&job.import_id))
            .set(customer_imports::checked_rows.eq(checked as i32))
            .execute(conn)?;
    }
    if problems.count > 0 {
        let problems = serde_json::to_string(&problems)?;
        diesel::update(customer_imports::table.find(&job.import_id))
            .set((
                customer_imports::state.eq(ImportState::Invalid.as_str()),
                customer_imports::problems.eq(problems),
                customer_imports::finished_at.eq(Some(job.clock.now())),
            ))
            .execute(conn)?;
        return Ok(());
    }
    set_state(conn, &job.import_id, ImportState::Importing, None)?;
    let imported = db::write_transaction(conn, |conn| -> Result<usize, CustomerError> {
        let now = job.clock.now();
        for new in &accepted {
            create::create(conn, &job.settings, now, &job.partner_id, new, job.actor())?;
        }
        audit::record(
            conn,
            now,
            audit::Entry {
                partner_id: Some(&job.partner_id),
                customer_id: None,
                actor: job.actor(),
                action: Action::CustomersImported,
                target: &job.upload.file_name,
                details: &accepted.len().to_string(),
            },
        )?;
        diesel::update(customer_imports::table.find(&job.import_id))
            .set((
                customer_imports::state.eq(ImportState::Done.as_str()),
                customer_imports::imported_rows.eq(accepted.len() as i32),
                customer_imports::finished_at.eq(Some(now)),
            ))
            .execute(conn)?;
        Ok(accepted.len())
    });
    imported.map(|_| ())
}

async fn run(job: Job, pool: DbPool, outbox_wake: std::sync::Arc<tokio::sync::Notify>) {
    let import_id = job.import_id.clone();
    let clock = job.clock.clone();
    let outcome = db::run(&pool, move |conn| check_and_import(conn, &job)).await;
    if let Err(error) = outcome {
        tracing::error!(?error, import_id, "customer import failed");
        let marked = db::run(&pool, move |conn| {
            set_state(conn, &import_id, ImportState::Failed, Some(clock.now()))
                .map_err(CustomerError::from)
        })
        .await;
        if let Err(error) = marked {
            tracing::error!(?error, "customer import could not be marked failed");
        }
    }
    outbox_wake.notify_one();
}

#[derive(Debug, Queryable)]
pub struct ImportRecord {
    pub id: String,
    pub state: String,
    pub total_rows: i32,
    pub checked_rows: i32,
    pub imported_rows: i32,
    pub problems: String,
    pub source: String,
    pub created_at: NaiveDateTime,
}

type RecordColumns = (
    customer_imports::id,
    customer_imports::state,
    customer_imports::total_rows,
    customer_imports::checked_rows,
    customer_imports::imported_rows,
    customer_imports::problems,
    customer_imports::source,
    customer_imports::created_at,
);

const RECORD: RecordColumns = (
    customer_imports::id,
    customer_imports::state,
    customer_imports::total_rows,
    customer_imports::checked_rows,
    customer_imports::imported_rows,
    customer_imports::problems,
    customer_imports::source,
    customer_imports::created_at,
);

impl ImportRecord {
    pub fn state(&self) -> ImportState {
        ImportState::parse(&self.state).unwrap_or(ImportState::Failed)
    }

    /// An import still under way long after any file could have taken was cut off
    /// by a stopped server: nothing of it was committed, and no one works on it.
    /// Judged when read, since another instance may be running a recent one.
    fn settled(mut self, now: NaiveDateTime) -> Self {
        if self.in_progress()
            && now - self.created_at > chrono::Duration::minutes(STALE_AFTER_MINUTES)
        {
            self.state = ImportState::Failed.as_str().to_owned();
        }
        self
    }

    pub fn in_progress(&self) -> bool {
        matches!(self.state(), ImportState::Checking | ImportState::Importing)
    }
}

#[derive(Template)]
#[template(path = "customers/import.html")]
struct UploadPage {
    layout: Layout,
    errors: FieldErrors,
    required: [&'static str; 7],
    optional: [&'static str; 12],
    max_rows: usize,
    max_megabytes: usize,
    recent: Vec<ImportRecord>,
    zone: chrono_tz::Tz,
}

impl UploadPage {
    fn action(&self) -> String {
        format!(
            "{PATH}?{}={}",
            crate::auth::csrf::FIELD,
            self.layout.csrf_token
        )
    }

    fn state_label(&self, record: &ImportRecord) -> String {
        self.layout.tr.t(record.state().label_key())
    }

    fn started(&self, record: &ImportRecord) -> String {
        crate::i18n::format_time(record.created_at, self.zone, self.layout.lang)
    }
}

async fn upload_page(
    state: &AppState,
    layout: Layout,
    member: &PartnerMember,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.partner_id().to_owned();
    let now = state.clock.now();
    let recent: Vec<ImportRecord> = db::run(&state.pool, move |conn| {
        customer_imports::table
            .filter(customer_imports::partner_id.eq(&partner_id))
            .order(customer_imports::created_at.desc())
            .limit(RECENT_IMPORTS)
            .select(RECORD)
            .load(conn)
            .map_err(CustomerError::from)
    })
    .await
    .map_err(super::details::page_error)?;
    render(&UploadPage {
        layout,
        errors,
        required: REQUIRED_COLUMNS,
        optional: OPTIONAL_COLUMNS,
        max_rows: MAX_ROWS,
        max_megabytes: MAX_BYTES / (1024 * 1024),
        recent: recent.into_iter().map(|r| r.settled(now)).collect(),
        zone: member.identity.login.time_zone,
    })
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
) -> Result<HttpResponse, PageError> {
    upload_page(&state, layout, &member, FieldErrors::default()).await
}

pub async fn upload(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    MultipartForm(form): MultipartForm<UploadForm>,
) -> Result<HttpResponse, PageError> {
    let (file_name, bytes) = match &form.file {
        Some(file) => (
            file.file_name.clone().unwrap_or_default(),
            file.data.as_ref(),
        ),
        None => (String::new(), &[][..]),
    };
    let upload = match Upload::read(&file_name, bytes) {
        Ok(upload) => upload,
        Err(problem) => {
            let mut errors = FieldErrors::default();
            problem.add_to(&mut errors, &layout.tr);
            return upload_page(&state, layout, &member, errors).await;
        }
    };
    let import_id = uuid::Uuid::new_v4().to_string();
    let now = state.clock.now();
    let (login_id, actor_name, acting_as) = member.actor_parts();
    let partner_id = member.partner_id().to_owned();
    let total = upload.rows.len() as i32;
    let record = (
        customer_imports::id.eq(import_id.clone()),
        customer_imports::partner_id.eq(partner_id.clone()),
        customer_imports::created_by_login_id.eq(login_id.clone()),
        customer_imports::state.eq(ImportState::Checking.as_str()),
        customer_imports::total_rows.eq(total),
        customer_imports::checked_rows.eq(0),
        customer_imports::imported_rows.eq(0),
        customer_imports::problems.eq(""),
        customer_imports::source.eq(upload.file_name.clone()),
        customer_imports::created_at.eq(now),
    );
    db::run(&state.pool, move |conn| {
        diesel::insert_into(customer_imports::table)
            .values(record)
            .execute(conn)
            .map_err(CustomerError::from)
    })
    .await
    .map_err(super::details::page_error)?;
    let job = Job {
        import_id: import_id.clone(),
        partner_id,
        login_id,
        actor_name,
        acting_as,
        lang: layout.lang,
        settings: state.settings.clone(),
        clock: state.clock.clone(),
        upload,
    };
    actix_web::rt::spawn(run(job, state.pool.clone(), state.outbox_wake.clone()));
    Ok(see_other(&format!("{PATH}/{import_id}")))
}

#[derive(Template)]
#[template(path = "customers/import_progress.html")]
struct ProgressPage {
    layout: Layout,
    import: ImportRecord,
    problems: Problems,
}

impl ProgressPage {
    fn problem_text(&self, problem: &Problem) -> String {
        self.layout.tr.t(&problem.message)
    }

    fn more_problems(&self) -> usize {
        self.problems.count.saturating_sub(self.problems.kept.len())
    }

    fn line_label(&self, problem: &Problem) -> String {
        self.layout
            .tr
            .with("import-line", &[("line", &problem.line.to_string())])
    }

    fn counts(&self, key: &str) -> String {
        self.layout.tr.with(
            key,
            &[
                ("checked", &self.import.checked_rows.to_string()),
                ("total", &self.import.total_rows.to_string()),
                ("imported", &self.import.imported_rows.to_string()),
                ("problems", &self.problems.count.to_string()),
            ],
        )
    }
}

pub async fn progress(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let import_id = path.into_inner();
    let partner_id = member.partner_id().to_owned();
    let import: Option<ImportRecord> = db::run(&state.pool, move |conn| {
        customer_imports::table
            .filter(customer_imports::id.eq(&import_id))
            .filter(customer_imports::partner_id.eq(&partner_id))
            .select(RECORD)
            .first(conn)
            .optional()
            .map_err(CustomerError::from)
    })
    .await
    .map_err(super::details::page_error)?;
    let import = import
        .ok_or(PageError::NotFound)?
        .settled(state.clock.now());
    let problems = serde_json::from_str(&import.problems).unwrap_or_default();
    render(&ProgressPage {
        layout,
        import,
        problems,
    })
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
}

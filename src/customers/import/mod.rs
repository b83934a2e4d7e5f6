//! CSV import of customers. The upload is read and its columns checked at
//! once (`upload.rs`); the import is then queued as a background job
//! (`job.rs`): its rows are checked batch by batch while the import's page shows
//! how far it got. If any row is refused, nothing is imported and the page lists
//! every problem by row and column; otherwise every customer is created in one
//! transaction, exactly as the creation steps would.
//!
//! The file's columns are those of the export, so an export can be imported as is.

pub mod job;
pub mod upload;

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as UploadedBytes;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::CustomerError;
use crate::auth::identity::PartnerMember;
use crate::db;
use crate::db::schema::customer_imports;
use crate::metrics::Backlog;
use crate::state::AppState;
use crate::tenancy::kinds::ImportState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, see_other};
pub use job::ImportWorker;
pub use upload::{FileProblem, OPTIONAL_COLUMNS, Problem, Problems, REQUIRED_COLUMNS, Upload};

pub const PATH: &str = "/partner/customers/import";
/// The largest file accepted; the request cap for this one route follows it.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Bounded so that the one transaction importing a whole file stays short.
pub const MAX_ROWS: usize = 5_000;
/// Imports listed on the upload page.
const RECENT_IMPORTS: i64 = 5;

#[derive(MultipartForm)]
pub struct UploadForm {
    file: Option<UploadedBytes>,
}

/// An import as stored.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = customer_imports)]
pub struct StoredImport {
    pub id: String,
    pub state: String,
    pub total_rows: i32,
    pub checked_rows: i32,
    pub imported_rows: i32,
    pub problems: String,
    pub source: String,
    pub created_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub failure: Option<String>,
}

/// An import as the pages show it.
#[derive(Debug)]
pub struct ImportRecord {
    stored: StoredImport,
    /// Set when read: the instance working on it stopped, and another will
    /// take it over (shown as queued).
    pub resuming: bool,
}

impl From<StoredImport> for ImportRecord {
    fn from(stored: StoredImport) -> Self {
        ImportRecord {
            stored,
            resuming: false,
        }
    }
}

impl std::ops::Deref for ImportRecord {
    type Target = StoredImport;

    fn deref(&self) -> &StoredImport {
        &self.stored
    }
}

impl ImportRecord {
    pub fn state(&self) -> ImportState {
        ImportState::parse(&self.state).unwrap_or(ImportState::Failed)
    }

    /// What the page says is what the lease says: an import under way whose
    /// lease has run out has no one working on it any more; nothing of it was
    /// committed, and the next instance to look takes it over from the start.
    fn settled(mut self, now: NaiveDateTime) -> Self {
        let working = self.locked_until.is_some_and(|until| until >= now);
        if self.in_progress() && self.state() != ImportState::Queued && !working {
            self.stored.state = ImportState::Queued.as_str().to_owned();
            self.resuming = true;
            self.stored.checked_rows = 0;
        }
        self
    }

    pub fn in_progress(&self) -> bool {
        matches!(
            self.state(),
            ImportState::Queued | ImportState::Checking | ImportState::Importing
        )
    }

    /// The message id saying why a failed import failed.
    pub fn failure_key(&self) -> &'static str {
        match self.failure.as_deref() {
            Some(job::FAILED_INTERRUPTED) => job::FAILED_INTERRUPTED,
            Some(job::FAILED_ERROR) => job::FAILED_ERROR,
            _ => "import-failed",
        }
    }
}

#[derive(Template)]
#[template(path = "customers/import.html")]
struct UploadPage {
    layout: PageContext,
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
            crate::web::csrf::FIELD,
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
    layout: PageContext,
    member: &PartnerMember,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let own = own_imports_only(member);
    let now = state.clock.now();
    let recent: Vec<StoredImport> = db::run(&state.pool, move |conn| {
        let mut query = customer_imports::table
            .filter(customer_imports::partner_id.eq(scope.partner_id().as_str().to_owned()))
            .into_boxed();
        if let Some(membership_id) = own {
            query = query.filter(customer_imports::acting_membership_id.eq(membership_id));
        }
        query
            .order(customer_imports::created_at.desc())
            .limit(RECENT_IMPORTS)
            .select(StoredImport::as_select())
            .load(conn)
            .map_err(CustomerError::from)
    })
    .await
    .map_err(super::page_error)?;
    render(&UploadPage {
        layout,
        errors,
        required: REQUIRED_COLUMNS,
        optional: OPTIONAL_COLUMNS,
        max_rows: MAX_ROWS,
        max_megabytes: MAX_BYTES / (1024 * 1024),
        recent: recent
            .into_iter()
            .map(|r| ImportRecord::from(r).settled(now))
            .collect(),
        zone: member.identity.login.time_zone,
    })
}

pub async fn form(PageOf(state, layout, member): PartnerPage) -> Result<HttpResponse, PageError> {
    upload_page(&state, layout, &member, FieldErrors::default()).await
}

/// Reads the file and queues the import with everything its job needs; the
/// instance's import worker is woken to take it at once.
pub async fn upload(
    PageOf(state, layout, member): PartnerPage,
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
            problem.add_to(&mut errors);
            return upload_page(&state, layout, &member, errors).await;
        }
    };
    let import_id = uuid::Uuid::new_v4().to_string();
    let now = state.clock.now();
    let (login_id, actor_name, acting_as) = member.actor_parts();
    let on_behalf_of = member.actor().on_behalf_of.map(str::to_owned);
    let record = (
        customer_imports::id.eq(import_id.clone()),
        customer_imports::partner_id.eq(member.partner_id().to_owned()),
        customer_imports::created_by_login_id.eq(login_id),
        customer_imports::state.eq(ImportState::Queued),
        customer_imports::total_rows.eq(upload.rows.len() as i32),
        customer_imports::checked_rows.eq(0),
        customer_imports::imported_rows.eq(0),
        customer_imports::problems.eq(""),
        customer_imports::source.eq(upload.file_name),
        customer_imports::created_at.eq(now),
        customer_imports::upload.eq(upload.text),
        customer_imports::language.eq(layout.lang.code()),
        customer_imports::acting_membership_id.eq(Some(acting_as)),
        customer_imports::actor_name.eq(actor_name),
        customer_imports::on_behalf_of.eq(on_behalf_of),
    );
    db::run(&state.pool, move |conn| {
        diesel::insert_into(customer_imports::table)
            .values(record)
            .execute(conn)
            .map_err(CustomerError::from)
    })
    .await
    .map_err(super::page_error)?;
    state.jobs_wake.notify_one();
    Ok(see_other(&format!("{PATH}/{import_id}")))
}

#[derive(Template)]
#[template(path = "customers/import_progress.html")]
struct ProgressPage {
    layout: PageContext,
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
            .with_numbers("import-line", &[], &[("line", problem.line.into())])
    }

    fn counts(&self, key: &str) -> String {
        self.layout.tr.with_numbers(
            key,
            &[],
            &[
                ("checked", self.import.checked_rows.into()),
                ("total", self.import.total_rows.into()),
                ("imported", self.import.imported_rows.into()),
                ("problems", self.problems.count.into()),
                ("rows", self.problems.rows.into()),
            ],
        )
    }

    fn failure(&self) -> String {
        self.layout.tr.t(self.import.failure_key())
    }
}

pub async fn progress(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let import_id = path.into_inner();
    let scope = member.scope().clone();
    let own = own_imports_only(&member);
    let import: Option<StoredImport> = db::run(&state.pool, move |conn| {
        let mut query = customer_imports::table
            .filter(customer_imports::id.eq(import_id))
            .filter(customer_imports::partner_id.eq(scope.partner_id().as_str().to_owned()))
            .into_boxed();
        if let Some(membership_id) = own {
            query = query.filter(customer_imports::acting_membership_id.eq(membership_id));
        }
        query
            .select(StoredImport::as_select())
            .first(conn)
            .optional()
            .map_err(CustomerError::from)
    })
    .await
    .map_err(super::page_error)?;
    let import = ImportRecord::from(import.ok_or(PageError::NotFound)?).settled(state.clock.now());
    let problems = serde_json::from_str(&import.problems).unwrap_or_default();
    render(&ProgressPage {
        layout,
        import,
        problems,
    })
}

/// How many imports are in each state, and how long the oldest one waiting for
/// the worker has waited (`/metrics`).
pub fn backlog(conn: &mut db::DbConnection, now: NaiveDateTime) -> QueryResult<Backlog> {
    use diesel::dsl::{count_star, min};
    let by_state = customer_imports::table
        .group_by(customer_imports::state)
        .select((customer_imports::state, count_star()))
        .load(conn)?;
    let oldest: Option<NaiveDateTime> = customer_imports::table
        .filter(customer_imports::state.eq(ImportState::Queued))
        .select(min(customer_imports::created_at))
        .first(conn)?;
    Ok(Backlog {
        by_state,
        oldest_waiting: oldest.and_then(|oldest| (now - oldest).to_std().ok()),
    })
}

/// A member limited to some groups sees only the imports they made: another's
/// report names customers outside their reach. `None` for everyone else.
fn own_imports_only(member: &PartnerMember) -> Option<String> {
    member
        .scope()
        .reach()
        .is_limited()
        .then(|| member.membership.id.clone())
}

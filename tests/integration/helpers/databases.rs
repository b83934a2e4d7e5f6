//! A database of its own for each test: empty (for the migration tests), or
//! in the state of a template migrated once per test process. Migrating took
//! most of a test's start on PostgreSQL (a `CREATE DATABASE` and every
//! migration); on SQLite a test copies the template's file, on PostgreSQL it
//! takes a clone of the template from a pool (`database_pool.rs`). The
//! application still runs its migrations at start and finds nothing to do.
//!
//! A template is named after a digest of the migration folders, so a changed
//! or added migration makes a new template and a stale one is never reused.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use diesel::{Connection, RunQueryDsl};
use sha2::{Digest, Sha256};

use super::database_pool::{self, Template};

pub const POSTGRES_URL_VAR: &str = "PARTNERDESK_TEST_POSTGRES_URL";

/// The advisory lock under which one test process at a time builds a
/// PostgreSQL template ("PDTMPL").
const TEMPLATE_LOCK_KEY: i64 = 0x5044_544d_504c;

/// A database of its own for one test.
pub enum TestDatabase {
    Sqlite,
    /// Created for this test, dropped after it.
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Taken from the pool (`database_pool.rs`): this test's as long as the
    /// connection holding its slot's lock is open.
    PostgresPooled {
        _holder: diesel::PgConnection,
    },
}

impl TestDatabase {
    /// Creates an empty database and returns its URL.
    pub fn create(data_dir: &Path) -> (Self, String) {
        match postgres_admin_url() {
            Some(admin_url) => Self::postgres(admin_url, None),
            None => (TestDatabase::Sqlite, sqlite_url(data_dir)),
        }
    }

    /// Creates a database with every migration applied and returns its URL.
    pub fn create_migrated(data_dir: &Path) -> (Self, String) {
        match postgres_admin_url() {
            Some(admin_url) => {
                let template = postgres_template(&admin_url);
                match database_pool::claim(&admin_url, template) {
                    Some((holder, url)) => (TestDatabase::PostgresPooled { _holder: holder }, url),
                    None => Self::postgres(admin_url, Some(&template.name)),
                }
            }
            None => {
                std::fs::copy(sqlite_template(), data_dir.join("test.db"))
                    .expect("copy the SQLite template");
                (TestDatabase::Sqlite, sqlite_url(data_dir))
            }
        }
    }

    fn postgres(admin_url: String, template: Option<&str>) -> (Self, String) {
        let name = format!("pd_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = diesel::PgConnection::establish(&admin_url)
            .expect("connect to the test PostgreSQL server");
        let from = template
            .map(|t| format!(" TEMPLATE {t}"))
            .unwrap_or_default();
        diesel::sql_query(format!("CREATE DATABASE {name}{from}"))
            .execute(&mut admin)
            .expect("create a test database");
        let url = with_database(&admin_url, &name);
        (TestDatabase::Postgres { admin_url, name }, url)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

fn postgres_admin_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| without_tls(&url))
}

fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("test.db").display())
}

/// The first 16 hex digits of a SHA-256 over every file name and content of
/// the backend's migration folder, in order, and of its replaceable schema (the
/// triggers and functions applied after the migrations).
fn migrations_digest(backend: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    files.sort();
    let mut digest = Sha256::new();
    for file in files {
        let relative = file.strip_prefix(&root).expect("under the migrations");
        digest.update(relative.to_string_lossy().as_bytes());
        digest.update([0]);
        digest.update(std::fs::read(&file).expect("read a migration"));
        digest.update([0]);
    }
    let replaceable = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/db/replaceable")
        .join(format!("{backend}.sql"));
    digest.update(std::fs::read(&replaceable).expect("read the replaceable schema"));
    hex::encode(digest.finalize())[..16].to_owned()
}

fn collect_files(folder: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("read the migrations folder") {
        let path = entry.expect("a migrations folder entry").path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// A migrated SQLite file in the temporary folder, made once and shared by
/// every test process with the same migrations.
fn sqlite_template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let path = std::env::temp_dir().join(format!(
            "partnerdesk-test-template-{}.db",
            migrations_digest("sqlite")
        ));
        if !path.exists() {
            build_sqlite_template(&path);
        }
        path
    })
}

/// Migrates a scratch database and writes a compact copy of it beside `path`,
/// then renames it into place, so a process that reads `path` never sees a
/// half-written file.
fn build_sqlite_template(path: &Path) {
    let scratch = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", scratch.path().join("migrating.db").display());
    let pool = partnerdesk::db::connect(&url, 1).expect("migrate the SQLite template");
    let partial = path.with_extension(format!("{}.partial", uuid::Uuid::new_v4().simple()));
    let mut conn = pool.get().expect("a connection to the template");
    diesel::sql_query(format!("VACUUM INTO '{}'", partial.display()))
        .execute(&mut conn)
        .expect("write the SQLite template");
    drop(conn);
    std::fs::rename(&partial, path).expect("put the SQLite template in place");
}

/// The migrated PostgreSQL template database, built once by whichever test
/// process comes first, and what brings a clone of it back to its state.
fn postgres_template(admin_url: &str) -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let digest = migrations_digest("postgres");
        let name = format!("pd_template_{digest}");
        let mut admin =
            diesel::PgConnection::establish(admin_url).expect("connect to the test PostgreSQL");
        diesel::sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})"))
            .execute(&mut admin)
            .expect("lock the template");
        if !database_exists(&mut admin, &name) {
            build_postgres_template(&mut admin, admin_url, &name);
        }
        let reset = database_pool::reset_script(&mut admin, &with_database(admin_url, &name));
        diesel::sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})"))
            .execute(&mut admin)
            .expect("unlock the template");
        Template {
            name,
            digest,
            reset,
        }
    })
}

/// Migrates a database under another name and renames it to `name` once
/// complete, so an interrupted build never leaves a template behind.
fn build_postgres_template(admin: &mut diesel::PgConnection, admin_url: &str, name: &str) {
    let building = format!("{name}_building");
    for statement in [
        format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
        format!("CREATE DATABASE {building}"),
    ] {
        diesel::sql_query(statement)
            .execute(admin)
            .expect("prepare the template");
    }
    let pool = partnerdesk::db::connect(&with_database(admin_url, &building), 1)
        .expect("migrate the PostgreSQL template");
    drop(pool);
    // Cloning needs a template nobody is connected to: close any connection
    // the pool's threads have not closed yet.
    for statement in [
        format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{building}' AND pid <> pg_backend_pid()"
        ),
        format!("ALTER DATABASE {building} RENAME TO {name}"),
    ] {
        diesel::sql_query(statement)
            .execute(admin)
            .expect("put the template in place");
    }
}

pub(super) fn database_exists(admin: &mut diesel::PgConnection, name: &str) -> bool {
    use diesel::sql_types::{BigInt, Text};
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    diesel::sql_query("SELECT count(*) AS count FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .get_result::<Count>(admin)
        .expect("look for the template")
        .count
        > 0
}

/// The test server is local, so its connections need no TLS; unless the URL says
/// otherwise they go without (`sslmode=disable`). With TLS, a test binary once
/// died of SIGSEGV after every test had passed: OpenSSL's clean-up at process
/// exit can race with libpq in the threads of pools still alive (diesel-rs/diesel
/// issue 3441).
fn without_tls(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    if !parsed.query_pairs().any(|(key, _)| key == "sslmode") {
        parsed.query_pairs_mut().append_pair("sslmode", "disable");
    }
    parsed.to_string()
}

pub(super) fn with_database(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("a valid PostgreSQL URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

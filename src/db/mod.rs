//! The database: one connection type over SQLite and PostgreSQL, the pool, the
//! per-connection set-up, the embedded migrations and the write transaction.

pub mod backup;
pub mod codes;
pub mod derived;
mod lock;
pub mod partner_archive;
#[cfg(test)]
pub mod plans;
pub mod pragmas;
pub mod replaceable;
pub mod schema;
mod taken;

pub use taken::{OrTaken, is_taken};

pub use lock::{LockTarget, lock_row};

use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Every query in the application runs on this connection; the backend is chosen by
/// the database URL at start-up.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<Connector>;
pub type PooledDb = PooledConnection<Connector>;

/// Opens the pool's connections with the backend the URL names. (diesel's own
/// manager, given a MultiConnection, tries every backend in turn and reports
/// "Invalid connection url for multiconnection" whatever went wrong; this one
/// reports the driver's real error, such as a refused connection.)
#[derive(Debug)]
pub struct Connector {
    url: String,
    backend: Backend,
}

impl diesel::r2d2::ManageConnection for Connector {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        use diesel::Connection;
        Ok(match self.backend {
            Backend::Postgres => {
                DbConnection::Postgres(diesel::PgConnection::establish(&self.url)?)
            }
            Backend::Sqlite => {
                DbConnection::Sqlite(diesel::SqliteConnection::establish(&self.url)?)
            }
        })
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        use diesel::r2d2::R2D2Connection;
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.is_broken()
    }
}

/// Logs the pool's failures to open a connection with their real cause.
#[derive(Debug)]
struct LogConnectionErrors;

impl diesel::r2d2::HandleError<diesel::r2d2::Error> for LogConnectionErrors {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::error!(%error, "cannot open a database connection");
    }
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite://") || url.ends_with(".db") || url.ends_with(".sqlite") {
            Ok(Backend::Sqlite)
        } else {
            Err(DbError::UnknownScheme)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database URL must start with postgres:// or sqlite://")]
    UnknownScheme,
    /// No connection in time: the database is out of reach (or overloaded).
    #[error("the database cannot be reached: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("the database cannot be reached: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("could not create the database folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("a migration failed: {0}")]
    Migration(String),
    #[error("database query failed")]
    Query(#[from] diesel::result::Error),
    #[error("could not serialise a stored value: {0}")]
    Serialization(String),
    #[error("a database task stopped unexpectedly")]
    TaskPanicked,
}

impl DbError {
    /// Whether the database is out of reach (no connection in time, a
    /// connection refused or lost), rather than the query at fault.
    pub fn is_unreachable(&self) -> bool {
        match self {
            DbError::Pool(_) | DbError::Connect(_) => true,
            DbError::Query(error) => lost_connection(error),
            _ => false,
        }
    }
}

/// Whether a query failed because its connection was lost.
pub fn lost_connection(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        error,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        )
    )
}

/// The URL diesel's SQLite driver expects: a plain path (the `sqlite://` prefix is ours).
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

/// The SQLite file the URL names; none for PostgreSQL or an in-memory database.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = sqlite_path(url);
    let on_disk = matches!(Backend::from_url(url), Ok(Backend::Sqlite))
        && !path.is_empty()
        && !path.starts_with(':');
    on_disk.then(|| std::path::PathBuf::from(path))
}

/// Normalises the URL handed to the connection manager.
fn connection_url(url: &str) -> Result<String, DbError> {
    Ok(match Backend::from_url(url)? {
        Backend::Sqlite => sqlite_path(url).to_owned(),
        Backend::Postgres => url.to_owned(),
    })
}

/// Opens the pool and brings the schema up to date before anyone gets a connection.
pub fn connect(database_url: &str, max_size: u32) -> Result<DbPool, DbError> {
    connect_waiting(database_url, max_size, Duration::from_secs(10))
}

/// `connect`, with `wait` the longest a caller waits for a connection.
pub fn connect_waiting(
    database_url: &str,
    max_size: u32,
    wait: Duration,
) -> Result<DbPool, DbError> {
    connect_observed(
        database_url,
        max_size,
        wait,
        Box::new(diesel::r2d2::NopEventHandler),
    )
}

/// `connect_waiting`, with the pool's events (checkouts and their waits,
/// timeouts) handed to `events`.
pub fn connect_observed(
    database_url: &str,
    max_size: u32,
    wait: Duration,
    events: Box<dyn diesel::r2d2::HandleEvent>,
) -> Result<DbPool, DbError> {
    let backend = Backend::from_url(database_url)?;
    if backend == Backend::Sqlite
        && let Some(parent) = std::path::Path::new(sqlite_path(database_url)).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let manager = Connector {
        url: connection_url(database_url)?,
        backend,
    };
    let setup = pragmas::ConnectionSetup {
        sqlite_file: sqlite_file(database_url),
    };
    if backend == Backend::Sqlite {
        let map = setup.map_size();
        // RSS counts a mapped page once per connection that read it: the most
        // the maps can add to it, for an operator reading the figures.
        tracing::info!(
            map_mib = map / (1024 * 1024),
            connections = max_size,
            most_mib = map * u64::from(max_size) / (1024 * 1024),
            "each SQLite connection maps the database file (shared page cache, counted in RSS once per connection)"
        );
    }
    let pool = Pool::builder()
        .max_size(max_size)
        .connection_timeout(wait)
        .error_handler(Box::new(LogConnectionErrors))
        .event_handler(events)
        .connection_customizer(Box::new(setup))
        .build(manager)?;
    let mut conn = pool.get()?;
    // Some SQLite migrations run outside a transaction (they must turn foreign
    // keys off), so two processes starting together would both run them: the
    // second waits here for the first instead.
    let _migrating = match backend {
        Backend::Sqlite => lock_beside(sqlite_path(database_url)),
        Backend::Postgres => None,
    };
    run_migrations(&mut conn)?;
    Ok(pool)
}

/// An exclusive lock on a file beside the SQLite database, held until dropped;
/// none for an in-memory database or where the file cannot be made.
fn lock_beside(database_path: &str) -> Option<std::fs::File> {
    if database_path.is_empty() || database_path.starts_with(':') {
        return None;
    }
    let path = format!("{database_path}.migration-lock");
    let locked = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .and_then(|file| file.lock().map(|()| file));
    match locked {
        Ok(file) => Some(file),
        Err(error) => {
            tracing::warn!(%error, path, "cannot lock the migrations; running them unlocked");
            None
        }
    }
}

/// The advisory lock under which PostgreSQL migrations run ("PDMIGR").
const MIGRATION_LOCK_KEY: i64 = 0x5044_4d49_4752;

/// Brings the schema up to date: the pending migrations, then the triggers and
/// functions of `replaceable` when they changed. On PostgreSQL this runs under a
/// session advisory lock, so any number of instances may start together on one
/// database: the first migrates, the others wait, then find nothing to do.
/// On SQLite, `connect` holds a lock file beside the database to the same end.
pub fn run_migrations(conn: &mut DbConnection) -> Result<(), DbError> {
    if let DbConnection::Postgres(c) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
            .execute(c)
            .map_err(|e| DbError::Migration(e.to_string()))?;
    }
    let migrated = migrate_and_replace(conn);
    if let DbConnection::Postgres(c) = conn {
        let unlocked =
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                .execute(c);
        if let Err(error) = unlocked {
            // The lock goes with the connection anyway; say so and go on.
            tracing::warn!(%error, "could not release the migration lock");
        }
    }
    migrated
}

fn migrate_and_replace(conn: &mut DbConnection) -> Result<(), DbError> {
    let migration_error = |e: diesel::result::Error| DbError::Migration(e.to_string());
    let pending = match conn {
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
        DbConnection::Postgres(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| DbError::Migration(e.to_string()))?;
    // Before the migration that introduced the replaceable schema, the triggers
    // are the migrations' own, and the earlier migrations drop them by name.
    if pending && replaceable::installed(conn).map_err(migration_error)? {
        write_transaction(conn, replaceable::drop_all).map_err(migration_error)?;
    }
    match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    }
    .map_err(|e| DbError::Migration(e.to_string()))?;
    if write_transaction(conn, replaceable::apply_if_changed).map_err(migration_error)? {
        tracing::debug!("triggers and functions (re)defined");
    }
    Ok(())
}

/// Reverts every migration, the replaceable schema first.
pub fn revert_all_migrations(conn: &mut DbConnection) -> Result<(), DbError> {
    let migration_error = |e: diesel::result::Error| DbError::Migration(e.to_string());
    if replaceable::installed(conn).map_err(migration_error)? {
        write_transaction(conn, replaceable::drop_all).map_err(migration_error)?;
    }
    let result = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| DbError::Migration(e.to_string()))
}

/// Runs `work` in a transaction meant to write.
///
/// On SQLite it begins IMMEDIATE, so the write lock is taken up front and two writers
/// queue on `busy_timeout` instead of one failing half-way with SQLITE_BUSY when it
/// upgrades its read lock.
///
/// On PostgreSQL it begins READ COMMITTED explicitly, whatever the server's or the
/// role's default isolation. Writers that queue on a row lock (`lock_row`, as
/// `monitoring::results::record_results` takes it) rely on each statement after the
/// lock seeing what the previous holder committed. Under REPEATABLE READ or
/// SERIALIZABLE the snapshot is taken by the transaction's first statement, before
/// the lock is granted: the second of two identical batches would not see the first's
/// results, insert them again and fail on the primary key (or fail to serialise).
pub fn write_transaction<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    in_transaction(conn, Begin::Write, Finish::Commit, work)
}

/// Runs `work` exactly as `write_transaction` would, then rolls it back whatever
/// it returned: a rehearsal. A costly or irreversible action is first rehearsed
/// to find out whether it would succeed and what it would do, for the page that
/// asks the person to confirm it (`web::confirm`); nothing it wrote is kept, not
/// its rows, its emails (the outbox is a table) nor its activity-log entry.
/// `work` must not act outside the database, as no change of ours does.
pub fn rehearse<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    in_transaction(conn, Begin::Write, Finish::RollBack, work)
}

/// Runs `work` in a read-only transaction whose statements all see the same
/// snapshot, for a page that adds up figures read by several queries (a dashboard
/// reads whole days and hours from two tables: a batch committed between them
/// must not be half counted). SQLite's deferred transaction keeps the snapshot of
/// its first read.
pub fn read_snapshot<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    in_transaction(conn, Begin::ReadSnapshot, Finish::Commit, work)
}

/// What a transaction is for, which decides how each backend begins it.
#[derive(Clone, Copy)]
enum Begin {
    Write,
    ReadSnapshot,
}

impl Begin {
    fn sqlite(self) -> &'static str {
        match self {
            Begin::Write => "BEGIN IMMEDIATE",
            Begin::ReadSnapshot => "BEGIN DEFERRED",
        }
    }

    fn postgres(self) -> &'static str {
        match self {
            Begin::Write => "BEGIN ISOLATION LEVEL READ COMMITTED",
            Begin::ReadSnapshot => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        }
    }
}

/// How a transaction whose work succeeded ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Finish {
    Commit,
    RollBack,
}

/// Begins with the backend's statement, commits on `Ok` (unless told to roll
/// back even then) and rolls back on `Err`.
fn in_transaction<T, E, F>(
    conn: &mut DbConnection,
    begin: Begin,
    finish: Finish,
    work: F,
) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::Connection;
    match conn {
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, begin.sqlite())?
        }
        DbConnection::Postgres(pg) => {
            AnsiTransactionManager::begin_transaction_sql(pg, begin.postgres())?
        }
    }
    match work(conn) {
        Ok(value) if finish == Finish::RollBack => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Ok(value)
        }
        Ok(value) => {
            match <DbConnection as Connection>::TransactionManager::commit_transaction(conn) {
                Ok(()) => Ok(value),
                Err(commit_error) => {
                    let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(
                        conn,
                    );
                    Err(commit_error.into())
                }
            }
        }
        Err(error) => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

/// Whether the database answers a query within `wait`; for SQLite, also whether
/// its file is still where the pool opened it (the pool's open connections would
/// go on answering from a file deleted or moved away, and lose what they write).
pub fn answers(pool: &DbPool, database_url: &str, wait: Duration) -> bool {
    use diesel::RunQueryDsl;
    if matches!(Backend::from_url(database_url), Ok(Backend::Sqlite)) {
        let path = sqlite_path(database_url);
        let in_memory = path.is_empty() || path.starts_with(':');
        if !in_memory && !std::path::Path::new(path).exists() {
            return false;
        }
    }
    pool.get_timeout(wait)
        .is_ok_and(|mut conn| diesel::sql_query("SELECT 1").execute(&mut conn).is_ok())
}

/// Runs blocking database work on the blocking thread pool, off the async workers.
pub async fn run<T, E, F>(pool: &DbPool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    let pool = pool.clone();
    let joined = actix_web::rt::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| E::from(DbError::Pool(e)))?;
        work(&mut conn)
    })
    .await;
    match joined {
        Ok(result) => result,
        Err(_) => Err(E::from(DbError::TaskPanicked)),
    }
}

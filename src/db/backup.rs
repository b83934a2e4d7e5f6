//! `partnerdesk backup FILE` and `partnerdesk restore FILE` for the embedded
//! SQLite database: a consistent copy of a running instance's database,
//! compressed, and its return into a data folder. PostgreSQL has its own tools
//! (`pg_dump`, `pg_restore`), which the commands point to instead.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use diesel::{Connection, RunQueryDsl, SqliteConnection};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::{Backend, DbError, sqlite_path};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "this instance runs on PostgreSQL: back it up with `pg_dump --format=custom \
         --file=FILE DATABASE_URL` and restore it with `pg_restore --clean --if-exists \
         --dbname=DATABASE_URL FILE`"
    )]
    UsePostgresTools,
    #[error("{0} already exists: choose another file, or move it away first")]
    TargetExists(PathBuf),
    #[error(
        "a database already exists at {0}: stop the instance and move the file away (with its \
         -wal and -shm files) before restoring into its place"
    )]
    DatabaseExists(PathBuf),
    #[error("{0} is not a Partnerdesk backup: {1}")]
    NotABackup(PathBuf, String),
    #[error("{0}")]
    Database(#[from] DbError),
    #[error("{0}")]
    Query(#[from] diesel::result::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Writes a consistent copy of the database at `database_url`, gzip-compressed,
/// to `to`, while the instance may go on serving and writing: SQLite's
/// `VACUUM INTO` reads one snapshot (every write acknowledged before it began,
/// none after) and compacts it. Returns the bytes written.
pub fn backup(database_url: &str, to: &Path) -> Result<u64, BackupError> {
    let database = sqlite_file(database_url)?;
    if to.exists() {
        return Err(BackupError::TargetExists(to.to_owned()));
    }
    let snapshot = beside(to, "snapshot");
    let partial = beside(to, "partial");
    let written = snapshot_into(&database, &snapshot).and_then(|()| {
        let mut encoder = GzEncoder::new(
            BufWriter::new(File::create(&partial)?),
            Compression::default(),
        );
        std::io::copy(&mut BufReader::new(File::open(&snapshot)?), &mut encoder)?;
        encoder
            .finish()?
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        std::fs::rename(&partial, to)?;
        Ok(std::fs::metadata(to)?.len())
    });
    let _ = std::fs::remove_file(&snapshot);
    let _ = std::fs::remove_file(&partial);
    written
}

/// Puts the database saved by `backup` in `from` where `database_url` names it,
/// checked whole before it takes that place. Refuses to replace a database: the
/// instance is stopped and its file moved away first. The schema is brought up
/// to date when the instance next starts (or by `partnerdesk migrate`).
pub fn restore(from: &Path, database_url: &str) -> Result<(), BackupError> {
    let database = sqlite_file(database_url)?;
    if database.exists() {
        return Err(BackupError::DatabaseExists(database));
    }
    if let Some(folder) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let restoring = beside(&database, "restoring");
    let restored = unpack(from, &restoring).and_then(|()| {
        check_whole(&restoring)
            .map_err(|reason| BackupError::NotABackup(from.to_owned(), reason))?;
        std::fs::rename(&restoring, &database)?;
        Ok(())
    });
    let _ = std::fs::remove_file(&restoring);
    restored
}

fn sqlite_file(database_url: &str) -> Result<PathBuf, BackupError> {
    match Backend::from_url(database_url)? {
        Backend::Postgres => Err(BackupError::UsePostgresTools),
        Backend::Sqlite => Ok(PathBuf::from(sqlite_path(database_url))),
    }
}

/// `path` with `.suffix` added, for the files written on the way.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{suffix}"));
    PathBuf::from(name)
}

fn snapshot_into(database: &Path, snapshot: &Path) -> Result<(), BackupError> {
    let _ = std::fs::remove_file(snapshot);
    let mut conn =
        SqliteConnection::establish(&database.to_string_lossy()).map_err(DbError::Connect)?;
    // A writer holding the lock makes the snapshot wait rather than fail.
    diesel::sql_query("PRAGMA busy_timeout = 10000").execute(&mut conn)?;
    let quoted = snapshot.to_string_lossy().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{quoted}'")).execute(&mut conn)?;
    Ok(())
}

fn unpack(from: &Path, to: &Path) -> Result<(), BackupError> {
    let not_gzip = |e: std::io::Error| BackupError::NotABackup(from.to_owned(), e.to_string());
    let mut decoder = GzDecoder::new(BufReader::new(File::open(from)?));
    let mut out = BufWriter::new(File::create(to)?);
    std::io::copy(&mut decoder, &mut out).map_err(not_gzip)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// Whether the file is an intact SQLite database holding Partnerdesk's schema.
fn check_whole(file: &Path) -> Result<(), String> {
    #[derive(diesel::QueryableByName)]
    struct Verdict {
        #[diesel(sql_type = diesel::sql_types::Text)]
        verdict: String,
    }
    let mut conn =
        SqliteConnection::establish(&file.to_string_lossy()).map_err(|e| e.to_string())?;
    let integrity =
        diesel::sql_query("SELECT integrity_check AS verdict FROM pragma_integrity_check")
            .load::<Verdict>(&mut conn)
            .map_err(|e| e.to_string())?;
    if integrity.iter().any(|row| row.verdict != "ok") {
        return Err("the database is damaged".to_owned());
    }
    diesel::sql_query(
        "SELECT name AS verdict FROM sqlite_master WHERE type = 'table' AND name = 'partner_organisations'",
    )
    .get_result::<Verdict>(&mut conn)
    .map(|_| ())
    .map_err(|_| "it holds no Partnerdesk data".to_owned())
}

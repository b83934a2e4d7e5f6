//! `partnerdesk export-partner ID FILE` and `import-partner FILE`: one partner
//! organisation with everything that belongs to it, moved between instances,
//! SQLite or PostgreSQL on either side.
//!
//! The archive is gzip'd JSON lines: a header (format version, the source
//! schema's last migration, the partner, the catalogue offers its orders
//! name), then one section per table of `tables::CARRIED`, each row a map
//! from column to value in one form for both backends (`rows`), then an end
//! line with the number of rows, so a file cut short is told apart. It holds
//! password hashes and second-factor secrets as stored: it is as sensitive as
//! a backup, written with mode 600, never over an existing file.

mod export;
mod import;
mod rows;
pub mod tables;

pub use export::{export, partner_rows};
pub use import::import;
pub use rows::{Kind, Row, columns, normal_form};

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What the first line of an archive says it is.
pub const FORMAT: &str = "partnerdesk-partner-archive";
/// The layout of the archive this binary writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The archive's first line.
#[derive(Debug, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub format_version: u32,
    /// The last migration applied to the source database.
    pub schema_version: String,
    pub partner_id: String,
    pub partner_name: String,
    pub exported_at: String,
    /// The catalogue offers the partner's orders, subscriptions and
    /// reservations name, found in the target by their description.
    pub offers: Vec<Row>,
}

/// Every line after the header.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// The rows that follow belong to this table.
    Section(String),
    Row(Row),
    /// The last line: how many rows the archive holds.
    End {
        rows: u64,
    },
}

/// How many rows of each table an export wrote or an import read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub partner_id: String,
    pub partner_name: String,
    pub tables: Vec<(String, u64)>,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{0} already exists: choose another file, or move it away first")]
    TargetExists(PathBuf),
    #[error("no partner organisation has the id {0}")]
    NoSuchPartner(String),
    #[error(
        "{table}.{column} of {row} names {value}, which belongs to another organisation; \
         the archive would carry it: move that row out of the partner first"
    )]
    ForeignReference {
        table: String,
        column: String,
        row: String,
        value: String,
    },
    #[error("{path} is not a partner archive: {reason}")]
    NotAnArchive { path: PathBuf, reason: String },
    #[error(
        "the archive's format version {0} is unknown to this version of Partnerdesk, \
         which reads version {FORMAT_VERSION}"
    )]
    UnknownFormat(u32),
    #[error(
        "the archive comes from a newer schema ({archive}) than this instance's ({here}): \
         upgrade this instance first"
    )]
    NewerSchema { archive: String, here: String },
    #[error("nothing was imported: {0}")]
    Conflict(String),
    #[error("nothing was imported: {0}")]
    MissingReference(String),
    #[error("{0}")]
    Database(#[from] crate::db::DbError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The last migration applied to the database, as diesel records it.
pub fn schema_version(conn: &mut crate::db::DbConnection) -> diesel::QueryResult<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let latest: Version =
        diesel::sql_query("SELECT MAX(version) AS version FROM __diesel_schema_migrations")
            .get_result(conn)?;
    Ok(latest.version)
}

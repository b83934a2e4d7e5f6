//! The set-up of each pooled SQLite connection, and how much of the database
//! file it maps into memory.
//!
//! SQLite reads a mapped file straight from the kernel's page cache, without
//! copying each page into its own cache first: that halved the partner home's
//! CPU (docs/benchmarks.md, fifth measurement). Every connection maps the file
//! on its own, so the process's RSS counts a page once for each connection that
//! touched it, although it is one page of the page cache, shared and
//! reclaimable; docs/deployment.md says how to read the figures.

use diesel::connection::SimpleConnection;
use diesel::r2d2::CustomizeConnection;

use super::DbConnection;

const MIB: u64 = 1024 * 1024;
/// The map grows in steps of this size, so small changes of the file do not
/// change the figure an operator reads.
const MAP_STEP: u64 = 16 * MIB;
/// The most one connection maps: beyond it, SQLite reads the rest of the file
/// through its page cache as without a map.
pub const MAP_CAP: u64 = 1024 * MIB;

/// How much of a database file of `file_bytes` each connection maps: the file
/// and a quarter more for growth (the size is read when a connection opens, and
/// a connection lives for many requests), rounded up to 16 MiB, at most 1 GiB.
pub fn map_size(file_bytes: u64) -> u64 {
    let wanted = file_bytes.saturating_add(file_bytes / 4).max(1);
    wanted
        .div_ceil(MAP_STEP)
        .saturating_mul(MAP_STEP)
        .min(MAP_CAP)
}

/// The size of the database file at `path`, or 0 for an in-memory database or
/// one not created yet.
fn file_size(path: Option<&std::path::Path>) -> u64 {
    path.and_then(|path| std::fs::metadata(path).ok())
        .map_or(0, |metadata| metadata.len())
}

/// Applied to every connection the pool opens.
#[derive(Debug)]
pub(super) struct ConnectionSetup {
    /// The SQLite file, to size the map from; none for PostgreSQL and for an
    /// in-memory database.
    pub(super) sqlite_file: Option<std::path::PathBuf>,
}

impl ConnectionSetup {
    /// The map size a connection opened now would get.
    pub(super) fn map_size(&self) -> u64 {
        map_size(file_size(self.sqlite_file.as_deref()))
    }
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(sqlite) = conn {
            // busy_timeout first: it makes a second writer (or a second connection
            // switching the journal mode) wait instead of failing at once. WAL lets
            // readers run beside the single writer.
            sqlite
                .batch_execute(&format!(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA mmap_size = {};",
                    self.map_size()
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_covers_the_file_and_a_quarter_in_steps_up_to_the_cap() {
        assert_eq!(map_size(0), 16 * MIB, "an empty or new file: one step");
        assert_eq!(map_size(10 * MIB), 16 * MIB);
        assert_eq!(map_size(13 * MIB), 32 * MIB, "13 MiB and a quarter");
        assert_eq!(map_size(100 * MIB), 128 * MIB);
        assert_eq!(map_size(577_000_000), 688 * MIB);
        assert_eq!(map_size(800 * MIB), 1008 * MIB);
        assert_eq!(map_size(820 * MIB), MAP_CAP, "1,025 MiB wanted");
        assert_eq!(map_size(5_000 * MIB), MAP_CAP);
        assert_eq!(map_size(u64::MAX), MAP_CAP);
    }

    #[test]
    fn a_missing_file_is_sized_as_empty() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let absent = ConnectionSetup {
            sqlite_file: Some(folder.path().join("absent.db")),
        };
        assert_eq!(absent.map_size(), 16 * MIB);
        let path = folder.path().join("some.db");
        std::fs::write(&path, vec![0u8; 20 * MIB as usize]).expect("write a file");
        let present = ConnectionSetup {
            sqlite_file: Some(path),
        };
        assert_eq!(present.map_size(), 32 * MIB, "20 MiB and a quarter");
    }
}

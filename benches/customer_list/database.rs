//! Where a run keeps its data: the database (a SQLite file, or a PostgreSQL
//! database, fresh and dropped at the end unless one is named to keep), the
//! data folder, the seeding in a child process and the check of the derived
//! data after it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use partnerdesk::db;

use crate::seed;

pub const POSTGRES_URL_VAR: &str = "PARTNERDESK_BENCH_POSTGRES_URL";
/// A PostgreSQL database to keep between runs (created and seeded by the
/// first, reused by the next), like `PARTNERDESK_BENCH_DATA_DIR` for SQLite.
pub const POSTGRES_KEPT_VAR: &str = "PARTNERDESK_BENCH_POSTGRES_DATABASE";

/// Set on the child process that seeds the database, to the database URL.
pub const SEED_ONLY_VAR: &str = "PARTNERDESK_BENCH_SEED_ONLY";

/// The database of one run; a PostgreSQL one is created here and dropped at
/// the end, unless it is the kept one.
pub struct Database {
    pub url: String,
    postgres: Option<Postgres>,
}

struct Postgres {
    admin_url: String,
    name: String,
    kept: bool,
}

/// The kept database's name, when one is asked for: letters, digits and `_`
/// only, as it is written into `CREATE DATABASE`.
fn kept_database_name() -> Option<String> {
    let name = std::env::var(POSTGRES_KEPT_VAR).ok()?.trim().to_owned();
    if name.is_empty() {
        return None;
    }
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    assert!(
        plain,
        "{POSTGRES_KEPT_VAR}: lower-case letters, digits and _ only"
    );
    Some(name)
}

impl Database {
    pub fn create(data_dir: &Path) -> Self {
        let Some(admin_url) = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|u| !u.is_empty())
        else {
            let url = format!("sqlite://{}", data_dir.join("bench.db").display());
            return Database {
                url,
                postgres: None,
            };
        };
        let kept = kept_database_name();
        let name = kept
            .clone()
            .unwrap_or_else(|| format!("pd_bench_{}", uuid::Uuid::new_v4().simple()));
        let mut admin = diesel::PgConnection::establish(&admin_url)
            .expect("connect to the server of PARTNERDESK_BENCH_POSTGRES_URL");
        let exists = kept.is_some()
            && diesel::sql_query(format!(
                "SELECT 1 AS found FROM pg_database WHERE datname = '{name}'"
            ))
            .execute(&mut admin)
            .expect("look for the kept database")
                > 0;
        if !exists {
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .expect("create the benchmark database");
        }
        let mut url = url::Url::parse(&admin_url).expect("a valid PostgreSQL URL");
        url.set_path(&format!("/{name}"));
        let url = url.to_string();
        Database {
            url,
            postgres: Some(Postgres {
                admin_url,
                name,
                kept: kept.is_some(),
            }),
        }
    }

    /// On PostgreSQL, what autovacuum does in the background after a bulk load (it
    /// may be off or not yet run): fresh statistics and a visibility map, without
    /// which the planner avoids index-only scans. SQLite gets nothing: the
    /// application never runs ANALYZE there.
    pub fn vacuum_analyze(&self) -> Option<Duration> {
        self.postgres.as_ref()?;
        let started = Instant::now();
        let mut conn = diesel::PgConnection::establish(&self.url).expect("connect for VACUUM");
        diesel::sql_query("VACUUM ANALYZE")
            .execute(&mut conn)
            .expect("VACUUM ANALYZE");
        Some(started.elapsed())
    }

    /// Whether this is the kept PostgreSQL database, seeded by an earlier
    /// run (its partner A is there; drop the database to seed it again).
    fn kept_and_seeded(&self) -> bool {
        if !self.postgres.as_ref().is_some_and(|p| p.kept) {
            return false;
        }
        let mut conn =
            diesel::PgConnection::establish(&self.url).expect("connect to the kept database");
        diesel::sql_query(
            "SELECT 1 AS found FROM partner_organisations WHERE name = 'Bench Partner A'",
        )
        .execute(&mut conn)
        .is_ok_and(|found| found > 0)
    }

    pub fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(Postgres {
            admin_url,
            name,
            kept: false,
        }) = &self.postgres
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
            && let Err(error) =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
        {
            eprintln!("could not drop the benchmark database {name}: {error}");
        }
    }
}

/// Where the run keeps its SQLite database and settings: a temporary folder, or
/// the folder `PARTNERDESK_BENCH_DATA_DIR` names, kept after the run so that its
/// database can be examined (`EXPLAIN QUERY PLAN`) or measured again without
/// seeding it anew (SQLite; PostgreSQL's is kept with
/// `PARTNERDESK_BENCH_POSTGRES_DATABASE`).
pub enum DataDir {
    Temporary(tempfile::TempDir),
    Kept(PathBuf),
}

impl DataDir {
    const SEEDED_MARK: &str = "bench-seeded";

    pub fn from_env() -> Self {
        match std::env::var("PARTNERDESK_BENCH_DATA_DIR") {
            Ok(dir) if !dir.trim().is_empty() => {
                let dir = PathBuf::from(dir.trim());
                std::fs::create_dir_all(&dir).expect("create PARTNERDESK_BENCH_DATA_DIR");
                DataDir::Kept(dir)
            }
            _ => DataDir::Temporary(tempfile::tempdir().expect("temporary data folder")),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            DataDir::Temporary(dir) => dir.path(),
            DataDir::Kept(dir) => dir,
        }
    }

    /// Whether an earlier run seeded this kept folder's SQLite database.
    pub fn seeded(&self) -> bool {
        matches!(self, DataDir::Kept(_))
            && std::env::var(POSTGRES_URL_VAR).map_or(true, |u| u.is_empty())
            && self.path().join(Self::SEEDED_MARK).exists()
    }

    pub fn mark_seeded(&self) {
        if let DataDir::Kept(dir) = self {
            std::fs::write(dir.join(Self::SEEDED_MARK), "")
                .expect("mark the kept database as seeded");
        }
    }
}

/// Seeds in a child process (this same program), so that the memory the seeding
/// used is not counted as the server's.
fn seed_in_child(url: &str, count: usize) -> Duration {
    let program = std::env::current_exe().expect("the benchmark's own path");
    let started = Instant::now();
    let status = std::process::Command::new(program)
        .env(SEED_ONLY_VAR, url)
        .env("PARTNERDESK_BENCH_CUSTOMERS", count.to_string())
        .status()
        .expect("run the seeding process");
    assert!(status.success(), "seeding failed: {status}");
    started.elapsed()
}

/// Seeds the database unless the kept folder holds a seeded one, gives
/// PostgreSQL its statistics, and checks the derived data; false if the
/// check found a difference.
pub fn prepare(data_dir: &DataDir, database: &Database, customers: usize) -> bool {
    if data_dir.seeded() {
        println!(
            "seeding skipped: {} holds a seeded database",
            data_dir.path().display()
        );
    } else if database.kept_and_seeded() {
        println!("seeding skipped: the kept PostgreSQL database is seeded");
    } else {
        let seeding = seed_in_child(&database.url, customers);
        let seeded = seed::Sizes::of(customers).all_customers();
        let rate = seeded as f64 / seeding.as_secs_f64();
        println!(
            "seeding {seeded} customers (in a child process): {:.1} s ({rate:.0} customers/s)",
            seeding.as_secs_f64()
        );
        data_dir.mark_seeded();
    }
    if let Some(vacuum) = database.vacuum_analyze() {
        println!(
            "VACUUM ANALYZE after seeding: {:.1} s",
            vacuum.as_secs_f64()
        );
    }
    derived_data_checked(&database.url)
}

/// What `partnerdesk check` does, on the seeded database: prints how long
/// recomputing every derived value took and any difference; false if any.
fn derived_data_checked(url: &str) -> bool {
    let pool = db::connect(url, 1).expect("open a pool for the check");
    let mut conn = pool.get().expect("a connection for the check");
    let started = Instant::now();
    let differences = db::derived::differences(&mut conn).expect("recompute derived data");
    println!(
        "derived data check (partnerdesk check): {} differences, {:.1} s",
        differences.len(),
        started.elapsed().as_secs_f64()
    );
    for difference in differences.iter().take(20) {
        println!("  {difference:?}");
    }
    differences.is_empty()
}

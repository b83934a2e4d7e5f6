//! The replaceable schema: every trigger, function and view is defined in one
//! file per backend (`replaceable/sqlite.sql`, `replaceable/postgres.sql`)
//! rather than in migrations. After the migrations, whenever the file differs
//! from the one last applied (its hash is kept in `replaceable_schema`), all of
//! them are dropped and the file is run again, in one transaction. Migrations may
//! then change tables freely: before pending migrations run, the objects are
//! dropped (and the hash forgotten, so they come back even if the process stops
//! half-way), as a trigger naming a column would stop its table from changing.
//!
//! Functions in the database's schema belong to this file, except those of
//! extensions (pg_trgm, btree_gin).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use sha2::{Digest, Sha256};

use super::{Backend, DbConnection};

const SQLITE_DEFINITIONS: &str = include_str!("replaceable/sqlite.sql");
const POSTGRES_DEFINITIONS: &str = include_str!("replaceable/postgres.sql");

/// The current definitions for `backend`.
pub fn definitions(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => SQLITE_DEFINITIONS,
        Backend::Postgres => POSTGRES_DEFINITIONS,
    }
}

/// The hash stored once `definitions` is applied.
pub fn hash(definitions: &str) -> String {
    hex::encode(Sha256::digest(definitions.as_bytes()))
}

fn backend_of(conn: &DbConnection) -> Backend {
    match conn {
        DbConnection::Sqlite(_) => Backend::Sqlite,
        DbConnection::Postgres(_) => Backend::Postgres,
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteObject {
    #[diesel(sql_type = Text)]
    name: String,
    /// `trigger` or `view`.
    #[diesel(sql_type = Text)]
    kind: String,
}

#[derive(QueryableByName)]
struct TriggerOn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    table_name: String,
}

/// Whether the migration that keeps the applied hash has run: before it, the
/// triggers were the migrations' own.
pub fn installed(conn: &mut DbConnection) -> QueryResult<bool> {
    let found: Vec<Name> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'replaceable_schema'",
        )
        .load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'replaceable_schema'",
        )
        .load(c)?,
    };
    Ok(!found.is_empty())
}

/// The hash of the definitions last applied, if any.
fn applied_hash(conn: &mut DbConnection) -> QueryResult<Option<String>> {
    let found: Vec<Name> =
        diesel::sql_query("SELECT hash AS name FROM replaceable_schema").load(conn)?;
    Ok(found.into_iter().next().map(|row| row.name))
}

/// Quotes an identifier read from the catalogue.
fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Drops every trigger, view and (PostgreSQL) function of the schema, and
/// forgets the applied hash. Call inside a transaction.
pub fn drop_all(conn: &mut DbConnection) -> QueryResult<()> {
    let mut statements = String::new();
    match conn {
        DbConnection::Sqlite(c) => {
            let objects: Vec<SqliteObject> = diesel::sql_query(
                "SELECT name, type AS kind FROM sqlite_master \
                 WHERE type IN ('trigger', 'view') ORDER BY type, name",
            )
            .load(c)?;
            for object in objects {
                let kind = if object.kind == "view" {
                    "VIEW"
                } else {
                    "TRIGGER"
                };
                statements.push_str(&format!("DROP {kind} {};\n", quoted(&object.name)));
            }
        }
        DbConnection::Postgres(c) => {
            let triggers: Vec<TriggerOn> = diesel::sql_query(
                "SELECT t.tgname::text AS name, c.relname::text AS table_name \
                 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE NOT t.tgisinternal AND n.nspname = current_schema() \
                 ORDER BY 1, 2",
            )
            .load(c)?;
            for trigger in triggers {
                statements.push_str(&format!(
                    "DROP TRIGGER {} ON {};\n",
                    quoted(&trigger.name),
                    quoted(&trigger.table_name)
                ));
            }
            // Views before the functions they may call; an extension's are its own.
            let views: Vec<Name> = diesel::sql_query(
                "SELECT c.relname::text AS name FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind = 'v' AND n.nspname = current_schema() AND NOT EXISTS ( \
                     SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                     AND d.objid = c.oid AND d.deptype = 'e') \
                 ORDER BY 1",
            )
            .load(c)?;
            for view in views {
                statements.push_str(&format!("DROP VIEW {} CASCADE;\n", quoted(&view.name)));
            }
            // regprocedure prints the name (quoted where needed) with the
            // argument types, as DROP FUNCTION wants it.
            let functions: Vec<Name> = diesel::sql_query(
                "SELECT p.oid::regprocedure::text AS name FROM pg_proc p \
                 JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname = current_schema() AND NOT EXISTS ( \
                     SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass \
                     AND d.objid = p.oid AND d.deptype = 'e') \
                 ORDER BY 1",
            )
            .load(c)?;
            for function in functions {
                statements.push_str(&format!("DROP FUNCTION {} CASCADE;\n", function.name));
            }
        }
    }
    if installed(conn)? {
        statements.push_str("DELETE FROM replaceable_schema;\n");
    }
    conn.batch_execute(&statements)
}

/// Applies the backend's definitions when they differ from the ones last
/// applied; returns whether it did. Call inside a transaction.
pub fn apply_if_changed(conn: &mut DbConnection) -> QueryResult<bool> {
    let definitions = definitions(backend_of(conn));
    let wanted = hash(definitions);
    if applied_hash(conn)?.as_deref() == Some(wanted.as_str()) {
        return Ok(false);
    }
    drop_all(conn)?;
    conn.batch_execute(definitions)?;
    // The hash is hexadecimal: nothing in it needs escaping.
    conn.batch_execute(&format!(
        "INSERT INTO replaceable_schema (hash, applied_at) VALUES ('{wanted}', CURRENT_TIMESTAMP)"
    ))?;
    Ok(true)
}

//! Writing one partner's archive from a consistent snapshot of the database.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::NaiveDateTime;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

use super::rows::{self, Row, Selection};
use super::tables::{self, CARRIED, COLUMNS_NOT_CARRIED, Carried};
use super::{ArchiveError, FORMAT, FORMAT_VERSION, Header, Line, Summary};
use crate::db::{self, DbConnection};

/// Rows read at a time.
const PAGE: usize = 5_000;

/// Writes the archive of `partner_id` to `to`, which must not exist yet; the
/// database may go on serving meanwhile (one read snapshot). A failed export
/// leaves no file.
pub fn export(
    conn: &mut DbConnection,
    partner_id: &str,
    now: NaiveDateTime,
    to: &Path,
) -> Result<Summary, ArchiveError> {
    let file = create_private(to)?;
    let written = db::read_snapshot(conn, |conn| {
        let mut out = GzEncoder::new(BufWriter::new(file), Compression::default());
        let summary = write_archive(conn, partner_id, now, &mut out)?;
        let file = out.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok::<_, ArchiveError>(summary)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(to);
    }
    written
}

/// A new file only its owner may read, refused when the path exists.
fn create_private(path: &Path) -> Result<File, ArchiveError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => ArchiveError::TargetExists(path.to_owned()),
            _ => ArchiveError::Io(error),
        })
}

fn write_archive(
    conn: &mut DbConnection,
    partner_id: &str,
    now: NaiveDateTime,
    out: &mut impl Write,
) -> Result<Summary, ArchiveError> {
    let partner_name = partner_name(conn, partner_id)?;
    let header = Header {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        schema_version: super::schema_version(conn)?,
        partner_id: partner_id.to_owned(),
        partner_name: partner_name.clone(),
        exported_at: now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        offers: offers_named(conn, partner_id)?,
    };
    write_line(out, &header)?;
    let mut carried = carried_ids();
    let mut summary = Summary {
        partner_id: partner_id.to_owned(),
        partner_name,
        tables: Vec::new(),
    };
    for table in CARRIED {
        write_line(out, &Line::Section(table.table.to_owned()))?;
        let written = write_table(conn, partner_id, table, &mut carried, out)?;
        summary.tables.push((table.table.to_owned(), written));
    }
    write_line(
        out,
        &Line::End {
            rows: summary.rows(),
        },
    )?;
    Ok(summary)
}

fn partner_name(conn: &mut DbConnection, partner_id: &str) -> Result<String, ArchiveError> {
    use crate::db::schema::partner_organisations;
    use diesel::prelude::*;
    partner_organisations::table
        .find(partner_id)
        .select(partner_organisations::name)
        .first(conn)
        .optional()?
        .ok_or_else(|| ArchiveError::NoSuchPartner(partner_id.to_owned()))
}

/// The offers named by the partner's orders, subscriptions and reservations.
fn offers_named(conn: &mut DbConnection, partner_id: &str) -> Result<Vec<Row>, ArchiveError> {
    let columns = rows::columns(conn, "offers")?;
    let key = rows::primary_key(conn, "offers")?;
    let condition = tables::condition(
        "id IN (SELECT offer_id FROM orders WHERE customer_id IN ({customers}) \
         UNION SELECT offer_id FROM subscriptions WHERE customer_id IN ({customers}) \
         UNION SELECT offer_id FROM reservations WHERE customer_id IN ({customers}))",
    );
    let selection = Selection {
        table: "offers",
        columns,
        key,
        condition,
    };
    Ok(rows::page(
        conn,
        &selection,
        partner_id,
        (0, usize::MAX >> 1),
    )?)
}

/// The ids of the rows written so far of the tables other rows point to.
type CarriedIds = HashMap<&'static str, HashSet<String>>;

fn carried_ids() -> CarriedIds {
    ["logins", "memberships", "partner_organisations"]
        .into_iter()
        .map(|table| (table, HashSet::new()))
        .collect()
}

/// The columns, key and condition of the partner's rows of `table`.
fn selection_of(conn: &mut DbConnection, table: &Carried) -> diesel::QueryResult<Selection> {
    let columns: Vec<_> = rows::columns(conn, table.table)?
        .into_iter()
        .filter(|(name, _)| !COLUMNS_NOT_CARRIED.contains(&(table.table, name.as_str())))
        .collect();
    let key = rows::primary_key(conn, table.table)?;
    Ok(Selection {
        table: table.table,
        columns,
        key,
        condition: tables::condition(table.rows),
    })
}

/// Every row of the partner in `table` as the archive carries it, before
/// references outside the partner are cleared: what the round-trip test
/// compares between two databases.
pub fn partner_rows(
    conn: &mut DbConnection,
    partner_id: &str,
    table: &Carried,
) -> diesel::QueryResult<Vec<Row>> {
    let selection = selection_of(conn, table)?;
    rows::page(conn, &selection, partner_id, (0, usize::MAX >> 1))
}

fn write_table(
    conn: &mut DbConnection,
    partner_id: &str,
    table: &Carried,
    carried: &mut CarriedIds,
    out: &mut impl Write,
) -> Result<u64, ArchiveError> {
    let selection = selection_of(conn, table)?;
    let mut written = 0;
    loop {
        let page = rows::page(conn, &selection, partner_id, (written as usize, PAGE))?;
        let read = page.len();
        for mut row in page {
            keep_inside(table, &mut row, carried)?;
            if let (Some(ids), Some(Value::String(id))) =
                (carried.get_mut(table.table), row.get("id"))
            {
                ids.insert(id.clone());
            }
            write_line(out, &Line::Row(row))?;
        }
        written += read as u64;
        if read < PAGE {
            return Ok(written);
        }
    }
}

/// Clears a reference to a person or organisation outside the archive where
/// the row keeps its name beside it, and refuses where it cannot.
fn keep_inside(table: &Carried, row: &mut Row, carried: &CarriedIds) -> Result<(), ArchiveError> {
    for reference in table.references {
        let Some(Value::String(value)) = row.get(reference.column) else {
            continue;
        };
        if carried
            .get(reference.target)
            .is_some_and(|ids| ids.contains(value))
        {
            continue;
        }
        if !reference.clearable {
            return Err(ArchiveError::ForeignReference {
                table: table.table.to_owned(),
                column: reference.column.to_owned(),
                row: row_key(row),
                value: value.clone(),
            });
        }
        row.insert(reference.column.to_owned(), Value::Null);
    }
    Ok(())
}

fn row_key(row: &Row) -> String {
    match row.get("id") {
        Some(Value::String(id)) => format!("row {id}"),
        _ => "a row".to_owned(),
    }
}

fn write_line(out: &mut impl Write, line: &impl serde::Serialize) -> Result<(), ArchiveError> {
    serde_json::to_writer(&mut *out, line).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

//! Reading an archive into this instance's database: in one transaction, and
//! only when nothing in it is already here.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as QueryError};
use flate2::read::GzDecoder;
use serde_json::Value;

use super::rows::{self, InsertError, Kind, Row};
use super::tables::{CARRIED, HISTORY, MAY_POINT_OUTSIDE, POINTS_TO};
use super::{ArchiveError, FORMAT, FORMAT_VERSION, Header, Line, Summary};
use crate::db::schema::{customer_state_changes, logins, offers, partner_organisations};
use crate::db::{self, DbConnection};

/// Imports the archive in `from`, whole or not at all.
pub fn import(conn: &mut DbConnection, from: &Path) -> Result<Summary, ArchiveError> {
    let not_an_archive = |reason: String| ArchiveError::NotAnArchive {
        path: from.to_owned(),
        reason,
    };
    let mut lines = BufReader::new(GzDecoder::new(File::open(from)?)).lines();
    let first = lines
        .next()
        .ok_or_else(|| not_an_archive("it is empty".to_owned()))?
        .map_err(|e| not_an_archive(e.to_string()))?;
    let header: Header = serde_json::from_str(&first).map_err(|e| not_an_archive(e.to_string()))?;
    if header.format != FORMAT {
        return Err(not_an_archive(format!("it says it is {}", header.format)));
    }
    if header.format_version != FORMAT_VERSION {
        return Err(ArchiveError::UnknownFormat(header.format_version));
    }
    let here = super::schema_version(conn)?;
    if newer(&header.schema_version, &here) {
        return Err(ArchiveError::NewerSchema {
            archive: header.schema_version,
            here,
        });
    }
    db::write_transaction(conn, |conn| {
        let mut importer = Importer::new(conn, &header)?;
        for line in lines.by_ref() {
            let line = line.map_err(|e| not_an_archive(e.to_string()))?;
            let line: Line =
                serde_json::from_str(&line).map_err(|e| not_an_archive(e.to_string()))?;
            match line {
                Line::Section(table) => importer.section(conn, &table, &not_an_archive)?,
                Line::Row(row) => importer.row(conn, row, &not_an_archive)?,
                Line::End { rows } if rows == importer.summary.rows() => {
                    return Ok(importer.summary);
                }
                Line::End { .. } => return Err(not_an_archive("rows are missing".to_owned())),
            }
        }
        Err(not_an_archive("it is cut short".to_owned()))
    })
}

/// Whether migration version `archive` comes after `here` (both digits).
fn newer(archive: &str, here: &str) -> bool {
    match (archive.parse::<u64>(), here.parse::<u64>()) {
        (Ok(archive), Ok(here)) => archive > here,
        _ => archive > here,
    }
}

struct Importer {
    partner_id: String,
    /// The archive's offer ids and this instance's offer of each.
    offers: HashMap<String, String>,
    /// The section being read: its position in `CARRIED` and the columns of
    /// its table here.
    section: Option<(usize, Vec<(String, Kind)>)>,
    /// The ids written so far, by table, that later rows may name.
    written: HashMap<&'static str, HashSet<String>>,
    summary: Summary,
}

impl Importer {
    fn new(conn: &mut DbConnection, header: &Header) -> Result<Importer, ArchiveError> {
        Ok(Importer {
            partner_id: header.partner_id.clone(),
            offers: offers_here(conn, &header.offers)?,
            section: None,
            written: HashMap::new(),
            summary: Summary {
                partner_id: header.partner_id.clone(),
                partner_name: header.partner_name.clone(),
                tables: Vec::new(),
            },
        })
    }

    /// Sections come in the order of `CARRIED`, each at most once, so every
    /// row is written after the rows it references.
    fn section(
        &mut self,
        conn: &mut DbConnection,
        table: &str,
        not_an_archive: &dyn Fn(String) -> ArchiveError,
    ) -> Result<(), ArchiveError> {
        let after = self.section.as_ref().map_or(0, |(at, _)| at + 1);
        let at = CARRIED[after..]
            .iter()
            .position(|carried| carried.table == table)
            .map(|found| after + found)
            .ok_or_else(|| not_an_archive(format!("an unexpected section {table}")))?;
        if table == HISTORY {
            // Replaces what the triggers wrote as the customers arrived.
            diesel::delete(
                customer_state_changes::table
                    .filter(customer_state_changes::partner_id.eq(&self.partner_id)),
            )
            .execute(conn)?;
        }
        self.section = Some((at, rows::columns(conn, table)?));
        self.summary.tables.push((table.to_owned(), 0));
        Ok(())
    }

    fn row(
        &mut self,
        conn: &mut DbConnection,
        mut row: Row,
        not_an_archive: &dyn Fn(String) -> ArchiveError,
    ) -> Result<(), ArchiveError> {
        let Some((at, columns)) = &self.section else {
            return Err(not_an_archive("a row before any section".to_owned()));
        };
        let table = CARRIED[*at].table;
        if let Some(unknown) = row
            .keys()
            .find(|key| !columns.iter().any(|(c, _)| c == *key))
        {
            return Err(not_an_archive(format!(
                "{table} has no column {unknown} here"
            )));
        }
        match table {
            "partner_organisations" => self.organisation_is_new(conn, &row, not_an_archive)?,
            "logins" => login_is_new(conn, &row)?,
            "orders" | "subscriptions" | "reservations" => self.offer_here(&mut row)?,
            _ => {}
        }
        self.points_inside(table, &row)?;
        let present: Vec<(&str, Kind)> = columns
            .iter()
            .filter(|(name, _)| row.contains_key(name))
            .map(|(name, kind)| (name.as_str(), *kind))
            .collect();
        rows::insert(conn, table, &present, &row).map_err(|error| match error {
            InsertError::Value(column) => {
                not_an_archive(format!("{table}.{column}: a wrong value"))
            }
            InsertError::Query(error) => refused(table, &row, error),
        })?;
        if let Some(Value::String(id)) = row.get("id") {
            self.written.entry(table).or_default().insert(id.clone());
        }
        if let Some((_, count)) = self.summary.tables.last_mut() {
            *count += 1;
        }
        Ok(())
    }

    /// Every reference of the row names a row of the archive: nothing is
    /// attached to a person, customer or organisation already here.
    fn points_inside(&self, table: &str, row: &Row) -> Result<(), ArchiveError> {
        for (column, target) in POINTS_TO {
            let Some(Value::String(id)) = row.get(*column) else {
                continue;
            };
            let inside = self.written.get(target).is_some_and(|ids| ids.contains(id));
            if !inside && !MAY_POINT_OUTSIDE.contains(&(table, *column)) {
                return Err(ArchiveError::MissingReference(format!(
                    "{table}.{column} names {id}, which is not a row of the archive's {target}"
                )));
            }
        }
        Ok(())
    }

    fn offer_here(&self, row: &mut Row) -> Result<(), ArchiveError> {
        let Some(Value::String(offer)) = row.get("offer_id") else {
            return Ok(());
        };
        let here = self.offers.get(offer).ok_or_else(|| {
            ArchiveError::MissingReference(format!("the offer {offer} is not in the archive"))
        })?;
        row.insert("offer_id".to_owned(), Value::String(here.clone()));
        Ok(())
    }

    /// The archive's one organisation, new here by its id and its name, under
    /// a parent (if any) that is here already.
    fn organisation_is_new(
        &self,
        conn: &mut DbConnection,
        row: &Row,
        not_an_archive: &dyn Fn(String) -> ArchiveError,
    ) -> Result<(), ArchiveError> {
        let id = text(row, "id");
        let name = text(row, "name");
        if id != self.partner_id {
            return Err(not_an_archive(format!(
                "it holds another organisation, {id}"
            )));
        }
        let same: Option<(String, String)> =
            partner_organisations::table
                .filter(
                    partner_organisations::id.eq(&id).or(
                        diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(name) = ")
                            .bind::<diesel::sql_types::Text, _>(name.to_lowercase()),
                    ),
                )
                .select((partner_organisations::id, partner_organisations::name))
                .first(conn)
                .optional()?;
        if let Some((here_id, here_name)) = same {
            return Err(ArchiveError::Conflict(format!(
                "the partner organisation {here_name} ({here_id}) is already in this instance, \
                 which the archive's {name} ({id}) would repeat"
            )));
        }
        if let Some(Value::String(parent)) = row.get("parent_id") {
            let found: i64 = partner_organisations::table
                .find(parent)
                .count()
                .get_result(conn)?;
            if found == 0 {
                return Err(ArchiveError::MissingReference(format!(
                    "the parent organisation {parent} of {name} is not in this instance: \
                     import it first"
                )));
            }
        }
        Ok(())
    }
}

/// A person is never merged with a login already here: the same id, the same
/// username or the same email refuses the whole archive.
fn login_is_new(conn: &mut DbConnection, row: &Row) -> Result<(), ArchiveError> {
    let (id, username, email) = (
        text(row, "id"),
        text(row, "username_key"),
        text(row, "email"),
    );
    let same: Option<(String, String)> = logins::table
        .filter(
            logins::id
                .eq(&id)
                .or(logins::username_key.eq(&username))
                .or(
                    diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(email) = ")
                        .bind::<diesel::sql_types::Text, _>(email.to_lowercase()),
                ),
        )
        .select((logins::id, logins::username))
        .first(conn)
        .optional()?;
    match same {
        None => Ok(()),
        Some((here_id, here_username)) => Err(ArchiveError::Conflict(format!(
            "the login {here_username} ({here_id}) is already in this instance, with the id, \
             username or email of the archive's login {username} <{email}>; Partnerdesk never \
             merges two people's logins: remove one of them, or export without that person"
        ))),
    }
}

fn text(row: &Row, column: &str) -> String {
    row.get(column)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A refused insert in the archive's words: which row, and whether it is here
/// already or names something that is not.
fn refused(table: &str, row: &Row, error: QueryError) -> ArchiveError {
    let which = match row.get("id").and_then(Value::as_str) {
        Some(id) => format!("{table} {id}"),
        None => format!("a row of {table}"),
    };
    match error {
        QueryError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ArchiveError::Conflict(
            format!("{which} (or one of its unique values) is already in this instance"),
        ),
        QueryError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            ArchiveError::MissingReference(format!(
                "{which} refers to a row neither in the archive nor in this instance"
            ))
        }
        other => ArchiveError::Query(other),
    }
}

/// This instance's offer for each offer of the archive: the same id with the
/// same description, else the same description (name, kind, price, currency,
/// term). An offer missing here refuses the archive, naming every one.
fn offers_here(
    conn: &mut DbConnection,
    archived: &[Row],
) -> Result<HashMap<String, String>, ArchiveError> {
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    for offer in archived {
        let id = text(offer, "id");
        let name = text(offer, "name");
        let kind = text(offer, "kind");
        let currency = text(offer, "currency");
        let price = offer
            .get("unit_price_cents")
            .and_then(Value::as_i64)
            .unwrap_or(-1);
        let term = offer
            .get("term_months")
            .and_then(Value::as_i64)
            .unwrap_or(-1);
        let same: Option<String> = offers::table
            .filter(offers::name.eq(&name))
            .filter(offers::kind.eq(&kind))
            .filter(offers::currency.eq(&currency))
            .filter(offers::unit_price_cents.eq(price))
            .filter(offers::term_months.eq(i32::try_from(term).unwrap_or(-1)))
            .order((offers::id.ne(&id), offers::active.desc(), offers::id))
            .select(offers::id)
            .first(conn)
            .optional()?;
        match same {
            Some(here) => {
                found.insert(id, here);
            }
            None => missing.push(format!(
                "{name} ({kind}, {price} cents {currency}, {term} months)"
            )),
        }
    }
    missing.sort();
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(ArchiveError::MissingReference(format!(
            "this instance's catalogue has no offer like {}: add them with \
             `partnerdesk offer add` first",
            missing.join(", ")
        )))
    }
}

//! Rows as column → value maps that read the same from either backend: each
//! value is read by the database as JSON, then put in one form by its
//! column's type (a boolean is `true`, never SQLite's `1`; a timestamp is
//! `2026-12-06T10:00:00.123456`, to the microsecond, whichever way the backend
//! writes it), and written back bound to the target's column type.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, Text, Timestamp};
use serde_json::{Map, Value};

use crate::db::{DbConnection, MultiBackend};

pub type Row = Map<String, Value>;

/// The types the schema uses, as both backends name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    BigInt,
    Bool,
    Timestamp,
    Date,
}

impl Kind {
    fn from_declared(declared: &str) -> Option<Kind> {
        Some(match declared.to_ascii_lowercase().as_str() {
            "text" => Kind::Text,
            "integer" => Kind::Integer,
            "bigint" => Kind::BigInt,
            "boolean" => Kind::Bool,
            "timestamp" | "timestamp without time zone" => Kind::Timestamp,
            "date" => Kind::Date,
            _ => return None,
        })
    }
}

#[derive(QueryableByName)]
struct DeclaredColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared: String,
}

/// A table's columns in the database, in order, with their types.
pub fn columns(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<(String, Kind)>> {
    let declared: Vec<DeclaredColumn> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name, type AS declared FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind::<Text, _>(table)
        .load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT column_name::text AS name, data_type::text AS declared \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind::<Text, _>(table)
        .load(c)?,
    };
    declared
        .into_iter()
        .map(|column| match Kind::from_declared(&column.declared) {
            Some(kind) => Ok((column.name, kind)),
            None => Err(diesel::result::Error::DeserializationError(
                format!("{table}.{}: unknown type {}", column.name, column.declared).into(),
            )),
        })
        .collect()
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    row: String,
}

#[derive(QueryableByName)]
struct KeyColumn {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The columns of a table's primary key.
pub fn primary_key(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<String>> {
    let key: Vec<KeyColumn> = match conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")
                .bind::<Text, _>(table)
                .load(c)?
        }
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT a.attname::text AS name FROM pg_index i \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attnum",
        )
        .bind::<Text, _>(table)
        .load(c)?,
    };
    Ok(key.into_iter().map(|column| column.name).collect())
}

/// Which rows of a table one read takes: those where `condition` holds (`$1`
/// the partner's id), ordered by `key` so that pages follow one another.
pub struct Selection {
    pub table: &'static str,
    pub columns: Vec<(String, Kind)>,
    pub key: Vec<String>,
    pub condition: String,
}

/// One page of the selected rows of the partner.
pub fn page(
    conn: &mut DbConnection,
    selection: &Selection,
    partner_id: &str,
    (offset, limit): (usize, usize),
) -> QueryResult<Vec<Row>> {
    let Selection {
        table,
        columns,
        key,
        condition,
    } = selection;
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let order = key.join(", ");
    let rows: Vec<JsonRow> = match conn {
        DbConnection::Sqlite(c) => {
            let pairs: Vec<String> = names.iter().map(|n| format!("'{n}', {n}")).collect();
            let sql = format!(
                "SELECT json_object({}) AS row FROM {table} WHERE {} ORDER BY {order} \
                 LIMIT {limit} OFFSET {offset}",
                pairs.join(", "),
                condition.replace("$1", "?1"),
            );
            diesel::sql_query(sql).bind::<Text, _>(partner_id).load(c)?
        }
        DbConnection::Postgres(c) => {
            let sql = format!(
                "SELECT row_to_json(t)::text AS row FROM (SELECT {} FROM {table} WHERE {condition} \
                 ORDER BY {order} LIMIT {limit} OFFSET {offset}) AS t",
                names.join(", "),
            );
            diesel::sql_query(sql).bind::<Text, _>(partner_id).load(c)?
        }
    };
    rows.into_iter()
        .map(|json| {
            let read: Row = serde_json::from_str(&json.row)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
            normalised(table, columns, read)
        })
        .collect()
}

fn normalised(table: &str, columns: &[(String, Kind)], mut read: Row) -> QueryResult<Row> {
    let mut row = Row::new();
    for (name, kind) in columns {
        let value = read.remove(name).unwrap_or(Value::Null);
        let value = normal_form(*kind, value).ok_or_else(|| {
            diesel::result::Error::DeserializationError(
                format!("{table}.{name}: a value that is no {kind:?}").into(),
            )
        })?;
        row.insert(name.clone(), value);
    }
    Ok(row)
}

/// To the microsecond: PostgreSQL keeps no finer time, SQLite's text may.
const TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S%.6f";

/// The one form of a value of `kind`, or None when it is not one.
pub fn normal_form(kind: Kind, value: Value) -> Option<Value> {
    Some(match (kind, value) {
        (_, Value::Null) => Value::Null,
        (Kind::Text, Value::String(text)) => Value::String(text),
        (Kind::Integer | Kind::BigInt, Value::Number(n)) => Value::Number(n.as_i64()?.into()),
        (Kind::Bool, Value::Bool(b)) => Value::Bool(b),
        (Kind::Bool, Value::Number(n)) => Value::Bool(n.as_i64()? != 0),
        (Kind::Timestamp, Value::String(text)) => {
            Value::String(timestamp(&text)?.format(TIMESTAMP).to_string())
        }
        (Kind::Date, Value::String(text)) => Value::String(date(&text)?.to_string()),
        _ => return None,
    })
}

fn timestamp(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Inserts `row` into `table`, each value bound as its target column's type.
/// Err names the column whose value does not fit.
pub fn insert(
    conn: &mut DbConnection,
    table: &str,
    columns: &[(&str, Kind)],
    row: &Row,
) -> Result<(), InsertError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let placeholders: Vec<String> = (1..=columns.len())
        .map(|n| match conn {
            DbConnection::Sqlite(_) => format!("?{n}"),
            DbConnection::Postgres(_) => format!("${n}"),
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        placeholders.join(", ")
    );
    let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
    for (name, kind) in columns {
        let value = row.get(*name).cloned().unwrap_or(Value::Null);
        query = bind(query, *kind, value).ok_or_else(|| InsertError::Value(name.to_string()))?;
    }
    query.execute(conn).map(|_| ()).map_err(InsertError::Query)
}

#[derive(Debug)]
pub enum InsertError {
    Value(String),
    Query(diesel::result::Error),
}

type Boxed<'f> =
    diesel::query_builder::BoxedSqlQuery<'f, MultiBackend, diesel::query_builder::SqlQuery>;

fn bind(query: Boxed<'_>, kind: Kind, value: Value) -> Option<Boxed<'_>> {
    let value = normal_form(kind, value)?;
    Some(match kind {
        Kind::Text => query.bind::<Nullable<Text>, _>(value.as_str().map(str::to_owned)),
        Kind::Integer => query.bind::<Nullable<Integer>, _>(match value.as_i64() {
            Some(n) => Some(i32::try_from(n).ok()?),
            None => None,
        }),
        Kind::BigInt => query.bind::<Nullable<BigInt>, _>(value.as_i64()),
        Kind::Bool => query.bind::<Nullable<Bool>, _>(value.as_bool()),
        Kind::Timestamp => query.bind::<Nullable<Timestamp>, _>(value.as_str().and_then(timestamp)),
        Kind::Date => query.bind::<Nullable<Date>, _>(value.as_str().and_then(date)),
    })
}

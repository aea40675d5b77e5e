//! The 10× and 100× datasets: the synced 1× database copied (`CREATE DATABASE … TEMPLATE`)
//! and its directory rows repeated `scale - 1` times in SQL, with shifted ids, distinct
//! identifiers and points moved by a few metres. Reads see a denser Brussels; sync
//! bookkeeping (provenance, source records) is not repeated.

use anyhow::{Context, Result};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// Tables of the read path, parents first, and the id columns that point at repeated
/// tables.
const TABLES: [&str; 10] = [
    "organisation",
    "organisation_identifier",
    "site",
    "site_territory",
    "service",
    "service_category",
    "service_language",
    "service_at_site",
    "accreditation",
    "contact_point",
];

const REFERENCES: [(&str, &str); 3] = [
    ("organisation_id", "organisation"),
    ("site_id", "site"),
    ("service_id", "service"),
];

async fn scalar(db: &DatabaseConnection, sql: &str) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .context("no row")?;
    Ok(row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0))
}

async fn columns(db: &DatabaseConnection, table: &str) -> Result<Vec<String>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position"
            ),
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).map_err(Into::into))
        .collect()
}

/// Repeats the directory rows so the database holds `scale` times the original.
pub async fn repeat(db: &DatabaseConnection, scale: u32) -> Result<()> {
    if scale <= 1 {
        return Ok(());
    }
    let mut offsets = std::collections::HashMap::new();
    for table in ["organisation", "site", "service"] {
        offsets.insert(
            table,
            scalar(db, &format!("SELECT MAX(id)::bigint FROM {table}")).await?,
        );
    }
    for table in TABLES {
        let columns = columns(db, table).await?;
        let own_offset = match offsets.get(table) {
            Some(offset) => Some(*offset),
            None if columns.iter().any(|c| c == "id") => {
                Some(scalar(db, &format!("SELECT MAX(id)::bigint FROM {table}")).await?)
            }
            None => None,
        };
        let expressions: Vec<String> = columns
            .iter()
            .map(|column| {
                let reference = REFERENCES
                    .iter()
                    .find(|(name, _)| name == column)
                    .and_then(|(_, target)| offsets.get(target));
                match (column.as_str(), reference, own_offset) {
                    ("id", _, Some(offset)) => format!("id + k * {offset}"),
                    (_, Some(offset), _) => format!("{column} + k * {offset}"),
                    ("value", _, _) if table == "organisation_identifier" => {
                        "value || '~' || k".to_owned()
                    }
                    ("lat", _, _) => "lat + k * 0.00001".to_owned(),
                    ("lon", _, _) => "lon + k * 0.00001".to_owned(),
                    _ => column.clone(),
                }
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT {} FROM {table}, generate_series(1, {}) AS k",
            columns.join(", "),
            expressions.join(", "),
            scale - 1
        );
        db.execute_unprepared(&sql)
            .await
            .with_context(|| format!("repeating {table}"))?;
        if own_offset.is_some() {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
    }
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

pub async fn count(db: &DatabaseConnection, table: &str) -> Result<i64> {
    scalar(db, &format!("SELECT COUNT(*)::bigint FROM {table}")).await
}

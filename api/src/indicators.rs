//! Territory indicators ("cold data"): values per territory from observatory exports
//! (the Monitoring des Quartiers, Statbel, the Observatoire de la Santé et du Social),
//! imported by `passerelle import indicators FILE` and read by `Territory.indicators`
//! and by coverage (`population` weights the quartiers).
//!
//! A file is CSV in the long form, one value per line, comma- or semicolon-separated
//! (observatory exports use `;` and decimal commas; both are read):
//!
//! ```text
//! territory,indicator,year,value,unit,source
//! quartier:87,population,2023,11482,inhabitants,"IBSA, Monitoring des Quartiers"
//! 21015,poverty_risk_rate,2021,31.5,%,Observatoire de la Santé et du Social
//! ```
//!
//! `territory` is a passerelle code (`quartier:87`, `commune:21015`, `bassin:nord`,
//! `region:bru`), a bare Monitoring des Quartiers code (`87`) or a commune's NIS code
//! (`21015`). The file is checked whole before anything is written, and written in one
//! transaction: a value already stored for the same territory, indicator and year is
//! replaced; others are kept.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use entities::territory_indicator;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use crate::reference::Reference;

/// The indicator coverage weights quartiers by, in inhabitants.
pub const POPULATION: &str = "population";
/// The unit `population` must be given in.
pub const INHABITANTS: &str = "inhabitants";

/// At most this many problems are reported for one file (the first ones by line).
const MAX_PROBLEMS: usize = 50;

/// One validated value, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorValue {
    /// The line of the file it was read from.
    pub line: u64,
    pub territory_id: i32,
    pub indicator: String,
    pub year: i32,
    pub value: f64,
    pub unit: String,
    pub source: String,
}

/// What is wrong with a file, naming the line (1 = the header) and the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is refused; nothing was written.
    #[error("{} problem(s) in the file; nothing was written", .0.len())]
    Refused(Vec<Problem>),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// What an import wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Values written (new or replacing one of the same territory, indicator and year).
    pub values: usize,
    /// Of which replaced a stored value.
    pub replaced: usize,
    /// Lines without a value (empty, `-`, `n.d.`, `NA`…: a secret or missing cell), skipped.
    pub without_value: usize,
    /// (indicator, year) pairs the file holds.
    pub series: Vec<(String, i32)>,
}

/// The columns of a file, by their position.
struct Columns {
    territory: usize,
    indicator: usize,
    year: usize,
    value: usize,
    unit: usize,
    source: usize,
}

impl Columns {
    fn of(header: &csv::StringRecord) -> Result<Columns, Vec<Problem>> {
        let names: Vec<String> = header
            .iter()
            .map(|name| name.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let mut missing = Vec::new();
        let mut find = |field: &'static str, aliases: &[&str]| {
            let found = names
                .iter()
                .position(|name| name == field || aliases.contains(&name.as_str()));
            if found.is_none() {
                missing.push(Problem {
                    line: 1,
                    field,
                    message: format!("the header has no column {field:?}"),
                });
            }
            found.unwrap_or(0)
        };
        let columns = Columns {
            territory: find("territory", &["territory_code", "code"]),
            indicator: find("indicator", &[]),
            year: find("year", &[]),
            value: find("value", &[]),
            unit: find("unit", &[]),
            source: find("source", &[]),
        };
        if missing.is_empty() {
            Ok(columns)
        } else {
            Err(missing)
        }
    }
}

/// The separator of a file: `;` when its first line has more of them than commas.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// The territory a file's code names, as a passerelle code.
fn territory_code(text: &str) -> String {
    let text = text.trim();
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if digits && text.len() == 5 {
        format!("commune:{text}")
    } else if digits && text.len() <= 3 {
        // The bundled quartiers have codes without leading zeros.
        format!("quartier:{}", text.trim_start_matches('0'))
    } else {
        text.to_owned()
    }
}

/// A cell that says "no value" rather than a number.
fn without_value(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "" | "-" | "n.d." | "nd" | "n/a" | "na" | "…" | "..." | "x"
    )
}

/// A number as observatory exports write it. With a `;` separator the comma is the
/// decimal mark and dots group thousands (`11.482,5`, `31,5`); with `,` the dot is the
/// decimal mark (`31.5`). Spaces group thousands in both.
fn number(text: &str, decimal_comma: bool) -> Option<f64> {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let normalised = if decimal_comma {
        compact.replace('.', "").replace(',', ".")
    } else if compact.contains(',') {
        // A comma in a comma-separated file was quoted: it groups thousands ("11,482.5").
        compact.replace(',', "")
    } else {
        compact
    };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// An indicator key: lowercase ASCII letters, digits and `_`, 1 to 64 of them, starting
/// with a letter.
fn valid_key(key: &str) -> bool {
    key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Line numbers of byte offsets taken in increasing order.
struct Lines<'a> {
    text: &'a [u8],
    counted_to: usize,
    line: u64,
}

impl Lines<'_> {
    fn at(&mut self, byte: u64) -> u64 {
        let byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if byte > self.counted_to {
            self.line += self.text[self.counted_to..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.counted_to = byte;
        }
        // A record's offset is where csv began reading it, before the blank lines it
        // skipped.
        while let Some(&b) = self.text.get(self.counted_to)
            && (b == b'\n' || b == b'\r')
        {
            self.line += u64::from(b == b'\n');
            self.counted_to += 1;
        }
        self.line
    }
}

/// Reads and checks a whole file against the territories of `reference`: every problem
/// (up to [`MAX_PROBLEMS`]) with its line and column, or the values and the count of
/// lines without a value.
pub fn parse(
    text: &str,
    reference: &Reference,
) -> Result<(Vec<IndicatorValue>, usize), Vec<Problem>> {
    let separator = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|error| {
        vec![Problem {
            line: 1,
            field: "header",
            message: format!("not CSV: {error}"),
        }]
    })?;
    let columns = Columns::of(header)?;
    let mut problems = Vec::new();
    let mut values = Vec::new();
    let mut skipped = 0;
    let mut seen: BTreeMap<(i32, String, i32), u64> = BTreeMap::new();
    // Indicator → (unit, the line that set it).
    let mut units: BTreeMap<String, (String, u64)> = BTreeMap::new();
    // The file's line a record starts on, from its byte offset (csv's own line count
    // skips blank lines): newlines counted once, up to each record in turn.
    let mut lines = Lines {
        text: text.as_bytes(),
        counted_to: 0,
        line: 1,
    };
    for record in reader.records() {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(Problem {
                    line: error.position().map_or(0, |p| lines.at(p.byte())),
                    field: "line",
                    message: format!("not CSV: {error}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let mut problem = |field: &'static str, message: String| {
            problems.push(Problem {
                line,
                field,
                message,
            })
        };
        let code = territory_code(cell(columns.territory));
        let territory = reference.territory_by_code(&code);
        if territory.is_none() {
            problem(
                "territory",
                format!("unknown territory {:?}", cell(columns.territory)),
            );
        }
        let indicator = cell(columns.indicator);
        if !valid_key(indicator) {
            problem(
                "indicator",
                format!(
                    "{indicator:?} is not a key (lowercase letters, digits and _, e.g. poverty_risk_rate)"
                ),
            );
        }
        let year = cell(columns.year)
            .parse::<i32>()
            .ok()
            .filter(|y| (1800..=2200).contains(y));
        if year.is_none() {
            problem("year", format!("{:?} is not a year", cell(columns.year)));
        }
        let unit = cell(columns.unit);
        if unit.is_empty() {
            problem("unit", "empty".to_owned());
        }
        let source = cell(columns.source);
        if source.is_empty() {
            problem("source", "empty".to_owned());
        }
        let raw = cell(columns.value);
        let value = if without_value(raw) {
            None
        } else {
            match number(raw, separator == b';') {
                Some(value) => Some(value),
                None => {
                    problem("value", format!("{raw:?} is not a number"));
                    None
                }
            }
        };
        if indicator == POPULATION {
            if !unit.is_empty() && unit != INHABITANTS {
                problem(
                    "unit",
                    format!("population is counted in {INHABITANTS}, not {unit:?}"),
                );
            }
            if value.is_some_and(|v| v < 0.0 || v.fract() != 0.0) {
                problem(
                    "value",
                    format!("a population is a whole number of people, not {raw:?}"),
                );
            }
        }
        if valid_key(indicator) && !unit.is_empty() {
            match units.get(indicator) {
                Some((first, at)) if first != unit => problem(
                    "unit",
                    format!(
                        "{indicator} is in {first:?} on line {at}, here in {unit:?}: one unit per indicator"
                    ),
                ),
                Some(_) => {}
                None => {
                    units.insert(indicator.to_owned(), (unit.to_owned(), line));
                }
            }
        }
        let (Some(territory), Some(year)) = (territory, year) else {
            continue;
        };
        if let Some(first) = seen.insert((territory.id, indicator.to_owned(), year), line) {
            problem(
                "territory",
                format!(
                    "{} {indicator} {year} is already on line {first}",
                    territory.code
                ),
            );
        }
        match value {
            Some(value) => values.push(IndicatorValue {
                line,
                territory_id: territory.id,
                indicator: indicator.to_owned(),
                year,
                value,
                unit: unit.to_owned(),
                source: source.to_owned(),
            }),
            None => skipped += 1,
        }
    }
    if problems.is_empty() {
        Ok((values, skipped))
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}

/// Checks and writes a file in one transaction (see the module's documentation): on a
/// refusal, nothing is written.
pub async fn import(
    db: &DatabaseConnection,
    reference: &Reference,
    text: &str,
) -> Result<Imported, ImportError> {
    let (values, without_value) = parse(text, reference).map_err(ImportError::Refused)?;
    let txn = db.begin().await?;
    // One unit per indicator across files too.
    let indicators: BTreeSet<&str> = values.iter().map(|v| v.indicator.as_str()).collect();
    let stored: Vec<(String, String)> = territory_indicator::Entity::find()
        .filter(territory_indicator::Column::Indicator.is_in(indicators.iter().copied()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|row| (row.indicator, row.unit))
        .collect();
    let mut problems = Vec::new();
    for (indicator, unit) in stored.iter().collect::<BTreeSet<_>>() {
        if let Some(value) = values
            .iter()
            .find(|v| &v.indicator == indicator && &v.unit != unit)
        {
            problems.push(Problem {
                line: value.line,
                field: "unit",
                message: format!(
                    "{indicator} is stored in {unit:?}, this file gives it in {:?}: one unit per indicator",
                    value.unit
                ),
            });
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Refused(problems));
    }
    let mut series: BTreeMap<(String, i32), Vec<i32>> = BTreeMap::new();
    for value in &values {
        series
            .entry((value.indicator.clone(), value.year))
            .or_default()
            .push(value.territory_id);
    }
    let mut replaced = 0;
    for ((indicator, year), territories) in &series {
        for chunk in territories.chunks(500) {
            replaced += territory_indicator::Entity::delete_many()
                .filter(territory_indicator::Column::Indicator.eq(indicator.as_str()))
                .filter(territory_indicator::Column::Year.eq(*year))
                .filter(territory_indicator::Column::TerritoryId.is_in(chunk.iter().copied()))
                .exec(&txn)
                .await?
                .rows_affected as usize;
        }
    }
    let now = Utc::now();
    for chunk in values.chunks(500) {
        territory_indicator::Entity::insert_many(chunk.iter().map(|v| {
            territory_indicator::ActiveModel {
                id: NotSet,
                territory_id: Set(v.territory_id),
                indicator: Set(v.indicator.clone()),
                year: Set(v.year),
                value: Set(v.value),
                unit: Set(v.unit.clone()),
                source: Set(v.source.clone()),
                imported_at: Set(now),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(Imported {
        values: values.len(),
        replaced,
        without_value,
        series: series.into_keys().collect(),
    })
}

/// The latest imported population of each territory that has one: territory id →
/// (inhabitants, year). One statement.
pub async fn latest_populations<C: ConnectionTrait>(
    db: &C,
) -> Result<foldhash::HashMap<i32, (f64, i32)>, DbErr> {
    let mut latest = foldhash::HashMap::default();
    // Latest year first: the first row of each territory.
    for row in stored(db, None, Some(POPULATION)).await? {
        latest
            .entry(row.territory_id)
            .or_insert((row.value, row.year));
    }
    Ok(latest)
}

/// The stored values of `territories` (all when `None`), latest year first.
pub async fn stored<C: ConnectionTrait>(
    db: &C,
    territories: Option<Vec<i32>>,
    indicator: Option<&str>,
) -> Result<Vec<territory_indicator::Model>, DbErr> {
    let mut query = territory_indicator::Entity::find();
    if let Some(ids) = territories {
        query = query.filter(territory_indicator::Column::TerritoryId.is_in(ids));
    }
    if let Some(indicator) = indicator {
        query = query.filter(territory_indicator::Column::Indicator.eq(indicator));
    }
    query
        .order_by_asc(territory_indicator::Column::TerritoryId)
        .order_by_asc(territory_indicator::Column::Indicator)
        .order_by_desc(territory_indicator::Column::Year)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_observatories_write_them() {
        // `;`-separated: the decimal comma, dots group thousands.
        assert_eq!(number("31,5", true), Some(31.5));
        assert_eq!(number("11.482", true), Some(11482.0));
        assert_eq!(number("11.482,5", true), Some(11482.5));
        assert_eq!(number("11 482", true), Some(11482.0));
        assert_eq!(number("-2,25", true), Some(-2.25));
        // `,`-separated: the decimal point.
        assert_eq!(number("31.5", false), Some(31.5));
        assert_eq!(number("11.482", false), Some(11.482));
        assert_eq!(number("11,482.5", false), Some(11482.5));
        assert_eq!(number("abc", false), None);
        assert_eq!(number("inf", true), None);
        assert!(without_value("n.d."));
        assert!(without_value(" "));
        assert!(!without_value("0"));
    }

    #[test]
    fn codes_as_observatories_write_them() {
        assert_eq!(territory_code("87"), "quartier:87");
        assert_eq!(territory_code("007"), "quartier:7");
        assert_eq!(territory_code("21015"), "commune:21015");
        assert_eq!(territory_code(" bassin:nord "), "bassin:nord");
        assert_eq!(delimiter("code;indicator;year\n"), b';');
        assert_eq!(delimiter("code,indicator,year\n"), b',');
    }

    #[test]
    fn keys() {
        assert!(valid_key("poverty_risk_rate"));
        assert!(valid_key("age_65_plus"));
        assert!(!valid_key("Population"));
        assert!(!valid_key("1st"));
        assert!(!valid_key(""));
        assert!(!valid_key("taux de risque"));
    }
}

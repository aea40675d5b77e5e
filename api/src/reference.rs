//! Reference data (authorities, categories, territories): seeded from files bundled in
//! the binary, then held in memory because every request needs it and it changes only
//! with a deploy or a data load.

use std::sync::Arc;

// Read on every page (a category's labels, an accreditation's authority): foldhash, as the
// read model (decision 0012).
use foldhash::{HashMap, HashMapExt, HashSet};

use entities::{authority, category, category_mapping, territory, territory_parent};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait, sea_query::OnConflict,
};

use crate::geo::{self, Level, MultiPolygon, Point, TerritoryIndex, TerritoryInput};

const AUTHORITIES_CSV: &str = include_str!("../data/taxonomy/authorities.csv");
const CATEGORIES_CSV: &str = include_str!("../data/taxonomy/categories.csv");
const CATEGORY_MAPPINGS_CSV: &str = include_str!("../data/mappings/categories.csv");
const AUTHORITY_LABELS_CSV: &str = include_str!("../data/mappings/authorities.csv");

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("bundled reference data is invalid: {0}")]
    Data(String),
    #[error("database error while loading reference data: {0}")]
    Db(#[from] sea_orm::DbErr),
}

/// A territory code as ordered: its text before the number, then the number.
fn code_order(code: &str) -> (String, u64, String) {
    let (prefix, rest) = code.split_once(':').unwrap_or(("", code));
    match rest.parse::<u64>() {
        Ok(number) => (prefix.to_owned(), number, String::new()),
        Err(_) => (prefix.to_owned(), 0, rest.to_owned()),
    }
}

/// An upstream category label as compared: without a leading rubric number
/// ("05.01.00.") or a trailing abbreviation in brackets ("(CGG)"), case, accents and
/// punctuation folded, and a final `s` dropped from words of more than three letters
/// ("Centres de santé mentale" = "centre de sante mentale").
pub fn label_key(label: &str) -> String {
    let label = label.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    let label = match label.rfind('(') {
        Some(open) if label.trim_end().ends_with(')') && open > 0 => &label[..open],
        _ => label,
    };
    crate::domain::normalize_for_search(label)
        .split(' ')
        .map(|word| match word.strip_suffix('s') {
            Some(stem) if word.chars().count() > 3 => stem,
            _ => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Sociale Kaart rubrics the bundled mappings know: the first-line offer a Sociale
/// Kaart source asks for by default.
pub fn first_line_rubrics() -> Vec<String> {
    csv_rows(CATEGORY_MAPPINGS_CSV, "category mappings")
        .unwrap_or_default()
        .into_iter()
        .filter(|row| {
            row.get("scheme")
                .is_some_and(|s| s == "sociale_kaart.rubric")
        })
        .filter_map(|row| row.get("label").cloned())
        .collect()
}

/// A territory without its geometry (geometry stays in the database and the index).
#[derive(Clone, Debug)]
pub struct Territory {
    pub id: i32,
    pub code: String,
    pub level: Level,
    pub name_fr: String,
    pub name_nl: String,
    pub population: Option<i64>,
    pub parent_ids: Vec<i32>,
    /// A Monitoring des Quartiers unit where people live (not an industrial zone, a
    /// cemetery or a green space); true for the other levels.
    pub residential: bool,
    /// A quartier's area as points of a [`RESIDENT_GRID_M`] grid, each standing for the
    /// same share of its inhabitants (coverage); empty for the other levels.
    pub residents: Arc<[Point]>,
}

/// The spacing of the grid that stands for where a quartier's inhabitants live: 150 m,
/// a few minutes' walk, about 50 points in a quartier of average size.
pub const RESIDENT_GRID_M: f64 = 150.0;

#[derive(Debug)]
pub struct Reference {
    pub authorities: Vec<authority::Model>,
    pub categories: Vec<category::Model>,
    pub territories: Vec<Territory>,
    authority_by_code: HashMap<String, usize>,
    authority_by_id: HashMap<i32, usize>,
    category_by_code: HashMap<String, usize>,
    category_by_id: HashMap<i32, usize>,
    category_children: HashMap<i32, Vec<i32>>,
    territory_by_code: HashMap<String, usize>,
    territory_by_id: HashMap<i32, usize>,
    index: TerritoryIndex,
    /// (scheme, upstream code) → harmonised category code.
    category_mappings: HashMap<(String, String), String>,
    /// (scheme, [`label_key`] of the upstream label of a mapping row) → category code.
    mapped_labels: HashMap<(String, String), String>,
    /// (scheme, upstream code) → [`label_key`] of the label its mapping row was written for.
    row_labels: HashMap<(String, String), String>,
    /// [`label_key`] of a harmonised label in any language → category code.
    category_labels: HashMap<String, String>,
    /// Upstream names of authorities, lowercased → authority codes.
    authority_labels: HashMap<String, String>,
    /// Authority id → the community days it keeps (`calendar::community_days`), for the
    /// authorities that keep some; read on every page that shows hours
    /// (`search::Holidays`).
    pub community_days: Arc<HashMap<i32, &'static [(u32, u32)]>>,
    /// Category id → its labels in French, Dutch and English, folded
    /// (`normalize_for_search`): what a text query is scored against (`search`).
    pub category_text: Arc<HashMap<i32, String>>,
}

impl Reference {
    pub fn authority_by_code(&self, code: &str) -> Option<&authority::Model> {
        self.authority_by_code
            .get(code)
            .map(|&i| &self.authorities[i])
    }

    pub fn authority(&self, id: i32) -> Option<&authority::Model> {
        self.authority_by_id.get(&id).map(|&i| &self.authorities[i])
    }

    pub fn category_by_code(&self, code: &str) -> Option<&category::Model> {
        self.category_by_code
            .get(code)
            .map(|&i| &self.categories[i])
    }

    pub fn category(&self, id: i32) -> Option<&category::Model> {
        self.category_by_id.get(&id).map(|&i| &self.categories[i])
    }

    pub fn category_children(&self, id: i32) -> &[i32] {
        self.category_children
            .get(&id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The category and all its descendants.
    pub fn category_with_descendants(&self, id: i32) -> Vec<i32> {
        let mut out = vec![id];
        let mut next = 0;
        while next < out.len() {
            out.extend_from_slice(self.category_children(out[next]));
            next += 1;
        }
        out
    }

    /// The territories of `level` that `id` lies in: itself at that level; else its own
    /// parents of that level; else theirs, through its coarser parents. A quartier of
    /// Bruxelles-Ville is in its own bassin, not in every bassin that shares the city.
    pub fn ancestors_at(&self, id: i32, level: Level) -> Vec<i32> {
        let Some(territory) = self.territory(id) else {
            return Vec::new();
        };
        if territory.level == level {
            return vec![id];
        }
        let parents = || {
            territory
                .parent_ids
                .iter()
                .filter_map(|&p| self.territory(p))
        };
        let direct: Vec<i32> = parents()
            .filter(|p| p.level == level)
            .map(|p| p.id)
            .collect();
        if !direct.is_empty() {
            return direct;
        }
        let mut above: Vec<i32> = parents()
            .filter(|p| p.level.rank() > level.rank())
            .flat_map(|p| self.ancestors_at(p.id, level))
            .collect();
        above.sort_unstable();
        above.dedup();
        above
    }

    pub fn territory_by_code(&self, code: &str) -> Option<&Territory> {
        self.territory_by_code
            .get(code)
            .map(|&i| &self.territories[i])
    }

    pub fn territory(&self, id: i32) -> Option<&Territory> {
        self.territory_by_id.get(&id).map(|&i| &self.territories[i])
    }

    /// The harmonised category an upstream code maps to. Codes of a `*.passerelle`
    /// scheme are harmonised codes already.
    ///
    /// Otherwise the code's upstream `labels` (French, Dutch) map it when one equals, by
    /// [`label_key`], the label of a mapping row of the same scheme (a rubric numbered
    /// otherwise upstream) or a harmonised label in any language. When the row of the
    /// code was written for another label than the upstream gives, and a label maps, the
    /// label wins: the code means something else upstream than the row assumed.
    pub fn map_category(&self, scheme: &str, code: &str, labels: &[&str]) -> Option<String> {
        if scheme.ends_with(".passerelle") && self.category_by_code(code).is_some() {
            return Some(code.to_owned());
        }
        let row = (scheme.to_owned(), code.trim().to_owned());
        let keys: Vec<String> = labels.iter().map(|l| label_key(l)).collect();
        let by_label = || {
            keys.iter()
                .find_map(|key| self.mapped_labels.get(&(scheme.to_owned(), key.clone())))
                .or_else(|| keys.iter().find_map(|key| self.category_labels.get(key)))
                .cloned()
        };
        match self.category_mappings.get(&row) {
            Some(by_code) => {
                let same_label = keys.is_empty()
                    || self
                        .row_labels
                        .get(&row)
                        .is_none_or(|written| keys.contains(written));
                Some(if same_label {
                    by_code.clone()
                } else {
                    by_label().unwrap_or_else(|| by_code.clone())
                })
            }
            None => by_label(),
        }
    }

    /// The authority an upstream name designates: a code, a known label, or the longest
    /// known label inside a phrase ("Agréé par la COCOF", "Erkend door de VGC"), else a
    /// phrase that cites a federal act first ([`FEDERAL_ACTS`]).
    pub fn authority_for_label(&self, text: &str) -> Option<String> {
        // Typographic apostrophes as upstream French writes them ("d’action").
        let key = text.trim().to_lowercase().replace(['’', 'ʼ'], "'");
        if self.authority_by_code(&key).is_some() {
            return Some(key);
        }
        self.authority_labels
            .get(&key)
            .cloned()
            .or_else(|| {
                let mut found: Vec<(&String, &String)> = self
                    .authority_labels
                    .iter()
                    .filter(|(label, _)| label.len() >= 3 && contains_word(&key, label))
                    .collect();
                // Longest first; labels of one length in their own order, not the map's.
                found.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(b.0)));
                found.first().map(|(_, code)| (*code).clone())
            })
            .or_else(|| {
                FEDERAL_ACTS
                    .iter()
                    .any(|act| key.starts_with(act))
                    .then(|| "federal".to_owned())
            })
    }

    /// The territories containing `point`, finest first; empty outside the region.
    pub fn resolve_point(&self, point: Point) -> Vec<&Territory> {
        self.index
            .resolve(point)
            .iter()
            .filter_map(|code| self.territory_by_code(code))
            .collect()
    }

    /// Inserts the bundled authorities, categories and territories that the database
    /// lacks, then loads everything into memory.
    pub async fn seed_and_load(db: &DatabaseConnection) -> Result<Reference, ReferenceError> {
        let txn = db.begin().await?;
        seed_authorities(&txn).await?;
        seed_categories(&txn).await?;
        seed_territories(&txn).await?;
        seed_category_mappings(&txn).await?;
        txn.commit().await?;
        Reference::load(db).await
    }

    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Reference, ReferenceError> {
        let authorities = authority::Entity::find()
            .order_by_asc(authority::Column::Id)
            .all(db)
            .await?;
        let categories = category::Entity::find()
            .order_by_asc(category::Column::Position)
            .order_by_asc(category::Column::Id)
            .all(db)
            .await?;
        let rows = territory::Entity::find()
            .order_by_asc(territory::Column::Id)
            .all(db)
            .await?;
        let links = territory_parent::Entity::find().all(db).await?;
        let mappings = category_mapping::Entity::find().all(db).await?;

        let mut parents: HashMap<i32, Vec<i32>> = HashMap::new();
        for link in &links {
            parents
                .entry(link.territory_id)
                .or_default()
                .push(link.parent_id);
        }
        let code_of: HashMap<i32, String> = rows.iter().map(|t| (t.id, t.code.clone())).collect();
        let mut territories = Vec::with_capacity(rows.len());
        let mut inputs = Vec::with_capacity(rows.len());
        for row in rows {
            let level = Level::parse(&row.level).ok_or_else(|| {
                ReferenceError::Data(format!(
                    "territory {} has unknown level {}",
                    row.code, row.level
                ))
            })?;
            let geometry = match &row.geometry {
                Some(text) => {
                    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
                        ReferenceError::Data(format!("geometry of {}: {e}", row.code))
                    })?;
                    Some(MultiPolygon::from_geojson(&value).map_err(|e| {
                        ReferenceError::Data(format!("geometry of {}: {e}", row.code))
                    })?)
                }
                None => None,
            };
            let parent_ids = parents.remove(&row.id).unwrap_or_default();
            let residents: Arc<[Point]> = match (&geometry, level) {
                (Some(geometry), Level::Quartier) => geometry.grid_points(RESIDENT_GRID_M).into(),
                _ => Arc::from([]),
            };
            let residential = level != Level::Quartier
                || row
                    .extra
                    .as_deref()
                    .and_then(|extra| serde_json::from_str::<serde_json::Value>(extra).ok())
                    .and_then(|extra| {
                        extra
                            .get("kind")
                            .and_then(|k| k.as_str())
                            .map(|k| k == "residential")
                    })
                    .unwrap_or(true);
            inputs.push(TerritoryInput {
                code: row.code.clone(),
                level,
                geometry,
                parents: parent_ids
                    .iter()
                    .filter_map(|id| code_of.get(id).cloned())
                    .collect(),
            });
            territories.push(Territory {
                id: row.id,
                code: row.code,
                level,
                name_fr: row.name_fr,
                name_nl: row.name_nl,
                population: row.population,
                parent_ids,
                residential,
                residents,
            });
        }
        // The order `territories` lists them in: the coarsest level first, then by code
        // with its number read as a number (`quartier:2` before `quartier:10`).
        territories.sort_by_cached_key(|t| (t.level.rank(), code_order(&t.code)));

        let mut category_children: HashMap<i32, Vec<i32>> = HashMap::new();
        for c in &categories {
            if let Some(parent) = c.parent_id {
                category_children.entry(parent).or_default().push(c.id);
            }
        }
        let code_of_category: HashMap<i32, String> =
            categories.iter().map(|c| (c.id, c.code.clone())).collect();
        let category_mappings = mappings
            .into_iter()
            .filter_map(|m| {
                code_of_category
                    .get(&m.category_id)
                    .map(|code| ((m.scheme, m.source_code), code.clone()))
            })
            .collect();
        let mut mapped_labels = HashMap::new();
        let mut row_labels = HashMap::new();
        for row in csv_rows(CATEGORY_MAPPINGS_CSV, "mappings/categories.csv")? {
            let f = |name| field(&row, name, "mappings/categories.csv");
            let (scheme, code, label, category) =
                (f("scheme")?, f("code")?, f("label")?, f("category")?);
            mapped_labels
                .entry((scheme.to_owned(), label_key(label)))
                .or_insert_with(|| category.to_owned());
            row_labels.insert((scheme.to_owned(), code.to_owned()), label_key(label));
        }
        let mut category_labels = HashMap::new();
        for c in &categories {
            for label in [&c.label_fr, &c.label_nl, &c.label_en] {
                category_labels
                    .entry(label_key(label))
                    .or_insert_with(|| c.code.clone());
            }
        }
        let mut authority_labels = HashMap::new();
        for row in csv_rows(AUTHORITY_LABELS_CSV, "mappings/authorities.csv")? {
            let label = field(&row, "label", "mappings/authorities.csv")?;
            let code = field(&row, "authority", "mappings/authorities.csv")?;
            authority_labels.insert(label.to_lowercase(), code.to_owned());
        }
        let community_days = authorities
            .iter()
            .map(|a| (a.id, crate::domain::calendar::community_days(&a.code)))
            .filter(|(_, days)| !days.is_empty())
            .collect();
        let category_text = categories
            .iter()
            .map(|c| {
                let labels = format!("{} {} {}", c.label_fr, c.label_nl, c.label_en);
                (c.id, crate::domain::normalize_for_search(&labels))
            })
            .collect();
        Ok(Reference {
            community_days: Arc::new(community_days),
            category_text: Arc::new(category_text),
            category_mappings,
            mapped_labels,
            row_labels,
            category_labels,
            authority_labels,
            authority_by_code: positions(&authorities, |a| a.code.clone()),
            authority_by_id: positions(&authorities, |a| a.id),
            category_by_code: positions(&categories, |c| c.code.clone()),
            category_by_id: positions(&categories, |c| c.id),
            territory_by_code: positions(&territories, |t| t.code.clone()),
            territory_by_id: positions(&territories, |t| t.id),
            category_children,
            index: TerritoryIndex::new(inputs),
            authorities,
            categories,
            territories,
        })
    }
}

fn positions<T, K: std::hash::Hash + Eq>(items: &[T], key: impl Fn(&T) -> K) -> HashMap<K, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (key(item), i))
        .collect()
}

fn csv_rows(text: &str, what: &str) -> Result<Vec<HashMap<String, String>>, ReferenceError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ReferenceError::Data(format!("{what}: {e}")))?
        .clone();
    reader
        .records()
        .map(|record| {
            let record = record.map_err(|e| ReferenceError::Data(format!("{what}: {e}")))?;
            Ok(headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.trim().to_owned(), v.trim().to_owned()))
                .collect())
        })
        .collect()
}

fn field<'a>(
    row: &'a HashMap<String, String>,
    name: &str,
    what: &str,
) -> Result<&'a str, ReferenceError> {
    row.get(name)
        .map(String::as_str)
        .ok_or_else(|| ReferenceError::Data(format!("{what}: missing column {name}")))
}

async fn seed_authorities<C: ConnectionTrait>(db: &C) -> Result<(), ReferenceError> {
    let rows = csv_rows(AUTHORITIES_CSV, "authorities.csv")?;
    let models = rows
        .iter()
        .map(|row| {
            let f = |name| field(row, name, "authorities.csv").map(str::to_owned);
            Ok(authority::ActiveModel {
                code: Set(f("code")?),
                name_fr: Set(f("name_fr")?),
                name_nl: Set(f("name_nl")?),
                name_en: Set(f("name_en")?),
                level: Set(f("level")?),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, ReferenceError>>()?;
    authority::Entity::insert_many(models)
        .on_conflict(
            OnConflict::column(authority::Column::Code)
                .update_columns([
                    authority::Column::NameFr,
                    authority::Column::NameNl,
                    authority::Column::NameEn,
                    authority::Column::Level,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn seed_categories<C: ConnectionTrait>(db: &C) -> Result<(), ReferenceError> {
    let rows = csv_rows(CATEGORIES_CSV, "categories.csv")?;
    let models = rows
        .iter()
        .enumerate()
        .map(|(position, row)| {
            let f = |name| field(row, name, "categories.csv").map(str::to_owned);
            Ok(category::ActiveModel {
                code: Set(f("code")?),
                label_fr: Set(f("label_fr")?),
                label_nl: Set(f("label_nl")?),
                label_en: Set(f("label_en")?),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                parent_id: Set(None),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, ReferenceError>>()?;
    category::Entity::insert_many(models)
        .on_conflict(
            OnConflict::column(category::Column::Code)
                .update_columns([
                    category::Column::LabelFr,
                    category::Column::LabelNl,
                    category::Column::LabelEn,
                    category::Column::Position,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;

    let ids: HashMap<String, i32> = category::Entity::find()
        .select_only()
        .column(category::Column::Code)
        .column(category::Column::Id)
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let current: HashMap<i32, Option<i32>> = category::Entity::find()
        .select_only()
        .column(category::Column::Id)
        .column(category::Column::ParentId)
        .into_tuple::<(i32, Option<i32>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for row in &rows {
        let code = field(row, "code", "categories.csv")?;
        let parent_code = field(row, "parent_code", "categories.csv")?;
        let id = ids[code];
        let parent = if parent_code.is_empty() {
            None
        } else {
            Some(*ids.get(parent_code).ok_or_else(|| {
                ReferenceError::Data(format!("category {code}: unknown parent {parent_code}"))
            })?)
        };
        if current.get(&id).copied().flatten() != parent {
            category::Entity::update(category::ActiveModel {
                id: Set(id),
                parent_id: Set(parent),
                ..Default::default()
            })
            .exec(db)
            .await?;
        }
    }
    Ok(())
}

async fn seed_territories<C: ConnectionTrait>(db: &C) -> Result<(), ReferenceError> {
    let seeds = geo::brussels_territories().map_err(|e| ReferenceError::Data(e.to_string()))?;
    // Code → (name FR, name NL, population, has a geometry) of the stored territories.
    type Stored = (String, String, Option<i64>, bool);
    let existing: HashMap<String, Stored> = territory::Entity::find()
        .select_only()
        .column(territory::Column::Code)
        .column(territory::Column::NameFr)
        .column(territory::Column::NameNl)
        .column(territory::Column::Population)
        .column_as(territory::Column::Geometry.is_not_null(), "has_geometry")
        .into_tuple::<(String, String, String, Option<i64>, bool)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(code, fr, nl, population, geometry)| (code, (fr, nl, population, geometry)))
        .collect();
    // A territory the bundled data now names, counts or draws otherwise (spelling
    // restored, a population or a geometry added) is brought up to date.
    for seed in &seeds {
        let Some((fr, nl, population, has_geometry)) = existing.get(&seed.code) else {
            continue;
        };
        let geometry_added = !has_geometry && seed.geometry.is_some();
        if *fr == seed.name_fr
            && *nl == seed.name_nl
            && *population == seed.population
            && !geometry_added
        {
            continue;
        }
        let mut update = territory::Entity::update_many()
            .col_expr(territory::Column::NameFr, seed.name_fr.clone().into())
            .col_expr(territory::Column::NameNl, seed.name_nl.clone().into())
            .col_expr(territory::Column::Population, seed.population.into())
            .filter(territory::Column::Code.eq(seed.code.clone()));
        if geometry_added {
            update = update.col_expr(territory::Column::Geometry, seed.geometry.clone().into());
        }
        update.exec(db).await?;
    }
    let missing: Vec<territory::ActiveModel> = seeds
        .iter()
        .filter(|s| !existing.contains_key(&s.code))
        .map(|s| territory::ActiveModel {
            code: Set(s.code.clone()),
            level: Set(s.level.as_str().to_owned()),
            name_fr: Set(s.name_fr.clone()),
            name_nl: Set(s.name_nl.clone()),
            population: Set(s.population),
            geometry: Set(s.geometry.clone()),
            extra: Set(s.extra.clone()),
            ..Default::default()
        })
        .collect();
    // Geometries are large: small batches keep statements under driver limits.
    for chunk in missing.chunks(20) {
        territory::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }

    let ids: HashMap<String, i32> = territory::Entity::find()
        .select_only()
        .column(territory::Column::Code)
        .column(territory::Column::Id)
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let links: HashSet<(i32, i32)> = territory_parent::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.territory_id, l.parent_id))
        .collect();
    let mut new_links = Vec::new();
    for seed in &seeds {
        let child = ids[&seed.code];
        for parent_code in &seed.parents {
            let parent = *ids.get(parent_code).ok_or_else(|| {
                ReferenceError::Data(format!(
                    "territory {}: unknown parent {parent_code}",
                    seed.code
                ))
            })?;
            if !links.contains(&(child, parent)) {
                new_links.push(territory_parent::ActiveModel {
                    territory_id: Set(child),
                    parent_id: Set(parent),
                });
            }
        }
    }
    for chunk in new_links.chunks(500) {
        territory_parent::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

async fn seed_category_mappings<C: ConnectionTrait>(db: &C) -> Result<(), ReferenceError> {
    let rows = csv_rows(CATEGORY_MAPPINGS_CSV, "mappings/categories.csv")?;
    let categories: HashMap<String, i32> = category::Entity::find()
        .select_only()
        .column(category::Column::Code)
        .column(category::Column::Id)
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut models = Vec::with_capacity(rows.len());
    for row in &rows {
        let f = |name| field(row, name, "mappings/categories.csv");
        let category = f("category")?;
        let category_id = *categories.get(category).ok_or_else(|| {
            ReferenceError::Data(format!(
                "mappings/categories.csv: unknown category {category}"
            ))
        })?;
        models.push(category_mapping::ActiveModel {
            scheme: Set(f("scheme")?.to_owned()),
            source_code: Set(f("code")?.to_owned()),
            category_id: Set(category_id),
            ..Default::default()
        });
    }
    for chunk in models.chunks(500) {
        category_mapping::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    category_mapping::Column::Scheme,
                    category_mapping::Column::SourceCode,
                ])
                .update_column(category_mapping::Column::CategoryId)
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Whether `word` stands in `text` as whole words.
/// How a citation of a federal act begins: only the federal parliament passes laws
/// (*lois*, *wetten*) and only the King signs royal decrees; the Communities and the
/// Brussels institutions pass décrets and ordonnances. A text naming no authority but
/// citing such an act first ("Loi du 26 mai 2002 concernant le droit à l'intégration
/// sociale") is federal; one that only mentions a law further on is not decided by it.
const FEDERAL_ACTS: [&str; 6] = [
    "loi ",
    "wet ",
    "arrêté royal",
    "koninklijk besluit",
    "loi-programme",
    "programmawet",
];

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = text[i + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_compare_without_number_abbreviation_case_accents_or_plural() {
        assert_eq!(
            label_key("02.03.01. Centra voor Geestelijke Gezondheidszorg (CGG)"),
            label_key("centra voor geestelijke gezondheidszorg")
        );
        assert_eq!(
            label_key("Centres de santé mentale"),
            label_key("Centre de sante mentale")
        );
        assert_eq!(
            label_key("  Aide aux  personnes âgées "),
            "aide aux personne agee"
        );
        assert_ne!(label_key("Planning familial"), label_key("Planning"));
    }

    #[test]
    fn the_default_rubrics_are_the_mapped_ones() {
        let rubrics = first_line_rubrics();
        assert!(rubrics.len() > 30, "{}", rubrics.len());
        assert!(
            rubrics
                .iter()
                .all(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        );
    }
}

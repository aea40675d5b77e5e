//! The Brussels-Capital Region's territories, embedded in the binary so that a fresh
//! database can be seeded without network access. Sources and licences are in
//! `api/data/brussels/ATTRIBUTION.md`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::Value;

use super::table::Table;
use super::{GeoError, Level, MultiPolygon};

pub const REGION_CODE: &str = "region:bru";
pub const ZONE_CODE: &str = "zone:bruzel";

const BASSINS_FILE: &str = "bassins.csv";
const COMMUNES_FILE: &str = "communes.csv";
const COMMUNES_GEOJSON_FILE: &str = "communes.geojson";
const QUARTIERS_FILE: &str = "monitoring-quartiers.geojson";
const QUARTIER_BASSIN_FILE: &str = "monitoring-quartier-bassin.csv";

const BASSINS_CSV: &str = include_str!("../../data/brussels/bassins.csv");
const COMMUNES_CSV: &str = include_str!("../../data/brussels/communes.csv");
const COMMUNES_GEOJSON: &str = include_str!("../../data/brussels/communes.geojson");
const QUARTIERS_GEOJSON: &str = include_str!("../../data/brussels/monitoring-quartiers.geojson");
const QUARTIER_BASSIN_CSV: &str =
    include_str!("../../data/brussels/monitoring-quartier-bassin.csv");

/// The value of `communes.csv`'s `bassin` column for a commune shared between bassins.
const SPLIT_BASSIN: &str = "(split)";

/// One territory as stored in the database.
#[derive(Clone, Debug, PartialEq)]
pub struct TerritorySeed {
    /// `region:bru`, `zone:bruzel`, `bassin:nord-est`, `commune:21015`, `quartier:87`.
    pub code: String,
    pub level: Level,
    pub name_fr: String,
    pub name_nl: String,
    pub population: Option<i64>,
    /// A GeoJSON geometry object as compact JSON text; communes and quartiers only.
    pub geometry: Option<String>,
    /// Parent territory codes: the hierarchy is many-to-many (a quartier can cross
    /// communes, Bruxelles-Ville is shared by four bassins).
    pub parents: Vec<String>,
    /// Optional JSON object text with level-specific attributes.
    pub extra: Option<String>,
}

/// The real Brussels territories embedded in the binary, parents before children
/// (region, zone, bassins, communes, quartiers) so they can be inserted in order.
pub fn brussels_territories() -> Result<Vec<TerritorySeed>, GeoError> {
    let bassins = read_bassins()?;
    let communes = read_communes(&bassins)?;
    let quartiers = read_quartiers(&bassins, &communes)?;

    let region_population = communes
        .iter()
        .filter_map(|commune| commune.population)
        .sum();
    let coarse_parents = || vec![REGION_CODE.to_owned(), ZONE_CODE.to_owned()];
    let mut seeds = vec![
        TerritorySeed {
            code: REGION_CODE.to_owned(),
            level: Level::Region,
            name_fr: "Région de Bruxelles-Capitale".to_owned(),
            name_nl: "Brussels Hoofdstedelijk Gewest".to_owned(),
            population: Some(region_population),
            geometry: None,
            parents: Vec::new(),
            extra: None,
        },
        TerritorySeed {
            code: ZONE_CODE.to_owned(),
            level: Level::Zone,
            name_fr: "BruZEL".to_owned(),
            name_nl: "BruZEL".to_owned(),
            population: None,
            geometry: None,
            parents: Vec::new(),
            extra: None,
        },
    ];
    seeds.extend(bassins.iter().map(|bassin| TerritorySeed {
        code: bassin_code(&bassin.key),
        level: Level::Bassin,
        name_fr: bassin.name_fr.clone(),
        name_nl: bassin.name_nl.clone(),
        population: None,
        geometry: None,
        parents: coarse_parents(),
        extra: None,
    }));
    seeds.extend(communes);
    seeds.extend(quartiers);
    Ok(seeds)
}

struct Bassin {
    key: String,
    name_fr: String,
    name_nl: String,
    whole_communes: Vec<String>,
    partial_communes: Vec<String>,
}

#[derive(Deserialize)]
struct FeatureCollection<P> {
    features: Vec<Feature<P>>,
}

#[derive(Deserialize)]
struct Feature<P> {
    properties: P,
    geometry: Value,
}

#[derive(Deserialize)]
struct CommuneProperties {
    nis: String,
    name_fr: String,
    name_nl: String,
    population_2020: i64,
}

#[derive(Deserialize)]
struct QuartierProperties {
    code: String,
    name_fr: String,
    name_nl: String,
    communes_nis: Vec<String>,
    kind: String,
    area_km2: f64,
}

fn read_bassins() -> Result<Vec<Bassin>, GeoError> {
    let nis_list = |field: &str| field.split_whitespace().map(str::to_owned).collect();
    Table::parse(BASSINS_FILE, BASSINS_CSV)?
        .rows()
        .map(|row| {
            Ok(Bassin {
                key: row.get("bassin")?.to_owned(),
                name_fr: row.get("name_fr")?.to_owned(),
                name_nl: row.get("name_nl")?.to_owned(),
                whole_communes: nis_list(row.get("whole_communes_nis")?),
                partial_communes: nis_list(row.get("partial_communes_nis")?),
            })
        })
        .collect()
}

/// Names and population come from the GeoJSON, bassins from `bassins.csv`; `communes.csv`
/// repeats both and must agree, so that a hand edit to one file cannot go unnoticed.
fn read_communes(bassins: &[Bassin]) -> Result<Vec<TerritorySeed>, GeoError> {
    let features: Vec<Feature<CommuneProperties>> =
        read_features(COMMUNES_GEOJSON_FILE, COMMUNES_GEOJSON)?;
    let table = Table::parse(COMMUNES_FILE, COMMUNES_CSV)?;
    let mut listed = HashSet::new();
    for row in table.rows() {
        let nis = row.get("nis")?;
        let feature = features
            .iter()
            .find(|feature| feature.properties.nis == nis)
            .ok_or_else(|| {
                row.error(&format!("commune {nis} is not in {COMMUNES_GEOJSON_FILE}"))
            })?;
        let bassin_keys = commune_bassins(bassins, nis);
        let expected_bassin = match bassin_keys.as_slice() {
            [key] => key.as_str(),
            _ => SPLIT_BASSIN,
        };
        let properties = &feature.properties;
        let agrees = row.get("name_fr")? == properties.name_fr
            && row.get("name_nl")? == properties.name_nl
            && row.get("population_2020")? == properties.population_2020.to_string()
            && row.get("bassin")? == expected_bassin;
        if !agrees {
            return Err(row.error(&format!(
                "commune {nis} disagrees with {COMMUNES_GEOJSON_FILE} or {BASSINS_FILE}"
            )));
        }
        listed.insert(nis.to_owned());
    }

    features
        .into_iter()
        .map(|feature| {
            let CommuneProperties {
                nis,
                name_fr,
                name_nl,
                population_2020,
            } = feature.properties;
            let bassin_keys = commune_bassins(bassins, &nis);
            if bassin_keys.is_empty() || !listed.contains(&nis) {
                return Err(GeoError::Data {
                    file: COMMUNES_FILE,
                    message: format!("commune {nis} is missing or in no bassin"),
                });
            }
            let mut parents: Vec<String> = bassin_keys.iter().map(|key| bassin_code(key)).collect();
            parents.extend([REGION_CODE.to_owned(), ZONE_CODE.to_owned()]);
            Ok(TerritorySeed {
                code: commune_code(&nis),
                level: Level::Commune,
                geometry: Some(geometry_text(
                    COMMUNES_GEOJSON_FILE,
                    &nis,
                    &feature.geometry,
                )?),
                name_fr,
                name_nl,
                population: Some(population_2020),
                parents,
                extra: None,
            })
        })
        .collect()
}

/// The bassin holding the whole commune, or else every bassin holding part of it.
fn commune_bassins(bassins: &[Bassin], nis: &str) -> Vec<String> {
    let keys = |partial: bool| -> Vec<String> {
        bassins
            .iter()
            .filter(|bassin| {
                let list = if partial {
                    &bassin.partial_communes
                } else {
                    &bassin.whole_communes
                };
                list.iter().any(|n| n == nis)
            })
            .map(|bassin| bassin.key.clone())
            .collect()
    };
    let whole = keys(false);
    if whole.is_empty() { keys(true) } else { whole }
}

struct QuartierBassin {
    bassin: String,
    basis: String,
}

fn read_quartiers(
    bassins: &[Bassin],
    communes: &[TerritorySeed],
) -> Result<Vec<TerritorySeed>, GeoError> {
    let mut assignments = HashMap::new();
    for row in Table::parse(QUARTIER_BASSIN_FILE, QUARTIER_BASSIN_CSV)?.rows() {
        let bassin = row.get("bassin")?;
        if !bassins.iter().any(|b| b.key == bassin) {
            return Err(row.error(&format!("unknown bassin {bassin:?}")));
        }
        let assignment = QuartierBassin {
            bassin: bassin.to_owned(),
            basis: row.get("basis")?.to_owned(),
        };
        if assignments
            .insert(row.get("quartier_code")?.to_owned(), assignment)
            .is_some()
        {
            return Err(row.error("quartier listed twice"));
        }
    }

    let features: Vec<Feature<QuartierProperties>> =
        read_features(QUARTIERS_FILE, QUARTIERS_GEOJSON)?;
    let data_error = |message: String| GeoError::Data {
        file: QUARTIERS_FILE,
        message,
    };
    features
        .into_iter()
        .map(|feature| {
            let properties = feature.properties;
            let code = properties.code.trim();
            let assignment = assignments.get(code).ok_or_else(|| {
                data_error(format!(
                    "quartier {code} has no row in {QUARTIER_BASSIN_FILE}"
                ))
            })?;
            let mut parents = Vec::new();
            for nis in &properties.communes_nis {
                let parent = commune_code(nis.trim());
                if !communes.iter().any(|commune| commune.code == parent) {
                    return Err(data_error(format!(
                        "quartier {code}: unknown commune {nis}"
                    )));
                }
                parents.push(parent);
            }
            parents.push(bassin_code(&assignment.bassin));
            let extra = serde_json::json!({
                "kind": properties.kind,
                "area_km2": properties.area_km2,
                "bassin_basis": assignment.basis,
            });
            Ok(TerritorySeed {
                code: format!("quartier:{code}"),
                level: Level::Quartier,
                name_fr: clean_name(&properties.name_fr),
                name_nl: clean_name(&properties.name_nl),
                population: None,
                geometry: Some(geometry_text(QUARTIERS_FILE, code, &feature.geometry)?),
                parents,
                extra: Some(extra.to_string()),
            })
        })
        .collect()
}

fn read_features<P: for<'de> Deserialize<'de>>(
    file: &'static str,
    text: &str,
) -> Result<Vec<Feature<P>>, GeoError> {
    serde_json::from_str::<FeatureCollection<P>>(text)
        .map(|collection| collection.features)
        .map_err(|source| GeoError::Json { file, source })
}

/// Parses the geometry once here so that a seed always carries a geometry the index can
/// load later.
fn geometry_text(file: &'static str, id: &str, geometry: &Value) -> Result<String, GeoError> {
    MultiPolygon::from_geojson(geometry).map_err(|error| GeoError::Data {
        file,
        message: format!("{id}: {error}"),
    })?;
    serde_json::to_string(geometry).map_err(|source| GeoError::Json { file, source })
}

/// Some source names end in a no-break space or hold a double space.
fn clean_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn bassin_code(key: &str) -> String {
    format!("bassin:{key}")
}

fn commune_code(nis: &str) -> String {
    format!("commune:{nis}")
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;

    fn seeds() -> Vec<TerritorySeed> {
        brussels_territories().expect("embedded data is valid")
    }

    #[test]
    fn counts_every_level() {
        let seeds = seeds();
        let mut counts = BTreeMap::new();
        for seed in &seeds {
            *counts.entry(seed.level).or_insert(0) += 1;
        }

        assert_eq!(
            counts,
            BTreeMap::from([
                (Level::Region, 1),
                (Level::Zone, 1),
                (Level::Bassin, 5),
                (Level::Commune, 19),
                (Level::Quartier, 145),
            ])
        );
    }

    #[test]
    fn codes_are_unique_and_parents_come_first() {
        let mut seen = HashSet::new();

        for seed in seeds() {
            for parent in &seed.parents {
                assert!(seen.contains(parent), "{}: parent {parent}", seed.code);
            }
            assert!(seen.insert(seed.code.clone()), "{} twice", seed.code);
        }
    }

    #[test]
    fn every_quartier_has_one_bassin_and_at_least_one_commune() {
        for seed in seeds().iter().filter(|s| s.level == Level::Quartier) {
            let bassins = seed.parents.iter().filter(|p| p.starts_with("bassin:"));
            let communes = seed.parents.iter().filter(|p| p.starts_with("commune:"));

            assert_eq!(bassins.count(), 1, "{}", seed.code);
            assert!(communes.count() >= 1, "{}", seed.code);
        }
    }

    #[test]
    fn communes_have_their_bassin_and_bruxelles_ville_has_four() {
        let seeds = seeds();
        let parents: HashMap<&str, &Vec<String>> = seeds
            .iter()
            .map(|seed| (seed.code.as_str(), &seed.parents))
            .collect();

        assert_eq!(
            parents["commune:21015"],
            &["bassin:nord-est", REGION_CODE, ZONE_CODE]
        );
        assert_eq!(
            parents["commune:21004"],
            &[
                "bassin:nord",
                "bassin:nord-est",
                "bassin:sud",
                "bassin:centre-ouest",
                REGION_CODE,
                ZONE_CODE
            ]
        );
        assert_eq!(parents["bassin:sud-est"], &[REGION_CODE, ZONE_CODE]);
        assert_eq!(
            parents["quartier:87"],
            &["commune:21015", "bassin:nord-est"]
        );
    }

    #[test]
    fn region_population_is_the_sum_of_the_communes() {
        let seeds = seeds();
        let communes: i64 = seeds
            .iter()
            .filter(|s| s.level == Level::Commune)
            .filter_map(|s| s.population)
            .sum();

        assert_eq!(seeds[0].code, REGION_CODE);
        assert_eq!(seeds[0].population, Some(communes));
        assert_eq!(communes, 1_218_255);
    }

    #[test]
    fn geometries_and_extras_are_valid_json() {
        for seed in seeds() {
            let has_geometry = matches!(seed.level, Level::Commune | Level::Quartier);
            assert_eq!(seed.geometry.is_some(), has_geometry, "{}", seed.code);
            if let Some(text) = &seed.geometry {
                let value: Value = serde_json::from_str(text).expect("geometry is JSON");
                assert!(MultiPolygon::from_geojson(&value).is_ok(), "{}", seed.code);
            }
            if let Some(text) = &seed.extra {
                let value: Value = serde_json::from_str(text).expect("extra is JSON");
                assert!(value.is_object(), "{}", seed.code);
            }
        }
    }

    #[test]
    fn quartier_names_and_extra_are_cleaned_up() {
        let seeds = seeds();
        let quartier = |code: &str| {
            seeds
                .iter()
                .find(|s| s.code == code)
                .expect("quartier exists")
        };

        assert_eq!(
            quartier("quartier:100").name_fr,
            "Chaussee de wavre - saint-julien"
        );
        assert_eq!(
            quartier("quartier:916").name_fr,
            "Bois du laarbeek - poelbos"
        );
        assert_eq!(quartier("quartier:95").name_fr, "Sainte-alix - joli bois");
        let extra: Value = serde_json::from_str(
            quartier("quartier:1")
                .extra
                .as_deref()
                .expect("quartiers have extra"),
        )
        .expect("extra is JSON");
        assert_eq!(
            extra,
            serde_json::json!({"kind": "residential", "area_km2": 0.9685, "bassin_basis": "judgement"})
        );
    }

    #[test]
    fn quartier_table_lists_the_same_communes_as_the_geojson() {
        let table = Table::parse(QUARTIER_BASSIN_FILE, QUARTIER_BASSIN_CSV).expect("valid table");
        let seeds = seeds();

        for row in table.rows() {
            let code = format!("quartier:{}", row.get("quartier_code").expect("column"));
            let seed = seeds
                .iter()
                .find(|s| s.code == code)
                .expect("quartier exists");
            let from_table: Vec<String> = row
                .get("communes_nis")
                .expect("column")
                .split_whitespace()
                .map(commune_code)
                .collect();
            let from_geojson: Vec<String> = seed
                .parents
                .iter()
                .filter(|p| p.starts_with("commune:"))
                .cloned()
                .collect();

            assert_eq!(from_table, from_geojson, "{code}");
        }
    }
}

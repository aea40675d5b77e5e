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
const QUARTIER_NAMES_FILE: &str = "quartier-names.csv";
const BASSINS_GEOJSON_FILE: &str = "bassins.geojson";

const BASSINS_CSV: &str = include_str!("../../data/brussels/bassins.csv");
const COMMUNES_CSV: &str = include_str!("../../data/brussels/communes.csv");
const COMMUNES_GEOJSON: &str = include_str!("../../data/brussels/communes.geojson");
const QUARTIERS_GEOJSON: &str = include_str!("../../data/brussels/monitoring-quartiers.geojson");
const QUARTIER_BASSIN_CSV: &str =
    include_str!("../../data/brussels/monitoring-quartier-bassin.csv");
const QUARTIER_NAMES_CSV: &str = include_str!("../../data/brussels/quartier-names.csv");
const BASSINS_GEOJSON: &str = include_str!("../../data/brussels/bassins.geojson");

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
    let mut outlines = read_outlines()?;
    // A bassin made of whole communes has their population; one sharing Bruxelles-Ville
    // has none we know (the city's inhabitants are not counted per quartier here).
    let bassin_population = |bassin: &Bassin| -> Option<i64> {
        if !bassin.partial_communes.is_empty() {
            return None;
        }
        bassin
            .whole_communes
            .iter()
            .map(|nis| {
                communes
                    .iter()
                    .find(|c| c.code == commune_code(nis))
                    .and_then(|c| c.population)
            })
            .sum()
    };
    let coarse_parents = || vec![REGION_CODE.to_owned(), ZONE_CODE.to_owned()];
    let mut seeds = vec![
        TerritorySeed {
            code: REGION_CODE.to_owned(),
            level: Level::Region,
            name_fr: "Région de Bruxelles-Capitale".to_owned(),
            name_nl: "Brussels Hoofdstedelijk Gewest".to_owned(),
            population: Some(region_population),
            geometry: outlines.remove(REGION_CODE),
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
    for bassin in &bassins {
        let code = bassin_code(&bassin.key);
        let geometry = outlines.remove(&code).ok_or_else(|| GeoError::Data {
            file: BASSINS_GEOJSON_FILE,
            message: format!("{code} has no outline"),
        })?;
        seeds.push(TerritorySeed {
            population: bassin_population(bassin),
            geometry: Some(geometry),
            code,
            level: Level::Bassin,
            name_fr: bassin.name_fr.clone(),
            name_nl: bassin.name_nl.clone(),
            parents: coarse_parents(),
            extra: None,
        });
    }
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

#[derive(Deserialize)]
struct OutlineProperties {
    code: String,
}

/// The bassins' and the region's outlines, unions of their quartiers (derived by
/// `tools/derive-bassin-geometries.py`), by territory code.
fn read_outlines() -> Result<HashMap<String, String>, GeoError> {
    read_features::<OutlineProperties>(BASSINS_GEOJSON_FILE, BASSINS_GEOJSON)?
        .into_iter()
        .map(|feature| {
            let code = feature.properties.code;
            let geometry = geometry_text(BASSINS_GEOJSON_FILE, &code, &feature.geometry)?;
            Ok((code, geometry))
        })
        .collect()
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

    // The official spelling: the GeoJSON's names lost their accents and capitals.
    let mut names = HashMap::new();
    for row in Table::parse(QUARTIER_NAMES_FILE, QUARTIER_NAMES_CSV)?.rows() {
        let spelled = (
            row.get("name_fr")?.to_owned(),
            row.get("name_nl")?.to_owned(),
        );
        if names.insert(row.get("code")?.to_owned(), spelled).is_some() {
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
            let (name_fr, name_nl) = names.get(code).ok_or_else(|| {
                data_error(format!("quartier {code} has no row in {QUARTIER_NAMES_FILE}"))
            })?;
            // The spelling file restores accents, capitals and hyphens, nothing else.
            let folded = |name: &str| {
                crate::domain::normalize_for_search(&name.replace('-', " "))
            };
            if folded(name_fr) != folded(&properties.name_fr)
                || folded(name_nl) != folded(&properties.name_nl)
            {
                return Err(data_error(format!(
                    "quartier {code}: {QUARTIER_NAMES_FILE} names another quartier ({name_fr} / {name_nl})"
                )));
            }
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
                name_fr: name_fr.clone(),
                name_nl: name_nl.clone(),
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

    /// A grid over the region: wherever a point lies in a quartier, the outline of that
    /// quartier's bassin and the region's contain it too (the outlines are the unions of
    /// the quartier table's partition), and a bassin's population is its communes'.
    #[test]
    fn bassin_outlines_agree_with_the_quartier_table() {
        use crate::geo::Point;
        let seeds = seeds();
        let shape = |seed: &TerritorySeed| {
            let text = seed.geometry.as_deref().expect("a geometry");
            MultiPolygon::from_geojson(&serde_json::from_str(text).expect("JSON")).expect("valid")
        };
        let outlines: HashMap<&str, MultiPolygon> = seeds
            .iter()
            .filter(|s| matches!(s.level, Level::Bassin | Level::Region))
            .map(|s| (s.code.as_str(), shape(s)))
            .collect();
        let quartiers: Vec<(&TerritorySeed, MultiPolygon)> = seeds
            .iter()
            .filter(|s| s.level == Level::Quartier)
            .map(|s| (s, shape(s)))
            .collect();
        let mut checked = 0;
        for i in 0..60 {
            for j in 0..60 {
                let p = Point {
                    lat: 50.76 + 0.16 * f64::from(i) / 60.0,
                    lon: 4.24 + 0.24 * f64::from(j) / 60.0,
                };
                let Some((quartier, _)) = quartiers.iter().find(|(_, m)| m.contains(p)) else {
                    continue;
                };
                let bassin = quartier
                    .parents
                    .iter()
                    .find(|c| c.starts_with("bassin:"))
                    .expect("a bassin");
                assert!(
                    outlines[bassin.as_str()].contains(p),
                    "{} at {p:?}",
                    quartier.code
                );
                assert!(
                    outlines[REGION_CODE].contains(p),
                    "{} at {p:?}",
                    quartier.code
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked} points");
        let population = |code: &str| {
            seeds
                .iter()
                .find(|s| s.code == code)
                .and_then(|s| s.population)
        };
        // Auderghem, Etterbeek, Woluwe-Saint-Lambert and Woluwe-Saint-Pierre (2020).
        assert_eq!(
            population("bassin:sud-est"),
            ["21002", "21005", "21018", "21019"]
                .into_iter()
                .map(|nis| population(&commune_code(nis)))
                .sum::<Option<i64>>()
        );
        assert_eq!(population("bassin:nord"), None, "shares Bruxelles-Ville");
    }

    #[test]
    fn geometries_and_extras_are_valid_json() {
        for seed in seeds() {
            // Every level but the zone, which is a network rather than a place.
            let has_geometry = seed.level != Level::Zone;
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
    fn quartier_names_are_spelled_officially_and_extra_kept() {
        let seeds = seeds();
        let quartier = |code: &str| {
            seeds
                .iter()
                .find(|s| s.code == code)
                .expect("quartier exists")
        };

        assert_eq!(quartier("quartier:1").name_fr, "Grand-Place");
        assert_eq!(quartier("quartier:12").name_fr, "Cureghem Vétérinaire");
        assert_eq!(
            quartier("quartier:100").name_fr,
            "Chaussée de Wavre - Saint-Julien"
        );
        assert_eq!(quartier("quartier:95").name_nl, "Sinte-Aleidis - Mooibos");
        // No name of several words lower case after its first letter, no word but an
        // article, a preposition or a Dutch compound's tail in lower case, no stray space.
        let small = ["de", "du", "des", "la", "le", "aux", "van", "ter", "laan"];
        for seed in seeds.iter().filter(|s| s.level == Level::Quartier) {
            for name in [&seed.name_fr, &seed.name_nl] {
                let words: Vec<&str> = name.split([' ', '-']).filter(|w| !w.is_empty()).collect();
                let rest: String = name.chars().skip(1).collect();
                let lettered = words.iter().filter(|w| w.starts_with(char::is_alphabetic));
                assert!(
                    lettered.count() == 1 || rest.chars().any(char::is_uppercase),
                    "{}: {name}",
                    seed.code
                );
                for word in words {
                    let word = word
                        .strip_prefix("d'")
                        .or_else(|| word.strip_prefix("l'"))
                        .unwrap_or(word);
                    assert!(
                        small.contains(&word) || !word.starts_with(char::is_lowercase),
                        "{}: {name}",
                        seed.code
                    );
                }
                assert_eq!(
                    name.split_whitespace().collect::<Vec<_>>().join(" "),
                    **name
                );
            }
        }
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

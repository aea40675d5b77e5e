//! GeoJSON (RFC 7946) for map libraries (Leaflet, MapLibre): services as points, one
//! feature per place a service is delivered at, with what a map shows of it; territories
//! as their boundaries. Coordinates in WGS84, longitude first, 6 decimals (about 10 cm).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::{
    coverage,
    domain::{GlobalId, Kind, Lang},
    read_model::{ServiceEntry, Snapshot},
    reference::{Reference, Territory},
    search,
};

/// `application/geo+json`, the media type of RFC 7946.
pub const MEDIA_TYPE: &str = "application/geo+json";

/// Rounds a coordinate to 6 decimals.
fn coordinate(value: f64) -> Value {
    json!((value * 1e6).round() / 1e6)
}

/// The services as a FeatureCollection of points in `lang`: for each place a service is
/// delivered at that has a point (within `near`, when given), a feature with its names,
/// categories, fee, languages, address and whether it is open at `now`.
pub fn services(
    snapshot: &Snapshot,
    reference: &Reference,
    services: impl IntoIterator<Item = std::sync::Arc<ServiceEntry>>,
    near: Option<&search::Near>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Value {
    let mut features = Vec::new();
    let holidays = search::Holidays::of(reference);
    for service in services {
        let community_days = holidays.of_service(&service);
        let m = &service.model;
        let name = lang.pick(
            m.name_fr.as_deref(),
            m.name_nl.as_deref(),
            m.name_en.as_deref(),
        );
        let categories: Vec<Value> = service
            .categories
            .iter()
            .filter_map(|id| reference.category(*id))
            .map(|c| {
                json!({
                    "code": c.code,
                    "label": lang.pick(Some(&c.label_fr), Some(&c.label_nl), Some(&c.label_en)),
                })
            })
            .collect();
        let id = GlobalId::new(Kind::Service, m.id).to_string();
        for location in &service.locations {
            let Some(site) = snapshot.site(location.site_id) else {
                continue;
            };
            let (Some(lat), Some(lon)) = (site.model.lat, site.model.lon) else {
                continue;
            };
            if let Some(near) = near
                && crate::geo::Point::new(lat, lon).is_ok_and(|point| !near.contains(point))
            {
                continue;
            }
            let (openings, closed_on_holidays) = search::schedule_of(location);
            let open_now = (!openings.is_empty()).then(|| {
                crate::domain::calendar::Week {
                    openings: &openings,
                    closed_on_holidays,
                    community_days: &community_days,
                }
                .open_at(now)
            });
            let mut properties = Map::new();
            properties.insert("service".to_owned(), json!(id));
            properties.insert(
                "site".to_owned(),
                json!(GlobalId::new(Kind::Site, site.model.id).to_string()),
            );
            properties.insert("name".to_owned(), json!(name));
            properties.insert("categories".to_owned(), Value::Array(categories.clone()));
            properties.insert("fee".to_owned(), json!(m.fee.as_str()));
            properties.insert("languages".to_owned(), json!(service.languages));
            properties.insert("referralRequired".to_owned(), json!(m.referral_required));
            properties.insert("status".to_owned(), json!(m.status.as_str()));
            properties.insert("address".to_owned(), json!(site.address_line(lang)));
            properties.insert("openNow".to_owned(), json!(open_now));
            features.push(json!({
                "type": "Feature",
                "id": format!("{id}@{}", site.model.id),
                "geometry": { "type": "Point", "coordinates": [coordinate(lon), coordinate(lat)] },
                "properties": properties,
            }));
        }
    }
    json!({ "type": "FeatureCollection", "features": features })
}

/// Territories as a FeatureCollection of their boundaries: each territory with its stored
/// GeoJSON geometry and the latest values of the indicators asked (`indicators`: their
/// key → value, year, unit, source), which a map draws as a choropleth.
pub fn territories<'a>(
    territories: impl IntoIterator<Item = (&'a Territory, Value, Map<String, Value>)>,
    with_indicators: bool,
    lang: Lang,
) -> Value {
    let features: Vec<Value> = territories
        .into_iter()
        .map(|(territory, geometry, indicators)| {
            let mut feature = json!({
                "type": "Feature",
                "id": territory.code,
                "geometry": rounded(geometry),
                "properties": {
                    "code": territory.code,
                    "level": territory.level.as_str(),
                    "name": lang.pick(Some(&territory.name_fr), Some(&territory.name_nl), None),
                    "nameFr": territory.name_fr,
                    "nameNl": territory.name_nl,
                    "population": territory.population,
                },
            });
            if with_indicators {
                feature["properties"]["indicators"] = Value::Object(indicators);
            }
            feature
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// A coverage report as a FeatureCollection of its quartiers' boundaries (`geometries`,
/// by territory id; a quartier without one is left out), each with its population, the
/// entries of the basic offer it misses or has in part (`category@scale` keys, e.g.
/// `family_planning@bassin`), and every entry's status, share and inhabitants without.
pub fn coverage(
    report: &coverage::Report,
    reference: &Reference,
    mut geometries: std::collections::HashMap<i32, Value>,
    lang: Lang,
) -> Value {
    let key = |item: &coverage::OfferItem| format!("{}@{}", item.category, item.scale.as_str());
    let features: Vec<Value> = report
        .quartiers
        .iter()
        .filter_map(|q| {
            Some((
                q,
                reference.territory(q.territory_id)?,
                geometries.remove(&q.territory_id)?,
            ))
        })
        .map(|(q, territory, geometry)| {
            let with = |status: coverage::Status| -> Vec<String> {
                report
                    .items
                    .iter()
                    .zip(&q.items)
                    .filter(|(_, reached)| reached.status() == status)
                    .map(|(item, _)| key(item))
                    .collect()
            };
            let missing = with(coverage::Status::Missing);
            let categories: Vec<Value> = report
                .items
                .iter()
                .zip(&q.items)
                .map(|(item, reached)| {
                    json!({
                        "key": key(item),
                        "category": item.category,
                        "scale": item.scale.as_str(),
                        "status": reached.status().as_str(),
                        "coveredShare": reached.share(),
                        "populationWithout": reached.without().round() as i64,
                    })
                })
                .collect();
            json!({
                "type": "Feature",
                "id": territory.code,
                "geometry": rounded(geometry),
                "properties": {
                    "code": territory.code,
                    "name": lang.pick(Some(&territory.name_fr), Some(&territory.name_nl), None),
                    "nameFr": territory.name_fr,
                    "nameNl": territory.name_nl,
                    "population": q.population.round() as i64,
                    "populationYear": match q.population_source {
                        coverage::PopulationSource::Indicator { year } => Some(year),
                        coverage::PopulationSource::Estimated => None,
                    },
                    "missingCount": missing.len(),
                    "missing": missing,
                    "partial": with(coverage::Status::Partial),
                    "categories": categories,
                },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// A demand summary as a FeatureCollection of its territories' boundaries (`geometries`
/// by territory id; one without is left out), each with its cells: category, month, the
/// count of each outcome (`null` when suppressed), total, unmet, suppressed.
pub fn demand(
    cells: &[crate::demand::Cell],
    reference: &Reference,
    mut geometries: std::collections::HashMap<i32, Value>,
    lang: Lang,
) -> Value {
    let mut by_territory: std::collections::BTreeMap<i32, Vec<&crate::demand::Cell>> =
        std::collections::BTreeMap::new();
    for cell in cells {
        by_territory
            .entry(cell.territory_id)
            .or_default()
            .push(cell);
    }
    let features: Vec<Value> = by_territory
        .into_iter()
        .filter_map(|(id, cells)| Some((reference.territory(id)?, geometries.remove(&id)?, cells)))
        .map(|(territory, geometry, cells)| {
            let cells: Vec<Value> = cells
                .iter()
                .map(|cell| {
                    let counts: Map<String, Value> = crate::demand::Outcome::ALL
                        .iter()
                        .zip(&cell.counts)
                        .map(|(outcome, count)| (outcome.as_str().to_owned(), json!(count)))
                        .collect();
                    json!({
                        "category": cell.category,
                        "month": cell.month,
                        "counts": counts,
                        "total": cell.total,
                        "unmet": cell.unmet,
                        "suppressed": cell.suppressed,
                    })
                })
                .collect();
            json!({
                "type": "Feature",
                "id": territory.code,
                "geometry": rounded(geometry),
                "properties": {
                    "code": territory.code,
                    "name": lang.pick(Some(&territory.name_fr), Some(&territory.name_nl), None),
                    "cells": cells,
                },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// A geometry with every coordinate rounded to 6 decimals.
fn rounded(value: Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().map_or(Value::Number(n), coordinate),
        Value::Array(items) => Value::Array(items.into_iter().map(rounded).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, rounded(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_keep_six_decimals() {
        assert_eq!(coordinate(4.372_912_345), json!(4.372912));
        let geometry = json!({ "type": "Point", "coordinates": [4.123_456_789, 50.987_654_321] });
        assert_eq!(
            rounded(geometry),
            json!({ "type": "Point", "coordinates": [4.123457, 50.987654] })
        );
    }
}

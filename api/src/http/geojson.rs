//! GeoJSON for map libraries, as plain GETs: `/geojson/services` (the filters of
//! `services`: `categories`, `territory`, `languages`, `text`, `openAt`, comma-separated
//! lists), `/geojson/territories?level=…` and `/geojson/coverage?territory=…` (the
//! arguments of `coverage`, `freeOnly=true`…), as `application/geo+json`. A caller sees
//! what its token sees (`hsds::Reader`); the documents are built by `crate::geojson`.

use axum::{
    Router,
    extract::Query,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use entities::territory;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Deserialize;

use super::{
    HttpState,
    hsds::{Reader, Refused, bad, refused},
};
use crate::{
    geo::Level,
    geojson,
    graphql::types::{
        CoverageFilter, Instant, ServiceFilter, coverage_report, filter_territory_id,
    },
};

pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/geojson/services", get(services))
        .route("/geojson/territories", get(territories))
        .route("/geojson/coverage", get(coverage))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ServiceParams {
    categories: Option<String>,
    territory: Option<String>,
    languages: Option<String>,
    text: Option<String>,
    open_at: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct CoverageParams {
    territory: Option<String>,
    categories: Option<String>,
    reach_metres: Option<String>,
    languages: Option<String>,
    free_only: Option<String>,
    no_referral: Option<String>,
    open_evenings: Option<String>,
    open_weekends: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TerritoryParams {
    level: Option<String>,
    /// Indicator keys whose latest values each feature carries (choropleths).
    indicators: Option<String>,
}

fn list(text: Option<String>) -> Option<Vec<String>> {
    text.map(|t| t.split(',').map(|v| v.trim().to_owned()).collect())
}

fn geo_json(body: String) -> Response {
    ([(header::CONTENT_TYPE, geojson::MEDIA_TYPE)], body).into_response()
}

async fn services(
    reader: Reader,
    params: Result<Query<ServiceParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    let Query(params) = params.map_err(|e| bad(e.body_text()))?;
    let filter = ServiceFilter {
        categories: list(params.categories),
        territory: params.territory,
        languages: list(params.languages),
        text: params.text,
        open_at: params
            .open_at
            .map(|text| Instant::read(&text).map_err(|e| bad(format!("openAt: {e}"))))
            .transpose()?,
        ..ServiceFilter::default()
    };
    let reference = &reader.state.app.reference;
    let query = filter.into_query(reference).map_err(refused)?;
    let snapshot = &reader.snapshot;
    let entries = query
        .ids(snapshot, &reader.scope)
        .into_iter()
        .filter_map(|id| snapshot.service(id).cloned());
    let document = geojson::services(
        snapshot,
        reference,
        entries,
        query.near.as_ref(),
        reader.lang,
        chrono::Utc::now(),
    );
    Ok(geo_json(document.to_string()))
}

/// The GeoJSON of `coverage(territory, filter)`: its quartiers with what they miss.
async fn coverage(
    reader: Reader,
    params: Result<Query<CoverageParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    let Query(params) = params.map_err(|e| bad(e.body_text()))?;
    let flag = |name: &str, value: Option<String>| -> Result<Option<bool>, Refused> {
        match value.as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(bad(format!("{name}: {other:?} is not true or false"))),
        }
    };
    let filter = CoverageFilter {
        categories: list(params.categories),
        reach_metres: params
            .reach_metres
            .map(|text| {
                text.trim()
                    .parse::<i32>()
                    .map_err(|_| bad(format!("reachMetres: {text:?} is not a whole number")))
            })
            .transpose()?,
        languages: list(params.languages),
        free_only: flag("freeOnly", params.free_only)?,
        no_referral: flag("noReferral", params.no_referral)?,
        open_evenings: flag("openEvenings", params.open_evenings)?,
        open_weekends: flag("openWeekends", params.open_weekends)?,
    };
    let app = &reader.state.app;
    let code = params
        .territory
        .ok_or_else(|| bad("territory: a territory code is required (region:bru, bassin:nord…)"))?;
    let territory_id = filter_territory_id(&app.reference, "territory", &code).map_err(refused)?;
    let (items, conditions) = filter.into_request(&app.basic_offer).map_err(refused)?;
    let report = coverage_report(app, &reader.snapshot, territory_id, &items, &conditions)
        .await
        .map_err(refused)?;
    let ids: Vec<i32> = report.quartiers.iter().map(|q| q.territory_id).collect();
    let geometries = geometries(&app.db.conn, ids).await?;
    Ok(geo_json(
        geojson::coverage(&report, &app.reference, geometries, reader.lang).to_string(),
    ))
}

/// The stored boundaries of `ids`, parsed: one statement.
pub(super) async fn geometries(
    db: &sea_orm::DatabaseConnection,
    ids: Vec<i32>,
) -> Result<std::collections::HashMap<i32, serde_json::Value>, Refused> {
    let rows: Vec<(i32, Option<String>)> = territory::Entity::find()
        .select_only()
        .column(territory::Column::Id)
        .column(territory::Column::Geometry)
        .filter(territory::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .map_err(|error| {
            tracing::error!(%error, "territory geometries could not be read");
            Refused::internal()
        })?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, geometry)| Some((id, serde_json::from_str(&geometry?).ok()?)))
        .collect())
}

async fn territories(
    reader: Reader,
    Query(params): Query<TerritoryParams>,
) -> Result<Response, Refused> {
    let level = params
        .level
        .as_deref()
        .and_then(Level::parse)
        .ok_or_else(|| {
            let levels: Vec<&str> = Level::ALL.iter().map(Level::as_str).collect();
            bad(format!("`level` is one of {}", levels.join(", ")))
        })?;
    let reference = &reader.state.app.reference;
    let ids: Vec<i32> = reference
        .territories
        .iter()
        .filter(|t| t.level == level)
        .map(|t| t.id)
        .collect();
    let keys = list(params.indicators).unwrap_or_default();
    if keys.len() > crate::graphql::types::MAX_LIST_ITEMS {
        return Err(bad(format!(
            "indicators: at most {} keys",
            crate::graphql::types::MAX_LIST_ITEMS
        )));
    }
    let db = &reader.state.app.db.conn;
    let values = if keys.is_empty() {
        Vec::new()
    } else {
        crate::indicators::stored(db, Some(ids.clone()), None)
            .await
            .map_err(|error| {
                tracing::error!(%error, "territory indicators could not be read");
                Refused::internal()
            })?
    };
    let mut geometries = geometries(db, ids).await?;
    // Each territory's latest value of each key asked.
    let mut latest: std::collections::HashMap<i32, serde_json::Map<String, serde_json::Value>> =
        std::collections::HashMap::new();
    for row in values
        .into_iter()
        .filter(|row| keys.contains(&row.indicator))
    {
        latest
            .entry(row.territory_id)
            .or_default()
            .entry(row.indicator.clone())
            .or_insert_with(|| {
                serde_json::json!({ "value": row.value, "year": row.year, "unit": row.unit, "source": row.source })
            });
    }
    // In the reference's order (by code), those with a boundary.
    let shapes = reference
        .territories
        .iter()
        .filter(|t| t.level == level)
        .filter_map(|t| Some((t, geometries.remove(&t.id)?)))
        .map(|(t, geometry)| (t, geometry, latest.remove(&t.id).unwrap_or_default()));
    Ok(geo_json(
        geojson::territories(shapes, !keys.is_empty(), reader.lang).to_string(),
    ))
}

//! GeoJSON for map libraries, as plain GETs: `/geojson/services` (the filters of
//! `services`: `categories`, `territory`, `languages`, `text`, `openAt`, comma-separated
//! lists) and `/geojson/territories?level=…`, as `application/geo+json`. A caller sees
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
    hsds::{Reader, Refused, bad},
};
use crate::{
    geo::Level,
    geojson,
    graphql::{
        ApiError,
        types::{Instant, ServiceFilter},
    },
};

pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/geojson/services", get(services))
        .route("/geojson/territories", get(territories))
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
#[serde(default)]
struct TerritoryParams {
    level: Option<String>,
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
    let query = filter.into_query(reference).map_err(|error| match error {
        ApiError::BadUserInput { argument, message } => bad(format!(
            "{}: {message}",
            argument.trim_start_matches("filter.")
        )),
        _ => bad("invalid filter"),
    })?;
    let snapshot = &reader.snapshot;
    let entries = query
        .ids(snapshot, &reader.scope)
        .into_iter()
        .filter_map(|id| snapshot.service(id).cloned());
    let document = geojson::services(
        snapshot,
        reference,
        entries,
        reader.lang,
        chrono::Utc::now(),
    );
    Ok(geo_json(document.to_string()))
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
    let rows: Vec<(i32, Option<String>)> = territory::Entity::find()
        .select_only()
        .column(territory::Column::Id)
        .column(territory::Column::Geometry)
        .filter(territory::Column::Id.is_in(ids))
        .into_tuple()
        .all(&reader.state.app.db.conn)
        .await
        .map_err(|error| {
            tracing::error!(%error, "territory geometries could not be read");
            Refused::internal()
        })?;
    let mut geometries: std::collections::HashMap<i32, String> = rows
        .into_iter()
        .filter_map(|(id, geometry)| Some((id, geometry?)))
        .collect();
    // In the reference's order (by code), those with a boundary.
    let shapes = reference
        .territories
        .iter()
        .filter(|t| t.level == level)
        .filter_map(|t| Some((t, serde_json::from_str(&geometries.remove(&t.id)?).ok()?)));
    Ok(geo_json(
        geojson::territories(shapes, reader.lang).to_string(),
    ))
}

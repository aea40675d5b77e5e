//! Exports for councils, as plain GETs with the caller's token: `/exports/demand.csv`, the
//! demand summary of `demandSummary` (same arguments, same suppression of small counts)
//! as CSV, one row per territory, category and month.

use axum::{
    Router,
    extract::Query,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use super::{
    HttpState,
    hsds::{Reader, Refused, bad, refused},
};
use crate::{
    demand::{Cell, Outcome},
    geo::Level,
    graphql::{DemandScope, demand_period, demand_summary},
};

pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/exports/demand.csv", get(demand))
        .route("/exports/demand.geojson", get(demand_geojson))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DemandParams {
    territory: Option<String>,
    level: Option<String>,
    from: Option<String>,
    to: Option<String>,
    scope: Option<String>,
}

/// The summary the parameters ask, as `demandSummary` computes it.
async fn cells(
    reader: &Reader,
    params: Result<Query<DemandParams>, axum::extract::rejection::QueryRejection>,
) -> Result<(Vec<Cell>, Level), Refused> {
    let Query(params) = params.map_err(|e| bad(e.body_text()))?;
    let required =
        |name: &str, value: Option<String>| value.ok_or_else(|| bad(format!("{name}: required")));
    let territory = required("territory", params.territory)?;
    let level = match params.level.as_deref() {
        None => Level::Quartier,
        Some(text) => {
            Level::parse(text).ok_or_else(|| bad(format!("level: {text:?} is not a level")))?
        }
    };
    let scope = match params.scope.as_deref() {
        None | Some("all") => DemandScope::All,
        Some("own") => DemandScope::Own,
        Some(other) => return Err(bad(format!("scope: {other:?} is own or all"))),
    };
    let period = demand_period(&required("from", params.from)?, &required("to", params.to)?)
        .map_err(refused)?;
    let app = &reader.state.app;
    let cells = demand_summary(app, &reader.principal, &territory, level, period, scope)
        .await
        .map_err(refused)?;
    Ok((cells, level))
}

/// `/exports/demand.csv`: one row per cell, an empty field for a suppressed count.
async fn demand(
    reader: Reader,
    params: Result<Query<DemandParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    let (cells, _) = cells(&reader, params).await?;
    let app = &reader.state.app;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "territory",
        "territory_name_fr",
        "territory_name_nl",
        "category",
        "month",
    ];
    header.extend(Outcome::ALL.iter().map(|o| o.as_str()));
    header.extend(["total", "unmet", "suppressed"]);
    let write = |out: &mut csv::Writer<Vec<u8>>, row: Vec<String>| {
        out.write_record(row).map_err(|error| {
            tracing::error!(%error, "the demand export could not be written");
            Refused::internal()
        })
    };
    write(&mut out, header.into_iter().map(str::to_owned).collect())?;
    let count = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for cell in cells {
        let territory = app.reference.territory(cell.territory_id);
        let mut row = vec![
            territory.map(|t| t.code.clone()).unwrap_or_default(),
            territory.map(|t| t.name_fr.clone()).unwrap_or_default(),
            territory.map(|t| t.name_nl.clone()).unwrap_or_default(),
            cell.category.clone(),
            cell.month.clone(),
        ];
        row.extend(cell.counts.iter().map(|n| count(*n)));
        row.extend([
            count(cell.total),
            count(cell.unmet),
            cell.suppressed.to_string(),
        ]);
        write(&mut out, row)?;
    }
    let body = out.into_inner().map_err(|error| {
        tracing::error!(%error, "the demand export could not be written");
        Refused::internal()
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"demand.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response())
}

/// `/exports/demand.geojson`: each territory of the summary with its boundary and its
/// cells (suppressed counts `null`), for a map; `application/geo+json`.
async fn demand_geojson(
    reader: Reader,
    params: Result<Query<DemandParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    let (cells, _) = cells(&reader, params).await?;
    let app = &reader.state.app;
    let mut ids: Vec<i32> = cells.iter().map(|c| c.territory_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let geometries = super::geojson::geometries(&app.db.conn, ids).await?;
    let document = crate::geojson::demand(&cells, &app.reference, geometries, reader.lang);
    Ok((
        [
            (header::CONTENT_TYPE, crate::geojson::MEDIA_TYPE),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        document.to_string(),
    )
        .into_response())
}

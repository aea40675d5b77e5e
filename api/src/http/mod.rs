//! The axum router: `/graphql` (POST, and GET for queries; GraphiQL where configured,
//! with its assets under `/graphiql/`), `/healthz`, `/readyz` and `/metrics`. Every
//! response carries an `x-request-id`, and bearer tokens are verified before any
//! resolver runs.

mod cache;
mod exports;
mod geojson;
mod graphiql;
mod graphql;
mod hsds;
mod idempotency;
mod limits;
mod negotiate;
mod persisted;
mod problem;
mod serve;
mod subscriptions;
mod web;

use std::{
    hash::{BuildHasher, Hasher},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use axum::{
    Json, Router,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use tracing::Instrument;

pub use persisted::{ManifestError, sha256_hex};
pub use serve::{ConnectionLimits, serve};

use crate::{
    auth::{AuthError, Principal},
    domain::Lang,
    error_code::ErrorCode,
    graphql::{PasserelleSchema, cost::CostModel, schema_document, variables::InputTypes},
    state::AppState,
};

#[derive(Clone)]
pub(crate) struct HttpState {
    app: AppState,
    schema: PasserelleSchema,
    /// The same schema without async-graphql's static rules (`ValidationMode::Fast`),
    /// for documents that passed them once (`ParsedDocuments`): those rules read the
    /// document alone. What depends on the request is still checked on each: the
    /// variables by `inputs`, complexity and depth by `cost` (decision 0012).
    validated_schema: PasserelleSchema,
    /// Open subscription connections per client address.
    subscribers: Arc<serve::Counts>,
    persisted: Arc<persisted::Persisted>,
    parsed: Arc<persisted::ParsedDocuments>,
    limiter: Option<Arc<limits::RateLimiter>>,
    cost: Arc<CostModel>,
    inputs: Arc<InputTypes>,
    /// Whole answers to queries (`api.response_cache_mb`); `None` when off.
    cache: Option<Arc<cache::ResponseCache>>,
}

pub fn router(
    app: AppState,
    schema: PasserelleSchema,
    validated_schema: PasserelleSchema,
) -> Result<Router, ManifestError> {
    let limits = &app.config.limits;
    // The web map's documents are trusted where it is served.
    let persisted = persisted::Persisted::new(
        limits.apq_cache_entries,
        limits.trusted_documents.as_deref(),
        app.config.http.web.then_some(web::DOCUMENTS),
        limits.trusted_documents_only,
    )?;
    let limiter = limits::RateLimiter::new(limits.rate_per_second, limits.rate_burst);
    let schema_types = schema_document();
    let cache =
        cache::ResponseCache::new(u64::from(app.config.api.response_cache_mb) << 20).map(Arc::new);
    let state = HttpState {
        app,
        schema,
        validated_schema,
        subscribers: Arc::default(),
        persisted: Arc::new(persisted),
        parsed: Arc::new(persisted::ParsedDocuments::new()),
        limiter: limiter.map(Arc::new),
        cost: Arc::new(CostModel::of_schema(&schema_types)),
        inputs: Arc::new(InputTypes::of_schema(&schema_types)),
        cache,
    };
    let graphiql = state.app.config.graphiql();
    let mut router = Router::new().route("/graphql", get(graphql_get).post(graphql_post));
    if graphiql {
        router = router.route(graphiql::ROUTE, get(graphiql::asset));
    }
    if state.app.config.http.web {
        router = router.merge(web::routes());
    }
    Ok(router
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(hsds::routes())
        .merge(geojson::routes())
        .merge(exports::routes())
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state))
}

/// A request id (the client's `x-request-id` when it is sensible, else a new one), a
/// span carrying it, one log line per response, and the response counted by status.
async fn observe(State(state): State<HttpState>, mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(new_request_id, str::to_owned);
    let header_value = HeaderValue::from_str(&id).ok();
    if let Some(value) = &header_value {
        request.headers_mut().insert("x-request-id", value.clone());
    }
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    state.app.metrics.response(status.as_u16());
    span.in_scope(|| {
        tracing::info!(
            status = status.as_u16(),
            latency_ms = started.elapsed().as_secs_f64() * 1000.0,
            "answered"
        );
    });
    if let Some(value) = header_value {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// 16 hex digits: a per-process random key hashed with a counter.
fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    let mut hasher = KEY
        .get_or_init(std::collections::hash_map::RandomState::new)
        .build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{:016x}", hasher.finish())
}

async fn readyz(State(state): State<HttpState>) -> Response {
    match state.app.db.readiness().await {
        Ok(()) => Json(json!({ "status": "ready" })).into_response(),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "not ready", "reason": reason })),
        )
            .into_response(),
    }
}

async fn metrics(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.app.config.http.metrics_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.expose().as_bytes())) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "/metrics needs the configured bearer token\n",
            )
                .into_response();
        }
    }
    let db = &state.app.db;
    let snapshot = state.app.read_model.snapshot();
    let mut text = state.app.metrics.render(
        db.pool_stats(),
        db.statement_count(),
        crate::metrics::ReadModelStats {
            sequence: snapshot.sequence,
            services: snapshot.service_count(),
        },
    );
    if let Some(cache) = &state.cache {
        cache.render(&mut text);
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// Compares without an early exit, so the time taken says nothing of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
}

/// The principal of a request, or the 401 response that refuses it.
async fn authenticate(state: &HttpState, headers: &HeaderMap) -> Result<Principal, Response> {
    let bearer = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(value) => {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(str::trim)
                .filter(|t| !t.is_empty());
            match token {
                Some(token) => Some(token),
                None => {
                    return Err(unauthenticated(&AuthError::Invalid(
                        "not a bearer token".into(),
                    )));
                }
            }
        }
    };
    state
        .app
        .auth
        .authenticate(bearer)
        .await
        .map_err(|error| unauthenticated(&error))
}

fn unauthenticated(error: &AuthError) -> Response {
    if let AuthError::Invalid(reason) = error {
        tracing::info!(%reason, "refused a bearer token");
    }
    let body = json!({
        "errors": [{ "message": error.to_string(), "extensions": { "code": ErrorCode::Unauthenticated.as_str() } }]
    });
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(body),
    )
        .into_response()
}

async fn graphql_post(State(state): State<HttpState>, request: Request) -> Response {
    graphql::handle(state, request).await
}

async fn graphql_get(State(state): State<HttpState>, request: Request) -> Response {
    if subscriptions::is_upgrade(request.headers()) {
        return subscriptions::upgrade(state, request).await;
    }
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if request.uri().query().is_none() && wants_html && state.app.config.graphiql() {
        return graphiql::page();
    }
    graphql::handle(state, request).await
}

//! The axum router: `/graphql` (POST, and GET with GraphiQL in development) and
//! `/healthz`. Bearer tokens are verified here, before any resolver runs.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    Json, Router,
    extract::{FromRequest, Request, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use tower_http::trace::TraceLayer;

use crate::{
    app::AppState,
    auth::{AuthError, Principal},
    domain::Lang,
    graphql::{self, PasserelleSchema},
};

#[derive(Clone)]
struct HttpState {
    app: AppState,
    schema: PasserelleSchema,
}

pub fn router(app: AppState, schema: PasserelleSchema) -> Router {
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(|| async { "ok" }))
        .layer(TraceLayer::new_for_http())
        .with_state(HttpState { app, schema })
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
        "errors": [{ "message": error.to_string(), "extensions": { "code": "UNAUTHENTICATED" } }]
    });
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(body),
    )
        .into_response()
}

async fn execute(state: &HttpState, headers: &HeaderMap, request: GraphQLRequest) -> Response {
    let principal = match authenticate(state, headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let request = graphql::request_data(
        request.into_inner(),
        &state.app,
        principal,
        accept_language(headers),
    );
    let response = state.schema.execute(request).await;
    // A field that needs a token, asked without one, makes the whole answer a 401.
    let needs_token = response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|code| *code == async_graphql::Value::from("UNAUTHENTICATED"))
    });
    let mut http = GraphQLResponse::from(response).into_response();
    if needs_token {
        *http.status_mut() = StatusCode::UNAUTHORIZED;
        http.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    http
}

async fn graphql_post(
    State(state): State<HttpState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> Response {
    execute(&state, &headers, request).await
}

async fn graphql_get(State(state): State<HttpState>, request: Request) -> Response {
    if request.uri().query().is_none() {
        if state.app.development() {
            return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
        }
        return (StatusCode::BAD_REQUEST, "missing GraphQL query parameters").into_response();
    }
    let headers = request.headers().clone();
    match GraphQLRequest::from_request(request, &()).await {
        Ok(parsed) => execute(&state, &headers, parsed).await,
        Err(rejection) => rejection.into_response(),
    }
}

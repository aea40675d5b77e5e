//! The axum router: `/graphql` (POST, and GET with GraphiQL in development) and
//! `/healthz`.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    Router,
    extract::{FromRequest, Request, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tower_http::trace::TraceLayer;

use crate::{
    app::AppState,
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

async fn execute(
    state: &HttpState,
    headers: &HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let request = graphql::request_data(request.into_inner(), &state.app, accept_language(headers));
    state.schema.execute(request).await.into()
}

async fn graphql_post(
    State(state): State<HttpState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
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
        Ok(parsed) => execute(&state, &headers, parsed).await.into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

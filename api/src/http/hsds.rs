//! Open Referral HSDS 3.0, read-only, under `/hsds`: the routes of the HSDS OpenAPI
//! (`/`, `/services`, `/organizations`, `/service_at_locations`, `/taxonomies`,
//! `/taxonomy_terms` and each `{id}`), with `page`, `per_page`, `modified_after`,
//! `taxonomy_term_id`, `organization_id`, `search`, `lang` and `format=ndjson`. What a
//! caller sees is what its token sees through GraphQL (the public without one); the
//! documents are built by `crate::hsds`.

use std::net::SocketAddr;

use axum::{
    Router,
    extract::{ConnectInfo, FromRequestParts, Path, Query},
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    HttpState,
    graphql::{client_key, rate_limited},
    problem::Problem,
};
use crate::{
    auth::{Principal, ServiceScope},
    domain::{Lang, SearchText},
    error_code::ErrorCode,
    hsds::{self, Hsds, Kind},
    read_model::Snapshot,
    search::{self, ServiceQuery},
};

/// Items per page when `per_page` is not given, and at most.
const DEFAULT_PER_PAGE: usize = 50;
const MAX_PER_PAGE: usize = 1000;

pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/hsds", get(root))
        .route("/hsds/", get(root))
        .route("/hsds/services", get(services))
        .route("/hsds/services/{id}", get(service))
        .route("/hsds/organizations", get(organizations))
        .route("/hsds/organizations/{id}", get(organization))
        .route("/hsds/service_at_locations", get(services_at_locations))
        .route("/hsds/service_at_locations/{id}", get(service_at_location))
        .route("/hsds/taxonomies", get(taxonomies))
        .route("/hsds/taxonomies/{id}", get(taxonomy))
        .route("/hsds/taxonomy_terms", get(taxonomy_terms))
        .route("/hsds/taxonomy_terms/{id}", get(taxonomy_term))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Params {
    page: Option<String>,
    per_page: Option<String>,
    modified_after: Option<String>,
    taxonomy_term_id: Option<String>,
    taxonomy_id: Option<String>,
    organization_id: Option<String>,
    search: Option<String>,
    format: Option<String>,
    lang: Option<String>,
    full: Option<String>,
}

/// A request's caller, language and reading snapshot.
pub(super) struct Reader {
    pub(super) state: HttpState,
    pub(super) principal: Principal,
    pub(super) scope: ServiceScope,
    pub(super) lang: Lang,
    pub(super) snapshot: std::sync::Arc<Snapshot>,
}

impl Reader {
    fn hsds(&self) -> Hsds<'_> {
        Hsds {
            snapshot: &self.snapshot,
            reference: &self.state.app.reference,
            lang: self.lang,
        }
    }
}

/// A refused request: its status and an `errors` body with a stable code.
pub struct Refused(Problem);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status = self.0.status;
        let body = json!({ "errors": [self.0.error_json()] });
        (status, axum::Json(body)).into_response()
    }
}

impl Refused {
    /// A failure on our side; the cause is logged by the caller.
    pub(super) fn internal() -> Refused {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal error",
        )
    }
}

type Answer = Result<Response, Refused>;

fn error(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Refused {
    Refused(Problem::new(status, code, message))
}

/// A GraphQL refusal as an HTTP one: the argument named, the status its code has.
pub(super) fn refused(failure: crate::graphql::ApiError) -> Refused {
    use crate::graphql::ApiError;
    match failure {
        ApiError::BadUserInput { argument, message } => bad(format!(
            "{}: {message}",
            argument.trim_start_matches("filter.")
        )),
        ApiError::Unauthenticated => error(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "authentication required",
        ),
        ApiError::Forbidden => error(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "forbidden for this role",
        ),
        _ => Refused::internal(),
    }
}

pub(super) fn bad(message: impl Into<String>) -> Refused {
    error(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message)
}

fn not_found(what: &str) -> Refused {
    error(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        format!("no {what} with this id"),
    )
}

/// The caller of an `/hsds` (or `/geojson`) request, authenticated and rate-limited like
/// `/graphql`; the language from `lang`, else `Accept-Language`, else French.
impl FromRequestParts<HttpState> for Reader {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Reader, Response> {
        let state = state.clone();
        let principal = super::authenticate(&state, &parts.headers).await?;
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        let trust = state.app.config.limits.trust_forwarded_for;
        let client = client_key(&principal, &parts.headers, peer, trust);
        if let Some(problem) = rate_limited(&state, &client) {
            return Err(Refused(problem).into_response());
        }
        let params = Query::<Params>::try_from_uri(&parts.uri)
            .map(|Query(p)| p)
            .unwrap_or_default();
        let lang = match params.lang.as_deref() {
            Some(text) => {
                Lang::parse(text).map_err(|_| bad("`lang` is fr, nl or en").into_response())?
            }
            None => super::accept_language(&parts.headers).unwrap_or(Lang::Fr),
        };
        let snapshot = state.app.read_model.snapshot();
        Ok(Reader {
            scope: Principal::service_scope(&principal),
            principal,
            state,
            lang,
            snapshot,
        })
    }
}

/// `page` (from 1) and `per_page`, checked.
fn paging(params: &Params) -> Result<(usize, usize), Refused> {
    let number = |text: &Option<String>, name: &str, default: usize| match text {
        None => Ok(default),
        Some(t) => t
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| bad(format!("`{name}` is a whole number from 1"))),
    };
    let page = number(&params.page, "page", 1)?;
    let per_page = number(&params.per_page, "per_page", DEFAULT_PER_PAGE)?;
    if per_page > MAX_PER_PAGE {
        return Err(bad(format!("`per_page` is at most {MAX_PER_PAGE}")));
    }
    Ok((page, per_page))
}

fn modified_after(params: &Params) -> Result<Option<DateTime<Utc>>, Refused> {
    params
        .modified_after
        .as_deref()
        .map(|text| {
            DateTime::parse_from_rfc3339(text.trim())
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| bad("`modified_after` is an RFC 3339 date-time"))
        })
        .transpose()
}

/// One page of `items` as an HSDS `Page`, or each item of the page on its own line
/// with `format=ndjson`; `build` makes the documents of that page only.
fn page<T>(params: &Params, items: &[T], build: impl Fn(&T) -> Value) -> Answer {
    let (number, per_page) = paging(params)?;
    let total = items.len();
    let total_pages = total.div_ceil(per_page).max(1);
    let contents: Vec<Value> = items
        .iter()
        .skip((number - 1).saturating_mul(per_page))
        .take(per_page)
        .map(build)
        .collect();
    if params.format.as_deref() == Some("ndjson") {
        let mut body = String::new();
        for item in &contents {
            body.push_str(&item.to_string());
            body.push('\n');
        }
        return Ok((
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-ndjson"),
            )],
            body,
        )
            .into_response());
    }
    Ok(axum::Json(json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": contents.len(),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    }))
    .into_response())
}

async fn root() -> Response {
    axum::Json(json!({
        "version": hsds::VERSION,
        "profile": "https://github.com/openreferral/specification",
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
    }))
    .into_response()
}

/// The services a request's filters select, visible to its caller.
fn selected_services(reader: &Reader, params: &Params) -> Result<Vec<i32>, Refused> {
    let mut query = ServiceQuery::default();
    if let Some(term) = &params.taxonomy_term_id {
        let id = hsds::parse_uuid(term, Kind::TaxonomyTerm)
            .filter(|id| reader.state.app.reference.category(*id).is_some())
            .ok_or_else(|| bad("`taxonomy_term_id` is not one of /taxonomy_terms"))?;
        query.categories = Some(reader.state.app.reference.category_with_descendants(id));
    }
    if let Some(organisation) = &params.organization_id {
        query.organisation = Some(
            hsds::parse_uuid(organisation, Kind::Organization)
                .ok_or_else(|| bad("`organization_id` is not one of /organizations"))?,
        );
    }
    if let Some(text) = &params.search {
        query.text = SearchText::parse(text)
            .map_err(|e| bad(format!("`search`: {e}")))?
            .map(|t| t.as_str().to_owned());
    }
    let after = modified_after(params)?;
    Ok(query
        .ids(&reader.snapshot, &reader.scope)
        .into_iter()
        .filter(|id| {
            after.is_none_or(|after| {
                reader
                    .snapshot
                    .service(*id)
                    .is_some_and(|s| s.model.updated_at > after)
            })
        })
        .collect())
}

async fn services(reader: Reader, Query(params): Query<Params>) -> Answer {
    let ids = selected_services(&reader, &params)?;
    let full = params.full.as_deref() == Some("true");
    let hsds = reader.hsds();
    let services: Vec<_> = ids
        .iter()
        .filter_map(|id| reader.snapshot.service(*id))
        .collect();
    page(&params, &services, |s| hsds.service(s, full))
}

async fn service(reader: Reader, Path(id): Path<String>) -> Answer {
    let found = hsds::parse_uuid(&id, Kind::Service)
        .and_then(|id| reader.snapshot.service(id))
        .filter(|s| reader.scope.admits(&s.model));
    match found {
        Some(entry) => Ok(axum::Json(reader.hsds().service(entry, true)).into_response()),
        None => Err(not_found("service")),
    }
}

async fn organizations(reader: Reader, Query(params): Query<Params>) -> Answer {
    let text = params
        .search
        .as_deref()
        .map(SearchText::parse)
        .transpose()
        .map_err(|e| bad(format!("`search`: {e}")))?
        .flatten();
    let hsds = reader.hsds();
    let organisations: Vec<_> = search::visible_organisation_ids(&reader.snapshot, &reader.scope)
        .iter()
        .filter_map(|id| reader.snapshot.organisation(*id))
        .filter(|o| {
            text.as_ref()
                .is_none_or(|t| o.model.search_text.contains(t.as_str()))
        })
        .collect();
    page(&params, &organisations, |o| {
        hsds.organization(o, false, &[])
    })
}

async fn organization(reader: Reader, Path(id): Path<String>) -> Answer {
    let found = hsds::parse_uuid(&id, Kind::Organization)
        .and_then(|id| reader.snapshot.organisation(id))
        .filter(|o| search::organisation_visible(&reader.snapshot, &reader.scope, o));
    let Some(entry) = found else {
        return Err(not_found("organization"));
    };
    let services: Vec<i32> = entry
        .services
        .iter()
        .copied()
        .filter(|id| {
            reader
                .snapshot
                .service(*id)
                .is_some_and(|s| reader.scope.admits(&s.model))
        })
        .collect();
    Ok(axum::Json(reader.hsds().organization(entry, true, &services)).into_response())
}

async fn services_at_locations(reader: Reader, Query(params): Query<Params>) -> Answer {
    let ids = selected_services(&reader, &params)?;
    let located: Vec<(i32, i32, i32)> = ids
        .iter()
        .filter_map(|id| reader.snapshot.service(*id))
        .flat_map(|s| s.locations.iter().map(|l| (l.id, s.model.id, l.site_id)))
        .collect();
    page(&params, &located, |&(row, service, site)| {
        json!({
            "id": hsds::uuid(Kind::ServiceAtLocation, 0, row),
            "service_id": hsds::uuid(Kind::Service, 0, service),
            "location_id": hsds::uuid(Kind::Location, 0, site),
        })
    })
}

async fn service_at_location(reader: Reader, Path(id): Path<String>) -> Answer {
    let Some(row) = hsds::parse_uuid(&id, Kind::ServiceAtLocation) else {
        return Err(not_found("service_at_location"));
    };
    // The services visible to the caller, searched for the location row.
    let found = ServiceQuery::default()
        .ids(&reader.snapshot, &reader.scope)
        .into_iter()
        .filter_map(|id| reader.snapshot.service(id))
        .find_map(|s| s.locations.iter().find(|l| l.id == row).map(|l| (s, l)));
    match found {
        Some((service, location)) => {
            Ok(axum::Json(reader.hsds().service_at_location(service, location)).into_response())
        }
        None => Err(not_found("service_at_location")),
    }
}

async fn taxonomies(reader: Reader, Query(params): Query<Params>) -> Answer {
    page(&params, &[reader.hsds().taxonomy()], Value::clone)
}

async fn taxonomy(reader: Reader, Path(id): Path<String>) -> Answer {
    let taxonomy = reader.hsds().taxonomy();
    if taxonomy["id"] == id.trim() {
        Ok(axum::Json(taxonomy).into_response())
    } else {
        Err(not_found("taxonomy"))
    }
}

async fn taxonomy_terms(reader: Reader, Query(params): Query<Params>) -> Answer {
    let hsds = reader.hsds();
    if let Some(taxonomy) = &params.taxonomy_id
        && hsds.taxonomy()["id"] != taxonomy.trim()
    {
        return page(&params, &[] as &[Value], Value::clone);
    }
    let mut categories: Vec<&entities::category::Model> =
        reader.state.app.reference.categories.iter().collect();
    categories.sort_by_key(|c| (c.position, c.id));
    page(&params, &categories, |c| {
        hsds.taxonomy_term(c.id).unwrap_or(Value::Null)
    })
}

async fn taxonomy_term(reader: Reader, Path(id): Path<String>) -> Answer {
    match hsds::parse_uuid(&id, Kind::TaxonomyTerm).and_then(|id| reader.hsds().taxonomy_term(id)) {
        Some(term) => Ok(axum::Json(term).into_response()),
        None => Err(not_found("taxonomy_term")),
    }
}

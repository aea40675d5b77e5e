//! A local upstream directory over loopback HTTP, whose content and failures tests set.

#![expect(clippy::unwrap_used, reason = "test harness")]

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    extract::{Query, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use passerelle_fixtures::pages;
use serde_json::{Value, json};

/// How the upstream misbehaves.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Failure {
    #[default]
    None,
    /// Every request answers this status.
    Status(u16),
    /// Requests for this page answer this status.
    StatusOnPage(u64, u16),
    /// The body is not JSON.
    Malformed,
    /// The JSON document is cut in the middle.
    Truncated,
    /// Answers after this long.
    Delay(Duration),
    /// The detail of this social.brussels record answers 404 (the listing still names it).
    MissingRecord(String),
}

#[derive(Default)]
pub struct UpstreamState {
    /// HSDS service objects served by `/services`.
    pub hsds: Mutex<Vec<Value>>,
    /// social.brussels organisation records served by `/rest/…`.
    pub social_brussels: Mutex<Vec<Value>>,
    /// Positions in `social_brussels` by record id, as a real directory answers a
    /// detail request from an index (the benchmark asks for thousands).
    social_brussels_index: Mutex<HashMap<i64, usize>>,
    /// social.brussels look-up lists served by `/rest/{list}` (`agreements`,
    /// `agreementpowers`, `sectors`); a list not set answers 404.
    pub lookups: Mutex<HashMap<String, Value>>,
    /// Fields of each record that search hits carry beside `id` and `lastUpdate`.
    pub summary_fields: Mutex<Vec<String>>,
    /// Sociale Kaart items served by `/api/health-offers`.
    pub sociale_kaart: Mutex<Vec<Value>>,
    /// A CSV document served by `/snapshot.csv`.
    pub csv: Mutex<String>,
    pub failure: Mutex<Failure>,
    pub requests: AtomicUsize,
    /// Query strings received, in order.
    pub queries: Mutex<Vec<HashMap<String, String>>>,
    /// Sociale Kaart query strings received, as sent (parameters repeat).
    pub sociale_kaart_queries: Mutex<Vec<String>>,
    /// The Sociale Kaart server ignores `rubrics` and `postalCodes`, as a version
    /// without those filters would.
    pub ignores_filters: std::sync::atomic::AtomicBool,
}

pub struct Upstream {
    pub url: String,
    pub state: Arc<UpstreamState>,
}

impl Upstream {
    pub async fn start() -> Upstream {
        let state = Arc::new(UpstreamState::default());
        let router = Router::new()
            .route("/services", get(hsds_services))
            .route("/rest/search/organisation", get(social_brussels_search))
            .route("/rest/organisation/{id}", get(social_brussels_organisation))
            .route("/rest/{list}", get(social_brussels_lookup))
            .route("/api/health-offers", get(sociale_kaart_page))
            .route("/snapshot.csv", get(csv_snapshot))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Upstream { url, state }
    }

    pub fn set_hsds(&self, services: Vec<Value>) {
        *self.state.hsds.lock().unwrap() = services;
    }

    pub fn set_social_brussels(&self, records: Vec<Value>) {
        *self.state.social_brussels_index.lock().unwrap() = records
            .iter()
            .enumerate()
            .filter_map(|(position, r)| r["id"].as_i64().map(|id| (id, position)))
            .collect();
        *self.state.social_brussels.lock().unwrap() = records;
    }

    pub fn set_sociale_kaart(&self, items: Vec<Value>) {
        *self.state.sociale_kaart.lock().unwrap() = items;
    }

    pub fn set_csv(&self, text: &str) {
        *self.state.csv.lock().unwrap() = text.to_owned();
    }

    pub fn fail(&self, failure: Failure) {
        *self.state.failure.lock().unwrap() = failure;
    }

    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }
}

/// Applies the configured failure; `None` means answer normally.
async fn failing(state: &UpstreamState, page: u64) -> Option<Response> {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let failure = state.failure.lock().unwrap().clone();
    match failure {
        Failure::Status(code) => Some(StatusCode::from_u16(code).unwrap().into_response()),
        Failure::StatusOnPage(p, code) if p == page => {
            Some(StatusCode::from_u16(code).unwrap().into_response())
        }
        Failure::Delay(delay) => {
            tokio::time::sleep(delay).await;
            None
        }
        Failure::Malformed => Some("<html>502 Bad Gateway</html>".into_response()),
        _ => None,
    }
}

fn truncated_or_json(state: &UpstreamState, body: Value) -> Response {
    if *state.failure.lock().unwrap() == Failure::Truncated {
        let text = body.to_string();
        return text[..text.len() / 2].to_owned().into_response();
    }
    Json(body).into_response()
}

/// `page` (from 0) and `size` (50 when absent) as Spring-style APIs take them.
fn spring_page(query: &HashMap<String, String>) -> (u64, usize) {
    let page = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let size = query
        .get("size")
        .and_then(|p| p.parse().ok())
        .unwrap_or(50)
        .max(1);
    (page, size)
}

/// Summaries (`id`, `lastUpdate`), pages from 0: clients fetch each record by id.
async fn social_brussels_search(
    State(state): State<Arc<UpstreamState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (page, size) = spring_page(&query);
    if let Some(response) = failing(&state, page + 1).await {
        return response;
    }
    let fields = state.summary_fields.lock().unwrap().clone();
    let (items, total): (Vec<Value>, usize) = {
        let records = state.social_brussels.lock().unwrap();
        let items = records
            .iter()
            .skip(page as usize * size)
            .take(size)
            .map(|r| {
                let mut hit = json!({ "id": r["id"], "lastUpdate": r["lastUpdate"] });
                for field in &fields {
                    hit[field] = r[field].clone();
                }
                hit
            })
            .collect();
        (items, records.len())
    };
    truncated_or_json(
        &state,
        pages::social_brussels_search_page(items, total, page as usize, size),
    )
}

async fn social_brussels_organisation(
    State(state): State<Arc<UpstreamState>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    if *state.failure.lock().unwrap() == Failure::MissingRecord(id.clone()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    // The index may be stale when a test edits the records in place: check the id.
    let wanted = id.parse::<i64>().ok();
    let position = wanted.and_then(|id| {
        state
            .social_brussels_index
            .lock()
            .unwrap()
            .get(&id)
            .copied()
    });
    let record = position.and_then(|p| {
        state
            .social_brussels
            .lock()
            .unwrap()
            .get(p)
            .filter(|r| r["id"].as_i64() == wanted)
            .cloned()
    });
    match record {
        Some(record) => Json(record).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn social_brussels_lookup(
    State(state): State<Arc<UpstreamState>>,
    axum::extract::Path(list): axum::extract::Path<String>,
) -> Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    match state.lookups.lock().unwrap().get(&list) {
        Some(items) => Json(items.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Decodes `application/x-www-form-urlencoded` pairs; names repeat.
fn form_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let bytes = text.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Spring HAL pages from 0; an empty page has no `_embedded`. `rubrics` (rubric labels,
/// matched against the activities and rubrics of an item) and `postalCodes` filter the
/// items as the real API's filters would.
async fn sociale_kaart_page(
    State(state): State<Arc<UpstreamState>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    state
        .sociale_kaart_queries
        .lock()
        .unwrap()
        .push(raw.clone());
    let pairs = form_pairs(&raw);
    let query: HashMap<String, String> = pairs.iter().cloned().collect();
    let wanted = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| v.split(',').map(str::to_owned).collect::<Vec<_>>())
            .collect()
    };
    let (rubrics, postcodes) = if state.ignores_filters.load(Ordering::SeqCst) {
        (Vec::new(), Vec::new())
    } else {
        (wanted("rubrics"), wanted("postalCodes"))
    };
    let (page, size) = spring_page(&query);
    if let Some(response) = failing(&state, page + 1).await {
        return response;
    }
    let mut items = state.sociale_kaart.lock().unwrap().clone();
    items.retain(|item| {
        let labels: Vec<&str> = ["activities", "rubrics"]
            .iter()
            .flat_map(|key| item[*key].as_array().into_iter().flatten())
            .filter_map(|a| a["name"]["description"].as_str())
            .collect();
        let codes: Vec<&str> = item["addresses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["municipality"]["postalCode"].as_str())
            .collect();
        (rubrics.is_empty() || labels.iter().any(|l| rubrics.iter().any(|r| r == l)))
            && (postcodes.is_empty() || codes.iter().any(|c| postcodes.iter().any(|p| p == c)))
    });
    items.sort_by(|a, b| b["lastUpdated"].as_str().cmp(&a["lastUpdated"].as_str()));
    let contents: Vec<Value> = items
        .iter()
        .skip(page as usize * size)
        .take(size)
        .cloned()
        .collect();
    truncated_or_json(
        &state,
        pages::sociale_kaart_page(contents, items.len(), page as usize, size),
    )
}

async fn csv_snapshot(State(state): State<Arc<UpstreamState>>) -> Response {
    if let Some(response) = failing(&state, 1).await {
        return response;
    }
    state.csv.lock().unwrap().clone().into_response()
}

async fn hsds_services(
    State(state): State<Arc<UpstreamState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    state.queries.lock().unwrap().push(query.clone());
    let page: u64 = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let per_page: usize = query
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(50);
    let failure = state.failure.lock().unwrap().clone();
    match failure {
        Failure::Status(code) => return StatusCode::from_u16(code).unwrap().into_response(),
        Failure::StatusOnPage(p, code) if p == page => {
            return StatusCode::from_u16(code).unwrap().into_response();
        }
        Failure::Delay(delay) => tokio::time::sleep(delay).await,
        _ => {}
    }
    // Only the requested page is copied: the benchmark pages through thousands.
    let (total, contents): (usize, Vec<Value>) = {
        let services = state.hsds.lock().unwrap();
        let matching = || {
            services
                .iter()
                .filter(|s| match query.get("modified_after") {
                    Some(after) => s["last_modified"]
                        .as_str()
                        .is_some_and(|m| m > after.as_str()),
                    None => true,
                })
        };
        let start = (page as usize).saturating_sub(1) * per_page;
        (
            matching().count(),
            matching().skip(start).take(per_page).cloned().collect(),
        )
    };
    let body = pages::hsds_page(contents, total, page as usize, per_page);
    match failure {
        Failure::Malformed => "<html>502 Bad Gateway</html>".into_response(),
        Failure::Truncated => {
            let text = body.to_string();
            text[..text.len() / 2].to_owned().into_response()
        }
        _ => Json(body).into_response(),
    }
}

/// An HSDS 3.0 service of an organisation, at one location.
pub fn hsds_service(
    id: &str,
    organisation: (&str, &str, Option<&str>),
    name: &str,
    point: (f64, f64),
    category: &str,
    modified: &str,
) -> Value {
    let (org_id, org_name, kbo) = organisation;
    let identifiers: Vec<Value> = kbo
        .map(|k| json!({ "id": format!("{org_id}-kbo"), "identifier_scheme": "BE-BCE_KBO", "identifier_type": "KBO", "identifier": k }))
        .into_iter()
        .collect();
    json!({
        "id": id,
        "name": name,
        "description": format!("{name}: accueil et accompagnement."),
        "status": "active",
        "last_modified": modified,
        "email": format!("contact@{org_id}.example"),
        "languages": [{ "id": format!("{id}-fr"), "code": "fr", "name": "French" }],
        "phones": [{ "id": format!("{id}-phone"), "number": "02/435.51.38" }],
        "attributes": [{ "id": format!("{id}-attr"), "taxonomy_term": { "id": format!("{id}-term"), "code": category, "name": category, "taxonomy": "passerelle" } }],
        "organization": {
            "id": org_id,
            "name": org_name,
            "website": format!("www.{org_id}.example"),
            "organization_identifiers": identifiers,
        },
        "service_at_locations": [{
            "id": format!("{id}-sal"),
            "location": {
                "id": format!("{org_id}-loc"),
                "name": org_name,
                "latitude": point.0,
                "longitude": point.1,
                "addresses": [{ "id": format!("{org_id}-addr"), "address_1": "Rue de la Source 12", "city": "Bruxelles", "postal_code": "1000", "country": "BE", "address_type": "physical" }]
            },
            "schedules": [{ "id": format!("{id}-sch"), "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00" }]
        }]
    })
}

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
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
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
}

#[derive(Default)]
pub struct UpstreamState {
    /// HSDS service objects served by `/services`.
    pub hsds: Mutex<Vec<Value>>,
    pub failure: Mutex<Failure>,
    pub requests: AtomicUsize,
    /// Query strings received, in order.
    pub queries: Mutex<Vec<HashMap<String, String>>>,
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
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Upstream { url, state }
    }

    pub fn set_hsds(&self, services: Vec<Value>) {
        *self.state.hsds.lock().unwrap() = services;
    }

    pub fn fail(&self, failure: Failure) {
        *self.state.failure.lock().unwrap() = failure;
    }

    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }
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
    let all: Vec<Value> = state
        .hsds
        .lock()
        .unwrap()
        .iter()
        .filter(|s| match query.get("modified_after") {
            Some(after) => s["last_modified"]
                .as_str()
                .is_some_and(|m| m > after.as_str()),
            None => true,
        })
        .cloned()
        .collect();
    let total_pages = all.len().div_ceil(per_page).max(1);
    let start = (page as usize - 1) * per_page;
    let contents: Vec<Value> = all.iter().skip(start).take(per_page).cloned().collect();
    let body = json!({
        "total_items": all.len(),
        "total_pages": total_pages,
        "page_number": page,
        "size": contents.len(),
        "first_page": page == 1,
        "last_page": page as usize >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    });
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

//! The reference web map at `/` (built from `web/` into `api/assets/web/` by `npm run
//! build`, embedded here): the page, its script and style, and `documents.json`, the
//! persisted documents the page sends, which the server trusts where it serves the page
//! ([`DOCUMENTS`], `http.web`), so the page runs with `limits.trusted_documents_only` on. The page
//! uses the public GraphQL API and GeoJSON endpoints only (`docs/web.md`).

use std::sync::LazyLock;

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use super::{HttpState, accept_language, graphql::matches_tag, persisted::sha256_hex};
use crate::domain::Lang;

/// The persisted documents of the page: `{ "<sha256>": "query …" }`.
pub const DOCUMENTS: &str = include_str!("../../assets/web/documents.json");

/// An embedded file.
struct Asset {
    name: &'static str,
    media_type: &'static str,
    content: &'static [u8],
}

const ASSETS: [Asset; 3] = [
    Asset {
        name: "app.js",
        media_type: "text/javascript; charset=utf-8",
        content: include_bytes!("../../assets/web/app.js"),
    },
    Asset {
        name: "app.css",
        media_type: "text/css; charset=utf-8",
        content: include_bytes!("../../assets/web/app.css"),
    },
    Asset {
        name: "documents.json",
        media_type: "application/json",
        content: DOCUMENTS.as_bytes(),
    },
];

/// Scripts, styles and data from this server only, no inline script or style (Leaflet
/// positions the map's layers through the DOM, which the policy does not restrict), and
/// nothing drawn from elsewhere (no tile server).
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

const PAGE: &str = include_str!("../../assets/web/index.html");

/// Entity tags of the assets, computed once.
static TAGS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| {
            let text = String::from_utf8_lossy(asset.content);
            format!("\"{}\"", &sha256_hex(&text)[..32])
        })
        .collect()
});

pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/", get(page))
        .route("/web/{file}", get(asset))
}

/// The page, in the language `Accept-Language` prefers (French when it names none of
/// ours); the page then keeps the visitor's own choice.
async fn page(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let lang = accept_language(&headers).unwrap_or(Lang::Fr).as_str();
    let max_markers = state.app.config.http.web_max_markers.max(1).to_string();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(POLICY),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("Accept-Language")),
            // Page addresses carry a need and its publics: they stay on this server.
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        PAGE.replace("{{LANG}}", lang)
            .replace("{{MAX_MARKERS}}", &max_markers),
    )
        .into_response()
}

/// One embedded file, revalidated by its entity tag (the names do not change between
/// releases, the tags do).
async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(index) = ASSETS.iter().position(|asset| asset.name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let asset = &ASSETS[index];
    let tag = &TAGS[index];
    let common = [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (
            header::ETAG,
            HeaderValue::from_str(tag).unwrap_or_else(|_| HeaderValue::from_static("\"\"")),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| matches_tag(v, tag));
    if matches {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.media_type),
        )],
        asset.content,
    )
        .into_response()
}

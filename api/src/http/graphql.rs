//! `/graphql` as the GraphQL-over-HTTP spec describes it: POST with a JSON body, GET with
//! URL parameters (queries only), `application/graphql-response+json` or
//! `application/json` answers with the status codes each calls for, and every abuse
//! limit checked before an operation runs.

use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use async_graphql::{
    Variables,
    parser::types::{DocumentOperations, ExecutableDocument, OperationType},
};
use axum::{
    extract::{ConnectInfo, Request},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

use super::{
    HttpState, cache, idempotency, limits,
    negotiate::{MediaType, negotiate},
    persisted::DocumentRef,
    problem::Problem,
};
use crate::{
    auth::{Principal, Role},
    error_code::ErrorCode,
    graphql::{
        self,
        cost::{MAX_FRAGMENT_NESTING, MAX_INTROSPECTION_LISTS, selected_operation},
    },
};

/// The parameters of one GraphQL request, read from a JSON object or a URL query.
#[derive(Debug, Default)]
struct Params {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    document: Option<DocumentRef>,
}

/// What one operation produced: the status it calls for, the body (JSON text), the
/// error codes.
struct Outcome {
    status: StatusCode,
    body: String,
    needs_token: bool,
    headers: Vec<(HeaderName, HeaderValue)>,
}

pub async fn handle(state: HttpState, request: Request) -> Response {
    let started = Instant::now();
    let media = match negotiate(request.headers()) {
        Some(media) => media,
        None => {
            let problem = Problem::new(
                StatusCode::NOT_ACCEPTABLE,
                ErrorCode::NotAcceptable,
                "this endpoint answers application/graphql-response+json or application/json",
            );
            return refuse(&state, problem, MediaType::Json);
        }
    };
    let headers = request.headers().clone();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let trust_forwarded_for = state.app.config.limits.trust_forwarded_for;
    let principal = match super::authenticate(&state, &headers).await {
        Ok(principal) => principal,
        Err(response) => {
            // A bad token counts against the client's address, so guessing tokens is
            // rate limited too.
            let anonymous = Principal::public();
            let client = client_key(&anonymous, &headers, peer, trust_forwarded_for);
            if let Some(problem) = rate_limited(&state, &client) {
                return refuse(&state, problem, media);
            }
            state.app.metrics.refused(ErrorCode::Unauthenticated);
            return response;
        }
    };
    let client = client_key(&principal, &headers, peer, trust_forwarded_for);
    if let Some(problem) = rate_limited(&state, &client) {
        return refuse(&state, problem, media);
    }
    let is_get = request.method() == Method::GET;
    // Partners and administrators send their listings in bulk (`upsertListings`).
    let body_limit = match principal.role {
        Role::Partner | Role::Admin => state.app.config.limits.max_write_body_bytes,
        _ => state.app.config.limits.max_body_bytes,
    };
    let idempotency_key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(key)) if idempotency::valid_key(key) => Some(key.to_owned()),
        Some(_) => {
            let problem = Problem::bad_request(format!(
                "`Idempotency-Key` must be 1 to {} visible ASCII characters",
                idempotency::MAX_KEY
            ));
            return refuse(&state, problem, media);
        }
    };
    let (batch, body_hash) = match read_params(&state, request, body_limit).await {
        Ok(read) => read,
        Err(problem) => return refuse(&state, problem, media),
    };
    // A retried POST with the key of an earlier one gets that one's answer.
    let claim = match (&idempotency_key, principal.subject.as_deref()) {
        (Some(key), Some(actor)) if !is_get => Some((actor.to_owned(), key.clone())),
        _ => None,
    };
    let mut guard = None;
    if let Some((actor, key)) = &claim {
        let hours = state.app.config.api.idempotency_hours;
        match idempotency::claim(&state.app.db.conn, actor, key, &body_hash, hours).await {
            Ok(idempotency::Claim::Fresh) => {
                guard = Some(idempotency::ClaimGuard::new(&state.app.db.conn, actor, key));
            }
            Ok(idempotency::Claim::Replay(body)) => {
                let outcome = Outcome {
                    status: StatusCode::OK,
                    body,
                    needs_token: false,
                    headers: vec![(
                        HeaderName::from_static("idempotent-replayed"),
                        HeaderValue::from_static("true"),
                    )],
                };
                return respond(outcome, media);
            }
            Ok(idempotency::Claim::Reused) => {
                let problem = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::IdempotencyKeyReused,
                    "this Idempotency-Key was sent before with another body; use a new key",
                );
                return refuse(&state, problem, media);
            }
            Ok(idempotency::Claim::InUse) => {
                let problem = Problem::new(
                    StatusCode::CONFLICT,
                    ErrorCode::IdempotencyKeyInUse,
                    "a request with this Idempotency-Key is still running; retry later",
                );
                return refuse(&state, problem, media);
            }
            Err(error) => {
                tracing::error!(%error, "idempotency key not claimed");
                let problem = Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::Internal,
                    "the request could not be recorded; retry later",
                );
                return refuse(&state, problem, media);
            }
        }
    }
    let caller = Caller {
        principal,
        lang: super::accept_language(&headers),
        // Set by the `observe` middleware on every request.
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        if_none_match: headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let outcome = match batch {
        Batch::One(params) => run(&state, media, &caller, params, is_get, started).await,
        Batch::Many(items) => {
            let mut bodies = Vec::with_capacity(items.len());
            let mut needs_token = false;
            for params in items {
                let outcome = run(&state, media, &caller, params, false, Instant::now()).await;
                needs_token |= outcome.needs_token;
                bodies.push(outcome.body);
            }
            Outcome {
                status: StatusCode::OK,
                body: format!("[{}]", bodies.join(",")),
                needs_token,
                headers: Vec::new(),
            }
        }
    };
    if let Some(guard) = guard {
        // What ran is answered again, as it was, errors included: a retry never writes
        // twice. An operation stopped by the execution timeout may have committed: its
        // key stays claimed, unanswered (`IDEMPOTENCY_KEY_IN_USE`), until it expires;
        // the client reads the listing and sends what is still needed with a new key. A
        // request refused before it ran frees its key.
        let stored = if outcome.status == StatusCode::OK {
            guard.keep(&outcome.body).await
        } else if outcome.status == StatusCode::SERVICE_UNAVAILABLE {
            guard.hold();
            Ok(())
        } else {
            guard.release().await
        };
        if let Err(error) = stored {
            tracing::error!(%error, "idempotency key not recorded");
        }
    }
    respond(outcome, media)
}

/// The refusal for a client past its rate, if it is.
pub(super) fn rate_limited(state: &HttpState, client: &str) -> Option<Problem> {
    let wait = state
        .limiter
        .as_ref()?
        .check(client, Instant::now())
        .err()?;
    let seconds = wait.as_secs().max(1).to_string();
    Some(
        Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!("too many requests from this client; retry in {seconds} s"),
        )
        .header(
            header::RETRY_AFTER,
            HeaderValue::from_str(&seconds).unwrap_or(HeaderValue::from_static("1")),
        ),
    )
}

fn refuse(state: &HttpState, problem: Problem, media: MediaType) -> Response {
    state.app.metrics.refused(problem.code);
    respond(problem_outcome(&problem, media), media)
}

fn respond(outcome: Outcome, media: MediaType) -> Response {
    let mut response = if outcome.status == StatusCode::NOT_MODIFIED {
        // No body, so no content type: the client keeps what it has.
        outcome.status.into_response()
    } else {
        (
            outcome.status,
            [(header::CONTENT_TYPE, media.content_type())],
            outcome.body,
        )
            .into_response()
    };
    for (name, value) in outcome.headers {
        response.headers_mut().insert(name, value);
    }
    if outcome.needs_token {
        // A field refused for want of a token is `null` with its error, and the rest of
        // `data` stands: the status stays 200 (a 401 is for an invalid token only). The
        // challenge still tells the client which scheme would unlock it.
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// The client's address a trusted proxy forwards (the first of `X-Forwarded-For`), when
/// `trust_forwarded_for` is on.
pub(super) fn forwarded_client(headers: &HeaderMap, trust_forwarded_for: bool) -> Option<&str> {
    headers
        .get("x-forwarded-for")
        .filter(|_| trust_forwarded_for)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Whom the rate limit counts against: the token subject, else the client address.
pub(super) fn client_key(
    principal: &Principal,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> String {
    if let Some(subject) = &principal.subject {
        return format!("sub:{subject}");
    }
    if let Some(forwarded) = forwarded_client(headers, trust_forwarded_for) {
        return format!("ip:{forwarded}");
    }
    match peer {
        Some(peer) => format!("ip:{}", peer.ip()),
        None => "ip:unknown".to_owned(),
    }
}

enum Batch {
    One(Params),
    Many(Vec<Params>),
}

/// The request's operations, and the SHA-256 of its body (of its query string for a
/// GET), which an `Idempotency-Key` is bound to.
async fn read_params(
    state: &HttpState,
    request: Request,
    limit: usize,
) -> Result<(Batch, String), Problem> {
    if request.method() == Method::GET {
        let query = request.uri().query().unwrap_or_default();
        let hash = super::persisted::sha256_hex(query);
        return params_from_url(query).map(|p| (Batch::One(p), hash));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.to_ascii_lowercase());
    let json_body = content_type.as_deref().is_some_and(|v| {
        let mut parts = v.split(';');
        let essence = parts.next().unwrap_or_default().trim();
        let charset_ok = parts.all(|p| match p.split_once('=') {
            Some((key, value)) if key.trim() == "charset" => {
                value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        });
        essence == "application/json" && charset_ok
    });
    if !json_body {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send the request as Content-Type: application/json (UTF-8)",
        ));
    }
    let too_large = || {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("the request body is larger than {limit} bytes"),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    // A client that stops sending its body does not hold a connection and a task for
    // ever.
    let wait = Duration::from_millis(state.app.config.limits.body_timeout_ms);
    let body = tokio::time::timeout(wait, axum::body::to_bytes(request.into_body(), limit))
        .await
        .map_err(|_| {
            Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::RequestTimeout,
                format!(
                    "the request body did not arrive within {} ms",
                    wait.as_millis()
                ),
            )
            .header(header::CONNECTION, HeaderValue::from_static("close"))
        })?
        .map_err(|_| too_large())?;
    if body.is_empty() {
        return Err(Problem::bad_request("the request body is empty"));
    }
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("the request body is not valid JSON: {e}")))?;
    let hash = super::persisted::sha256_hex(&String::from_utf8_lossy(&body));
    let batch = match value {
        Value::Object(object) => params_from_json(object).map(Batch::One),
        Value::Array(items) => {
            let max = state.app.config.limits.max_batch;
            if max == 0 {
                return Err(Problem::bad_request_code(
                    ErrorCode::BatchingDisabled,
                    "batched requests (a JSON array) are not accepted; send one operation per request",
                ));
            }
            if items.is_empty() || items.len() > max {
                return Err(Problem::bad_request_code(
                    ErrorCode::BatchTooLarge,
                    format!("a batch holds 1 to {max} operations"),
                ));
            }
            items
                .into_iter()
                .map(|item| match item {
                    Value::Object(object) => params_from_json(object),
                    _ => Err(Problem::bad_request(
                        "each batch entry must be a JSON object",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Batch::Many)
        }
        _ => Err(Problem::bad_request(
            "the request body must be a JSON object with a `query`",
        )),
    }?;
    Ok((batch, hash))
}

fn params_from_json(mut object: Map<String, Value>) -> Result<Params, Problem> {
    let query = match object.remove("query") {
        None | Some(Value::Null) => None,
        Some(Value::String(query)) => Some(query),
        Some(_) => return Err(Problem::bad_request("`query` must be a string")),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err(Problem::bad_request("`operationName` must be a string")),
    };
    let variables = match object.remove("variables") {
        None | Some(Value::Null) => None,
        Some(Value::Object(variables)) => Some(variables),
        Some(_) => return Err(Problem::bad_request("`variables` must be a JSON object")),
    };
    let extensions = match object.remove("extensions") {
        None | Some(Value::Null) => None,
        Some(Value::Object(extensions)) => Some(extensions),
        Some(_) => return Err(Problem::bad_request("`extensions` must be a JSON object")),
    };
    let document_id = match object.remove("documentId") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id),
        Some(_) => return Err(Problem::bad_request("`documentId` must be a string")),
    };
    Ok(Params {
        query,
        operation_name,
        variables,
        document: document_ref(extensions.as_ref(), document_id.as_deref())?,
    })
}

fn params_from_url(query_string: &str) -> Result<Params, Problem> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query_string)
        .map_err(|e| Problem::bad_request(format!("unreadable URL parameters: {e}")))?;
    let mut object = Map::new();
    for (key, value) in pairs {
        let value = match key.as_str() {
            "variables" | "extensions" => serde_json::from_str(&value).map_err(|e| {
                Problem::bad_request(format!("`{key}` must be URL-encoded JSON: {e}"))
            })?,
            _ => Value::String(value),
        };
        if object.insert(key.clone(), value).is_some() {
            return Err(Problem::bad_request(format!("`{key}` is given twice")));
        }
    }
    params_from_json(object)
}

/// `extensions.persistedQuery` (APQ, version 1) or `documentId: "sha256:<hash>"`.
fn document_ref(
    extensions: Option<&Map<String, Value>>,
    document_id: Option<&str>,
) -> Result<Option<DocumentRef>, Problem> {
    if let Some(id) = document_id {
        let hash = id.strip_prefix("sha256:").unwrap_or(id);
        return Ok(Some(DocumentRef {
            hash: hash.to_ascii_lowercase(),
            apq: false,
        }));
    }
    let Some(persisted) = extensions.and_then(|e| e.get("persistedQuery")) else {
        return Ok(None);
    };
    let version = persisted.get("version").and_then(Value::as_i64);
    let hash = persisted.get("sha256Hash").and_then(Value::as_str);
    match (version, hash) {
        (Some(1), Some(hash)) => Ok(Some(DocumentRef {
            hash: hash.to_ascii_lowercase(),
            apq: true,
        })),
        (Some(_), Some(_)) => Err(Problem::bad_request_code(
            ErrorCode::PersistedQueryNotSupported,
            "only version 1 of the persistedQuery extension is supported",
        )),
        _ => Err(Problem::bad_request(
            "`extensions.persistedQuery` needs `version` and `sha256Hash`",
        )),
    }
}

/// Who asks: the principal, the language of the labels, the request id.
struct Caller {
    principal: Principal,
    lang: Option<crate::domain::Lang>,
    request_id: String,
    /// `If-None-Match`, as sent.
    if_none_match: Option<String>,
}

/// Whether `If-None-Match` names `tag` (weak comparison, as the header asks) or is `*`.
pub(super) fn matches_tag(header: &str, tag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == tag)
}

/// What a browser or a CDN may do with the answer to a `GET` query: a public one that
/// follows from the directory's version (`tag`) is reusable, revalidated with its tag
/// after `http.cache_max_age_seconds`; an authenticated one is never stored; any other
/// (it read the clock, or failed) is asked for again each time.
fn caching_headers(
    state: &HttpState,
    caller: &Caller,
    tag: Option<&str>,
) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language, Authorization"),
    )];
    let control = match tag.and_then(|tag| HeaderValue::from_str(tag).ok()) {
        Some(tag) => {
            headers.push((header::ETAG, tag));
            match state.app.config.http.cache_max_age_seconds {
                0 => HeaderValue::from_static("public, no-cache"),
                seconds => HeaderValue::from_str(&format!("public, max-age={seconds}"))
                    .unwrap_or(HeaderValue::from_static("public, no-cache")),
            }
        }
        None if caller.principal.subject.is_some() => HeaderValue::from_static("private, no-store"),
        None => HeaderValue::from_static("no-cache"),
    };
    headers.push((header::CACHE_CONTROL, control));
    headers
}

async fn run(
    state: &HttpState,
    media: MediaType,
    caller: &Caller,
    params: Params,
    is_get: bool,
    started: Instant,
) -> Outcome {
    let transport = if is_get {
        Transport::Get
    } else {
        Transport::Post
    };
    match prepare(state, params, transport) {
        Err(problem) => {
            state.app.metrics.refused(problem.code);
            problem_outcome(&problem, media)
        }
        Ok(prepared) => {
            let snapshot = state.app.read_model.snapshot();
            let version = snapshot.sequence;
            let key = prepared.cacheable.map(|(document, operation, variables)| {
                cache::Key::new(
                    document,
                    operation.as_deref(),
                    variables,
                    &caller.principal,
                    caller.lang,
                )
            });
            // A public GET answer is tagged with the directory's version: asked again
            // with that tag while nothing changed, it is `304 Not Modified`, unread.
            let public_get = is_get && caller.principal.subject.is_none();
            let tag = key
                .as_ref()
                .filter(|_| public_get)
                .map(|key| key.tag(version));
            if let Some(tag) = &tag
                && caller
                    .if_none_match
                    .as_deref()
                    .is_some_and(|header| matches_tag(header, tag))
            {
                state
                    .app
                    .metrics
                    .graphql(&prepared.label, started.elapsed(), &[]);
                return Outcome {
                    status: StatusCode::NOT_MODIFIED,
                    body: String::new(),
                    needs_token: false,
                    headers: caching_headers(state, caller, Some(tag)),
                };
            }
            if let (Some(cache), Some(key)) = (&state.cache, &key)
                && let Some(entry) = cache.get(key, version)
            {
                state
                    .app
                    .metrics
                    .graphql(&prepared.label, started.elapsed(), &[]);
                return Outcome {
                    status: StatusCode::OK,
                    body: entry.body.clone(),
                    needs_token: false,
                    headers: if is_get {
                        caching_headers(state, caller, tag.as_deref())
                    } else {
                        Vec::new()
                    },
                };
            }
            let volatile = Arc::new(graphql::Volatile::default());
            let schema = if prepared.validated {
                &state.validated_schema
            } else {
                &state.schema
            };
            let request = graphql::request_data(
                prepared.request,
                &state.app,
                caller.principal.clone(),
                caller.lang,
                &caller.request_id,
                snapshot,
                Arc::clone(&volatile),
            );
            let timeout = Duration::from_millis(state.app.config.limits.execution_timeout_ms);
            match tokio::time::timeout(timeout, schema.execute(request)).await {
                Err(_) => {
                    let problem = Problem::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        ErrorCode::Timeout,
                        format!(
                            "the operation took longer than {} ms and was stopped",
                            timeout.as_millis()
                        ),
                    );
                    state.app.metrics.refused(problem.code);
                    problem_outcome(&problem, media)
                }
                Ok(response) => {
                    // Past the rules, every error belongs to a field (has a path); a
                    // document refused by them stays checked on every request.
                    if prepared.whole && response.errors.iter().all(|e| !e.path.is_empty()) {
                        state.parsed.validated(&prepared.text);
                    }
                    let (mut outcome, clean) =
                        executed(state, response, media, caller, &prepared.label, started);
                    // An answer follows from the version alone when it read neither the
                    // clock nor what the read model does not hold, and failed nowhere.
                    let stable = clean
                        && outcome.status == StatusCode::OK
                        && outcome.headers.is_empty()
                        && !volatile.is_set();
                    if stable && let (Some(cache), Some(key)) = (&state.cache, key) {
                        cache.insert(
                            key,
                            cache::Entry {
                                version,
                                body: outcome.body.clone(),
                            },
                        );
                    }
                    if is_get {
                        let tag = tag.filter(|_| stable);
                        outcome
                            .headers
                            .extend(caching_headers(state, caller, tag.as_deref()));
                    }
                    outcome
                }
            }
        }
    }
}

/// A buffer that refuses to grow past `limit` bytes: a response is never built larger
/// than it may be sent.
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
    exceeded: bool,
}

impl Capped {
    fn new(limit: usize) -> Capped {
        Capped {
            bytes: Vec::with_capacity(limit.min(16 * 1024)),
            limit,
            exceeded: false,
        }
    }
}

impl std::io::Write for Capped {
    // serde_json writes a response in many small pieces: both entry points are inlined
    // into it (2.5% of a cold page in the profile, decision 0012).
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.bytes.len().saturating_add(buf.len()) > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("the response limit is reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A GraphQL response as sent: without `data` when the request failed before execution.
#[derive(serde::Serialize)]
struct ResponseBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [async_graphql::ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

fn problem_outcome(problem: &Problem, media: MediaType) -> Outcome {
    Outcome {
        status: problem.status_for(media),
        body: json!({ "errors": [problem.error_json()] }).to_string(),
        needs_token: false,
        headers: problem.headers.clone(),
    }
}

struct Prepared {
    request: async_graphql::Request,
    label: String,
    /// What the response cache keys a query on besides the caller: the document, the
    /// operation and the variables (JSON text); `None` for what it does not keep.
    cacheable: Option<(Arc<str>, Option<String>, String)>,
    /// The document's text.
    text: Arc<str>,
    /// The document passed the validation rules before: it runs on
    /// `HttpState::validated_schema`, which skips them.
    validated: bool,
    /// Not validated yet, and the rules, run on this request, check the whole document
    /// (`checks_whole`): if it passes them, it may skip them from then on.
    whole: bool,
}

/// Whether async-graphql's validation rules, run on a request with `variables`, check
/// the whole document: it holds one operation, and the request gives every variable that
/// operation declares, none of which has a default. The rule for argument values
/// (`ArgumentsOfCorrectType`) skips an argument whose variables it cannot fill from the
/// request (one missing, or in an operation not selected), and it is the rule that refuses
/// `null` for a variable with a default in a non-null position: a document that passed
/// the rules on another request may not pass them on the next.
fn checks_whole(document: &ExecutableDocument, variables: &Map<String, Value>) -> bool {
    let operation = match &document.operations {
        DocumentOperations::Single(operation) => &operation.node,
        DocumentOperations::Multiple(operations) if operations.len() == 1 => {
            match operations.values().next() {
                Some(operation) => &operation.node,
                None => return false,
            }
        }
        DocumentOperations::Multiple(_) => return false,
    };
    operation.variable_definitions.iter().all(|definition| {
        definition.node.default_value.is_none()
            && variables.contains_key(definition.node.name.node.as_str())
    })
}

/// How an operation came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transport {
    Get,
    Post,
    /// A `subscribe` message on a WebSocket (`subscriptions`).
    WebSocket,
}

/// A subscription sent on a WebSocket, checked as a POST is (persisted documents,
/// document limits, variables), and refused when it is not a subscription.
pub(super) fn prepare_subscription(
    state: &HttpState,
    request: async_graphql::Request,
) -> Result<async_graphql::Request, Problem> {
    let variables = match request.variables.into_value().into_json() {
        Ok(Value::Object(variables)) => Some(variables),
        _ => None,
    };
    let params = Params {
        query: Some(request.query),
        operation_name: request.operation_name,
        variables,
        document: None,
    };
    Ok(prepare(state, params, Transport::WebSocket)?.request)
}

/// Resolves a persisted document, parses it and checks the document limits.
fn prepare(state: &HttpState, params: Params, transport: Transport) -> Result<Prepared, Problem> {
    let text: Arc<str> = state
        .persisted
        .resolve(params.query.as_deref(), params.document.as_ref())?;
    let limits = &state.app.config.limits;
    // Counted on the text, before the parser builds or recurses into anything.
    let lexed = limits::lex(&text);
    within(
        lexed.tokens,
        limits.max_tokens,
        ErrorCode::GraphqlParseFailed,
        "tokens in the document",
    )?;
    within(
        lexed.nesting,
        MAX_NESTING,
        ErrorCode::DepthLimitExceeded,
        "levels of nested braces, brackets and parentheses",
    )?;
    let super::persisted::Parsed {
        document,
        validated,
    } = state
        .parsed
        .parse(&text)
        .map_err(|e| Problem::request_error(ErrorCode::GraphqlParseFailed, parse_error(&e)))?;
    let no_variables = Map::new();
    let variables = params.variables.as_ref().unwrap_or(&no_variables);
    let whole = !validated && checks_whole(&document, variables);
    let costs = state
        .cost
        .cost(&document, params.operation_name.as_deref(), variables);
    // The metrics label is the name of an operation of the document, never a name the
    // client sent that names none (`/metrics` must not grow with what clients invent).
    let mut label = None;
    let mut query = false;
    if let Some((name, operation)) = selected_operation(&document, params.operation_name.as_deref())
    {
        query = operation.ty == OperationType::Query;
        if transport == Transport::WebSocket && operation.ty != OperationType::Subscription {
            return Err(Problem::bad_request(
                "a WebSocket carries subscriptions; send queries and mutations with POST",
            ));
        }
        if transport == Transport::Get && operation.ty != OperationType::Query {
            return Err(Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "mutations and subscriptions are sent with POST, never GET",
            )
            .header(header::ALLOW, HeaderValue::from_static("POST")));
        }
        label = name.map(str::to_owned);
    }
    if let Some(shape) = costs.selected {
        within(
            shape.aliases,
            limits.max_aliases,
            ErrorCode::TooManyAliases,
            "aliases in the operation",
        )?;
        within(
            shape.fields,
            limits.max_root_fields,
            ErrorCode::TooManyRootFields,
            "root fields in the operation",
        )?;
        if shape.introspection && !state.app.config.introspection() {
            return Err(Problem::request_error(
                ErrorCode::IntrospectionDisabled,
                "introspection is disabled on this server; the schema is published as schema.graphql",
            ));
        }
    }
    // Every operation of the document counts, as in async-graphql's own validation.
    let cost = costs.total;
    within(
        cost.directives,
        limits.max_directives_per_field,
        ErrorCode::TooManyDirectives,
        "directives on one field",
    )?;
    if cost.fragments_too_nested {
        return Err(Problem::request_error(
            ErrorCode::DepthLimitExceeded,
            format!(
                "fragments are spread inside one another more than {MAX_FRAGMENT_NESTING} deep"
            ),
        ));
    }
    within(
        cost.selections,
        limits.max_expanded_selections,
        ErrorCode::ComplexityLimitExceeded,
        "field selections once the fragments are expanded",
    )?;
    within(
        cost.complexity,
        limits.max_complexity,
        ErrorCode::ComplexityLimitExceeded,
        "complexity of the document",
    )?;
    within(
        cost.depth,
        limits.max_depth,
        ErrorCode::DepthLimitExceeded,
        "levels of nested fields",
    )?;
    within(
        cost.introspection_lists,
        MAX_INTROSPECTION_LISTS,
        ErrorCode::DepthLimitExceeded,
        "introspection lists nested in one another",
    )?;
    // Variable values of the wrong shape are a request error (the spec's
    // CoerceVariableValues), never a failure inside a resolver.
    state
        .inputs
        .check(&document, params.operation_name.as_deref(), variables)
        .map_err(|message| Problem::request_error(ErrorCode::GraphqlValidationFailed, message))?;
    // Keyed for the response cache, or for a GET's entity tag; not otherwise.
    let keyed =
        transport == Transport::Get || (transport == Transport::Post && state.cache.is_some());
    let cacheable = (query && keyed).then(|| {
        (
            Arc::clone(&text),
            params.operation_name.clone(),
            serde_json::to_string(variables).unwrap_or_default(),
        )
    });
    let mut request = async_graphql::Request::new(text.to_string());
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        request = request.variables(Variables::from_json(Value::Object(variables)));
    }
    request.set_parsed_query(document);
    Ok(Prepared {
        request,
        label: label.unwrap_or_else(|| "anonymous".to_owned()),
        cacheable,
        text,
        validated,
        whole,
    })
}

/// Braces, brackets and parentheses nested deeper than this make a document refused
/// before it is parsed (selection sets are limited further by `limits.max_depth`).
pub const MAX_NESTING: usize = 64;

/// A parse error in one line: where, and what was expected (the parser's own message
/// repeats the document's line, however long).
fn parse_error(error: &async_graphql::parser::Error) -> String {
    match error {
        async_graphql::parser::Error::Syntax { message, start, .. } => {
            let expected = message
                .lines()
                .last()
                .and_then(|line| line.trim().strip_prefix("= "))
                .unwrap_or("unexpected input");
            format!(
                "syntax error at line {}, column {}: {expected}",
                start.line, start.column
            )
        }
        other => other.to_string(),
    }
}

/// A document limit: `found` of `what` against the configured `allowed`.
fn within(found: usize, allowed: usize, code: ErrorCode, what: &str) -> Result<(), Problem> {
    if found <= allowed {
        return Ok(());
    }
    Err(Problem::request_error(
        code,
        format!("{what}: {found}, at most {allowed} allowed"),
    ))
}

/// The operation's answer, and whether it is clean: no error anywhere, its own or one
/// found while writing it (too large, not serialisable).
fn executed(
    state: &HttpState,
    mut response: async_graphql::Response,
    media: MediaType,
    caller: &Caller,
    label: &str,
    started: Instant,
) -> (Outcome, bool) {
    // Errors before execution (validation, limits) have no path, and no data comes back.
    let request_error = !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty());
    let mut codes = Vec::with_capacity(response.errors.len());
    let mut needs_token = false;
    for error in &mut response.errors {
        let existing = error
            .extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .and_then(|code| match code {
                async_graphql::Value::String(code) => Some(code.clone()),
                _ => None,
            });
        let code = match existing {
            Some(code) => code,
            None => {
                // Our own errors and limits carry their code; what has none is
                // async-graphql's validation before execution, or a failure during it.
                let code = if request_error {
                    ErrorCode::GraphqlValidationFailed
                } else {
                    // The library's words are for our logs, not for the client.
                    tracing::error!(message = %error.message, path = ?error.path, "a field failed without a code");
                    error.message = "internal error".to_owned();
                    ErrorCode::Internal
                };
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("code", code.as_str());
                code.as_str().to_owned()
            }
        };
        if code == ErrorCode::Internal.as_str() {
            // What an operator needs to find the cause in the logs.
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("requestId", caller.request_id.as_str());
        }
        needs_token |= code == ErrorCode::Unauthenticated.as_str();
        codes.push(code);
    }
    // Serialised straight from the response: fields keep the order the query asked for
    // them in (the spec's "ordered map"), and no intermediate JSON tree is built. The
    // writer stops at `limits.max_response_bytes`.
    let response_body = ResponseBody {
        data: (!request_error).then_some(&response.data),
        errors: &response.errors,
        extensions: &response.extensions,
    };
    let limit = state.app.config.limits.max_response_bytes;
    let mut writer = Capped::new(limit);
    let body = match serde_json::to_writer(&mut writer, &response_body) {
        Ok(()) => String::from_utf8(writer.bytes).map_err(|e| e.to_string()),
        Err(_) if writer.exceeded => {
            // What was built so far goes before the refusal is written.
            drop(writer);
            drop(response);
            let code = ErrorCode::ResponseTooLarge;
            codes.push(code.as_str().to_owned());
            Ok(json!({
                "data": null,
                "errors": [{
                    "message": format!("the response would be larger than {limit} bytes; ask for fewer items or fields"),
                    "extensions": { "code": code.as_str(), "limit": limit },
                }],
            })
            .to_string())
        }
        Err(error) => Err(error.to_string()),
    };
    let mut clean = codes.is_empty();
    let body = body.unwrap_or_else(|error| {
        tracing::error!(%error, "cannot serialise a GraphQL response");
        clean = false;
        json!({ "errors": [{ "message": "internal error", "extensions": { "code": ErrorCode::Internal.as_str() } }] })
            .to_string()
    });
    state.app.metrics.graphql(label, started.elapsed(), &codes);
    let status = if request_error {
        match media {
            MediaType::GraphqlResponseJson => StatusCode::BAD_REQUEST,
            MediaType::Json => StatusCode::OK,
        }
    } else {
        StatusCode::OK
    };
    let outcome = Outcome {
        status,
        body,
        needs_token,
        headers: Vec::new(),
    };
    (outcome, clean)
}

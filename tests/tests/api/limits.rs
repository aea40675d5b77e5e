//! Every abuse limit refuses with a stable `extensions.code` before an operation runs.
//! These limits live in the HTTP and validation layers, the same on both databases, so
//! they run on SQLite.

use std::time::Duration;

use passerelle::{auth::Role, config::Profile};
use passerelle_tests::{Backend, Gql, TestApp, spawn_app, spawn_app_with};
use serde_json::{Value, json};

async fn post(app: &TestApp, body: Value, accept: &str) -> Gql {
    let response = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("accept", accept)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    Gql {
        status,
        body: response.json().await.unwrap(),
    }
}

/// Asserts a refusal: the code, no `data`, and 400 for `application/graphql-response+json`.
async fn assert_refused(app: &TestApp, query: &str, code: &str) {
    let legacy = post(app, json!({ "query": query }), "application/json").await;
    assert_eq!(legacy.error_code(), Some(code), "{}", legacy.body);
    assert_eq!(legacy.status, 200, "{}", legacy.body);
    assert!(legacy.body.get("data").is_none(), "{}", legacy.body);
    let modern = post(
        app,
        json!({ "query": query }),
        "application/graphql-response+json",
    )
    .await;
    assert_eq!(modern.error_code(), Some(code), "{}", modern.body);
    assert_eq!(modern.status, 400, "{}", modern.body);
}

#[tokio::test]
async fn depth_is_limited() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_depth = 5).await;
    let shallow = "{ services(first: 1) { edges { node { name } } } }";
    assert_eq!(app.gql(shallow, json!({})).await.status, 200);
    let deep = "{ services(first: 1) { edges { node { organisation { services { organisation { name } } } } } } }";
    assert_refused(&app, deep, "DEPTH_LIMIT_EXCEEDED").await;
}

#[tokio::test]
async fn a_long_chain_of_fragments_is_refused_not_followed() {
    // Its 16,000 tokens are allowed here, so that the fragment nesting is what refuses it.
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_tokens = 20_000).await;
    // About 56 KB, under the body limit: 2,000 fragments each spreading the next.
    let mut chain = String::from("{...a0}");
    for n in 0..2000 {
        chain.push_str(&format!("fragment a{n} on Query{{...a{}}}", n + 1));
    }
    chain.push_str("fragment a2000 on Query{__typename}");
    assert_refused(&app, &chain, "DEPTH_LIMIT_EXCEEDED").await;
}

/// 25 fragments each spreading the previous one twice: 2^25 expansions for a checker that
/// inlines spreads. Refused from a walk that costs each fragment once, whether its
/// fields cost something or nothing (`__typename`).
#[tokio::test]
async fn doubling_fragments_are_refused_without_expanding_them() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    for leaf in ["code", "__typename"] {
        let mut document =
            format!("{{ territories {{ ...F25 }} }} fragment F0 on Territory {{ {leaf} }}");
        for n in 1..=25 {
            document.push_str(&format!(
                " fragment F{n} on Territory {{ ...F{p} ...F{p} }}",
                p = n - 1
            ));
        }
        assert_refused(&app, &document, "COMPLEXITY_LIMIT_EXCEEDED").await;
    }
    let health = app
        .client
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

/// A client that sends half its body and then nothing is answered 408 once the body
/// timeout has passed, and the connection is closed.
#[tokio::test]
async fn a_body_sent_too_slowly_is_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.body_timeout_ms = 300).await;
    let mut stream = tokio::net::TcpStream::connect(app.url.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(
            b"POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"query\": \"{",
        )
        .await
        .unwrap();

    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();

    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
}

/// A client that trickles its request head is disconnected once the header timeout has
/// passed (the outer timeout only keeps a broken server from hanging the test).
#[tokio::test]
async fn headers_sent_too_slowly_close_the_connection() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.header_timeout_ms = 300).await;
    let mut stream = tokio::net::TcpStream::connect(app.url.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();

    let mut answer = Vec::new();
    let closed =
        tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;

    assert!(
        matches!(closed, Ok(Ok(_))),
        "the server closed the connection"
    );
}

/// Beyond `max_connections_per_address`, a new connection is answered 429
/// `TOO_MANY_CONNECTIONS` with when to retry, and closed; the open ones keep working.
#[tokio::test]
async fn an_address_holds_a_bounded_number_of_connections() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.limits.max_connections_per_address = 2
    })
    .await;
    let addr = app.url.trim_start_matches("http://").to_owned();
    let mut first = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let _second = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut third = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut refused = Vec::new();
    let third_closed =
        tokio::time::timeout(Duration::from_secs(20), third.read_to_end(&mut refused)).await;
    first
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    first.read_to_end(&mut answer).await.unwrap();

    assert!(matches!(third_closed, Ok(Ok(_))), "{third_closed:?}");
    let refused = String::from_utf8_lossy(&refused);
    assert!(refused.starts_with("HTTP/1.1 429 "), "{refused}");
    assert!(refused.contains("retry-after: 1\r\n"), "{refused}");
    let body: serde_json::Value =
        serde_json::from_str(refused.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "TOO_MANY_CONNECTIONS"
    );
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
}

/// Reference lists cost at least their real fan-out: an 86-byte nesting of parents and
/// children, which answered 53 MB, is refused; a bassin's communes are not.
#[tokio::test]
async fn nested_reference_lists_are_costed_by_their_fan_out() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    for amplifier in [
        "{ territories { parents { children { parents { children { code } } } } } }",
        "{ categories { parent { children { parent { children { parent { children { code } } } } } } } }",
    ] {
        assert_refused(&app, amplifier, "COMPLEXITY_LIMIT_EXCEEDED").await;
    }
    // One level less is within the limits, and its answer stays small.
    let bounded = post(
        &app,
        json!({ "query": "{ categories { parent { children { parent { children { code } } } } } }" }),
        "application/json",
    )
    .await;
    assert!(bounded.body.get("errors").is_none());
    assert!(bounded.body.to_string().len() < 200_000);

    let bassins = app
        .gql(
            "{ territories(level: BASSIN) { code children { code name } } }",
            json!({}),
        )
        .await;

    assert_eq!(bassins.status, 200, "{}", bassins.body);
    assert_eq!(
        bassins.data()["territories"].as_array().map(Vec::len),
        Some(5)
    );
}

/// Tokens and nesting are counted on the text before it is parsed; a parse error is one
/// line saying where, never the document repeated.
#[tokio::test]
async fn documents_are_measured_before_they_are_parsed() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_tokens = 1000).await;
    let many = format!("{{ {} }}", "__typename ".repeat(1000));
    assert_refused(&app, &many, "GRAPHQL_PARSE_FAILED").await;
    let fine = format!("{{ {} }}", "__typename ".repeat(900));
    assert_eq!(app.gql(&fine, json!({})).await.status, 200);

    // Lists nested 300 deep in an argument: refused before the parser recurses.
    let deep = format!(
        "{{ services(filter: {{ categories: {}\"x\"{} }}) {{ totalCount }} }}",
        "[".repeat(300),
        "]".repeat(300)
    );
    assert_refused(&app, &deep, "DEPTH_LIMIT_EXCEEDED").await;

    let broken = format!("{{ services(first: 1) {{ {} }}", "totalCount ".repeat(500));
    let refused = post(&app, json!({ "query": broken }), "application/json").await;
    assert_eq!(refused.error_code(), Some("GRAPHQL_PARSE_FAILED"));
    let message = refused.body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("syntax error at line 1, column ") && message.len() < 200,
        "{message}"
    );
}

/// A response larger than `limits.max_response_bytes` is not sent: `data` is null and
/// the error says why; the next request is served as usual.
#[tokio::test]
async fn a_response_over_the_size_limit_is_not_sent() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_response_bytes = 4096).await;
    let page = "{ services(first: 50) { edges { node { id name description } } } }";
    for accept in ["application/json", "application/graphql-response+json"] {
        let large = post(&app, json!({ "query": page }), accept).await;
        assert_eq!(large.status, 200, "{}", large.body);
        assert_eq!(
            large.error_code(),
            Some("RESPONSE_TOO_LARGE"),
            "{}",
            large.body
        );
        assert_eq!(large.body["data"], Value::Null);
        assert_eq!(large.body["errors"][0]["extensions"]["limit"], 4096);
    }
    let small = app
        .gql(
            "{ services(first: 2) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert!(small.body.get("errors").is_none(), "{}", small.body);
}

#[tokio::test]
async fn complexity_counts_list_fields_by_first() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_complexity = 300).await;
    let page = |first: u32| {
        format!(
            "{{ services(first: {first}) {{ edges {{ node {{ id name description \
             categories {{ code name }} sites {{ address postcode }} }} }} }} }}"
        )
    };
    let small = app.gql(&page(5), json!({})).await;
    assert!(small.body.get("errors").is_none(), "{}", small.body);
    assert_refused(&app, &page(100), "COMPLEXITY_LIMIT_EXCEEDED").await;
}

#[tokio::test]
async fn aliases_and_root_fields_are_limited() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.limits.max_aliases = 3;
        c.limits.max_root_fields = 2;
    })
    .await;
    let aliased = "{ services(first: 1) { edges { node { a: name b: name c: name d: name } } } }";
    assert_refused(&app, aliased, "TOO_MANY_ALIASES").await;
    // Aliases inside fragments count as well.
    let fragment = "{ ...F } fragment F on Query { x: __typename y: __typename }";
    let fine = app.gql(fragment, json!({})).await;
    assert!(fine.body.get("errors").is_none(), "{}", fine.body);
    let spread = "{ ...F ...G } fragment F on Query { x: __typename y: __typename } \
                  fragment G on Query { z: __typename w: __typename }";
    assert_refused(&app, spread, "TOO_MANY_ALIASES").await;
    assert_refused(
        &app,
        "{ categories { code } territories { code } services(first: 1) { totalCount } }",
        "TOO_MANY_ROOT_FIELDS",
    )
    .await;
}

#[tokio::test]
async fn directives_per_field_are_limited() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_directives_per_field = 1).await;
    let one = app
        .gql("{ categories @include(if: true) { code } }", json!({}))
        .await;
    assert!(one.body.get("errors").is_none(), "{}", one.body);
    assert_refused(
        &app,
        "{ categories @include(if: true) @skip(if: false) { code } }",
        "TOO_MANY_DIRECTIVES",
    )
    .await;
}

#[tokio::test]
async fn batching_is_off_by_default_and_capped_when_on() {
    let app = spawn_app(Backend::Sqlite).await;
    let batch = json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]);
    let refused = post(&app, batch.clone(), "application/json").await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error_code(), Some("BATCHING_DISABLED"));

    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_batch = 2).await;
    let answered = post(&app, batch, "application/json").await;
    assert_eq!(answered.status, 200);
    assert_eq!(answered.body[1]["data"]["__typename"], "Query");
    let three = json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }, { "query": "{ __typename }" }]);
    let too_many = post(&app, three, "application/json").await;
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.error_code(), Some("BATCH_TOO_LARGE"));
}

#[tokio::test]
async fn the_request_body_is_limited() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_body_bytes = 1024).await;
    let padding = " ".repeat(2000);
    let refused = post(
        &app,
        json!({ "query": format!("{{ __typename {padding} }}") }),
        "application/json",
    )
    .await;
    assert_eq!(refused.status, 413);
    assert_eq!(refused.error_code(), Some("PAYLOAD_TOO_LARGE"));
    // A body without Content-Length (chunked) is cut at the limit too.
    let body = format!("{{\"query\": \"{{ __typename {} }}\"}}", " ".repeat(2000));
    let request = format!(
        "POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
        body.len()
    );
    let answer = passerelle_tests::raw_http(&app.url, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("PAYLOAD_TOO_LARGE"), "{answer}");
}

/// Directory reads come from memory and are bounded by the complexity limit; the
/// timeout stops what waits on the database. A table locked by another session makes
/// that wait certain, so the test does not depend on how fast the machine is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_operation_is_stopped() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = spawn_app_with(Backend::Postgres, |c| c.limits.execution_timeout_ms = 300).await;
    let admin = app.token(passerelle::auth::Role::Admin, &[], None);
    let other = sea_orm::Database::connect(app.state.config.database.url.expose())
        .await
        .unwrap();
    let lock = other.begin().await.unwrap();
    lock.execute_unprepared("LOCK TABLE provenance IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let waiting = "{ services(first: 5) { edges { node { name provenance { field } } } } }";

    let stopped = app.gql_as(Some(&admin), waiting, json!({})).await;
    lock.rollback().await.unwrap();

    assert_eq!(stopped.status, 503, "{}", stopped.body);
    assert_eq!(stopped.error_code(), Some("TIMEOUT"));
    let answered = app.gql_as(Some(&admin), waiting, json!({})).await;
    assert_eq!(
        answered.status, 200,
        "the server answers once the lock is gone"
    );
}

#[tokio::test]
async fn clients_are_rate_limited_by_subject_else_address() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.limits.rate_per_second = 0.5;
        c.limits.rate_burst = 2;
    })
    .await;
    for _ in 0..2 {
        assert_eq!(app.gql("{ __typename }", json!({})).await.status, 200);
    }
    let response = app
        .client
        .post(format!("{}/graphql", app.url))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "retry after {retry}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    // A bad token does not escape the address's bucket.
    let forged = app
        .gql_as(Some("not.a.token"), "{ __typename }", json!({}))
        .await;
    assert_eq!(forged.status, 429, "{}", forged.body);
    // A token holder has a bucket of its own.
    let token = app.token(Role::Admin, &[], None);
    let admin = app.gql_as(Some(&token), "{ __typename }", json!({})).await;
    assert_eq!(admin.status, 200, "{}", admin.body);
}

#[tokio::test]
async fn production_hides_introspection_and_suggestions() {
    let dev = spawn_app(Backend::Sqlite).await;
    let schema = dev
        .gql("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(schema.data()["__schema"]["queryType"]["name"], "Query");

    let prod = spawn_app_with(Backend::Sqlite, |c| c.profile = Profile::Production).await;
    assert_refused(
        &prod,
        "{ __schema { queryType { name } } }",
        "INTROSPECTION_DISABLED",
    )
    .await;
    assert_refused(
        &prod,
        "{ __type(name: \"Service\") { name } }",
        "INTROSPECTION_DISABLED",
    )
    .await;
    let typo = prod.gql("{ categorie { code } }", json!({})).await;
    assert_eq!(typo.error_code(), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(
        !typo.error_message().contains("Did you mean"),
        "{}",
        typo.body
    );
    let typo = dev.gql("{ categorie { code } }", json!({})).await;
    assert!(
        typo.error_message().contains("Did you mean"),
        "{}",
        typo.body
    );
}

fn sha256(text: &str) -> String {
    passerelle::http::sha256_hex(text)
}

#[tokio::test]
async fn automatic_persisted_queries() {
    let app = spawn_app(Backend::Sqlite).await;
    let query = "{ categories { code } }";
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(query) } });
    let unknown = post(
        &app,
        json!({ "extensions": extensions }),
        "application/json",
    )
    .await;
    assert_eq!(unknown.error_code(), Some("PERSISTED_QUERY_NOT_FOUND"));
    assert_eq!(unknown.error_message(), "PersistedQueryNotFound");
    let registered = post(
        &app,
        json!({ "query": query, "extensions": extensions }),
        "application/json",
    )
    .await;
    assert!(registered.data()["categories"].is_array());
    let by_hash = post(
        &app,
        json!({ "extensions": extensions }),
        "application/json",
    )
    .await;
    assert_eq!(by_hash.data(), registered.data());
    // Also over GET, as Apollo clients send them.
    let url = format!(
        "{}/graphql?extensions={}",
        app.url,
        urlencode(&extensions.to_string())
    );
    let get: Value = app
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(&get["data"], registered.data());
    let mismatch = post(
        &app,
        json!({ "query": "{ territories { code } }", "extensions": extensions }),
        "application/json",
    )
    .await;
    assert_eq!(mismatch.status, 400);
    assert_eq!(mismatch.error_code(), Some("PERSISTED_QUERY_HASH_MISMATCH"));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn trusted_documents_mode_runs_only_registered_operations() {
    let trusted = "query Categories { categories { code } }";
    let dir = std::env::temp_dir().join(format!("passerelle-trusted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = dir.join("manifest.json");
    std::fs::write(
        &manifest,
        json!({ format!("sha256:{}", sha256(trusted)): trusted }).to_string(),
    )
    .unwrap();
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.limits.trusted_documents = Some(manifest.display().to_string());
        c.limits.trusted_documents_only = true;
    })
    .await;
    let by_id = post(
        &app,
        json!({ "documentId": format!("sha256:{}", sha256(trusted)) }),
        "application/json",
    )
    .await;
    assert!(by_id.data()["categories"].is_array(), "{}", by_id.body);
    let by_apq = post(
        &app,
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256(trusted) } } }),
        "application/json",
    )
    .await;
    assert!(by_apq.data()["categories"].is_array());
    let same_text = app.gql(trusted, json!({})).await;
    assert!(same_text.data()["categories"].is_array());
    let other = "{ territories { code } }";
    let refused = app.gql(other, json!({})).await;
    assert_eq!(refused.error_code(), Some("OPERATION_NOT_TRUSTED"));
    // Registering through APQ is no way around it.
    let register = post(
        &app,
        json!({ "query": other, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256(other) } } }),
        "application/json",
    )
    .await;
    assert_eq!(register.error_code(), Some("OPERATION_NOT_TRUSTED"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_bad_manifest_stops_the_start() {
    let dir = std::env::temp_dir().join(format!("passerelle-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = dir.join("manifest.json");
    std::fs::write(&manifest, json!({ "0123": "{ __typename }" }).to_string()).unwrap();
    let url = passerelle_tests::fresh_database(Backend::Sqlite).await;
    let mut config = passerelle::config::Config::default();
    config.database.url = passerelle::config::Secret::new(url);
    config.http.addr = "127.0.0.1:0".parse().unwrap();
    config.demo.enabled = Some(false);
    config.limits.trusted_documents = Some(manifest.display().to_string());
    let state = passerelle::startup::prepare(config).await.unwrap();
    let error = passerelle::App::build(state).await.err().unwrap();
    assert!(
        error
            .to_string()
            .contains("not the SHA-256 of its document"),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn mutations_are_never_run_over_get() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .client
        .get(format!(
            "{}/graphql?query={}",
            app.url,
            urlencode("mutation { __typename }")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "METHOD_NOT_ALLOWED"
    );
}

//! What operators rely on: health and readiness, Prometheus metrics, request ids and a
//! graceful shutdown.

use passerelle_tests::{Backend, both_backends, spawn_app};
use sea_orm::ConnectionTrait;
use serde_json::json;

async fn readiness_follows_the_database(backend: Backend) {
    let app = spawn_app(backend).await;
    let health = app
        .client
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let ready = app
        .client
        .get(format!("{}/readyz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    // A migration the database has not applied makes the instance not ready.
    app.state
        .db
        .conn
        .execute_unprepared(
            "DELETE FROM seaql_migrations WHERE version = \
             (SELECT MAX(version) FROM seaql_migrations)",
        )
        .await
        .unwrap();
    let pending = app
        .client
        .get(format!("{}/readyz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(pending.status().as_u16(), 503);
    let body: serde_json::Value = pending.json().await.unwrap();
    assert_eq!(body["reason"], "1 migration(s) pending");
}

async fn metrics_count_operations_errors_and_the_pool(backend: Backend) {
    let app = spawn_app(backend).await;
    app.gql(
        "query MapPage { services(first: 2) { totalCount } }",
        json!({}),
    )
    .await;
    app.gql("{ services(first: -1) { totalCount } }", json!({}))
        .await;
    app.gql("{ nope }", json!({})).await;
    let text = app.metrics().await;
    assert!(
        text.contains("passerelle_graphql_request_duration_seconds_count{operation=\"MapPage\"} 1"),
        "{text}"
    );
    assert!(text.contains("passerelle_graphql_errors_total{code=\"BAD_USER_INPUT\"} 1"));
    assert!(text.contains("passerelle_graphql_errors_total{code=\"GRAPHQL_VALIDATION_FAILED\"} 1"));
    assert!(text.contains("passerelle_http_responses_total{status=\"200\"}"));
    assert!(text.contains("passerelle_db_pool_max_connections 4"));
    assert!(text.contains("passerelle_db_pool_connections{state=\"idle\"}"));
    let gauge = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    assert!(
        gauge("passerelle_read_model_services ") > 0,
        "the demo data is in memory"
    );
    assert!(
        gauge("passerelle_read_model_sequence ") > 0,
        "its load was logged"
    );
}

both_backends!(
    readiness_follows_the_database,
    metrics_count_operations_errors_and_the_pool
);

#[tokio::test]
async fn every_response_has_a_request_id() {
    let app = spawn_app(Backend::Sqlite).await;
    let given = app
        .client
        .get(format!("{}/healthz", app.url))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "abc-123");
    let mut seen = std::collections::HashSet::new();
    for _ in 0..3 {
        let made = app
            .client
            .get(format!("{}/healthz", app.url))
            .header("x-request-id", "not a valid id!")
            .send()
            .await
            .unwrap();
        let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_eq!(id.len(), 16);
        assert!(seen.insert(id));
    }
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut app = spawn_app(Backend::Sqlite).await;
    let body = r#"{"query":"{ categories { code } }"}"#;
    let addr = app.url.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // Half a request: the server is now reading it.
    let head = format!(
        "POST /graphql HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    app.shutdown();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"categories\""), "{answer}");
    // Once it is done, the server accepts no new connection.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err());
}

/// An operation name labels `/metrics` only when it names an operation of the document,
/// and then at most 64 characters of it.
#[tokio::test]
async fn metrics_labels_are_operations_of_the_document_and_short() {
    let app = spawn_app(Backend::Sqlite).await;
    let invented = "x".repeat(20_000);
    let long = format!("Op{}", "y".repeat(100));
    for (document, name) in [
        ("{ __typename }".to_owned(), invented.as_str()),
        (format!("query {long} {{ __typename }}"), long.as_str()),
    ] {
        app.client
            .post(format!("{}/graphql", app.url))
            .json(&json!({ "query": document, "operationName": name }))
            .send()
            .await
            .unwrap();
    }

    let text = app.metrics().await;

    assert!(!text.contains("xxxxxxxx"), "an invented name is no label");
    assert!(
        text.contains(&format!("operation=\"{}\"", &long[..64])),
        "{text}"
    );
    assert!(!text.contains(&long[..65]));
    assert!(text.len() < 20_000, "{} bytes", text.len());
}

/// With `http.metrics_token`, `/metrics` answers only requests bearing it.
#[tokio::test]
async fn metrics_can_require_a_token() {
    let app = passerelle_tests::spawn_app_with(Backend::Sqlite, |c| {
        c.http.metrics_token = Some(passerelle::config::Secret::new("scrape-me"));
    })
    .await;
    let scrape = |token: Option<&'static str>| {
        let mut request = app.client.get(format!("{}/metrics", app.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };

    let anonymous = scrape(None).await.unwrap();
    let wrong = scrape(Some("scrape-you")).await.unwrap();
    let right = scrape(Some("scrape-me")).await.unwrap();

    assert_eq!(anonymous.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(right.status(), 200);
    assert!(
        right
            .text()
            .await
            .unwrap()
            .contains("passerelle_http_responses_total")
    );
}

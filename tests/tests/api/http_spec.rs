//! GraphQL over HTTP: media types, status codes and request shapes as the spec (and the
//! `graphql-http` audit) describe them.

use passerelle_tests::{Backend, TestApp, raw_http, spawn_app};
use serde_json::Value;

struct Answer {
    status: u16,
    content_type: String,
    body: Value,
}

async fn send(app: &TestApp, accept: Option<&str>, body: &str) -> Answer {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let text = response.text().await.unwrap();
    Answer {
        status,
        content_type,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

const MODERN: &str = "application/graphql-response+json";

#[tokio::test]
async fn answers_in_the_media_type_asked_for() {
    let app = spawn_app(Backend::Sqlite).await;
    let query = r#"{"query":"{ __typename }"}"#;
    let json = send(&app, Some("application/json"), query).await;
    assert_eq!(json.content_type, "application/json; charset=utf-8");
    assert_eq!(json.body["data"]["__typename"], "Query");
    let modern = send(&app, Some(MODERN), query).await;
    assert_eq!(
        modern.content_type,
        "application/graphql-response+json; charset=utf-8"
    );
    assert_eq!(modern.body["data"]["__typename"], "Query");
    let none = send(&app, None, query).await;
    assert_eq!(none.content_type, "application/json; charset=utf-8");
    let any = send(&app, Some("*/*"), query).await;
    assert_eq!(any.content_type, "application/json; charset=utf-8");
    let html = send(&app, Some("text/html"), query).await;
    assert_eq!(html.status, 406);
    assert_eq!(
        html.body["errors"][0]["extensions"]["code"],
        "NOT_ACCEPTABLE"
    );
}

/// The spec's response is an ordered map: fields come back in the order asked for.
#[tokio::test]
async fn fields_come_back_in_the_order_of_the_query() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("content-type", "application/json")
        .body(r#"{"query":"{ zeta: __typename services(first: 1) { totalCount edges { node { name id } } } alpha: __typename }"}"#)
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let at = |key: &str| {
        text.find(&format!("\"{key}\""))
            .unwrap_or_else(|| panic!("{key} in {text}"))
    };
    assert!(
        at("zeta") < at("services") && at("services") < at("alpha"),
        "{text}"
    );
    assert!(
        at("totalCount") < at("edges") && at("name") < at("id"),
        "{text}"
    );
}

#[tokio::test]
async fn request_errors_are_400_for_the_graphql_media_type_and_200_for_json() {
    let app = spawn_app(Backend::Sqlite).await;
    let cases = [
        (r#"{"query":"{"}"#, "GRAPHQL_PARSE_FAILED"),
        (
            r#"{"query":"{ nothingHere }"}"#,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            r#"{"query":"query ($n: Int) { services(first: $n) { totalCount } }","variables":{"n":"many"}}"#,
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ];
    for (body, code) in cases {
        let modern = send(&app, Some(MODERN), body).await;
        assert_eq!(modern.status, 400, "{body}: {}", modern.body);
        assert_eq!(modern.body["errors"][0]["extensions"]["code"], code);
        assert!(modern.body.get("data").is_none(), "{}", modern.body);
        let json = send(&app, Some("application/json"), body).await;
        assert_eq!(json.status, 200, "{body}: {}", json.body);
        assert_eq!(json.body["errors"][0]["extensions"]["code"], code);
        assert!(json.body.get("data").is_none(), "{}", json.body);
    }
}

#[tokio::test]
async fn malformed_requests_are_400_whatever_the_client_accepts() {
    let app = spawn_app(Backend::Sqlite).await;
    let bodies = [
        "{ not json",
        "",
        "42",
        r#"{"query": 1}"#,
        r#"{"query": ["{ __typename }"]}"#,
        r#"{"query":"{ __typename }","operationName": 5}"#,
        r#"{"query":"{ __typename }","variables": "x"}"#,
        r#"{"query":"{ __typename }","extensions": []}"#,
        r#"{"operationName":"A"}"#,
    ];
    for body in bodies {
        for accept in [MODERN, "application/json"] {
            let answer = send(&app, Some(accept), body).await;
            assert_eq!(answer.status, 400, "{body:?} ({accept}): {}", answer.body);
            assert_eq!(
                answer.body["errors"][0]["extensions"]["code"], "BAD_REQUEST",
                "{body:?}"
            );
        }
    }
    // A POST must say it is JSON.
    let response = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("content-type", "text/plain")
        .body(r#"{"query":"{ __typename }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    let missing = raw_http(
        &app.url,
        b"POST /graphql HTTP/1.1\r\nhost: t\r\ncontent-length: 26\r\nconnection: close\r\n\r\n{\"query\":\"{ __typename }\"}",
    )
    .await;
    assert!(missing.starts_with("HTTP/1.1 415"), "{missing}");
}

#[tokio::test]
async fn get_carries_url_encoded_parameters() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .client
        .get(format!("{}/graphql", app.url))
        .query(&[
            (
                "query",
                "query Page($n: Int) { services(first: $n) { edges { node { name } } } }",
            ),
            ("variables", r#"{"n": 2}"#),
            ("operationName", "Page"),
        ])
        .header("accept", MODERN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["data"]["services"]["edges"].as_array().unwrap().len(),
        2
    );
    let bad = app
        .client
        .get(format!("{}/graphql", app.url))
        .query(&[("query", "{ __typename }"), ("variables", "{oops")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
}

#[tokio::test]
async fn charset_parameters_are_understood() {
    let app = spawn_app(Backend::Sqlite).await;
    for content_type in [
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
    ] {
        let response = app
            .client
            .post(format!("{}/graphql", app.url))
            .header("content-type", content_type)
            .body(r#"{"query":"{ __typename }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{content_type}");
    }
    let latin1 = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("content-type", "application/json; charset=iso-8859-1")
        .body(r#"{"query":"{ __typename }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(latin1.status().as_u16(), 415);
}

#[tokio::test]
async fn execution_errors_keep_data_and_status_200() {
    let app = spawn_app(Backend::Sqlite).await;
    let answer = send(
        &app,
        Some(MODERN),
        r#"{"query":"{ services(first: -1) { totalCount } }"}"#,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.get("data").is_some());
    assert_eq!(
        answer.body["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
}

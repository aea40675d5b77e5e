//! Client mistakes get a GraphQL error with `extensions.code = BAD_USER_INPUT` naming the
//! argument, never a 500 and never database text.

use passerelle_tests::{Backend, both_backends, spawn_app, spawn_app_with};
use serde_json::json;

async fn bad_arguments_are_refused_with_a_named_argument(backend: Backend) {
    let app = spawn_app(backend).await;
    let cases = [
        (
            "{ services(after: \"not-a-cursor\") { totalCount } }",
            "after",
        ),
        ("{ services(after: \"ZDp6ejox\") { totalCount } }", "after"),
        ("{ services(first: 1000) { totalCount } }", "first"),
        ("{ services(first: -1) { totalCount } }", "first"),
        (
            "{ services(filter: { near: { lat: 50.85, lon: 4.35, radiusMeters: 0 } }) { totalCount } }",
            "filter.near.radiusMeters",
        ),
        (
            "{ services(filter: { near: { lat: 50.85, lon: 4.35, radiusMeters: -5 } }) { totalCount } }",
            "filter.near.radiusMeters",
        ),
        (
            "{ services(filter: { near: { lat: 50.85, lon: 4.35, radiusMeters: 50001 } }) { totalCount } }",
            "filter.near.radiusMeters",
        ),
        (
            "{ services(filter: { near: { lat: 95, lon: 4.35, radiusMeters: 100 } }) { totalCount } }",
            "filter.near",
        ),
        (
            "{ services(filter: { territory: \"commune:99999\" }) { totalCount } }",
            "filter.territory",
        ),
        (
            "{ services(filter: { territory: \"nowhere\" }) { totalCount } }",
            "filter.territory",
        ),
        (
            "{ services(filter: { categories: [\"astrology\"] }) { totalCount } }",
            "filter.categories",
        ),
        (
            "{ services(filter: { categories: [] }) { totalCount } }",
            "filter.categories",
        ),
        (
            "{ services(filter: { authorities: [\"atlantis\"] }) { totalCount } }",
            "filter.authorities",
        ),
        (
            "{ services(filter: { languages: [\"french\"] }) { totalCount } }",
            "filter.languages",
        ),
        ("{ service(id: \"garbage\") { name } }", "id"),
        ("{ service(id: \"VGVycml0b3J5OjE\") { name } }", "id"),
        ("{ node(id: \"U2VydmljZTphYmM\") { id } }", "id"),
        ("{ organisation(id: \"\") { name } }", "id"),
        ("{ territory(code: \"commune:00000\") { name } }", "code"),
        ("{ resolvePoint(lat: 200, lon: 4.35) { code } }", "lat/lon"),
    ];
    for (query, argument) in cases {
        let response = app.gql(query, json!({})).await;
        assert_eq!(response.status, 200, "{query}");
        assert_eq!(
            response.error_code(),
            Some("BAD_USER_INPUT"),
            "{query}: {}",
            response.body
        );
        assert_eq!(
            response.body["errors"][0]["extensions"]["argument"], argument,
            "{query}: {}",
            response.body
        );
        let message = response.error_message().to_lowercase();
        assert!(
            message.contains(&format!("`{}`", argument.to_lowercase())),
            "{message}"
        );
        for leak in ["sql", "select", "sqlx", "postgres", "sqlite", "database"] {
            assert!(!message.contains(leak), "{query} leaked {leak}: {message}");
        }
    }
}

async fn a_cursor_of_another_ordering_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app
        .gql(
            "{ services(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = first.data()["services"]["pageInfo"]["endCursor"].clone();
    let response = app
        .gql(
            "query($after: String) { services(after: $after, filter: { near: { lat: 50.85, lon: 4.35, radiusMeters: 1000 } }) { totalCount } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_eq!(response.error_code(), Some("BAD_USER_INPUT"));
}

async fn malformed_documents_are_client_errors_not_server_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    for query in [
        "{ services(",
        "{ nope }",
        "{ services(first: \"ten\") { totalCount } }",
    ] {
        let response = app.gql(query, json!({})).await;
        assert!(response.status < 500, "{query}: {}", response.status);
        assert!(
            response.body["errors"]
                .as_array()
                .is_some_and(|e| !e.is_empty())
        );
    }
}

/// A field refused for a bad argument is `null` at its path beside the error; the rest
/// of `data` stands (async-graphql left the field out, and an emptied `data` null).
async fn a_refused_field_is_null_at_its_path(backend: Backend) {
    let app = spawn_app(backend).await;

    let alone = app
        .gql("{ service(id: \"garbage\") { name } }", json!({}))
        .await;
    let beside = app
        .gql(
            "{ a: service(id: \"garbage\") { name } authorities { code } }",
            json!({}),
        )
        .await;

    assert_eq!(
        alone.body["data"],
        json!({ "service": null }),
        "{}",
        alone.body
    );
    assert_eq!(alone.body["errors"][0]["path"], json!(["service"]));
    assert!(
        beside.body["data"].get("a").is_some_and(|a| a.is_null()),
        "{}",
        beside.body
    );
    assert!(beside.body["data"]["authorities"].is_array());
}

/// Every free-text argument is bounded (200 characters) and every list (100 items),
/// whatever root field carries it.
async fn unbounded_inputs_are_refused_naming_the_argument(backend: Backend) {
    let app = spawn_app(backend).await;
    let words = "sante mentale ".repeat(3_500);
    let categories: Vec<String> = (0..101).map(|_| "mental_health".to_owned()).collect();
    for (query, variables, argument) in [
        (
            "query($t: String) { organisations(filter: { text: $t }) { totalCount } }",
            json!({ "t": words }),
            "filter.text",
        ),
        (
            "query($t: String) { services(filter: { text: $t }) { totalCount } }",
            json!({ "t": words }),
            "filter.text",
        ),
        (
            "query($c: [String!]) { services(filter: { categories: $c }) { totalCount } }",
            json!({ "c": categories }),
            "filter.categories",
        ),
    ] {
        let response = app.gql(query, variables).await;

        assert_eq!(
            response.error_code(),
            Some("BAD_USER_INPUT"),
            "{}",
            response.body
        );
        assert_eq!(
            response.body["errors"][0]["extensions"]["argument"], argument,
            "{}",
            response.body
        );
    }
}

/// A variable of the wrong shape is refused before execution, as a request error with
/// the code of a wrong variable type (it was `INTERNAL`, from inside the resolver).
async fn a_variable_of_the_wrong_shape_is_a_validation_error(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .gql(
            "query($n: NearInput) { services(filter: { near: $n }) { totalCount } }",
            json!({ "n": [] }),
        )
        .await;

    assert_eq!(
        response.error_code(),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{}",
        response.body
    );
    assert!(response.body.get("data").is_none(), "{}", response.body);
    assert!(response.error_message().contains("$n"), "{}", response.body);
}

/// A document that passed validation once runs without async-graphql's rules, which
/// read the document alone (`http::persisted::ParsedDocuments`); the values of its
/// variables are still checked on every request, as for a document never seen.
async fn a_validated_document_still_checks_its_variables(backend: Backend) {
    // Without the response cache, every answer runs on a schema.
    let app = spawn_app_with(backend, |c| c.api.response_cache_mb = 0).await;
    let query = "query($n: NearInput, $at: DateTime) { services(filter: { near: $n, openAt: $at }) { totalCount } }";

    let good = json!({
        "n": { "lat": 50.85, "lon": 4.35, "radiusMeters": 1000 },
        "at": "2026-11-30T10:00:00Z",
    });
    for _ in 0..2 {
        let response = app.gql(query, good.clone()).await;
        assert!(response.body.get("errors").is_none(), "{}", response.body);
    }

    for (variables, named) in [
        (json!({ "n": [] }), "$n"),
        (
            json!({ "n": { "lat": "north", "lon": 4.35, "radiusMeters": 10 } }),
            "$n",
        ),
        (json!({ "n": { "lat": 50.85, "radiusMeters": 10 } }), "$n"),
        (json!({ "at": "tomorrow" }), "$at"),
    ] {
        let response = app.gql(query, variables.clone()).await;
        assert_eq!(
            response.error_code(),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "{variables}: {}",
            response.body
        );
        assert!(response.body.get("data").is_none(), "{}", response.body);
        assert!(
            response.error_message().contains(named),
            "{variables}: {}",
            response.body
        );
    }
    // And still answered afterwards.
    let response = app.gql(query, good).await;
    assert!(response.body.get("errors").is_none(), "{}", response.body);
}

/// A request on which the validation rules do not check the whole document (a variable
/// left out, an operation not selected, a variable with a default) does not let that
/// document skip them afterwards: its next request is refused as it would have been.
async fn a_document_checked_in_part_is_checked_again(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.api.response_cache_mb = 0).await;
    let refused = |response: &passerelle_tests::Gql, case: &str| {
        assert_eq!(
            response.error_code(),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "{case}: {}",
            response.body
        );
    };

    // `$t` left out: the rule for argument values skips `filter`, and its bad value.
    let query =
        "query($t: String) { services(filter: { text: $t, fees: [GRATIS] }) { totalCount } }";
    for _ in 0..2 {
        app.gql(query, json!({})).await;
    }
    refused(
        &app.gql(query, json!({ "t": "maison" })).await,
        "a variable left out",
    );

    // Operation `A` selected: `B`'s arguments are not checked.
    let two = "query A { services { totalCount } } \
               query B($t: String) { services(filter: { text: $t, fees: [GRATIS] }) { totalCount } }";
    let post = |operation: &'static str| {
        app.client
            .post(format!("{}/graphql", app.url))
            .json(&json!({ "query": two, "operationName": operation, "variables": { "t": "x" } }))
            .send()
    };
    for _ in 0..2 {
        let answer: serde_json::Value = post("A").await.unwrap().json().await.unwrap();
        assert!(answer["errors"].is_null(), "{answer}");
    }
    let answer: serde_json::Value = post("B").await.unwrap().json().await.unwrap();
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "another operation: {answer}"
    );

    // A variable with a default may fill a required argument, but not with `null`.
    let first = app
        .gql(
            "{ services(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let id = first.data()["services"]["edges"][0]["node"]["id"].clone();
    let query = format!("query($id: ID = {id}) {{ service(id: $id) {{ name }} }}");
    for _ in 0..2 {
        let response = app.gql(&query, json!({ "id": id })).await;
        assert!(response.body.get("errors").is_none(), "{}", response.body);
    }
    refused(
        &app.gql(&query, json!({ "id": null })).await,
        "null for a variable with a default",
    );
}

async fn a_database_failure_reaches_the_client_as_internal_without_its_text(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(passerelle::auth::Role::Admin, &[], None);
    {
        use sea_orm::ConnectionTrait;
        app.state
            .db
            .conn
            .execute_unprepared("DROP TABLE provenance")
            .await
            .unwrap();
    }

    let response = app
        .gql_as(
            Some(&admin),
            "{ services(first: 1) { edges { node { name provenance { field } } } } }",
            json!({}),
        )
        .await;

    let error = &response.body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{}", response.body);
    assert_eq!(error["message"], "internal error");
    // The request id, as in the `x-request-id` header: what finds the cause in the logs.
    let id = error["extensions"]["requestId"]
        .as_str()
        .unwrap_or_default();
    assert!(id.len() >= 8, "{}", response.body);
    let text = response.body.to_string().to_lowercase();
    for leak in ["provenance\"", "no such table", "does not exist", "sql"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
}

both_backends!(
    bad_arguments_are_refused_with_a_named_argument,
    a_cursor_of_another_ordering_is_refused,
    malformed_documents_are_client_errors_not_server_errors,
    a_database_failure_reaches_the_client_as_internal_without_its_text,
    unbounded_inputs_are_refused_naming_the_argument,
    a_variable_of_the_wrong_shape_is_a_validation_error,
    a_validated_document_still_checks_its_variables,
    a_document_checked_in_part_is_checked_again,
    a_refused_field_is_null_at_its_path,
);

//! `schema.graphql` is generated from the code; this test rewrites it and fails when it
//! was stale, so a reviewer sees the schema change in the diff.

use std::path::Path;

#[test]
fn schema_graphql_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let expected = passerelle::graphql::sdl();
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        std::fs::write(&path, &expected).unwrap();
        panic!("schema.graphql was stale and has been rewritten; review and commit it");
    }
}

#[tokio::test]
async fn graphiql_and_health_are_served_in_development() {
    let app = passerelle_tests::spawn_app(passerelle_tests::Backend::Sqlite).await;
    // A browser (asking for HTML) gets GraphiQL; an API client gets a GraphQL error.
    let page = app
        .client
        .get(format!("{}/graphql", app.url))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
    let api = app
        .client
        .get(format!("{}/graphql", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 400);
    let health = app
        .client
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let get_query = app
        .client
        .get(format!(
            "{}/graphql?query=%7B%20authorities%20%7B%20code%20%7D%20%7D",
            app.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(get_query.status(), 200);
    let body: serde_json::Value = get_query.json().await.unwrap();
    assert_eq!(body["data"]["authorities"].as_array().unwrap().len(), 7);
}

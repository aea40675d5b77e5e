//! Reads come from the in-memory read model: a nested page of directory fields runs no
//! SQL statement at all, and the fields still read from SQL (provenance) cost one
//! batched statement per relation whatever the page size; administrators' `sources` is
//! two statements whatever the number of sources.

use passerelle::{auth::Role, demo::FILES};
use passerelle_tests::{Backend, TestApp, both_backends, spawn_app_with};
use serde_json::json;

const NESTED: &str = "query($first: Int, $filter: ServiceFilter) {
  services(first: $first, filter: $filter) {
    totalCount
    edges { node {
      id name languages contacts { kind value }
      organisation { id name identifiers { scheme value } sites { id } }
      sites { address postcode point { lat lon } territories { code level name } }
      categories { code name parent { code } }
      accreditations { kind validFrom authority { code name } }
    } }
  }
}";

const WITH_PROVENANCE: &str = "query($first: Int) {
  services(first: $first) {
    edges { node { id name provenance { field source } } }
  }
}";

async fn statements_for(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    first: i32,
    filter: serde_json::Value,
) -> u64 {
    let before = app.statements();
    let response = app
        .gql_as(token, query, json!({ "first": first, "filter": filter }))
        .await;
    let edges = response.data()["services"]["edges"]
        .as_array()
        .unwrap()
        .len();
    assert!(edges > 0, "the page is not empty");
    app.statements() - before
}

async fn quiet_app(backend: Backend) -> TestApp {
    // No polling of the change log: nothing else runs a statement during the test.
    spawn_app_with(backend, |c| c.database.change_poll_ms = 0).await
}

async fn a_nested_page_runs_no_sql_statement(backend: Backend) {
    let app = quiet_app(backend).await;
    let near = json!({ "near": { "lat": 50.8467, "lon": 4.3525, "radiusMeters": 5000.0 } });
    let text = json!({ "text": "sante" });
    for filter in [json!(null), near, text] {
        for first in [5, 50] {
            let statements = statements_for(&app, None, NESTED, first, filter.clone()).await;
            assert_eq!(statements, 0, "{first} services with {filter}");
        }
    }
}

async fn fields_read_from_sql_cost_the_same_whatever_the_page_size(backend: Backend) {
    let app = quiet_app(backend).await;
    let admin = app.token(Role::Admin, &[], None);
    let small = statements_for(&app, Some(&admin), WITH_PROVENANCE, 2, json!(null)).await;
    let large = statements_for(&app, Some(&admin), WITH_PROVENANCE, 50, json!(null)).await;
    assert_eq!(
        small, large,
        "statement count must not grow with the page size"
    );
    assert_eq!(large, 1, "one batched statement for provenance");
}

async fn admin_sources_cost_the_same_whatever_the_number_of_sources(backend: Backend) {
    let mut counts = Vec::new();
    for sources in [1, 4] {
        let app = spawn_app_with(backend, |c| {
            c.database.change_poll_ms = 0;
            // The demo's sources: each has runs in the database.
            c.sources = FILES[..sources]
                .iter()
                .map(|f| passerelle_tests::source(f.source, f.kind, "http://127.0.0.1:9/"))
                .collect();
        })
        .await;
        let admin = app.token(Role::Admin, &[], None);
        let before = app.statements();

        let response = app
            .gql_as(
                Some(&admin),
                "{ sources { name configured lastRun { outcome } } }",
                json!({}),
            )
            .await;

        // Every source the database knows, the configured ones first.
        let listed = response.data()["sources"].as_array().unwrap().clone();
        assert_eq!(listed.len(), FILES.len());
        let configured: Vec<bool> = listed.iter().map(|s| s["configured"] == true).collect();
        assert_eq!(
            configured,
            (0..FILES.len()).map(|i| i < sources).collect::<Vec<_>>()
        );
        assert!(listed.iter().all(|s| s["lastRun"]["outcome"] == "success"));
        counts.push(app.statements() - before);
    }
    assert_eq!(
        counts,
        vec![2, 2],
        "the sources, then every source's latest runs"
    );
}

both_backends!(
    a_nested_page_runs_no_sql_statement,
    fields_read_from_sql_cost_the_same_whatever_the_page_size,
    admin_sources_cost_the_same_whatever_the_number_of_sources
);

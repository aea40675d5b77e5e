//! Every relation goes through a DataLoader: a nested page costs the same small number
//! of SQL statements whatever its size.

use passerelle_tests::{Backend, TestApp, both_backends, spawn_app};
use serde_json::json;

const NESTED: &str = "query($first: Int, $filter: ServiceFilter) {
  services(first: $first, filter: $filter) {
    edges { node {
      id name languages
      organisation { id name identifiers { scheme value } }
      sites { address postcode point { lat lon } territories { code level name } }
      categories { code name parent { code } }
      accreditations { kind validFrom authority { code name } }
    } }
  }
}";

async fn statements_for(app: &TestApp, first: i32, filter: serde_json::Value) -> u64 {
    let before = app.statements();
    let response = app
        .gql(NESTED, json!({ "first": first, "filter": filter }))
        .await;
    let edges = response.data()["services"]["edges"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(edges, first as usize, "the page is full");
    app.statements() - before
}

async fn a_nested_page_costs_the_same_statements_whatever_its_size(backend: Backend) {
    let app = spawn_app(backend).await;
    let small = statements_for(&app, 5, json!(null)).await;
    let large = statements_for(&app, 50, json!(null)).await;
    assert_eq!(
        small, large,
        "statement count must not grow with the page size"
    );
    // page + organisations + identifiers + sites + site territories + categories + accreditations + languages
    assert!(large <= 8, "{large} statements for one nested page");
    let near = json!({ "near": { "lat": 50.8467, "lon": 4.3525, "radiusMeters": 5000.0 } });
    let small = statements_for(&app, 5, near.clone()).await;
    let large = statements_for(&app, 50, near).await;
    assert_eq!(small, large);
}

both_backends!(a_nested_page_costs_the_same_statements_whatever_its_size);

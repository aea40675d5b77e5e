//! Relay pagination: walking all pages yields every match exactly once.

use std::collections::HashSet;

use passerelle_tests::{Backend, TestApp, both_backends, spawn_app};
use serde_json::{Value, json};

const PAGE: &str = "query($filter: ServiceFilter, $first: Int, $after: String) {
  services(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

async fn walk(app: &TestApp, filter: Value, page_size: i32) -> (Vec<String>, u64) {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    let mut total = None;
    for _ in 0..1000 {
        let response = app
            .gql(
                PAGE,
                json!({ "filter": filter, "first": page_size, "after": after }),
            )
            .await;
        let connection = &response.data()["services"];
        let this_total = connection["totalCount"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(this_total), this_total, "stable total");
        let edges = connection["edges"].as_array().unwrap();
        assert!(edges.len() <= page_size as usize);
        for edge in edges {
            ids.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        let info = &connection["pageInfo"];
        assert_eq!(info["hasPreviousPage"], after.is_some());
        if let Some(last) = edges.last() {
            assert_eq!(info["endCursor"], last["cursor"]);
        }
        if info["hasNextPage"] == false {
            return (ids, this_total);
        }
        assert_eq!(
            edges.len(),
            page_size as usize,
            "only the last page is short"
        );
        after = Some(info["endCursor"].as_str().unwrap().to_owned());
    }
    panic!("pagination did not end");
}

fn assert_no_duplicates_or_gaps(ids: &[String], total: u64) {
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "no duplicates");
    assert_eq!(ids.len() as u64, total, "no gaps");
}

async fn pages_cover_all_services_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ids, total) = walk(&app, json!(null), 37).await;
    assert!(total > 200, "the demo map has a few hundred services");
    assert_no_duplicates_or_gaps(&ids, total);
    // Another page size gives the same sequence.
    let (again, _) = walk(&app, json!(null), 100).await;
    assert_eq!(ids, again);
}

async fn filtered_and_geographic_pages_cover_all_matches_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ids, total) = walk(&app, json!({ "territory": "bassin:sud" }), 7).await;
    assert!(total > 7);
    assert_no_duplicates_or_gaps(&ids, total);
    let near = json!({ "near": { "lat": 50.8467, "lon": 4.3525, "radiusMeters": 3000.0 } });
    let (ids, total) = walk(&app, near.clone(), 6).await;
    assert!(total > 6);
    assert_no_duplicates_or_gaps(&ids, total);
    let (single_page, _) = walk(&app, near, 100).await;
    assert_eq!(
        ids, single_page,
        "paging does not change the distance order"
    );
}

async fn first_zero_returns_only_the_count(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.gql(PAGE, json!({ "first": 0 })).await;
    let connection = &response.data()["services"];
    assert!(connection["totalCount"].as_u64().unwrap() > 0);
    assert!(connection["edges"].as_array().unwrap().is_empty());
    assert_eq!(connection["pageInfo"]["hasNextPage"], true);
}

both_backends!(
    pages_cover_all_services_once,
    filtered_and_geographic_pages_cover_all_matches_once,
    first_zero_returns_only_the_count,
);

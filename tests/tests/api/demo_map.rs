//! The bundled demo as a user meets it: one coherent map (issue #13).

use passerelle::auth::Role;
use passerelle_tests::{Backend, spawn_app};
use serde_json::{Value, json};

/// "https://www.X.be/" → "x.be": how a reader tells two web addresses apart.
fn site_of(url: &str) -> String {
    let url = url.to_lowercase();
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    rest.trim_start_matches("www.")
        .trim_end_matches('/')
        .to_owned()
}

#[tokio::test]
async fn the_demo_conflicts_are_real_disagreements() {
    let app = spawn_app(Backend::Sqlite).await;
    let token = app.token(Role::Admin, &[], None);
    let response = app
        .gql_as(
            Some(&token),
            "{ conflicts(first: 1000) { field values } }",
            json!({}),
        )
        .await;
    let conflicts = response.data()["conflicts"].as_array().unwrap().clone();
    for conflict in &conflicts {
        let values: Value = serde_json::from_str(conflict["values"].as_str().unwrap()).unwrap();
        let values: Vec<&str> = values
            .as_object()
            .unwrap()
            .values()
            .filter_map(Value::as_str)
            .collect();
        if conflict["field"] == "website" {
            let sites: std::collections::BTreeSet<String> =
                values.iter().map(|v| site_of(v)).collect();
            assert!(sites.len() > 1, "the same site written twice: {values:?}");
        }
    }
    eprintln!("demo conflicts: {}", conflicts.len());
}

/// The demo's sources are not configured, yet the database holds their records: they are
/// listed, after the configured ones, with their last run.
#[tokio::test]
async fn sources_lists_what_the_database_knows() {
    let app = spawn_app(Backend::Sqlite).await;
    let token = app.token(Role::Admin, &[], None);
    let response = app
        .gql_as(
            Some(&token),
            "{ sources { name kind configured lastRun { outcome created } } }",
            json!({}),
        )
        .await;
    let sources = response.data()["sources"].as_array().unwrap().clone();
    assert!(!sources.is_empty(), "the demo's sources are known");
    for source in &sources {
        assert_eq!(source["configured"], false, "{source}");
        assert_eq!(source["lastRun"]["outcome"], "success", "{source}");
    }
    let kinds: std::collections::BTreeSet<&str> =
        sources.iter().filter_map(|s| s["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        ["csv", "hsds", "social_brussels", "sociale_kaart"]
            .into_iter()
            .collect()
    );
}

//! Labels come in the language asked for, falling back to the other official language.

use passerelle_tests::{Backend, both_backends, fixture, spawn_app};
use serde_json::json;

const BY_TEXT: &str = "query($text: String, $lang: Lang) {
  services(filter: { text: $text }, lang: $lang) {
    edges { node { id name categories { name } organisation { name }
      sites { territories { code name } } } }
  }
}";

async fn labels_follow_lang_and_fall_back_never_to_empty(backend: Backend) {
    let app = spawn_app(backend).await;
    // A Dutch-only source: the organisation and service have no French name.
    fixture::sync_hsds(
        &app,
        "labels-nl",
        "nl",
        &[fixture::hsds_service(
            "klaproos-thuiszorg",
            ("klaproos", "VZW Klaproos", None),
            "Thuiszorg Klaproos",
            (50.860754, 4.381674),
            "home_care",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
    let fr = app
        .gql(BY_TEXT, json!({ "text": "klaproos", "lang": "FR" }))
        .await;
    let node = &fr.data()["services"]["edges"][0]["node"];
    assert_eq!(
        node["name"], "Thuiszorg Klaproos",
        "French falls back to Dutch"
    );
    assert_eq!(node["organisation"]["name"], "VZW Klaproos");
    let commune = node["sites"][0]["territories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "commune:21015")
        .unwrap();
    assert_eq!(commune["name"], "Schaerbeek");
    let category_fr = node["categories"][0]["name"].as_str().unwrap().to_owned();

    let nl = app
        .gql(BY_TEXT, json!({ "text": "klaproos", "lang": "NL" }))
        .await;
    let node = &nl.data()["services"]["edges"][0]["node"];
    let commune = node["sites"][0]["territories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "commune:21015")
        .unwrap();
    assert_eq!(commune["name"], "Schaarbeek");
    let category_nl = node["categories"][0]["name"].as_str().unwrap().to_owned();
    assert_ne!(category_fr, category_nl, "category labels are translated");

    let en = app
        .gql(BY_TEXT, json!({ "text": "klaproos", "lang": "EN" }))
        .await;
    let node = &en.data()["services"]["edges"][0]["node"];
    assert_eq!(node["name"], "Thuiszorg Klaproos");
    assert!(!node["categories"][0]["name"].as_str().unwrap().is_empty());
}

async fn accept_language_sets_the_default_and_lang_overrides_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let query = "{ territory(code: \"commune:21015\") { name } other: territory(code: \"commune:21015\", lang: FR) { name } }";
    let response = app
        .gql_with_headers(
            query,
            json!({}),
            &[("accept-language", "nl-BE,nl;q=0.9,fr;q=0.8")],
        )
        .await;
    assert_eq!(response.data()["territory"]["name"], "Schaarbeek");
    assert_eq!(response.data()["other"]["name"], "Schaerbeek");
    let default = app.gql(query, json!({})).await;
    assert_eq!(default.data()["territory"]["name"], "Schaerbeek");
}

async fn global_ids_round_trip_through_node(backend: Backend) {
    let app = spawn_app(backend).await;
    let listed = app
        .gql(
            "{ services(first: 1) { edges { node { id name organisation { id } categories { id } sites { site { id } territories { id } } accreditations { authority { id } } } } } }",
            json!({}),
        )
        .await;
    let node = listed.data()["services"]["edges"][0]["node"].clone();
    let ids = [
        (node["id"].clone(), "Service"),
        (node["organisation"]["id"].clone(), "Organisation"),
        (node["categories"][0]["id"].clone(), "Category"),
        (node["sites"][0]["site"]["id"].clone(), "Site"),
        (
            node["sites"][0]["territories"][0]["id"].clone(),
            "Territory",
        ),
        (
            node["accreditations"][0]["authority"]["id"].clone(),
            "Authority",
        ),
    ];
    for (id, typename) in ids {
        let response = app
            .gql(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(response.data()["node"]["__typename"], typename);
        assert_eq!(response.data()["node"]["id"], id);
    }
    let service = app
        .gql(
            "query($id: ID!) { service(id: $id) { name } }",
            json!({ "id": node["id"] }),
        )
        .await;
    assert_eq!(service.data()["service"]["name"], node["name"]);
}

both_backends!(
    labels_follow_lang_and_fall_back_never_to_empty,
    accept_language_sets_the_default_and_lang_overrides_it,
    global_ids_round_trip_through_node,
);

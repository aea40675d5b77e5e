//! Apollo Federation v2: `_service { sdl }` gives the subgraph schema with the entities'
//! `@key`s; `_entities` resolves representations by global id, KBO/BCE number and
//! territory code, as the caller may see them. (`tests/federation` composes the SDL with
//! a second subgraph through Apollo's composition, from `.ci/run`.)

use passerelle::auth::Role;
use passerelle_tests::{Backend, fixture, spawn_app};
use serde_json::json;

const ENTITIES: &str = "query($r: [_Any!]!) { _entities(representations: $r) {
  __typename
  ... on Service { id name }
  ... on Organisation { id kbo name }
  ... on Territory { code name }
  ... on Site { id address } } }";

#[tokio::test]
async fn the_subgraph_resolves_its_entities_as_the_caller_may_see_them() {
    let app = spawn_app(Backend::Sqlite).await;
    let sdl = app.gql("{ _service { sdl } }", json!({})).await;
    let sdl = sdl.data()["_service"]["sdl"].as_str().unwrap().to_owned();
    assert!(
        sdl.contains("url: \"https://specs.apollo.dev/federation/v2"),
        "no @link to the federation spec"
    );
    for key in [
        "type Service implements Node @key(fields: \"id\")",
        "@key(fields: \"kbo\")",
        "@key(fields: \"code\")",
        "type Site implements Node @key(fields: \"id\")",
    ] {
        assert!(sdl.contains(key), "{key}");
    }

    let synced = fixture::sync_hsds(
        &app,
        "fed",
        "fr",
        &[
            fixture::hsds_service(
                "fed-shown",
                ("fed-org", "ASBL Fédérée", Some("0417.497.106")),
                "Permanence fédérée",
                (50.8671, 4.3729),
                "housing",
                "2026-01-01T00:00:00Z",
            ),
            fixture::hsds_service(
                "fed-withheld",
                ("fed-org", "ASBL Fédérée", Some("0417.497.106")),
                "Permanence retenue",
                (50.8671, 4.3729),
                "housing",
                "2026-01-01T00:00:00Z",
            ),
        ],
    )
    .await;
    fixture::curate(
        &app,
        &[passerelle::store::Curation::Publish {
            service_id: synced.services["fed-withheld"],
            published: false,
        }],
    )
    .await;
    let id = |key: &str| {
        passerelle::domain::GlobalId::new(passerelle::domain::Kind::Service, synced.services[key])
            .to_string()
    };
    let representations = json!([
        { "__typename": "Service", "id": id("fed-shown") },
        { "__typename": "Service", "id": id("fed-withheld") },
        { "__typename": "Organisation", "kbo": "0417497106" },
        { "__typename": "Territory", "code": "bassin:nord" },
        { "__typename": "Organisation", "kbo": "0000000000" },
    ]);
    let public = app.gql(ENTITIES, json!({ "r": representations })).await;
    let entities = &public.data()["_entities"];
    assert_eq!(entities[0]["name"], "Permanence fédérée");
    assert_eq!(
        entities[1],
        serde_json::Value::Null,
        "withheld from the public"
    );
    assert_eq!(entities[2]["kbo"], "0417497106");
    assert_eq!(entities[3]["code"], "bassin:nord");
    assert_eq!(entities[4], serde_json::Value::Null, "no such organisation");
    let admin = app.token(Role::Admin, &[], None);
    let all = app
        .gql_as(Some(&admin), ENTITIES, json!({ "r": representations }))
        .await;
    assert_eq!(all.data()["_entities"][1]["name"], "Permanence retenue");
}

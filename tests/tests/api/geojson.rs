//! GeoJSON for map libraries: `/geojson/services` and `/geojson/territories` as
//! `application/geo+json`, valid against the GeoJSON FeatureCollection schema, with
//! coordinates of 6 decimals; `servicesGeoJson` in GraphQL gives the same; each token
//! sees its own map; bad parameters are 400 with a stable code.

use passerelle::auth::Role;
use passerelle_tests::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

fn feature_collection_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(format!(
        "{}/data/geojson/FeatureCollection.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Value) {
    let mut request = app.client.get(format!("{}{path}", app.url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, media, response.json().await.unwrap())
}

fn decimals(value: &Value) -> usize {
    let text = value.to_string();
    text.split_once('.').map_or(0, |(_, d)| d.len())
}

#[tokio::test]
async fn services_and_territories_are_valid_geojson_for_each_caller() {
    let app = spawn_app(Backend::Sqlite).await;
    let schema = feature_collection_schema();

    let (status, media, map) = get(&app, "/geojson/services?lang=nl", None).await;
    assert_eq!((status, media.as_str()), (200, "application/geo+json"));
    let errors: Vec<String> = schema
        .iter_errors(&map)
        .take(3)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let features = map["features"].as_array().unwrap();
    assert!(
        features.len() > 100,
        "the demo's services: {}",
        features.len()
    );
    for feature in features {
        let [lon, lat] = [
            &feature["geometry"]["coordinates"][0],
            &feature["geometry"]["coordinates"][1],
        ];
        assert!(decimals(lon) <= 6 && decimals(lat) <= 6, "{feature}");
        assert!(
            (4.2..4.5).contains(&lon.as_f64().unwrap()),
            "longitude first: {feature}"
        );
        assert!((50.7..51.0).contains(&lat.as_f64().unwrap()), "{feature}");
        let properties = &feature["properties"];
        assert!(properties["name"].is_string(), "{feature}");
        assert!(properties["openNow"].is_boolean() || properties["openNow"].is_null());
    }

    // Filtered as `services` filters; the same through GraphQL.
    let (_, _, north) = get(
        &app,
        "/geojson/services?territory=bassin:nord&categories=mental_health",
        None,
    )
    .await;
    let north_count = north["features"].as_array().unwrap().len();
    assert!(
        north_count > 0 && north_count < features.len(),
        "{north_count}"
    );
    let graphql = app
        .gql(
            "{ servicesGeoJson(filter: { territory: \"bassin:nord\", categories: [\"mental_health\"] }) }",
            json!({}),
        )
        .await;
    assert_eq!(graphql.data()["servicesGeoJson"], north);

    // An administrator's map holds the unpublished listings too.
    let admin = app.token(Role::Admin, &[], None);
    let (_, _, everything) = get(&app, "/geojson/services", Some(&admin)).await;
    assert!(everything["features"].as_array().unwrap().len() > features.len());

    let (status, media, bassins) =
        get(&app, "/geojson/territories?level=bassin&lang=fr", None).await;
    assert_eq!((status, media.as_str()), (200, "application/geo+json"));
    let errors: Vec<String> = schema
        .iter_errors(&bassins)
        .take(3)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<&str> = bassins["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let (_, _, communes) = get(&app, "/geojson/territories?level=commune", None).await;
    assert_eq!(communes["features"].as_array().unwrap().len(), 19);

    for (path, argument) in [
        ("/geojson/territories?level=galaxy", "level"),
        ("/geojson/territories", "level"),
        ("/geojson/services?openAt=lundi", "openAt"),
        ("/geojson/services?territory=commune:99999", "territory"),
    ] {
        let (status, _, body) = get(&app, path, None).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{path}"
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(argument),
            "{path}: {body}"
        );
    }
}

/// Great-circle distance in metres (the test's own, not the product's).
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1, lat2, lon2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

/// `near` narrows the GeoJSON to the services `services(filter: { near })` finds, and to
/// their places within the radius (the web map asks for the view this way). It was
/// ignored: every place of the region came back.
#[tokio::test]
async fn services_geojson_near_keeps_the_places_within_the_radius() {
    let app = spawn_app(Backend::Sqlite).await;
    let (lat, lon, radius) = (50.8336, 4.366, 1500.0);
    let answer = app
        .gql(
            "query($near: NearInput!) { servicesGeoJson(filter: { near: $near })
               services(filter: { near: $near }, first: 100) { totalCount edges { node { id } } }
               all: servicesGeoJson }",
            json!({ "near": { "lat": lat, "lon": lon, "radiusMeters": radius } }),
        )
        .await;
    let data = answer.data();
    let features = data["servicesGeoJson"]["features"].as_array().unwrap();
    let everywhere = data["all"]["features"].as_array().unwrap().len();
    assert!(
        !features.is_empty() && features.len() < everywhere,
        "{} of {everywhere}",
        features.len()
    );
    for feature in features {
        let c = &feature["geometry"]["coordinates"];
        let d = metres((lat, lon), (c[1].as_f64().unwrap(), c[0].as_f64().unwrap()));
        assert!(d <= radius + 1.0, "{d} m: {feature}");
    }
    let mut drawn: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["service"].as_str().unwrap())
        .collect();
    drawn.sort_unstable();
    drawn.dedup();
    let mut listed: Vec<&str> = data["services"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    listed.sort_unstable();
    assert_eq!(data["services"]["totalCount"], listed.len());
    assert_eq!(drawn, listed);
}

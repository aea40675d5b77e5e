//! A WGS84 point resolves to quartier → commune → bassin → region (and the BruZEL zone).

use passerelle_tests::{Backend, TestApp, both_backends, spawn_app, spawn_app_on};
use serde_json::json;

const RESOLVE: &str =
    "query($lat: Float!, $lon: Float!) { resolvePoint(lat: $lat, lon: $lon) { code level } }";

async fn codes(app: &TestApp, lat: f64, lon: f64) -> Vec<String> {
    let response = app.gql(RESOLVE, json!({ "lat": lat, "lon": lon })).await;
    response.data()["resolvePoint"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect()
}

/// One point inside each commune (verified inside both the commune polygon and one of
/// its quartiers), with the expected quartier and bassin.
const COMMUNE_POINTS: &[(&str, f64, f64, &str, &str)] = &[
    ("21001", 50.828005, 4.268851, "55", "centre-ouest"),
    ("21002", 50.807794, 4.435847, "102", "sud-est"),
    ("21003", 50.866971, 4.292879, "67", "nord"),
    ("21004", 50.848372, 4.353810, "1", "centre-ouest"),
    ("21005", 50.834929, 4.394794, "32", "sud-est"),
    ("21006", 50.866938, 4.406872, "84", "nord-est"),
    ("21007", 50.822643, 4.329302, "51", "sud"),
    ("21008", 50.875139, 4.304933, "68", "nord"),
    ("21009", 50.821609, 4.394805, "107", "sud"),
    ("21010", 50.889299, 4.311866, "73", "nord"),
    ("21011", 50.860017, 4.331884, "17", "nord"),
    ("21012", 50.853788, 4.326789, "15", "centre-ouest"),
    ("21013", 50.827509, 4.338263, "49", "sud"),
    ("21014", 50.851914, 4.375299, "25", "nord-est"),
    ("21015", 50.860754, 4.381674, "27", "nord-est"),
    ("21016", 50.778838, 4.344247, "112", "sud"),
    ("21017", 50.800167, 4.422895, "103", "sud"),
    ("21018", 50.855329, 4.434836, "91", "sud-est"),
    ("21019", 50.831623, 4.452218, "96", "sud-est"),
];

async fn a_point_in_each_commune_resolves_up_to_the_region(backend: Backend) {
    let app = spawn_app(backend).await;
    for (nis, lat, lon, quartier, bassin) in COMMUNE_POINTS {
        let got = codes(&app, *lat, *lon).await;
        assert_eq!(
            got,
            vec![
                format!("quartier:{quartier}"),
                format!("commune:{nis}"),
                format!("bassin:{bassin}"),
                "region:bru".to_owned(),
                "zone:bruzel".to_owned(),
            ],
            "point in commune {nis}"
        );
    }
}

async fn a_point_on_a_shared_border_resolves_to_exactly_one_commune(backend: Backend) {
    let app = spawn_app(backend).await;
    // A vertex shared by the Anderlecht and Forest polygons, outside every quartier.
    let first = codes(&app, 50.811273, 4.301703).await;
    let second = codes(&app, 50.811273, 4.301703).await;
    assert_eq!(first, second, "resolution is deterministic");
    let communes: Vec<&String> = first.iter().filter(|c| c.starts_with("commune:")).collect();
    assert_eq!(communes.len(), 1, "{first:?}");
    assert!(first.contains(&"region:bru".to_owned()));
    // A vertex shared by Anderlecht and Molenbeek inside quartier 13, which spans both.
    let inside = codes(&app, 50.845188, 4.329832).await;
    assert_eq!(
        inside.iter().filter(|c| c.starts_with("commune:")).count(),
        1,
        "{inside:?}"
    );
    assert_eq!(inside[0], "quartier:13");
}

async fn a_point_in_a_multi_commune_quartier_gets_the_commune_it_lies_in(backend: Backend) {
    let app = spawn_app(backend).await;
    // Quartier 22 spans Saint-Josse (21014) and Schaerbeek (21015); this point is in Schaerbeek.
    assert_eq!(
        codes(&app, 50.864842, 4.367356).await,
        [
            "quartier:22",
            "commune:21015",
            "bassin:nord-est",
            "region:bru",
            "zone:bruzel"
        ]
    );
    // Quartier 21 spans three communes; this point is in Bruxelles-Ville, bassin Nord-Est.
    assert_eq!(
        codes(&app, 50.860880, 4.356369).await,
        [
            "quartier:21",
            "commune:21004",
            "bassin:nord-est",
            "region:bru",
            "zone:bruzel"
        ]
    );
}

async fn a_point_outside_the_region_resolves_to_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    for (lat, lon) in [
        (50.8798, 4.7005),
        (50.7339, 4.2345),
        (50.931888, 4.403466),
        (0.0, 0.0),
    ] {
        assert!(codes(&app, lat, lon).await.is_empty(), "{lat},{lon}");
    }
}

async fn territories_are_listed_per_level_with_both_names(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .gql(
            "{ communes: territories(level: COMMUNE) { code } bassins: territories(level: BASSIN, lang: NL) { code name } \
               quartiers: territories(level: QUARTIER) { code } zone: territory(code: \"zone:bruzel\") { name level } \
               schaerbeek: territory(code: \"commune:21015\", lang: NL) { name nameFr population parents { code } } }",
            json!({}),
        )
        .await;
    let data = response.data();
    assert_eq!(data["communes"].as_array().unwrap().len(), 19);
    assert_eq!(data["bassins"].as_array().unwrap().len(), 5);
    assert_eq!(data["quartiers"].as_array().unwrap().len(), 145);
    assert_eq!(data["zone"]["level"], "ZONE");
    assert_eq!(data["schaerbeek"]["name"], "Schaarbeek");
    assert_eq!(data["schaerbeek"]["nameFr"], "Schaerbeek");
    assert!(data["schaerbeek"]["population"].as_i64().unwrap() > 100_000);
    let parents: Vec<&str> = data["schaerbeek"]["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert!(parents.contains(&"bassin:nord-est"), "{parents:?}");
    let nord = data["bassins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == "bassin:nord")
        .unwrap();
    assert_eq!(nord["name"], "Noord");
}

/// Quartier names in their official spelling, every territory but the zone with an
/// outline (bassins and the region as unions of their quartiers), the listing in its
/// documented order; existing databases get the same when the application starts.
async fn places_are_named_drawn_and_ordered_as_documented(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .gql(
            "{ territories { code level nameFr nameNl population geometryGeoJson } }",
            json!({}),
        )
        .await;
    let all = response.data()["territories"].as_array().unwrap().clone();
    let codes: Vec<&str> = all.iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(
        &codes[..4],
        [
            "zone:bruzel",
            "region:bru",
            "bassin:centre-ouest",
            "bassin:nord"
        ]
    );
    let position = |code: &str| codes.iter().position(|c| *c == code).unwrap();
    assert!(position("commune:21019") < position("quartier:1"));
    assert!(position("quartier:2") < position("quartier:10"));
    assert!(position("quartier:118") < position("quartier:700"));
    let named = |code: &str| all[position(code)].clone();
    assert_eq!(named("quartier:12")["nameFr"], "Cureghem Vétérinaire");
    assert_eq!(named("quartier:1")["nameFr"], "Grand-Place");
    assert_eq!(named("quartier:1")["nameNl"], "Grote Markt");
    for territory in &all {
        let drawn = territory["geometryGeoJson"].as_str().map(|g| {
            let g: serde_json::Value = serde_json::from_str(g).unwrap();
            g["type"].as_str().unwrap().to_owned()
        });
        match territory["level"].as_str().unwrap() {
            "ZONE" => assert_eq!(drawn, None),
            _ => assert!(
                matches!(drawn.as_deref(), Some("Polygon" | "MultiPolygon")),
                "{}",
                territory["code"]
            ),
        }
    }
    assert!(named("bassin:sud-est")["population"].as_i64().unwrap() > 150_000);
    assert_eq!(named("bassin:nord")["population"], serde_json::Value::Null);

    // A database seeded before: names as the source wrote them, no bassin outlines.
    {
        use sea_orm::ConnectionTrait;
        let db = &app.state.db.conn;
        db.execute_unprepared(
            "UPDATE territory SET name_fr = 'Cureghem veterinaire' WHERE code = 'quartier:12'",
        )
        .await
        .unwrap();
        db.execute_unprepared("UPDATE territory SET geometry = NULL WHERE code LIKE 'bassin:%'")
            .await
            .unwrap();
    }
    let url = app.state.config.database.url.expose().to_owned();
    let restarted = spawn_app_on(url, |_| {}).await;
    let again = restarted
        .gql(
            "{ territory(code: \"quartier:12\") { nameFr } bassins: territories(level: BASSIN) { geometryGeoJson } }",
            json!({}),
        )
        .await;
    assert_eq!(again.data()["territory"]["nameFr"], "Cureghem Vétérinaire");
    assert!(
        again.data()["bassins"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["geometryGeoJson"].is_string())
    );
}

both_backends!(
    places_are_named_drawn_and_ordered_as_documented,
    a_point_in_each_commune_resolves_up_to_the_region,
    a_point_on_a_shared_border_resolves_to_exactly_one_commune,
    a_point_in_a_multi_commune_quartier_gets_the_commune_it_lies_in,
    a_point_outside_the_region_resolves_to_nothing,
    territories_are_listed_per_level_with_both_names,
);

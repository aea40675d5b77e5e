//! Filters and text search over the service map.

use passerelle::store::Curation;
use passerelle_tests::{Backend, both_backends, fixture, spawn_app};
use serde_json::{Value, json};

const SEARCH: &str = "query($filter: ServiceFilter, $first: Int, $lang: Lang) {
  services(filter: $filter, first: $first, lang: $lang) {
    totalCount
    edges { node { id name distanceMeters languages fee referralRequired status
      categories { code }
      accreditations { authority { code } kind }
      sites { point { lat lon } territories { code } } } }
  }
}";

fn nodes(data: &Value) -> Vec<&Value> {
    data["services"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect()
}

fn names(data: &Value) -> Vec<String> {
    nodes(data)
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Schaerbeek, quartier 27.
const SCHAERBEEK: (f64, f64) = (50.860754, 4.381674);
/// Ixelles, quartier 107.
const IXELLES: (f64, f64) = (50.821609, 4.394805);

async fn text_search_ignores_case_and_accents_in_both_languages(backend: Backend) {
    let app = spawn_app(backend).await;
    // One organisation (one KBO) listed by a French and a Dutch source.
    const FR: &str = "Service de santé mentale Le Méridien";
    const NL: &str = "Centrum voor geestelijke gezondheidszorg De Meridiaan";
    for (source, language, name, organisation) in [
        ("meridien-fr", "fr", FR, "ASBL Méridien"),
        ("meridien-nl", "nl", NL, "VZW Meridiaan"),
    ] {
        fixture::sync_hsds(
            &app,
            source,
            language,
            &[fixture::hsds_service(
                &format!("{source}-service"),
                (&format!("{source}-org"), organisation, Some("1234.567.894")),
                name,
                SCHAERBEEK,
                "mental_health",
                "2026-01-01T00:00:00Z",
            )],
        )
        .await;
    }
    // Either listing of the organisation's offer may answer: the organisation's names
    // and the category labels count in both languages.
    for (text, found) in [
        ("sante mentale meridien", true),
        ("SANTÉ MENTALE MÉRIDIEN", true),
        ("Santé-Mentale, méridien!", true),
        ("geestelijke gezondheidszorg meridiaan", true),
        ("meridiaan schaarbeek", true),
        ("meridien schaerbeek", true),
        ("meridien elsene", false),
        ("meridien cardiologie", false),
    ] {
        let response = app
            .gql(SEARCH, json!({ "filter": { "text": text }, "first": 50 }))
            .await;
        let names = names(response.data());
        assert_eq!(
            names.iter().any(|n| n == FR || n == NL),
            found,
            "{text:?} gave {names:?}"
        );
    }
}

async fn demo_text_search_finds_the_same_with_or_without_accents(backend: Backend) {
    let app = spawn_app(backend).await;
    let plain = app
        .gql(SEARCH, json!({ "filter": { "text": "sante mentale" } }))
        .await;
    let accented = app
        .gql(SEARCH, json!({ "filter": { "text": "SANTÉ Mentale" } }))
        .await;
    let total = plain.data()["services"]["totalCount"].as_u64().unwrap();
    assert!(total > 0, "the demo data has mental-health services");
    assert_eq!(
        accented.data()["services"]["totalCount"].as_u64().unwrap(),
        total
    );
    let dutch = app
        .gql(SEARCH, json!({ "filter": { "text": "schaarbeek" } }))
        .await;
    let french = app
        .gql(SEARCH, json!({ "filter": { "text": "schaerbeek" } }))
        .await;
    let dutch_total = dutch.data()["services"]["totalCount"].as_u64().unwrap();
    assert!(dutch_total > 0);
    assert_eq!(
        french.data()["services"]["totalCount"].as_u64().unwrap(),
        dutch_total
    );
}

async fn territory_and_category_filters_return_only_matching_services(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .gql(
            SEARCH,
            json!({ "filter": { "territory": "bassin:nord-est", "categories": ["mental_health"] }, "first": 100, "lang": "FR" }),
        )
        .await;
    let data = response.data();
    let total = data["services"]["totalCount"].as_u64().unwrap();
    assert!(
        total > 0,
        "demo data has mental-health services in Nord-Est"
    );
    for node in nodes(data) {
        let in_bassin = node["sites"].as_array().unwrap().iter().any(|s| {
            s["territories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["code"] == "bassin:nord-est")
        });
        assert!(in_bassin, "{node}");
        let categories: Vec<&str> = node["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert!(
            categories
                .iter()
                .any(|c| *c == "mental_health" || c.starts_with("mental_health.")),
            "{categories:?}"
        );
    }
    // A commune inside the bassin can only narrow the result.
    let schaerbeek = app
        .gql(
            SEARCH,
            json!({ "filter": { "territory": "commune:21015", "categories": ["mental_health"] } }),
        )
        .await;
    assert!(
        schaerbeek.data()["services"]["totalCount"]
            .as_u64()
            .unwrap()
            <= total
    );
}

async fn every_filter_is_honoured_by_every_result(backend: Backend) {
    let app = spawn_app(backend).await;
    let cases = [
        json!({ "languages": ["nl"] }),
        json!({ "fees": ["INAMI_CONVENTIONED"] }),
        json!({ "referralRequired": true }),
        json!({ "status": ["TEMPORARILY_CLOSED"] }),
        json!({ "authorities": ["vgc"] }),
    ];
    // Inactive and temporarily closed services are seen by professionals, not the public.
    let token = app.token(passerelle::auth::Role::ZonePartner, &[], None);
    for filter in cases {
        let response = app
            .gql_as(
                Some(&token),
                SEARCH,
                json!({ "filter": filter, "first": 100 }),
            )
            .await;
        let data = response.data();
        assert!(
            data["services"]["totalCount"].as_u64().unwrap() > 0,
            "{filter}"
        );
        for node in nodes(data) {
            let ok = if let Some(langs) = filter.get("languages") {
                node["languages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|l| langs.as_array().unwrap().contains(l))
            } else if filter.get("fees").is_some() {
                node["fee"] == "INAMI_CONVENTIONED"
            } else if filter.get("referralRequired").is_some() {
                node["referralRequired"] == true
            } else if filter.get("status").is_some() {
                node["status"] == "TEMPORARILY_CLOSED"
            } else {
                node["accreditations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["authority"]["code"] == "vgc")
            };
            assert!(ok, "{filter} let through {node}");
        }
    }
}

async fn near_search_sorts_by_distance_within_the_radius(backend: Backend) {
    let app = spawn_app(backend).await;
    let (lat, lon) = IXELLES;
    let response = app
        .gql(
            SEARCH,
            json!({ "filter": { "near": { "lat": lat, "lon": lon, "radiusMeters": 1500.0 } }, "first": 100 }),
        )
        .await;
    let data = response.data();
    let found = nodes(data);
    assert!(!found.is_empty());
    let mut previous = 0.0;
    for node in &found {
        let distance = node["distanceMeters"].as_f64().unwrap();
        assert!(distance >= previous, "sorted nearest first");
        assert!(distance <= 1500.0);
        previous = distance;
        // The distance is the one to the nearest site, computed independently here.
        let nearest = node["sites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                haversine(
                    lat,
                    lon,
                    s["point"]["lat"].as_f64().unwrap(),
                    s["point"]["lon"].as_f64().unwrap(),
                )
            })
            .fold(f64::INFINITY, f64::min);
        assert!((nearest - distance).abs() < 1.0, "{nearest} vs {distance}");
    }
    // Without `near`, no distance is reported.
    let plain = app.gql(SEARCH, json!({ "first": 3 })).await;
    assert!(
        nodes(plain.data())
            .iter()
            .all(|n| n["distanceMeters"].is_null())
    );
}

fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * a.sqrt().asin()
}

async fn the_demo_map_covers_every_bassin_authority_and_category(backend: Backend) {
    let app = spawn_app(backend).await;
    let reference = app
        .gql(
            "{ categories { code } authorities { code } territories(level: BASSIN) { code } }",
            json!({}),
        )
        .await;
    let reference = reference.data();
    let mut filters = Vec::new();
    for c in reference["categories"].as_array().unwrap() {
        filters.push(json!({ "categories": [c["code"]] }));
    }
    for a in reference["authorities"].as_array().unwrap() {
        filters.push(json!({ "authorities": [a["code"]] }));
    }
    for b in reference["territories"].as_array().unwrap() {
        filters.push(json!({ "territory": b["code"] }));
    }
    for filter in filters {
        let response = app
            .gql(
                "query($f: ServiceFilter) { services(filter: $f, first: 0) { totalCount } }",
                json!({ "f": filter }),
            )
            .await;
        assert!(
            response.data()["services"]["totalCount"].as_u64().unwrap() > 0,
            "no demo service for {filter}"
        );
    }
    let marked = app
        .gql(
            "{ services(first: 5) { edges { node { organisation { name isDemo } } } } }",
            json!({}),
        )
        .await;
    for edge in marked.data()["services"]["edges"].as_array().unwrap() {
        assert_eq!(edge["node"]["organisation"]["isDemo"], true);
        assert!(
            edge["node"]["organisation"]["name"]
                .as_str()
                .unwrap()
                .contains("[démo]")
                || edge["node"]["organisation"]["name"]
                    .as_str()
                    .unwrap()
                    .contains("[demo]")
        );
    }
}

async fn unpublished_services_are_not_listed_or_reachable(backend: Backend) {
    let app = spawn_app(backend).await;
    let synced = fixture::sync_hsds(
        &app,
        "zephyr",
        "fr",
        &[fixture::hsds_service(
            "zephyr-service",
            ("zephyr", "ASBL Zéphyr", None),
            "Service caché Zéphyr",
            IXELLES,
            "housing",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
    let hidden = synced.services["zephyr-service"];
    fixture::curate(
        &app,
        &[Curation::Publish {
            service_id: hidden,
            published: false,
        }],
    )
    .await;
    let listed = app
        .gql(SEARCH, json!({ "filter": { "text": "zephyr" } }))
        .await;
    assert_eq!(listed.data()["services"]["totalCount"], 0);
    use base64::Engine;
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Service:{hidden}"));
    let direct = app
        .gql(
            "query($id: ID!) { service(id: $id) { name } node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(direct.data()["service"].is_null());
    assert!(direct.data()["node"].is_null());
}

both_backends!(
    text_search_ignores_case_and_accents_in_both_languages,
    demo_text_search_finds_the_same_with_or_without_accents,
    territory_and_category_filters_return_only_matching_services,
    every_filter_is_honoured_by_every_result,
    near_search_sorts_by_distance_within_the_radius,
    the_demo_map_covers_every_bassin_authority_and_category,
    unpublished_services_are_not_listed_or_reachable,
);

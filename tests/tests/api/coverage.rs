//! Coverage of the basic offer on a small hand-checked dataset: services synced by the
//! HSDS connector at two real places, the population of two quartiers imported by the
//! `passerelle import indicators` command, and `coverage` (GraphQL) and
//! `/geojson/coverage` asked with each restriction (language, fee, referral, evenings,
//! weekends) and each scale (quartier, bassin, region).
//!
//! The places, checked by hand against the bundled quartier polygons:
//! - `GRAND_PLACE` lies in quartier 1 (Grand-Place, bassin Centre-Ouest); every vertex of
//!   that quartier's boundary is 151 to 482 m from it, so every inhabited point of the
//!   quartier is within 500 m, and some are farther than 250 m;
//! - `WATERMAEL` lies in quartier 104 (Watermael Centre, bassin Sud), whose boundary's
//!   vertices are 4.91 to 6.92 km from `GRAND_PLACE`.

use passerelle::config::BasicOfferEntry;
use passerelle_tests::{Backend, TestApp, both_backends, fixture, process, spawn_empty_app_with};
use serde_json::{Value, json};

const GRAND_PLACE: (f64, f64) = (50.8467, 4.3525);
const WATERMAEL: (f64, f64) = (50.7990, 4.4140);

fn entry(category: &str, scale: &str) -> BasicOfferEntry {
    BasicOfferEntry {
        category: category.to_owned(),
        scale: scale.to_owned(),
        reach_m: None,
    }
}

/// A service of its own organisation, with `change` applied to its HSDS document.
fn service(id: &str, category: &str, point: (f64, f64), change: impl FnOnce(&mut Value)) -> Value {
    let mut service = fixture::hsds_service(
        id,
        (&format!("org-{id}"), &format!("ASBL {id}"), None),
        &format!("Service {id}"),
        point,
        category,
        "2026-01-01T00:00:00Z",
    );
    change(&mut service);
    service
}

fn schedule(service: &mut Value, byday: &str, opens: &str, closes: &str) {
    service["service_at_locations"][0]["schedules"] =
        json!([{ "id": "s", "byday": byday, "opens_at": opens, "closes_at": closes }]);
}

/// The dataset of the module's documentation, and the population of quartiers 1 and 104.
async fn dataset(backend: Backend) -> TestApp {
    let app = spawn_empty_app_with(backend, |config| {
        config.coverage.basic_offer = vec![
            entry("medical_house", "quartier"),
            entry("family_planning", "quartier"),
            entry("debt_mediation", "quartier"),
            entry("home_care", "bassin"),
            entry("palliative_care", "region"),
        ];
    })
    .await;
    let services = vec![
        // French, free, open access, weekdays 9 to 17.
        service("mh-fr", "medical_house", GRAND_PLACE, |s| {
            s["fees_description"] = json!("Gratuit");
            s["application_process"] = json!("Accès libre");
        }),
        // Dutch, income-based, Monday evening.
        service("mh-nl", "medical_house", GRAND_PLACE, |s| {
            s["languages"] = json!([{ "id": "l", "code": "nl", "name": "Dutch" }]);
            s["fees_description"] = json!("Selon les revenus");
            schedule(s, "MO", "16:00", "20:00");
        }),
        // On a professional's referral, Saturday morning.
        service("fp", "family_planning", GRAND_PLACE, |s| {
            s["application_process"] = json!("Sur orientation d'un professionnel");
            schedule(s, "SA", "10:00", "12:00");
        }),
        // Inactive: it does not count.
        service("debt-closed", "debt_mediation", GRAND_PLACE, |s| {
            s["status"] = json!("inactive");
        }),
        // Unpublished below: it does not count either.
        service("debt-hidden", "debt_mediation", GRAND_PLACE, |_| {}),
        service("home", "home_care", GRAND_PLACE, |_| {}),
        service("palliative", "palliative_care", WATERMAEL, |_| {}),
    ];
    let synced = fixture::sync_hsds(&app, "coverage", "fr", &services).await;
    fixture::curate(
        &app,
        &[passerelle::store::Curation::Publish {
            service_id: synced.services["debt-hidden"],
            published: false,
        }],
    )
    .await;
    let file = write_file(
        "territory,indicator,year,value,unit,source\n\
         quartier:1,population,2023,4000,inhabitants,IBSA\n\
         104,population,2023,5000,inhabitants,IBSA\n",
    );
    let output = process::run(
        app.state.config.database.url.expose(),
        "",
        &["import", "indicators", &file],
    )
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    app
}

fn write_file(text: &str) -> String {
    let path = std::env::temp_dir().join(format!(
        "indicators-{}-{}.csv",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

const COVERAGE: &str = "query($t: String!, $f: CoverageFilter) {
  coverage(territory: $t, filter: $f) {
    population
    categories { offer { category { code } scale reachMetres } status coveredShare population populationWithout }
    quartiers { quartier { code } population populationYear missing { category { code } scale } categories { population populationWithout } }
  }
}";

/// `category@scale` → (status, covered share, inhabitants without) over the territory.
async fn statuses(
    app: &TestApp,
    territory: &str,
    filter: Value,
) -> Vec<(String, String, f64, i64)> {
    let answer = app
        .gql(COVERAGE, json!({ "t": territory, "f": filter }))
        .await;
    answer.data()["coverage"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{}@{}",
                    c["offer"]["category"]["code"].as_str().unwrap(),
                    c["offer"]["scale"].as_str().unwrap().to_lowercase()
                ),
                c["status"].as_str().unwrap().to_owned(),
                c["coveredShare"].as_f64().unwrap(),
                c["populationWithout"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn status<'a>(rows: &'a [(String, String, f64, i64)], key: &str) -> &'a str {
    &rows
        .iter()
        .find(|r| r.0 == key)
        .unwrap_or_else(|| panic!("{key} in {rows:?}"))
        .1
}

async fn a_quartier_with_and_without_each_category(backend: Backend) {
    let app = dataset(backend).await;

    let here = statuses(&app, "quartier:1", json!(null)).await;
    assert_eq!(
        here,
        vec![
            (
                "medical_house@quartier".to_owned(),
                "COVERED".to_owned(),
                1.0,
                0
            ),
            (
                "family_planning@quartier".to_owned(),
                "COVERED".to_owned(),
                1.0,
                0
            ),
            // One inactive, one unpublished: none counts.
            (
                "debt_mediation@quartier".to_owned(),
                "MISSING".to_owned(),
                0.0,
                4000
            ),
            ("home_care@bassin".to_owned(), "COVERED".to_owned(), 1.0, 0),
            (
                "palliative_care@region".to_owned(),
                "COVERED".to_owned(),
                1.0,
                0
            ),
        ]
    );

    // 4.9 km away and more, in another bassin: only the regional scale reaches it.
    let far = statuses(&app, "quartier:104", json!(null)).await;
    assert_eq!(
        far.iter()
            .map(|r| (r.0.as_str(), r.1.as_str(), r.3))
            .collect::<Vec<_>>(),
        vec![
            ("medical_house@quartier", "MISSING", 5000),
            ("family_planning@quartier", "MISSING", 5000),
            ("debt_mediation@quartier", "MISSING", 5000),
            ("home_care@bassin", "MISSING", 5000),
            ("palliative_care@region", "COVERED", 0),
        ]
    );
    // 4.5 km do not reach it either.
    let wider = statuses(&app, "quartier:104", json!({ "reachMetres": 4500 })).await;
    assert_eq!(status(&wider, "medical_house@quartier"), "MISSING");

    // 250 m from the site: part of quartier 1 only; 500 m: all of it.
    let near = statuses(&app, "quartier:1", json!({ "reachMetres": 250 })).await;
    let (_, state, share, without) = near
        .iter()
        .find(|r| r.0 == "medical_house@quartier")
        .unwrap();
    assert_eq!(state, "PARTIAL");
    assert!(*share > 0.0 && *share < 1.0, "{share}");
    assert!(*without > 0 && *without < 4000, "{without}");
    // A reach replaces the walking distance, not the scale of a territory.
    assert_eq!(status(&near, "home_care@bassin"), "COVERED");
    let all = statuses(&app, "quartier:1", json!({ "reachMetres": 500 })).await;
    assert_eq!(status(&all, "medical_house@quartier"), "COVERED");

    // The imported population, with its year; the bassin sums its quartiers.
    let answer = app.gql(COVERAGE, json!({ "t": "quartier:1" })).await;
    let quartier = &answer.data()["coverage"]["quartiers"][0];
    assert_eq!(quartier["quartier"]["code"], "quartier:1");
    assert_eq!(quartier["population"], 4000);
    assert_eq!(quartier["populationYear"], 2023);
    assert_eq!(
        quartier["missing"],
        json!([{ "category": { "code": "debt_mediation" }, "scale": "QUARTIER" }])
    );
    let bassin = app
        .gql(COVERAGE, json!({ "t": "bassin:centre-ouest" }))
        .await;
    let quartiers = bassin.data()["coverage"]["quartiers"].as_array().unwrap();
    assert!(
        quartiers
            .iter()
            .any(|q| q["quartier"]["code"] == "quartier:1")
    );
    assert!(
        !quartiers
            .iter()
            .any(|q| q["quartier"]["code"] == "quartier:104")
    );
    // Each entry's inhabitants without, summed over the quartiers (each rounded).
    let totals = bassin.data()["coverage"]["categories"].as_array().unwrap();
    for (i, total) in totals.iter().enumerate() {
        let sum = |field: &str| -> i64 {
            quartiers
                .iter()
                .map(|q| q["categories"][i][field].as_i64().unwrap())
                .sum()
        };
        let population = total["population"].as_i64().unwrap();
        let without = total["populationWithout"].as_i64().unwrap();
        assert!(
            (population - sum("population")).abs() <= quartiers.len() as i64,
            "{total}"
        );
        assert!(
            (without - sum("populationWithout")).abs() <= quartiers.len() as i64,
            "{total}"
        );
        // The share is of inhabitants.
        let share = total["coveredShare"].as_f64().unwrap();
        assert!(
            (share - (1.0 - without as f64 / population as f64)).abs() < 0.001,
            "{total}"
        );
    }
    // Medical houses: quartier 1 and its neighbours within 1.2 km, not the whole bassin.
    let medical = &totals[0];
    assert_eq!(medical["status"], "PARTIAL");
    assert!(medical["populationWithout"].as_i64().unwrap() > 0);
    // Quartiers of Bruxelles-Ville in other bassins stay out of Centre-Ouest.
    let nord = app.gql(COVERAGE, json!({ "t": "bassin:nord" })).await;
    assert!(
        !nord.data()["coverage"]["quartiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["quartier"]["code"] == "quartier:1"),
        "Grand-Place is in Centre-Ouest only"
    );
}

async fn restrictions_of_language_fee_referral_and_hours(backend: Backend) {
    let app = dataset(backend).await;
    let ask = |filter: Value| {
        let app = &app;
        async move { statuses(app, "quartier:1", filter).await }
    };
    // Dutch: the Dutch-speaking medical house; no family planning in Dutch.
    let dutch = ask(json!({ "languages": ["nl"] })).await;
    assert_eq!(status(&dutch, "medical_house@quartier"), "COVERED");
    assert_eq!(status(&dutch, "family_planning@quartier"), "MISSING");
    // Free: the French one only.
    let free = ask(json!({ "freeOnly": true })).await;
    assert_eq!(status(&free, "medical_house@quartier"), "COVERED");
    let free_dutch = ask(json!({ "freeOnly": true, "languages": ["nl"] })).await;
    assert_eq!(status(&free_dutch, "medical_house@quartier"), "MISSING");
    // Without referral: family planning asks for one.
    let open_access = ask(json!({ "noReferral": true })).await;
    assert_eq!(status(&open_access, "family_planning@quartier"), "MISSING");
    assert_eq!(status(&open_access, "medical_house@quartier"), "COVERED");
    // Evenings: the Dutch one until 20:00 on Mondays.
    let evenings = ask(json!({ "openEvenings": true })).await;
    assert_eq!(status(&evenings, "medical_house@quartier"), "COVERED");
    assert_eq!(status(&evenings, "family_planning@quartier"), "MISSING");
    let evenings_free = ask(json!({ "openEvenings": true, "freeOnly": true })).await;
    assert_eq!(status(&evenings_free, "medical_house@quartier"), "MISSING");
    // Weekends: family planning on Saturdays, no medical house.
    let weekends = ask(json!({ "openWeekends": true })).await;
    assert_eq!(status(&weekends, "family_planning@quartier"), "COVERED");
    assert_eq!(status(&weekends, "medical_house@quartier"), "MISSING");
    // Only some entries.
    let some = ask(json!({ "categories": ["palliative_care"] })).await;
    assert_eq!(
        some.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        vec!["palliative_care@region"]
    );
}

async fn the_geojson_gives_each_quartier_what_it_misses(backend: Backend) {
    let app = dataset(backend).await;
    let response = app
        .client
        .get(format!(
            "{}/geojson/coverage?territory=commune:21017",
            app.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        passerelle::geojson::MEDIA_TYPE
    );
    let document: Value = response.json().await.unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/data/geojson/FeatureCollection.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(
        validator.is_valid(&document),
        "not a valid FeatureCollection"
    );
    let features = document["features"].as_array().unwrap();
    // The residential quartiers of Watermael-Boitsfort, each with its boundary.
    let expected: Vec<&str> = app
        .state
        .reference
        .territories
        .iter()
        .filter(|t| t.residential && t.level == passerelle::geo::Level::Quartier)
        .filter(|t| {
            t.parent_ids.contains(
                &app.state
                    .reference
                    .territory_by_code("commune:21017")
                    .unwrap()
                    .id,
            )
        })
        .map(|t| t.code.as_str())
        .collect();
    let mut codes: Vec<&str> = features.iter().map(|f| f["id"].as_str().unwrap()).collect();
    codes.sort_unstable();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort_unstable();
    assert_eq!(codes, expected_sorted);
    let centre = features.iter().find(|f| f["id"] == "quartier:104").unwrap();
    assert_eq!(centre["properties"]["population"], 5000);
    assert_eq!(
        centre["properties"]["missing"],
        json!([
            "medical_house@quartier",
            "family_planning@quartier",
            "debt_mediation@quartier",
            "home_care@bassin"
        ])
    );
    assert_eq!(centre["properties"]["missingCount"], 4);

    // The same restrictions as GraphQL, as parameters.
    let weekends: Value = app
        .client
        .get(format!(
            "{}/geojson/coverage?territory=quartier:1&openWeekends=true&categories=family_planning,medical_house",
            app.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        weekends["features"][0]["properties"]["missing"],
        json!(["medical_house@quartier"])
    );
}

async fn bad_coverage_requests_name_their_argument(backend: Backend) {
    let app = dataset(backend).await;
    for (territory, filter, argument) in [
        ("quartier:999", json!(null), "territory"),
        (
            "quartier:1",
            json!({ "reachMetres": 5001 }),
            "filter.reachMetres",
        ),
        (
            "quartier:1",
            json!({ "reachMetres": 0 }),
            "filter.reachMetres",
        ),
        (
            "quartier:1",
            json!({ "categories": ["housing"] }),
            "filter.categories",
        ),
        (
            "quartier:1",
            json!({ "categories": ["no_such"] }),
            "filter.categories",
        ),
        (
            "quartier:1",
            json!({ "categories": [] }),
            "filter.categories",
        ),
        (
            "quartier:1",
            json!({ "languages": ["dutch"] }),
            "filter.languages",
        ),
    ] {
        let answer = app
            .gql(COVERAGE, json!({ "t": territory, "f": filter }))
            .await;
        assert_eq!(
            answer.error_code(),
            Some("BAD_USER_INPUT"),
            "{}",
            answer.body
        );
        assert_eq!(
            answer.body["errors"][0]["extensions"]["argument"], argument,
            "{}",
            answer.body
        );
    }
    for query in [
        "territory=quartier:999",
        "territory=quartier:1&reachMetres=9000",
        "territory=quartier:1&reachMetres=far",
        "territory=quartier:1&freeOnly=yes",
        "",
    ] {
        let response = app
            .client
            .get(format!("{}/geojson/coverage?{query}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_misconfigured_basic_offer_stops_the_start() {
    let database = passerelle_tests::empty_database(Backend::Sqlite).await;
    for (config, says) in [
        (
            "[[coverage.basic_offer]]\ncategory = \"mental\"\nscale = \"quartier\"\n",
            "coverage.basic_offer[0].category: unknown category \"mental\"",
        ),
        (
            "[[coverage.basic_offer]]\ncategory = \"cpas\"\nscale = \"street\"\n",
            "coverage.basic_offer[0].scale: \"street\" is not one of quartier, commune, bassin, region",
        ),
        (
            "[[coverage.basic_offer]]\ncategory = \"cpas\"\nscale = \"quartier\"\nreach_m = 9000\n",
            "coverage.basic_offer[0].reach_m: 9000 is not between 1 and coverage.max_reach_m (5000)",
        ),
        (
            "[[coverage.basic_offer]]\ncategory = \"cpas\"\nscale = \"commune\"\n[[coverage.basic_offer]]\ncategory = \"cpas\"\nscale = \"commune\"\n",
            "coverage.basic_offer[1].scale: cpas is already in the basic offer at the commune scale",
        ),
    ] {
        let output = process::run(&database, config, &["migrate"]).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{config}");
        assert!(stderr.contains(says), "{config}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

async fn without_imported_figures_the_population_is_estimated(backend: Backend) {
    let app = spawn_empty_app_with(backend, |_| {}).await;
    let region = app
        .gql(
            "{ territory(code: \"region:bru\") { population } coverage(territory: \"region:bru\", filter: { categories: [\"palliative_care\"] }) { population quartiers { populationYear } } }",
            json!({}),
        )
        .await;
    let data = region.data();
    let quartiers = data["coverage"]["quartiers"].as_array().unwrap();
    // The 118 residential quartiers, each estimated.
    assert_eq!(quartiers.len(), 118);
    assert!(quartiers.iter().all(|q| q["populationYear"].is_null()));
    // The communes' inhabitants spread over their quartiers add up to the region's (each
    // quartier's estimate rounded).
    let expected = data["territory"]["population"].as_i64().unwrap();
    let estimated = data["coverage"]["population"].as_i64().unwrap();
    assert!(
        (expected - estimated).abs() <= 118,
        "{estimated} for {expected}"
    );
    // No service at all: the whole region is without.
    let without = app
        .gql(
            COVERAGE,
            json!({ "t": "region:bru", "f": { "categories": ["palliative_care"] } }),
        )
        .await;
    let category = &without.data()["coverage"]["categories"][0];
    assert_eq!(category["status"], "MISSING");
    assert_eq!(category["populationWithout"], category["population"]);
    // A cemetery has no inhabitants to cover.
    let cemetery = app.gql(COVERAGE, json!({ "t": "quartier:700" })).await;
    assert_eq!(
        cemetery.error_code(),
        Some("BAD_USER_INPUT"),
        "{}",
        cemetery.body
    );
    assert_eq!(
        cemetery.body["errors"][0]["extensions"]["argument"],
        "territory"
    );
}

async fn indicators_colour_the_territories_map(backend: Backend) {
    let app = dataset(backend).await;
    let get = |path: String| {
        let app = &app;
        async move {
            app.client
                .get(format!("{}{path}", app.url))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let map = get("/geojson/territories?level=quartier&indicators=population".to_owned()).await;
    let features = map["features"].as_array().unwrap();
    let one = features.iter().find(|f| f["id"] == "quartier:1").unwrap();
    assert_eq!(
        one["properties"]["indicators"]["population"],
        json!({ "value": 4000.0, "year": 2023, "unit": "inhabitants", "source": "IBSA" })
    );
    let other = features.iter().find(|f| f["id"] == "quartier:2").unwrap();
    assert_eq!(other["properties"]["indicators"], json!({}));
    // Without `indicators`, no such property.
    let plain = get("/geojson/territories?level=quartier".to_owned()).await;
    assert!(
        plain["features"][0]["properties"]
            .get("indicators")
            .is_none()
    );
}

both_backends!(
    a_quartier_with_and_without_each_category,
    restrictions_of_language_fee_referral_and_hours,
    the_geojson_gives_each_quartier_what_it_misses,
    bad_coverage_requests_name_their_argument,
    without_imported_figures_the_population_is_estimated,
    indicators_colour_the_territories_map,
);

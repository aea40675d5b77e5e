//! The bundled demo as a user meets it: one coherent map (issue #13).

use passerelle::auth::Role;
use passerelle_tests::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

/// Every node of the connection `root` (`services` or `organisations`), page by page as
/// an administrator, each with `fields`.
async fn every(app: &TestApp, root: &str, fields: &str) -> Vec<Value> {
    let token = app.token(Role::Admin, &[], None);
    let query = format!(
        "query($after: String) {{ {root}(first: 100, after: $after) {{
           pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {fields} }} }} }} }}"
    );
    let (mut nodes, mut after) = (Vec::new(), Value::Null);
    loop {
        let response = app
            .gql_as(Some(&token), &query, json!({ "after": after }))
            .await;
        let page = response.data()[root].clone();
        nodes.extend(
            page["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"].clone()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            return nodes;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

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

/// The communes each postcode of the region serves (Bruxelles-Ville reaches into 1040
/// and 1050).
const POSTCODES: [(&str, &[&str]); 22] = [
    ("1000", &["21004"]),
    ("1020", &["21004"]),
    ("1030", &["21015"]),
    ("1040", &["21005", "21004"]),
    ("1050", &["21009", "21004"]),
    ("1060", &["21013"]),
    ("1070", &["21001"]),
    ("1080", &["21012"]),
    ("1081", &["21011"]),
    ("1082", &["21003"]),
    ("1083", &["21008"]),
    ("1090", &["21010"]),
    ("1120", &["21004"]),
    ("1130", &["21004"]),
    ("1140", &["21006"]),
    ("1150", &["21019"]),
    ("1160", &["21002"]),
    ("1170", &["21017"]),
    ("1180", &["21016"]),
    ("1190", &["21007"]),
    ("1200", &["21018"]),
    ("1210", &["21014"]),
];

/// Every demo site with a point lies in the commune its postcode serves, and Laeken,
/// Neder-Over-Heembeek and Haren (1020, 1120, 1130) in the Nord bassin. (A few records
/// of the feeds carry no coordinates, as real ones do: their sites have no territory.)
#[tokio::test]
async fn the_demo_sites_lie_where_their_addresses_say() {
    let app = spawn_app(Backend::Sqlite).await;
    let organisations = every(
        &app,
        "organisations",
        "name sites { address postcode territories { code } }",
    )
    .await;
    let mut checked = 0;
    let mut wrong = Vec::new();
    for organisation in &organisations {
        for site in organisation["sites"].as_array().unwrap() {
            let postcode = site["postcode"].as_str().unwrap_or_default();
            let codes: Vec<&str> = site["territories"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t["code"].as_str())
                .collect();
            if codes.is_empty() {
                continue;
            }
            let communes = POSTCODES
                .iter()
                .find(|(p, _)| *p == postcode)
                .map(|(_, c)| *c)
                .unwrap_or_default();
            let in_commune = communes
                .iter()
                .any(|nis| codes.contains(&format!("commune:{nis}").as_str()));
            let north =
                !["1020", "1120", "1130"].contains(&postcode) || codes.contains(&"bassin:nord");
            if !in_commune || !north {
                wrong.push(format!(
                    "{} – {}: {codes:?}",
                    organisation["name"], site["address"]
                ));
            }
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} sites");
    assert!(
        wrong.is_empty(),
        "{} of {checked} sites:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The demo looks like Brussels: names in normal case, free CPAS/OCMW services, nearly
/// every service accredited by a competent authority (the Sociale Kaart's own listings
/// name none), and a share of unpublished, inactive or closed listings and professional
/// lines, so that each role's view differs.
#[tokio::test]
async fn the_demo_reads_like_a_real_directory() {
    let app = spawn_app(Backend::Sqlite).await;
    let services = every(
        &app,
        "services",
        "name fee status published categories { code } internalContacts { value } organisation { name }
         accreditations { kind }",
    )
    .await;
    let count = |f: &dyn Fn(&Value) -> bool| services.iter().filter(|s| f(s)).count();
    let shouting = |name: &str| {
        let letters: Vec<char> = name
            .trim_end_matches(" [démo]")
            .trim_end_matches(" [demo]")
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        letters.len() > 4 && letters.iter().all(|c| c.is_uppercase())
    };
    let in_capitals = count(&|s| {
        shouting(s["name"].as_str().unwrap_or_default())
            || shouting(s["organisation"]["name"].as_str().unwrap_or_default())
    });
    assert_eq!(in_capitals, 0, "names in capitals");
    let cpas = |s: &Value| {
        s["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"].as_str().is_some_and(|c| c.starts_with("cpas")))
    };
    assert_eq!(
        count(&|s| cpas(s) && s["fee"] == "FIXED"),
        0,
        "a CPAS at a fixed price"
    );
    let free = count(&|s| s["fee"] == "FREE");
    assert!(
        free * 10 > services.len(),
        "{free} free of {}",
        services.len()
    );
    let unaccredited = count(&|s| s["accreditations"].as_array().is_none_or(|a| a.is_empty()));
    assert!(
        unaccredited * 20 < services.len(),
        "{unaccredited} without an accreditation"
    );
    let unpublished = count(&|s| s["published"] == false);
    let closed = count(&|s| s["status"] != "ACTIVE");
    let lines = count(&|s| {
        s["internalContacts"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    });
    assert!(
        unpublished * 20 > services.len(),
        "{unpublished} unpublished"
    );
    assert!(closed * 100 > services.len(), "{closed} inactive or closed");
    assert!(
        lines * 10 > services.len(),
        "{lines} with a professional line"
    );
    eprintln!(
        "demo: {} services, {free} free, {unaccredited} without accreditation, {unpublished} unpublished, {closed} not active, {lines} with a professional line",
        services.len()
    );
}

/// One place is one site and one offer one service, whichever sources list them:
/// no organisation of the demo has two sites at one address, nor two services of one
/// name.
#[tokio::test]
async fn the_demo_lists_each_place_and_each_offer_once() {
    let app = spawn_app(Backend::Sqlite).await;
    let fold = |v: &Value| {
        v.as_str()
            .map(passerelle::domain::normalize_for_search)
            .unwrap_or_default()
    };
    let organisations = every(
        &app,
        "organisations",
        "name sites { id street houseNumber postcode } services { name }",
    )
    .await;
    let (mut sites_seen, mut services_seen) = (0, 0);
    let mut repeated = Vec::new();
    for org in &organisations {
        let mut addresses = std::collections::BTreeSet::new();
        for site in org["sites"].as_array().unwrap() {
            sites_seen += 1;
            let key = (
                fold(&site["street"]),
                fold(&site["houseNumber"]),
                fold(&site["postcode"]),
            );
            if !key.0.is_empty() && !addresses.insert(key.clone()) {
                repeated.push(format!("{}: site {key:?} twice", org["name"]));
            }
        }
        let mut offers = std::collections::BTreeSet::new();
        for service in org["services"].as_array().unwrap() {
            services_seen += 1;
            let key = fold(&service["name"]);
            if !offers.insert(key.clone()) {
                repeated.push(format!("{}: service {key:?} twice", org["name"]));
            }
        }
    }
    eprintln!("demo: {sites_seen} sites, {services_seen} services");
    assert!(
        repeated.is_empty(),
        "{} repeats:\n{}",
        repeated.len(),
        repeated.join("\n")
    );
}

//! social.brussels, De Sociale Kaart and CSV snapshots over real HTTP, starting from the
//! real social.brussels record.

use passerelle::{auth::Role, config::SourceKind};
use passerelle_tests::{
    Backend, TestApp, both_backends, source, spawn_app_with,
    upstream::{Failure, Upstream},
};
use serde_json::{Value, json};

fn real_record() -> Value {
    let path = format!(
        "{}/fixtures/upstream/social-brussels-13219.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn organisation(app: &TestApp, text: &str) -> Value {
    let token = app.token(Role::Admin, &[], None);
    let response = app
        .gql_as(
            Some(&token),
            "query($text: String) { services(filter: { text: $text }, first: 10) { edges { node {
               name languages status
               organisation { id name identifiers { scheme value } contacts { kind value } website }
               sites { point { lat lon } territories { code } schedule { weekday opens closes } scheduleRemark }
             } } } }",
            json!({ "text": text }),
        )
        .await;
    response.data()["services"]["edges"].clone()
}

/// The services whose organisation has this KBO number (demo data may match the text too).
fn by_kbo(edges: Value, kbo: &str) -> Value {
    Value::Array(
        edges
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["node"]["organisation"]["identifiers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["value"] == kbo)
            })
            .cloned()
            .collect(),
    )
}

async fn the_real_social_brussels_record_is_harmonised(backend: Backend) {
    let upstream = Upstream::start().await;
    let mut lambert_only = real_record();
    lambert_only["id"] = json!(90001);
    lambert_only["nameOfficialFr"] = json!("Coordination Zébulon");
    lambert_only["nameOfficialNl"] = json!("Coördinatie Zebulon");
    lambert_only["pmRp"] = json!([]);
    lambert_only["address"]["lat"] = Value::Null;
    lambert_only["address"]["lon"] = Value::Null;
    upstream.set_social_brussels(vec![real_record(), lambert_only]);
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| {
        c.sources = vec![source("social-brussels", SourceKind::SocialBrussels, &url)]
    })
    .await;
    let run = app.sync("social-brussels", true).await.unwrap();
    assert_eq!((run.created, run.rejected.len()), (2, 0), "{run:?}");

    let found = by_kbo(
        organisation(&app, "coordination action sociale schaerbeek").await,
        "0212347945",
    );
    let node = &found[0]["node"];
    let org = &node["organisation"];
    // The official name as the directory writes it, in capitals, shown in normal case.
    assert_eq!(
        org["name"],
        "Coordination de l'Action Sociale de Schaerbeek"
    );
    assert_eq!(
        org["identifiers"][0],
        json!({ "scheme": "kbo", "value": "0212347945" })
    );
    assert_eq!(org["website"], "http://www.cass-cssa.be/");
    let contacts: Vec<&str> = org["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert!(
        contacts.contains(&"+3224355138") && contacts.contains(&"cass@cpas-schaerbeek.be"),
        "{contacts:?}"
    );
    assert_eq!(node["languages"], json!(["fr", "nl"]));
    let site = &node["sites"][0];
    let territories: Vec<&str> = site["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    // social.brussels gives the Monitoring des Quartiers unit itself: districtCode 87.
    assert_eq!(
        territories[..3],
        ["quartier:87", "commune:21015", "bassin:nord-est"]
    );
    assert_eq!(
        site["schedule"].as_array().unwrap().len(),
        5,
        "Monday to Friday"
    );
    assert_eq!(
        site["schedule"][0],
        json!({ "weekday": 1, "opens": "08:30", "closes": "16:00" })
    );
    assert_eq!(site["scheduleRemark"], "Du lundi au vendredi de 8h30 à 16h");

    // Without WGS84 coordinates, the Lambert 72 ones give the same place, within metres.
    let lambert = organisation(&app, "zebulon").await;
    let point = &lambert[0]["node"]["sites"][0]["point"];
    let (dlat, dlon) = (
        point["lat"].as_f64().unwrap() - 50.851756,
        point["lon"].as_f64().unwrap() - 4.401445,
    );
    assert!(dlat.abs() < 0.00005 && dlon.abs() < 0.00007, "{point}");
    assert_eq!(
        lambert[0]["node"]["sites"][0]["territories"][0]["code"],
        "quartier:87"
    );
}

async fn a_missing_detail_page_fails_the_run_and_keeps_the_data(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_social_brussels(vec![real_record()]);
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| {
        c.sources = vec![source("social-brussels", SourceKind::SocialBrussels, &url)]
    })
    .await;
    app.sync("social-brussels", true).await.unwrap();

    // The listing names a record whose detail page answers 404: nothing is written.
    let mut ghost = real_record();
    ghost["id"] = json!(77777);
    ghost["nameOfficialFr"] = json!("Organisation fantôme Zébulon");
    upstream.set_social_brussels(vec![real_record(), ghost]);
    upstream.fail(Failure::MissingRecord("77777".to_owned()));
    let error = app
        .sync("social-brussels", true)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("HTTP 404"), "{error}");
    assert!(
        organisation(&app, "zebulon")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );

    upstream.fail(Failure::Status(503));
    let error = app
        .sync("social-brussels", true)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("503"), "{error}");
    let kept = by_kbo(
        organisation(&app, "coordination action sociale schaerbeek").await,
        "0212347945",
    );
    assert_eq!(kept.as_array().unwrap().len(), 1, "previous data kept");
    assert_eq!(kept[0]["node"]["status"], "ACTIVE");
}

/// One organisation listed by social.brussels and by De Sociale Kaart at one address:
/// one site (the French and the Dutch street name, the point), one service (the names of
/// both, the categories of the one that has them, provenance from both); the same
/// provider under another name stays another service.
async fn one_place_and_one_offer_listed_twice_are_one(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_social_brussels(vec![real_record()]);
    let mut item = sociale_kaart_item("0212.347.945");
    item["legalName"]["description"] = json!("COÖRDINATIE VAN DE SCHAARBEEKSE SOCIALE ACTIE");
    let mut other = sociale_kaart_item("0212.347.945");
    other["id"]["id"] = json!(181235);
    other["legalName"]["description"] = json!("Buurtwerk Reyers");
    other["activities"] =
        json!([{ "name": { "description": "01.05.01. Buurtwerk en samenlevingsopbouw" } }]);
    upstream.set_sociale_kaart(vec![item, other]);
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| {
        c.sources = vec![
            source("social-brussels", SourceKind::SocialBrussels, &url),
            source("sociale-kaart", SourceKind::SocialeKaart, &url),
        ];
    })
    .await;
    app.sync("social-brussels", true).await.unwrap();
    let run = app.sync("sociale-kaart", true).await.unwrap();
    // One service folded; the three listings of the address (one per record) are one site.
    assert_eq!(
        (run.merged_services, run.merged_sites),
        (1, 2),
        "the run counts the merges"
    );

    let token = app.token(Role::Admin, &[], None);
    let found = app
        .gql_as(
            Some(&token),
            "{ organisations(filter: { text: \"schaarbeekse sociale actie\" }) { totalCount edges { node {
                sites { street: address }
                services { id nameFr: name categories { code } provenance { source upstreamId }
                  sites { site { id } } } } } } }",
            json!({}),
        )
        .await;
    let data = found.data();
    assert_eq!(data["organisations"]["totalCount"], 1, "{data}");
    let organisation = &data["organisations"]["edges"][0]["node"];
    assert_eq!(
        organisation["sites"].as_array().unwrap().len(),
        1,
        "{organisation}"
    );
    let services = organisation["services"].as_array().unwrap();
    assert_eq!(
        services.len(),
        2,
        "the coordination once, the neighbourhood work apart: {organisation}"
    );
    let coordination = services
        .iter()
        .find(|s| s["provenance"].as_array().unwrap().len() > 1)
        .unwrap_or_else(|| panic!("a service from both sources: {organisation}"));
    let sources: std::collections::BTreeSet<&str> = coordination["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["source"].as_str())
        .collect();
    assert_eq!(
        sources,
        ["social-brussels", "sociale-kaart"].into_iter().collect()
    );
    assert_eq!(
        coordination["nameFr"],
        "Coordination de l'Action Sociale de Schaerbeek"
    );
    assert!(
        coordination["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "social_coordination.local_network"),
        "{coordination}"
    );
    assert_eq!(coordination["sites"].as_array().unwrap().len(), 1);
    let upstream_ids: Vec<String> = coordination["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}",
                p["source"].as_str().unwrap(),
                p["upstreamId"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        upstream_ids.contains(&"sociale-kaart:181234".to_owned()),
        "{upstream_ids:?}"
    );

    // An administrator undoes the merge by a rule naming the two as provenance shows them.
    let url = app.state.config.database.url.expose().to_owned();
    let separated = passerelle_tests::spawn_app_on(url, |c| {
        c.sync.separate = vec![[
            "social-brussels:13219".to_owned(),
            "sociale-kaart:181234".to_owned(),
        ]];
    })
    .await;
    let apart = separated
        .gql_as(
            Some(&token),
            "{ organisations(filter: { text: \"schaarbeekse sociale actie\" }) { edges { node { services { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        apart.data()["organisations"]["edges"][0]["node"]["services"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

/// Search hits that carry names are still summaries: the detail document is read (its
/// KBO number, address and agréments); agréments named by id alone get their labels
/// and competent authority from the look-up lists; a code known only by its Dutch label
/// is mapped.
async fn social_brussels_hits_are_summaries_and_lookups_complete_records(backend: Backend) {
    let upstream = Upstream::start().await;
    let mut record = real_record();
    record["agreements"] = json!([{ "id": 7 }, 8]);
    record["sectorsObjects"] = json!([{ "id": 103 }]);
    record["categoriesObject"] = json!([{ "id": 99901, "labelFr": "Équipe psy (libellé local)", "labelNl": "Mobiel team geestelijke gezondheidszorg" }]);
    upstream.set_social_brussels(vec![record]);
    *upstream.state.summary_fields.lock().unwrap() =
        vec!["nameOfficialFr".to_owned(), "nameOfficialNl".to_owned()];
    *upstream.state.lookups.lock().unwrap() = [
        (
            "agreements",
            json!([
                { "id": 7, "labelFr": "Service de santé mentale", "labelNl": "Dienst geestelijke gezondheidszorg", "powerId": 2 },
                { "id": 8, "labelFr": "Centre de planning familial", "agreementPower": { "id": 3 } }
            ]),
        ),
        (
            "agreementpowers",
            json!([
                { "id": 2, "labelFr": "COCOF", "labelNl": "FGC" },
                { "id": 3, "labelFr": "Commission communautaire commune", "labelNl": "Gemeenschappelijke Gemeenschapscommissie" }
            ]),
        ),
        ("sectors", json!([{ "id": 103, "labelFr": "Santé mentale", "labelNl": "Geestelijke gezondheidszorg" }])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| {
        c.sources = vec![source("social-brussels", SourceKind::SocialBrussels, &url)];
    })
    .await;

    let run = app.sync("social-brussels", true).await.unwrap();

    assert_eq!(run.created, 1);
    let token = app.token(Role::Admin, &[], None);
    let found = app
        .gql_as(
            Some(&token),
            "{ services(filter: { text: \"coordination action sociale schaerbeek\" }) { edges { node {
                categories { code } accreditations { kind authority { code } legalBasis }
                organisation { identifiers { value } } sites { point { lat } territories { code } } } } } }",
            json!({}),
        )
        .await;
    let node = &found.data()["services"]["edges"][0]["node"];
    assert_eq!(
        node["organisation"]["identifiers"][0]["value"], "0212347945",
        "from the detail"
    );
    assert!(node["sites"][0]["point"]["lat"].is_number(), "{node}");
    let authorities: Vec<&str> = node["accreditations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["authority"]["code"].as_str())
        .collect();
    assert_eq!(authorities, ["cocof", "cocom"], "{node}");
    let codes: Vec<&str> = node["categories"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    for code in [
        "mental_health",
        "mental_health.centre",
        "mental_health.mobile_team",
        "family_planning.centre",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    let admin = app
        .gql_as(
            Some(&token),
            "{ sources { lastRun { unknownCodes { code } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        admin.data()["sources"][0]["lastRun"]["unknownCodes"],
        json!([])
    );
}

/// Items in the shapes the real API documents and their variants: categories only in
/// `activities[].name.description` (numbered rubric labels, one renumbered upstream),
/// points as `latitude`/`longitude` (one as strings), a `rubrics[]` beside, an
/// unmapped rubric, and a provider outside the region.
async fn sociale_kaart_reads_the_documented_shapes(backend: Backend) {
    let upstream = Upstream::start().await;
    let provider = |id: u64, name: &str, postcode: &str, activities: &[&str]| {
        json!({
            "id": { "id": id, "authenticSource": "VGC" },
            "state": "ACTIVE",
            "legalName": { "description": name },
            "addresses": [{ "primary": true, "latitude": 50.8366, "longitude": "4.3414", "street": "Fonsnylaan", "houseNumber": "8",
                            "municipality": { "postalCode": postcode, "name": "Sint-Gillis" } }],
            "activities": activities.iter().map(|a| json!({ "name": { "description": a } })).collect::<Vec<_>>(),
        })
    };
    let mut with_rubrics = provider(
        500_002,
        "Wijkgezondheidscentrum De Kikker",
        "1060",
        &["02.01.01. Wijkgezondheidscentra"],
    );
    with_rubrics["rubrics"] =
        json!([{ "id": 20101, "name": { "description": "02.01.01. Wijkgezondheidscentra" } }]);
    // Numbered otherwise upstream: known by their labels only (a harmonised Dutch label,
    // the label of a mapping row).
    let (renumbered, centre) = (
        "05.01.00. Geestelijke gezondheid",
        "05.01.01. Centra voor Geestelijke Gezondheidszorg",
    );
    upstream.set_sociale_kaart(vec![
        provider(
            500_001,
            "CGG Quokka",
            "1060",
            &[
                renumbered,
                centre,
                "01.01.01. Centra voor Algemeen Welzijnswerk (CAW)",
                "99.99.99. Iets nieuws",
            ],
        ),
        with_rubrics,
        provider(
            500_003,
            "CAW Gent",
            "9000",
            &["01.01.01. Centra voor Algemeen Welzijnswerk (CAW)"],
        ),
    ]);
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| {
        let mut sk = source("sociale-kaart", SourceKind::SocialeKaart, &url);
        let mut rubrics = passerelle::reference::first_line_rubrics();
        rubrics.extend([
            renumbered.to_owned(),
            centre.to_owned(),
            "99.99.99. Iets nieuws".to_owned(),
        ]);
        sk.rubrics = Some(rubrics);
        c.sources = vec![sk];
    })
    .await;

    let run = app.sync("sociale-kaart", true).await.unwrap();

    assert_eq!(run.created, 2, "the provider in Gent is not the region's");
    let queries = upstream.state.sociale_kaart_queries.lock().unwrap().clone();
    assert!(
        queries.iter().all(
            |q| q.contains("rubrics=01.01.01.+Centra+voor+Algemeen+Welzijnswerk")
                && q.contains("postalCodes=1060&")
        ),
        "{queries:?}"
    );
    let token = app.token(Role::Admin, &[], None);
    let named = async |name: &str| {
        // Found by a territory filter: the point was read, and located in Saint-Gilles.
        let found = app
            .gql_as(
                Some(&token),
                "query($text: String) { services(filter: { territory: \"commune:21013\", text: $text }, first: 10) { edges { node {
                    name categories { code } sites { point { lat lon } } } } } }",
                json!({ "text": name }),
            )
            .await;
        let edges = found.data()["services"]["edges"]
            .as_array()
            .unwrap()
            .clone();
        edges
            .iter()
            .find(|e| e["node"]["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {edges:?}"))["node"]
            .clone()
    };
    let cgg = named("CGG Quokka").await;
    let codes: Vec<&str> = cgg["categories"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert!(codes.contains(&"mental_health"), "by its label: {codes:?}");
    assert!(
        codes.contains(&"mental_health.centre"),
        "by its label: {codes:?}"
    );
    assert!(
        codes.contains(&"general_social_work.social_reception"),
        "{codes:?}"
    );
    assert_eq!(
        cgg["sites"][0]["point"],
        json!({ "lat": 50.8366, "lon": 4.3414 })
    );
    let kikker = named("Wijkgezondheidscentrum De Kikker").await;
    assert_eq!(
        kikker["categories"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["code"] == "medical_house.forfait")
            .count(),
        1
    );

    let admin = app
        .gql_as(
            Some(&token),
            "{ sources { name lastRun { issues unknownCodes { code label } } } }",
            json!({}),
        )
        .await;
    let last_run = &admin.data()["sources"][0]["lastRun"];
    assert_eq!(
        last_run["unknownCodes"],
        json!([{ "code": "99.99.99", "label": "99.99.99. Iets nieuws" }])
    );
    assert_eq!(
        last_run["issues"],
        json!([]),
        "the server filtered Gent out"
    );
}

fn sociale_kaart_item(kbo: &str) -> Value {
    json!({
        "id": { "id": 181234, "authenticSource": "VGC" },
        "type": "ORGANISATION",
        "state": "ACTIVE",
        "verified": true,
        "legalName": { "description": "Coördinatie Schaarbeekse Sociale Actie" },
        "enterpriseNumber": kbo,
        "addresses": [{ "primary": true, "lat": 50.851756, "lon": 4.401445, "street": "Auguste Reyerslaan", "houseNumber": "70",
                        "municipality": { "postalCode": "1030", "name": "Schaarbeek" } }],
        "activities": [{ "name": { "description": "01.05.02. Lokaal sociaal beleid en welzijnsoverleg" } }],
        "contactDetails": { "phones": [{ "number": "02 435 51 38" }], "emails": [{ "address": "info@cssa.example" }], "websites": [] },
        "lastUpdated": "2026-03-01T10:00:00"
    })
}

async fn sociale_kaart_merges_with_social_brussels_by_kbo(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_social_brussels(vec![real_record()]);
    upstream.set_sociale_kaart(vec![sociale_kaart_item("0212.347.945")]);
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| {
        c.sources = vec![
            source("social-brussels", SourceKind::SocialBrussels, &url),
            source("sociale-kaart", SourceKind::SocialeKaart, &url),
        ];
        // The Dutch-speaking map is the reference for Dutch names.
        c.sync.priority.insert(
            "name_nl".to_owned(),
            vec!["sociale-kaart".to_owned(), "social-brussels".to_owned()],
        );
    })
    .await;
    app.sync("social-brussels", true).await.unwrap();
    let run = app.sync("sociale-kaart", true).await.unwrap();
    assert_eq!(run.created, 1);
    let overleg: Vec<Value> = organisation(&app, "schaarbeekse sociale actie")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["languages"] == json!(["nl"]))
        .cloned()
        .collect();
    let french = by_kbo(
        organisation(&app, "coordination action sociale schaerbeek").await,
        "0212347945",
    );
    assert_eq!(
        overleg[0]["node"]["organisation"]["id"], french[0]["node"]["organisation"]["id"],
        "one organisation"
    );
    assert_eq!(overleg[0]["node"]["languages"], json!(["nl"]));
    let token = app.token(Role::Admin, &[], None);
    let dutch = app
        .gql_as(
            Some(&token),
            "query($id: ID!) { organisation(id: $id, lang: NL) { name provenance { field source } } }",
            json!({ "id": french[0]["node"]["organisation"]["id"] }),
        )
        .await;
    assert_eq!(
        dutch.data()["organisation"]["name"],
        "Coördinatie Schaarbeekse Sociale Actie"
    );
    let provenance = dutch.data()["organisation"]["provenance"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        provenance.contains(&json!({ "field": "name_nl", "source": "sociale-kaart" })),
        "{provenance:?}"
    );
    assert!(
        provenance.contains(&json!({ "field": "name_fr", "source": "social-brussels" })),
        "{provenance:?}"
    );

    // Another KBO and a similar name: a second organisation.
    let mut other = sociale_kaart_item("0403.170.701");
    other["id"]["id"] = json!(181999);
    other["legalName"]["description"] = json!("Overlegplatform Wombat");
    upstream.set_sociale_kaart(vec![sociale_kaart_item("0212.347.945"), other]);
    app.sync("sociale-kaart", true).await.unwrap();
    let evere = organisation(&app, "overlegplatform wombat").await;
    assert_ne!(
        evere[0]["node"]["organisation"]["id"],
        french[0]["node"]["organisation"]["id"]
    );
}

const INAMI_CSV: &str = "Numéro INAMI;Nom;Rue;Numéro;Code postal;Commune;Téléphone;Date début forfait\n\
    81234567890;Maison médicale Le Noyer;Avenue Rogier;12;1030;Schaerbeek;02/241.00.00;01/04/2015\n\
    81234567891;Maison médicale Le Noyer;Rue Vanderkindere;300;1180;Uccle;02 345 67 89;15/09/2018\n";

fn inami_source(url: &str) -> passerelle::config::SourceConfig {
    let mut inami = source("inami", SourceKind::Csv, &format!("{url}/snapshot.csv"));
    inami.authority = Some("federal".to_owned());
    inami.csv = Some(passerelle::sources::csv::inami_mapping());
    inami
}

async fn a_csv_snapshot_gives_one_organisation_per_row(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_csv(INAMI_CSV);
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| c.sources = vec![inami_source(&url)]).await;
    let run = app.sync("inami", true).await.unwrap();
    assert_eq!(
        run.created, 2,
        "two medical houses with the same name, different NIHII"
    );
    let token = app.token(Role::Admin, &[], None);
    let response = app
        .gql_as(
            Some(&token),
            "{ services(filter: { text: \"noyer\", categories: [\"medical_house\"] }) { totalCount edges { node {
                accreditations { authority { code } kind validFrom } organisation { identifiers { scheme value } } } } } }",
            json!({}),
        )
        .await;
    let data = &response.data()["services"];
    assert_eq!(data["totalCount"], 2);
    let first = &data["edges"][0]["node"];
    assert_eq!(
        first["accreditations"][0],
        json!({ "authority": { "code": "federal" }, "kind": "FORFAIT", "validFrom": "2015-04-01" })
    );
    assert_eq!(first["organisation"]["identifiers"][0]["scheme"], "nihii");

    // A renamed column fails the run and changes nothing.
    upstream.set_csv(&INAMI_CSV.replace("Numéro INAMI", "INAMI"));
    let error = app.sync("inami", true).await.unwrap_err().to_string();
    assert!(error.contains("not in the header"), "{error}");
    let again = app
        .gql_as(
            Some(&token),
            "{ services(filter: { text: \"noyer\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(again.data()["services"]["totalCount"], 2);
}

/// Items without an update date cannot end an incremental read early: the whole listing
/// is read, so a change is picked up and an item gone upstream is withdrawn.
async fn sociale_kaart_items_without_dates_are_read_whole_incrementally(backend: Backend) {
    let upstream = Upstream::start().await;
    let undated = |id: u64, name: &str| {
        let mut item = sociale_kaart_item("0212.347.945");
        item["id"]["id"] = json!(id);
        item["legalName"]["description"] = json!(name);
        item.as_object_mut().unwrap().remove("lastUpdated");
        item
    };
    upstream.set_sociale_kaart(vec![
        undated(181234, "Buurtwerk Reyers"),
        undated(181235, "Buurtwerk Helmet"),
    ]);
    let url = upstream.url.clone();
    let app = spawn_app_with(backend, move |c| {
        c.sources = vec![source("sociale-kaart", SourceKind::SocialeKaart, &url)];
    })
    .await;
    let first = app.sync("sociale-kaart", true).await.unwrap();
    assert_eq!(first.created, 2);

    upstream.set_sociale_kaart(vec![undated(181234, "Buurtwerk Reyers-Noord")]);
    let run = app.sync("sociale-kaart", false).await.unwrap();
    assert!(!run.full);
    assert_eq!(
        (run.created, run.updated, run.deactivated),
        (0, 1, 1),
        "{run:?}"
    );
    let again = app.sync("sociale-kaart", false).await.unwrap();
    assert_eq!((again.updated, again.deactivated), (0, 0), "{again:?}");
}

both_backends!(
    sociale_kaart_items_without_dates_are_read_whole_incrementally,
    the_real_social_brussels_record_is_harmonised,
    a_missing_detail_page_fails_the_run_and_keeps_the_data,
    sociale_kaart_merges_with_social_brussels_by_kbo,
    sociale_kaart_reads_the_documented_shapes,
    social_brussels_hits_are_summaries_and_lookups_complete_records,
    one_place_and_one_offer_listed_twice_are_one,
    a_csv_snapshot_gives_one_organisation_per_row,
);

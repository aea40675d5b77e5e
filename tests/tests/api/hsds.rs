//! `/hsds`: Open Referral HSDS 3.0 responses, each kind validated against the official
//! compiled JSON Schemas (`tests/data/hsds-3.0`, formats checked), over the demo data;
//! the same visibility as GraphQL; filters and the ndjson format.

use passerelle::auth::Role;
use passerelle_tests::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

fn schema(path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(format!(
        "{}/data/hsds-3.0/schema/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The uncompiled taxonomy schemas point at sibling files for `metadata` and
    // `taxonomy_detail`, which we never send: those two properties are left out so that
    // the rest compiles on its own.
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.remove("metadata");
        properties.remove("taxonomy_detail");
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn page_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(format!(
        "{}/data/hsds-3.0/schema/openapi.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let openapi: Value = serde_json::from_str(&text).unwrap();
    let mut page = openapi["components"]["schemas"]["Page"].clone();
    page["required"] = json!([
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty"
    ]);
    jsonschema::validator_for(&page).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, document: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = app.client.get(format!("{}/hsds{path}", app.url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn every_kind_of_hsds_response_is_valid_against_the_official_schemas() {
    let app = spawn_app(Backend::Sqlite).await;
    let page = page_schema();
    let (status, root) = get(&app, "/", None).await;
    assert_eq!((status, root["version"].as_str()), (200, Some("3.0")));

    let cases = [
        (
            "services",
            "compiled/service_list.json",
            "compiled/service.json",
        ),
        (
            "organizations",
            "compiled/organization_list.json",
            "compiled/organization.json",
        ),
        (
            "service_at_locations",
            "compiled/service_at_location_list.json",
            "compiled/service_at_location.json",
        ),
        ("taxonomies", "taxonomy.json", "taxonomy.json"),
        ("taxonomy_terms", "taxonomy_term.json", "taxonomy_term.json"),
    ];
    for (path, list_schema, item_schema) in cases {
        let (list_schema, item_schema) = (schema(list_schema), schema(item_schema));
        let (status, listed) = get(&app, &format!("/{path}?per_page=20"), None).await;
        assert_eq!(status, 200, "{path}: {listed}");
        assert_valid(&page, &listed, path);
        let contents = listed["contents"].as_array().unwrap();
        assert!(!contents.is_empty(), "{path} lists something");
        for item in contents {
            assert_valid(&list_schema, item, &format!("{path} item"));
        }
        // Each item of the page, whole.
        for item in contents.iter().take(5) {
            let id = item["id"].as_str().unwrap();
            let (status, one) = get(&app, &format!("/{path}/{id}"), None).await;
            assert_eq!(status, 200, "{path}/{id}");
            assert_eq!(one["id"], item["id"]);
            assert_valid(&item_schema, &one, &format!("{path}/{id}"));
        }
    }

    // A full service carries what HSDS consumers look for.
    let (_, services) = get(&app, "/services?search=cpas&per_page=1", None).await;
    let id = services["contents"][0]["id"].as_str().unwrap().to_owned();
    let (_, service) = get(&app, &format!("/services/{id}?lang=nl"), None).await;
    assert!(!service["attributes"].as_array().unwrap().is_empty());
    assert_eq!(service["attributes"][0]["taxonomy_term"]["language"], "nl");
    let areas: Vec<&str> = service["service_areas"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["description"].as_str())
        .collect();
    assert!(areas.iter().any(|a| a.starts_with("bassin:")), "{areas:?}");
    assert!(
        areas.iter().any(|a| a.starts_with("quartier:")),
        "{areas:?}"
    );
    let identifiers = service["organization"]["organization_identifiers"]
        .as_array()
        .unwrap();
    assert!(
        identifiers
            .iter()
            .any(|i| i["identifier_scheme"] == "BE-BCE_KBO"),
        "{identifiers:?}"
    );
}

#[tokio::test]
async fn hsds_shows_what_the_token_sees_and_honours_its_filters() {
    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.token(Role::Admin, &[], None);
    let total = |v: &Value| v["total_items"].as_u64().unwrap();
    let (_, public) = get(&app, "/services?per_page=1", None).await;
    let (_, everything) = get(&app, "/services?per_page=1", Some(&admin)).await;
    assert!(
        total(&everything) > total(&public),
        "unpublished listings are the admin's"
    );
    let graphql = app
        .gql("{ services { totalCount } }", json!({}))
        .await
        .data()["services"]["totalCount"]
        .as_u64()
        .unwrap();
    assert_eq!(total(&public), graphql, "the public's view, as GraphQL's");

    // A listing the public may not see is not found, not forbidden.
    let hidden = app
        .gql_as(
            Some(&admin),
            "{ services(filter: { status: [INACTIVE] }, first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let global = hidden.data()["services"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let number = passerelle::domain::GlobalId::parse(&global).unwrap().id;
    let uuid = passerelle::hsds::uuid(passerelle::hsds::Kind::Service, 0, number);
    assert_eq!(get(&app, &format!("/services/{uuid}"), None).await.0, 404);
    assert_eq!(
        get(&app, &format!("/services/{uuid}"), Some(&admin))
            .await
            .0,
        200
    );

    // Filters: a taxonomy term (with its narrower terms), a date, an organisation.
    let (_, terms) = get(&app, "/taxonomy_terms?per_page=1000", None).await;
    let cpas = terms["contents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "cpas")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, by_term) = get(
        &app,
        &format!("/services?taxonomy_term_id={cpas}&full=true&per_page=1000"),
        None,
    )
    .await;
    assert!(total(&by_term) > 0);
    for service in by_term["contents"].as_array().unwrap() {
        let codes: Vec<&str> = service["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["taxonomy_term"]["code"].as_str())
            .collect();
        assert!(codes.iter().any(|c| c.starts_with("cpas")), "{codes:?}");
    }
    let (_, future) = get(&app, "/services?modified_after=2999-01-01T00:00:00Z", None).await;
    assert_eq!(total(&future), 0);

    // ndjson: one service per line.
    let body = app
        .client
        .get(format!(
            "{}/hsds/services?format=ndjson&per_page=7",
            app.url
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);

    // Bad parameters: a clear refusal.
    for bad in [
        "/services?page=0",
        "/services?per_page=5000",
        "/services?modified_after=yesterday",
        "/services?taxonomy_term_id=nope",
        "/services?lang=de",
    ] {
        let (status, body) = get(&app, bad, None).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{bad}"
        );
    }
    assert_eq!(get(&app, "/organizations/not-an-id", None).await.0, 404);
}

/// The official HSDS examples, imported as a partner's listings and read back through
/// `/hsds`: the service comes in under its own id, what cannot be kept (a location
/// outside the region, a phone that is not Belgian, a category that is not ours) is
/// reported, and the same service in another document shape changes nothing.
#[tokio::test]
async fn the_hsds_examples_are_imported_and_read_back() {
    let app = spawn_app(Backend::Sqlite).await;
    let synced = passerelle_tests::fixture::sync_hsds(
        &app,
        "importer",
        "fr",
        &[passerelle_tests::fixture::hsds_service(
            "i-1",
            ("imp", "ASBL Importatrice", None),
            "Service existant",
            (50.8671, 4.3729),
            "housing",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
    let organisation = passerelle::domain::GlobalId::new(
        passerelle::domain::Kind::Organisation,
        synced.organisations["imp"],
    )
    .to_string();
    let partner = app.token(Role::Partner, &[synced.organisations["imp"]], None);
    const IMPORT: &str = "mutation($input: ImportHsdsInput!) { importHsds(input: $input) {
        issues listings { applied created unchanged failed
          results { externalId status service { id name } } } } }";
    let example = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/data/hsds-3.0/examples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    // In English only, a service has no name in French or Dutch: refused, with why.
    let english = app
        .gql_as(
            Some(&partner),
            IMPORT,
            json!({ "input": { "organisation": organisation,
                               "document": example("service_full.json"), "language": "en" } }),
        )
        .await;
    let refused = &english.data()["importHsds"]["listings"];
    assert_eq!(
        (refused["failed"].as_i64(), refused["applied"].as_bool()),
        (Some(1), Some(false))
    );
    // Its texts taken as French, as a partner declares them.
    let import = |name: &str| json!({ "input": { "organisation": organisation, "document": example(name) } });
    let first = app
        .gql_as(Some(&partner), IMPORT, import("service_full.json"))
        .await;
    let first = &first.data()["importHsds"];
    assert_eq!(first["listings"]["created"], 1, "{first}");
    let issues: Vec<&str> = first["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        issues
            .iter()
            .any(|i| i.starts_with("location") && i.contains("left out")),
        "{issues:?}"
    );
    let result = &first["listings"]["results"][0];
    assert_eq!(result["service"]["name"], "Community Counselling");
    let number = passerelle::domain::GlobalId::parse(result["service"]["id"].as_str().unwrap())
        .unwrap()
        .id;
    let uuid = passerelle::hsds::uuid(passerelle::hsds::Kind::Service, 0, number);
    let (status, read) = get(&app, &format!("/services/{uuid}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(read["name"], "Community Counselling");
    assert_valid(
        &schema("compiled/service.json"),
        &read,
        "an imported service",
    );

    // The same service nested in its organization: nothing changes.
    let nested = app
        .gql_as(Some(&partner), IMPORT, import("organization_full.json"))
        .await;
    assert_eq!(nested.data()["importHsds"]["listings"]["unchanged"], 1);
    // A list carries only one-to-one fields: the same service, by its id, now without
    // the lists the list form leaves out (an import gives whole listings).
    let listed = app
        .gql_as(Some(&partner), IMPORT, import("service_list.json"))
        .await;
    let listed = &listed.data()["importHsds"]["listings"]["results"][0];
    assert_eq!(listed["status"], "UPDATED");
    assert_eq!(listed["service"]["id"], result["service"]["id"]);
    let not_hsds = app
        .gql_as(
            Some(&partner),
            IMPORT,
            json!({ "input": { "organisation": organisation, "document": "{\"hello\": 1}" } }),
        )
        .await;
    assert_eq!(not_hsds.error_code(), Some("VALIDATION_FAILED"));
    assert_eq!(
        not_hsds.body["errors"][0]["extensions"]["field"],
        "document"
    );
    let stranger = app.token(Role::Partner, &[999_999], None);
    let forbidden = app
        .gql_as(Some(&stranger), IMPORT, import("service_full.json"))
        .await;
    assert_eq!(forbidden.error_code(), Some("FORBIDDEN"));
}

/// `passerelle import hsds` (the command's whole work but printing and exiting): from a
/// file and from a URL over real HTTP, reported per item with a summary; a refused item
/// fails the command and writes nothing; a missing file, an unreachable URL, a document
/// that is not HSDS and a bad organisation id are one readable line each.
#[tokio::test]
async fn the_import_command_reads_files_and_urls_and_says_what_it_did() {
    use passerelle::write::{import::import_command, upsert::Mode};
    use passerelle_tests::fixture;
    let app = spawn_app(Backend::Sqlite).await;
    let synced = fixture::sync_hsds(
        &app,
        "importer",
        "fr",
        &[fixture::hsds_service(
            "i-1",
            ("imp", "ASBL Importatrice", None),
            "Service existant",
            (50.8671, 4.3729),
            "housing",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
    let organisation = synced.organisations["imp"].to_string();
    let dir = std::env::temp_dir().join(format!("passerelle-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("listing.json");
    let service = |id: &str, name: &str, description: &str| {
        let mut service = fixture::hsds_service(
            id,
            ("imp", "ASBL Importatrice", None),
            name,
            (50.8671, 4.3729),
            "housing",
            "2026-01-01T00:00:00Z",
        );
        service["description"] = json!(description);
        service
    };
    let long = "Accueil. ".repeat(2_000);
    std::fs::write(
        &file,
        json!([service("cli-1", "Permanence logement", "Accueil.")]).to_string(),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let report = import_command(&app.state, path, &organisation, "fr", Mode::AllOrNothing)
        .await
        .unwrap();
    assert_eq!(report.failed, 0, "{:?}", report.lines);
    assert_eq!(
        report.lines.last().unwrap(),
        &format!("import into organisation {organisation}: 1 created (0 left out)")
    );

    // Over HTTP, a page of two: the first unchanged, the second refused (a description
    // too long): all or nothing, so nothing written, and said per item.
    let upstream = passerelle_tests::upstream::Upstream::start().await;
    upstream.set_hsds(vec![
        service("cli-1", "Permanence logement", "Accueil."),
        service("cli-2", "Permanence bavarde", &long),
    ]);
    let url = format!("{}/services", upstream.url);
    let report = import_command(&app.state, &url, &organisation, "fr", Mode::AllOrNothing)
        .await
        .unwrap();
    assert_eq!(report.failed, 1, "{:?}", report.lines);
    assert!(
        report.lines.iter().any(|l| l.starts_with("cli-2: ")),
        "{:?}",
        report.lines
    );
    assert_eq!(
        report.lines.last().unwrap(),
        &format!("import into organisation {organisation}: 1 failed, 1 not applied (0 left out)")
    );

    let error = |source: String, organisation: &str| {
        let state = app.state.clone();
        let organisation = organisation.to_owned();
        async move {
            import_command(&state, &source, &organisation, "fr", Mode::Partial)
                .await
                .unwrap_err()
        }
    };
    let missing = error(format!("{}/absent.json", dir.display()), &organisation).await;
    assert!(missing.contains("absent.json"), "{missing}");
    std::fs::write(&file, "{\"hello\": 1}").unwrap();
    let not_hsds = error(path.to_owned(), &organisation).await;
    assert!(not_hsds.contains("not an HSDS document"), "{not_hsds}");
    let unreachable = error("http://127.0.0.1:9/nothing".to_owned(), &organisation).await;
    assert!(unreachable.contains("127.0.0.1:9"), "{unreachable}");
    let bad_id = error(path.to_owned(), "scriptor").await;
    assert!(bad_id.starts_with("--organisation"), "{bad_id}");
    let a_service = passerelle::domain::GlobalId::new(passerelle::domain::Kind::Service, 1);
    let not_an_organisation = error(path.to_owned(), &a_service.to_string()).await;
    assert!(
        not_an_organisation.starts_with("--organisation"),
        "{not_an_organisation}"
    );
    for message in [missing, not_hsds, unreachable, bad_id] {
        assert!(!message.contains('\n'), "one line: {message}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

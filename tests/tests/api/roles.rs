//! The role × operation matrix, read from the rules table of `docs/roles.md` and checked
//! cell by cell: read rules end to end over HTTP through every read path, write rules
//! against the policy the write API will call.

use std::{collections::HashMap, path::Path};

use passerelle::{
    auth::{Action, Group, Principal, Role, ServiceFacts},
    domain::{AnnotationKind, ContactKind},
    store::{self, AnnotationInput, Curation},
};
use passerelle_tests::{Backend, TestApp, both_backends, fixture, spawn_app};
use serde_json::json;

/// Jette (bassin Nord) and Ixelles (bassin Sud).
const NORD: (f64, f64) = (50.889299, 4.311866);
const SUD: (f64, f64) = (50.821609, 4.394805);

struct Rule {
    name: String,
    cells: HashMap<Role, String>,
}

fn rules() -> Vec<Rule> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/roles.md"))
            .unwrap();
    let table = text
        .split("<!-- rules:begin -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- rules:end -->").next())
        .expect("docs/roles.md has a rules table");
    let mut lines = table.lines().map(str::trim).filter(|l| l.starts_with('|'));
    let split = |line: &str| -> Vec<String> {
        line.trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect()
    };
    let header = split(lines.next().unwrap());
    assert_eq!(header[0], "rule");
    let roles: Vec<Role> = header[1..]
        .iter()
        .map(|r| Role::parse(r).unwrap_or_else(|| panic!("unknown role column {r}")))
        .collect();
    assert_eq!(roles, Role::ALL, "one column per role, in order");
    lines
        .skip(1)
        .map(|line| {
            let cells = split(line);
            Rule {
                name: cells[0].clone(),
                cells: roles
                    .iter()
                    .copied()
                    .zip(cells[1..].iter().cloned())
                    .collect(),
            }
        })
        .collect()
}

struct World {
    own_organisation: i32,
    other_organisation: i32,
    /// Organisations seen only through hidden services: every service inactive
    /// (`quiet`), every service unpublished (`draft`), the same owned by the partner
    /// (`own draft`).
    holders: HashMap<&'static str, i32>,
    /// service name → (global id, organisation id)
    services: HashMap<&'static str, (String, i32)>,
    tokens: HashMap<Role, Option<String>>,
}

fn global(kind: &str, id: i32) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// A professional line on an organisation, or on one of its services.
fn internal_phone(organisation_id: i32, service_id: Option<i32>, value: &str) -> Curation {
    Curation::InternalContact {
        organisation_id,
        service_id,
        kind: ContactKind::Phone,
        value: value.to_owned(),
    }
}

async fn world(app: &TestApp) -> World {
    let mut services = HashMap::new();
    let mut organisations = Vec::new();
    // Two organisations synced from an upstream, each with an active, an inactive and
    // an unpublished service; professional lines on each organisation and service.
    let mut listings = Vec::new();
    for (prefix, point) in [("own", NORD), ("other", SUD)] {
        for (suffix, status) in [
            ("active", "active"),
            ("inactive", "inactive"),
            ("unpublished", "active"),
        ] {
            let mut service = fixture::hsds_service(
                &format!("{prefix}-{suffix}"),
                (prefix, &format!("Rolecheck {prefix} ASBL"), None),
                &format!("Rolecheck {prefix} {suffix}"),
                point,
                "general_social_work",
                "2026-01-01T00:00:00Z",
            );
            service["status"] = json!(status);
            listings.push(service);
        }
    }
    // Organisations with hidden services only.
    for (key, status) in [
        ("quiet", "inactive"),
        ("draft", "active"),
        ("owndraft", "active"),
    ] {
        let mut service = fixture::hsds_service(
            &format!("{key}-only"),
            (key, &format!("Rolecheck {key} ASBL"), None),
            &format!("Rolecheck {key} only"),
            SUD,
            "general_social_work",
            "2026-01-01T00:00:00Z",
        );
        service["status"] = json!(status);
        listings.push(service);
    }
    let synced = fixture::sync_hsds(app, "rolecheck", "fr", &listings).await;
    let mut curation = Vec::new();
    for prefix in ["own", "other"] {
        let organisation = synced.organisations[prefix];
        organisations.push(organisation);
        curation.push(internal_phone(organisation, None, "+3222000002"));
        for suffix in ["active", "inactive", "unpublished"] {
            let id = synced.services[&format!("{prefix}-{suffix}")];
            curation.push(internal_phone(organisation, Some(id), "+3222000001"));
            if suffix == "unpublished" {
                curation.push(Curation::Publish {
                    service_id: id,
                    published: false,
                });
            }
            let key: &'static str = Box::leak(format!("{prefix} {suffix}").into_boxed_str());
            services.insert(key, (global("Service", id), organisation));
        }
    }
    for key in ["draft", "owndraft"] {
        curation.push(Curation::Publish {
            service_id: synced.services[&format!("{key}-only")],
            published: false,
        });
    }
    let holders = HashMap::from([
        ("quiet", synced.organisations["quiet"]),
        ("draft", synced.organisations["draft"]),
        ("own draft", synced.organisations["owndraft"]),
    ]);
    fixture::curate(app, &curation).await;
    // Every kind of annotation on the other organisation's active service.
    let target = services["other active"].0.clone();
    let target_id: i32 = {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&target)
            .unwrap();
        String::from_utf8(raw)
            .unwrap()
            .split(':')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap()
    };
    for group in [
        Group::Zone,
        Group::Basin("nord".to_owned()),
        Group::Basin("sud".to_owned()),
    ] {
        for shared in [true, false] {
            store::insert_annotation(
                &app.state.db.conn,
                &AnnotationInput {
                    service_id: target_id,
                    group: group.clone(),
                    shared,
                    kind: AnnotationKind::Note,
                    body: format!(
                        "{} {}",
                        group.code(),
                        if shared { "shared" } else { "private" }
                    ),
                    author: "fixture".to_owned(),
                },
            )
            .await
            .unwrap();
        }
    }
    let (own, other) = (organisations[0], organisations[1]);
    let tokens = HashMap::from([
        (Role::Public, None),
        (
            Role::Partner,
            Some(app.token(Role::Partner, &[own, holders["own draft"]], None)),
        ),
        (
            Role::ZonePartner,
            Some(app.token(Role::ZonePartner, &[], None)),
        ),
        (
            Role::BasinTeam,
            Some(app.token(Role::BasinTeam, &[], Some("nord"))),
        ),
        (Role::Admin, Some(app.token(Role::Admin, &[], None))),
    ]);
    World {
        own_organisation: own,
        other_organisation: other,
        holders,
        services,
        tokens,
    }
}

/// Whether `service` is visible through every read path; panics if the paths disagree.
async fn visible(app: &TestApp, token: Option<&str>, world: &World, service: &str) -> bool {
    let (id, organisation) = &world.services[service];
    let name = format!("Rolecheck {service}");
    let response = app
        .gql_as(
            token,
            "query($id: ID!, $org: ID!) {
               list: services(filter: { text: \"rolecheck\" }, first: 100) { totalCount edges { node { id } } }
               service(id: $id) { id }
               node(id: $id) { id }
               organisation(id: $org) { services { id } }
             }",
            json!({ "id": id, "org": global("Organisation", *organisation) }),
        )
        .await;
    let data = response.data();
    let listed = data["list"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["node"]["id"] == *id);
    let count = data["list"]["totalCount"].as_u64().unwrap() as usize;
    assert_eq!(
        count,
        data["list"]["edges"].as_array().unwrap().len(),
        "totalCount counts exactly the visible rows"
    );
    let by_id = !data["service"].is_null();
    let by_node = !data["node"].is_null();
    let nested = data["organisation"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == *id);
    assert!(
        listed == by_id && by_id == by_node && by_node == nested,
        "{name}: list {listed}, service {by_id}, node {by_node}, organisation.services {nested}"
    );
    listed
}

/// Whether an organisation and its site are visible through every read path (the list,
/// page by page, and its `totalCount`, the filtered list, `organisation(id)`, `node(id)`
/// of both, `Organisation.sites`); panics if the paths disagree.
async fn holder_visible(app: &TestApp, token: Option<&str>, world: &World, key: &str) -> bool {
    let organisation = global("Organisation", world.holders[key]);
    let admin = world.tokens[&Role::Admin].as_deref();
    let site = app
        .gql_as(
            admin,
            "query($id: ID!) { organisation(id: $id) { sites { id } } }",
            json!({ "id": organisation }),
        )
        .await
        .data()["organisation"]["sites"][0]["id"]
        .clone();
    let mut listed = false;
    let (mut seen, mut after) = (0, serde_json::Value::Null);
    let total = loop {
        let page = app
            .gql_as(
                token,
                "query($after: String) { organisations(first: 100, after: $after) {
                   totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        let page = page.data()["organisations"].clone();
        let edges = page["edges"].as_array().unwrap();
        seen += edges.len();
        listed |= edges.iter().any(|e| e["node"]["id"] == organisation);
        if page["pageInfo"]["hasNextPage"] != true {
            break page["totalCount"].as_u64().unwrap() as usize;
        }
        after = page["pageInfo"]["endCursor"].clone();
    };
    assert_eq!(
        total, seen,
        "totalCount counts exactly the visible organisations"
    );
    let response = app
        .gql_as(
            token,
            "query($id: ID!, $site: ID!) {
               filtered: organisations(filter: { text: \"rolecheck\" }, first: 100) { edges { node { id } } }
               organisation(id: $id) { sites { id } }
               node(id: $id) { id }
               site: node(id: $site) { id }
             }",
            json!({ "id": organisation, "site": site }),
        )
        .await;
    let data = response.data();
    let filtered = data["filtered"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["node"]["id"] == organisation);
    let by_id = !data["organisation"].is_null();
    let by_node = !data["node"].is_null();
    let site_by_node = !data["site"].is_null();
    let sites = by_id && !data["organisation"]["sites"].as_array().unwrap().is_empty();
    assert!(
        [filtered, by_id, by_node, site_by_node, sites]
            .iter()
            .all(|v| *v == listed),
        "{key}: list {listed}, filtered {filtered}, organisation {by_id}, node {by_node}, site {site_by_node}, sites {sites}"
    );
    listed
}

/// "allow", "unauthenticated" or "forbidden" for the internal fields of a service and of
/// its organisation; panics if they disagree.
async fn internal_fields(
    app: &TestApp,
    token: Option<&str>,
    world: &World,
    service: &str,
) -> String {
    let (id, organisation) = &world.services[service];
    let mut outcomes = Vec::new();
    for (query, variables) in [
        (
            "query($id: ID!) { service(id: $id) { internalContacts { value } } }",
            json!({ "id": id }),
        ),
        (
            "query($id: ID!) { service(id: $id) { provenance { source } } }",
            json!({ "id": id }),
        ),
        (
            "query($id: ID!) { organisation(id: $id) { internalContacts { value } provenance { source } } }",
            json!({ "id": global("Organisation", *organisation) }),
        ),
    ] {
        let response = app.gql_as(token, query, variables).await;
        let outcome = match response.error_code() {
            None => {
                assert_eq!(response.status, 200);
                "allow"
            }
            Some("UNAUTHENTICATED") => {
                assert_eq!(response.status, 200, "partial data is a 200");
                assert!(response.body.get("data").is_some_and(|d| !d.is_null()));
                "unauthenticated"
            }
            Some("FORBIDDEN") => {
                assert_eq!(response.status, 200);
                "forbidden"
            }
            Some(other) => panic!("unexpected {other}: {}", response.body),
        };
        if outcome == "allow" {
            let text = response.body["data"].to_string();
            assert!(
                text.contains("+3222") || text.contains("rolecheck"),
                "allowed fields carry data: {text}"
            );
        }
        outcomes.push(outcome);
    }
    assert!(
        outcomes.iter().all(|o| *o == outcomes[0]),
        "{service}: {outcomes:?}"
    );
    outcomes[0].to_owned()
}

/// "allow", "hide", "unauthenticated" or "forbidden" for one annotation.
async fn annotation(
    app: &TestApp,
    token: Option<&str>,
    world: &World,
    group: &str,
    visibility: &str,
) -> String {
    let (id, _) = &world.services["other active"];
    let response = app
        .gql_as(
            token,
            "query($id: ID!) { service(id: $id) { annotations { group visibility body } } }",
            json!({ "id": id }),
        )
        .await;
    match response.error_code() {
        Some("UNAUTHENTICATED") => return "unauthenticated".to_owned(),
        Some("FORBIDDEN") => return "forbidden".to_owned(),
        Some(other) => panic!("unexpected {other}"),
        None => {}
    }
    let found = response.data()["service"]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["group"] == group && a["visibility"] == visibility.to_uppercase());
    if found { "allow" } else { "hide" }.to_owned()
}

/// "allow", "unauthenticated" or "forbidden" for the administration fields.
async fn administration(app: &TestApp, token: Option<&str>) -> String {
    let response = app
        .gql_as(
            token,
            "{ sources { name lastRun { outcome } } conflicts { field } }",
            json!({}),
        )
        .await;
    match response.error_code() {
        None => "allow",
        Some("UNAUTHENTICATED") => "unauthenticated",
        Some("FORBIDDEN") => "forbidden",
        Some(other) => panic!("unexpected {other}"),
    }
    .to_owned()
}

/// A demand read, as the rules table says it: allowed, or refused as unauthenticated or
/// forbidden.
async fn read_demand(app: &TestApp, token: Option<&str>, query: &str) -> String {
    let answer = app.gql_as(token, query, json!({})).await;
    match answer.error_code() {
        None => "allow",
        Some("UNAUTHENTICATED") => "unauthenticated",
        Some("FORBIDDEN") => "forbidden",
        Some(other) => panic!("unexpected {other}: {}", answer.body),
    }
    .to_owned()
}

async fn decide(
    app: &TestApp,
    token: Option<&str>,
    world: &World,
    action: Action,
    organisation: i32,
    bassin: &str,
) -> String {
    let principal = match token {
        None => Principal::public(),
        Some(token) => app.state.auth.authenticate(Some(token)).await.unwrap(),
    };
    let facts = ServiceFacts {
        organisation_id: organisation,
        bassins: vec![bassin.to_owned()],
    };
    let _ = world;
    if principal.can(action, &facts) {
        "allow"
    } else {
        "deny"
    }
    .to_owned()
}

async fn outcome(app: &TestApp, world: &World, rule: &str, role: Role) -> String {
    let token = world.tokens[&role].as_deref();
    let (own, other) = (world.own_organisation, world.other_organisation);
    let shown = |v: bool| if v { "allow" } else { "hide" }.to_owned();
    match rule {
        "read published active service" => shown(visible(app, token, world, "other active").await),
        "read published inactive service" => {
            shown(visible(app, token, world, "other inactive").await)
        }
        "read published inactive service of own organisation" => {
            shown(visible(app, token, world, "own inactive").await)
        }
        "read unpublished service" => shown(visible(app, token, world, "other unpublished").await),
        "read unpublished service of own organisation" => {
            shown(visible(app, token, world, "own unpublished").await)
        }
        "read internal fields" => internal_fields(app, token, world, "other active").await,
        "read internal fields of own organisation" => {
            internal_fields(app, token, world, "own active").await
        }
        "read zone annotation shared" => {
            annotation(app, token, world, "zone:bruzel", "shared").await
        }
        "read zone annotation private" => {
            annotation(app, token, world, "zone:bruzel", "private").await
        }
        "read own bassin annotation shared" => {
            annotation(app, token, world, "bassin:nord", "shared").await
        }
        "read own bassin annotation private" => {
            annotation(app, token, world, "bassin:nord", "private").await
        }
        "read other bassin annotation shared" => {
            annotation(app, token, world, "bassin:sud", "shared").await
        }
        "read other bassin annotation private" => {
            annotation(app, token, world, "bassin:sud", "private").await
        }
        "read sources and conflicts" => administration(app, token).await,
        "read organisation and sites, every service inactive" => {
            shown(holder_visible(app, token, world, "quiet").await)
        }
        "read organisation and sites, every service unpublished" => {
            shown(holder_visible(app, token, world, "draft").await)
        }
        "read own organisation and sites, every service unpublished" => {
            shown(holder_visible(app, token, world, "own draft").await)
        }
        "edit listing of own organisation" => {
            decide(app, token, world, Action::EditListing, own, "nord").await
        }
        "edit listing of another organisation" => {
            decide(app, token, world, Action::EditListing, other, "sud").await
        }
        "annotate service in own bassin" => {
            decide(app, token, world, Action::Annotate, other, "nord").await
        }
        "annotate service outside own bassin" => {
            decide(app, token, world, Action::Annotate, other, "sud").await
        }
        "verify service in own bassin" => {
            decide(app, token, world, Action::Verify, other, "nord").await
        }
        "verify service outside own bassin" => {
            decide(app, token, world, Action::Verify, other, "sud").await
        }
        "curate service in own bassin" => {
            decide(app, token, world, Action::Curate, other, "nord").await
        }
        "curate service outside own bassin" => {
            decide(app, token, world, Action::Curate, other, "sud").await
        }
        "manage sources" => decide(app, token, world, Action::ManageSources, other, "sud").await,
        "log demand signal" => {
            let answer = app
                .gql_as(
                    token,
                    "mutation { logDemand(input: { categories: [\"cpas\"], territory: \"quartier:1\", askedOn: \"2026-01-05\", outcome: NO_SERVICE }) { id } }",
                    json!({}),
                )
                .await;
            if answer.error_code().is_none() { "allow" } else { "deny" }.to_owned()
        }
        "read own team demand signals" => {
            read_demand(app, token, "{ demandSignals(from: \"2026-01-01\", to: \"2026-01-31\") { id } }").await
        }
        "read demand summary of every team" => {
            read_demand(
                app,
                token,
                "{ demandSummary(territory: \"region:bru\", from: \"2026-01-01\", to: \"2026-01-31\") { month } }",
            )
            .await
        }
        unknown => panic!("docs/roles.md has a rule this test does not know: {unknown:?}"),
    }
}

async fn every_cell_of_the_rules_table_holds(backend: Backend) {
    let app = spawn_app(backend).await;
    let world = world(&app).await;
    let rules = rules();
    assert!(rules.len() >= 20);
    let mut failures = Vec::new();
    for rule in &rules {
        for role in Role::ALL {
            let expected = &rule.cells[&role];
            let actual = outcome(&app, &world, &rule.name, role).await;
            if &actual != expected {
                failures.push(format!(
                    "{:?} as {role}: table says {expected}, got {actual}",
                    rule.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

async fn zone_partners_and_basin_teams_see_one_map(backend: Backend) {
    let app = spawn_app(backend).await;
    let query = "{ services(first: 100, filter: { territory: \"bassin:sud\" }) { totalCount edges { node { id sites { territories { code } } } } } }";
    let zone = app
        .gql_as(
            Some(&app.token(Role::ZonePartner, &[], None)),
            query,
            json!({}),
        )
        .await;
    let basin = app
        .gql_as(
            Some(&app.token(Role::BasinTeam, &[], Some("nord"))),
            query,
            json!({}),
        )
        .await;
    assert_eq!(
        zone.data(),
        basin.data(),
        "same services, ids and territories"
    );
    let public = app.gql(query, json!({})).await;
    assert!(
        public.data()["services"]["totalCount"].as_u64().unwrap()
            <= zone.data()["services"]["totalCount"].as_u64().unwrap()
    );
}

both_backends!(
    every_cell_of_the_rules_table_holds,
    zone_partners_and_basin_teams_see_one_map
);

//! Federation of an Open Referral HSDS publisher over real HTTP: full and incremental
//! runs, matching by KBO across sources, failures that leave the previous data intact,
//! records gone upstream becoming inactive.

use passerelle::{auth::Role, config::SourceKind};
use passerelle_tests::{
    Backend, TestApp, both_backends, source, spawn_app_with,
    upstream::{Failure, Upstream, hsds_service},
};
use serde_json::{Value, json};

const SCHAERBEEK: (f64, f64) = (50.860754, 4.381674);
const IXELLES: (f64, f64) = (50.821609, 4.394805);
const KBO_A: &str = "0212.347.945";
const KBO_B: &str = "0403.170.701";

fn feed() -> Vec<serde_json::Value> {
    vec![
        hsds_service(
            "s1",
            ("org-a", "Maison Quokka", Some(KBO_A)),
            "Consultation Quokka",
            SCHAERBEEK,
            "mental_health.centre",
            "2026-01-01T00:00:00Z",
        ),
        hsds_service(
            "s2",
            ("org-a", "Maison Quokka", Some(KBO_A)),
            "Permanence Quokka",
            SCHAERBEEK,
            "general_social_work",
            "2026-01-01T00:00:00Z",
        ),
        hsds_service(
            "s3",
            ("org-b", "Centre Wombat", Some(KBO_B)),
            "Accueil Wombat",
            IXELLES,
            "housing",
            "2026-01-01T00:00:00Z",
        ),
    ]
}

async fn app_with(backend: Backend, upstreams: &[(&str, &Upstream)]) -> TestApp {
    let sources: Vec<_> = upstreams
        .iter()
        .map(|(name, upstream)| source(name, SourceKind::Hsds, &upstream.url))
        .collect();
    spawn_app_with(backend, move |config| config.sources = sources).await
}

async fn admin_services(app: &TestApp, text: &str) -> serde_json::Value {
    let token = app.token(Role::Admin, &[], None);
    let response = app
        .gql_as(
            Some(&token),
            "query($text: String) { services(filter: { text: $text }, first: 100) { totalCount edges { node { name status
               organisation { id name identifiers { scheme value } }
               categories { code } provenance { field source upstreamId }
               sites { territories { code } } } } } }",
            json!({ "text": text }),
        )
        .await;
    response.data()["services"].clone()
}

async fn a_full_sync_creates_then_a_rerun_writes_nothing(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_hsds(feed());
    let app = app_with(backend, &[("hsds-test", &upstream)]).await;

    let first = app.sync("hsds-test", true).await.unwrap();
    assert_eq!(
        (first.created, first.updated, first.unchanged),
        (2, 0, 0),
        "two organisations"
    );
    assert_eq!(admin_services(&app, "wombat").await["totalCount"], 1);
    let listed = admin_services(&app, "quokka").await;
    assert_eq!(listed["totalCount"], 2);
    let alpha = listed["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["name"] == "Consultation Quokka")
        .unwrap();
    assert_eq!(
        alpha["node"]["categories"][0]["code"],
        "mental_health.centre"
    );
    assert!(
        alpha["node"]["sites"][0]["territories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["code"] == "commune:21015")
    );
    assert_eq!(
        alpha["node"]["organisation"]["identifiers"][0]["value"],
        "0212347945"
    );
    assert!(
        alpha["node"]["provenance"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["source"] == "hsds-test" && p["upstreamId"] == "s1")
    );

    let writes = app.writes();
    let second = app.sync("hsds-test", true).await.unwrap();
    assert_eq!(
        (
            second.created,
            second.updated,
            second.unchanged,
            second.deactivated
        ),
        (0, 0, 2, 0)
    );
    assert_eq!(app.writes() - writes, 1, "only the run itself is recorded");
}

async fn a_record_gone_upstream_becomes_inactive_not_deleted(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_hsds(feed());
    let app = app_with(backend, &[("hsds-test", &upstream)]).await;
    app.sync("hsds-test", true).await.unwrap();

    upstream.set_hsds(feed().into_iter().filter(|s| s["id"] != "s3").collect());
    let run = app.sync("hsds-test", true).await.unwrap();
    assert_eq!(run.deactivated, 1);
    let beta = admin_services(&app, "wombat").await;
    assert_eq!(beta["totalCount"], 1, "still there for administrators");
    assert_eq!(beta["edges"][0]["node"]["status"], "INACTIVE");
    let public = app
        .gql(
            "{ services(filter: { text: \"wombat\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        public.data()["services"]["totalCount"],
        0,
        "no longer shown to the public"
    );

    // A service withdrawn from an organisation that is still listed: inactive too.
    upstream.set_hsds(feed().into_iter().filter(|s| s["id"] == "s1").collect());
    app.sync("hsds-test", true).await.unwrap();
    let permanence = admin_services(&app, "permanence quokka").await;
    assert_eq!(permanence["edges"][0]["node"]["status"], "INACTIVE");

    // Both withdrawals are in the audit trail, by the source.
    let token = app.token(Role::Admin, &[], None);
    let trail = app
        .gql_as(
            Some(&token),
            "{ auditTrail(filter: { origin: \"sync\" }, first: 100) { edges { node { actor action changes { field after } } } } }",
            json!({}),
        )
        .await;
    let deactivated: Vec<&Value> = trail.data()["auditTrail"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .filter(|n| n["action"] == "deactivated")
        .collect();
    assert_eq!(deactivated.len(), 2, "{deactivated:?}");
    assert_eq!(deactivated[0]["actor"], "sync:hsds-test");
    assert_eq!(
        deactivated[0]["changes"],
        json!([{ "field": "status", "after": "\"inactive\"" }])
    );
}

async fn an_incremental_run_asks_for_changes_only(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_hsds(feed());
    let app = app_with(backend, &[("hsds-test", &upstream)]).await;
    app.sync("hsds-test", true).await.unwrap();

    let mut changed = feed();
    changed[2]["name"] = json!("Accueil Wombat renouvelé");
    changed[2]["last_modified"] = json!("2099-01-01T00:00:00Z");
    upstream.set_hsds(changed);
    let run = app.sync("hsds-test", false).await.unwrap();
    assert!(!run.full);
    assert_eq!(
        (run.updated, run.unchanged, run.deactivated),
        (1, 0, 0),
        "{run:?}"
    );
    let last_query = upstream
        .state
        .queries
        .lock()
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    assert!(last_query.contains_key("modified_after"), "{last_query:?}");
    assert_eq!(admin_services(&app, "renouvele").await["totalCount"], 1);
    // The other services of the organisations were not in the answer and stay active.
    assert_eq!(
        admin_services(&app, "quokka").await["edges"][0]["node"]["status"],
        "ACTIVE"
    );
}

async fn failures_leave_the_previous_data_and_record_the_error(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_hsds(feed());
    let app = app_with(backend, &[("hsds-test", &upstream)]).await;
    app.sync("hsds-test", true).await.unwrap();
    upstream.set_hsds(Vec::new());

    for (failure, expected) in [
        (Failure::Status(500), "HTTP 500"),
        (Failure::StatusOnPage(2, 404), "HTTP 404"),
        (Failure::Malformed, "malformed"),
        (Failure::Truncated, "malformed"),
        (
            Failure::Delay(std::time::Duration::from_secs(4)),
            "timed out",
        ),
    ] {
        upstream.set_hsds(feed());
        upstream.fail(failure.clone());
        let before = upstream.requests();
        let error = app.sync("hsds-test", true).await.unwrap_err().to_string();
        assert!(error.contains(expected), "{failure:?}: {error}");
        let requests = upstream.requests() - before;
        match failure {
            Failure::Status(500) | Failure::Delay(_) => {
                assert_eq!(requests, 3, "{failure:?}: two retries")
            }
            Failure::StatusOnPage(..) => assert_eq!(requests, 2, "a 404 is not retried"),
            _ => {}
        }
        assert_eq!(
            admin_services(&app, "quokka").await["totalCount"],
            2,
            "{failure:?}: data intact"
        );
        assert_eq!(
            admin_services(&app, "wombat").await["totalCount"],
            1,
            "{failure:?}: data intact"
        );
    }
    upstream.fail(Failure::None);

    let token = app.token(Role::Admin, &[], None);
    let status = app
        .gql_as(
            Some(&token),
            "{ sources { name lastSuccess lastError lastRun { outcome created unchanged } } }",
            json!({}),
        )
        .await;
    let source = &status.data()["sources"][0];
    assert_eq!(source["name"], "hsds-test");
    assert_eq!(source["lastRun"]["outcome"], "failed");
    assert!(source["lastError"].as_str().unwrap().contains("timed out"));
    assert!(!source["lastSuccess"].is_null());
}

async fn the_same_kbo_in_two_sources_is_one_organisation(backend: Backend) {
    let a = Upstream::start().await;
    let b = Upstream::start().await;
    a.set_hsds(vec![hsds_service(
        "a1",
        ("x-1", "Maison Quokka", Some(KBO_A)),
        "Consultation Quokka",
        SCHAERBEEK,
        "mental_health",
        "2026-01-01T00:00:00Z",
    )]);
    b.set_hsds(vec![
        hsds_service(
            "b1",
            ("y-9", "Maison Quokka (antenne)", Some(KBO_A)),
            "Groupe de parole Quokka",
            SCHAERBEEK,
            "mental_health",
            "2026-01-01T00:00:00Z",
        ),
        // Same name as the first, another enterprise number: another organisation.
        hsds_service(
            "b2",
            ("y-10", "Maison Quokka", Some(KBO_B)),
            "Consultation Quokka Ixelles",
            IXELLES,
            "mental_health",
            "2026-01-01T00:00:00Z",
        ),
    ]);
    let app = app_with(backend, &[("hsds-a", &a), ("hsds-b", &b)]).await;
    app.sync("hsds-a", true).await.unwrap();
    let run = app.sync("hsds-b", true).await.unwrap();
    assert_eq!(run.created, 2, "two records of source b");

    let listed = admin_services(&app, "quokka").await;
    let organisation_of = |name: &str| {
        listed["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["name"] == name)
            .unwrap()["node"]["organisation"]
            .clone()
    };
    let first = organisation_of("Consultation Quokka");
    assert_eq!(
        first["id"],
        organisation_of("Groupe de parole Quokka")["id"],
        "merged by KBO"
    );
    assert_ne!(
        first["id"],
        organisation_of("Consultation Quokka Ixelles")["id"],
        "different KBO, never merged"
    );
    // Source a comes first in the configuration: its name wins, the disagreement is kept.
    assert_eq!(first["name"], "Maison Quokka");
    let token = app.token(Role::Admin, &[], None);
    let conflicts = app
        .gql_as(
            Some(&token),
            "{ conflicts { organisation field values chosenSource } }",
            json!({}),
        )
        .await;
    let conflict = conflicts.data()["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["organisation"] == first["id"] && c["field"] == "name_fr")
        .cloned()
        .unwrap();
    assert_eq!(conflict["chosenSource"], "hsds-a");
    assert!(
        conflict["values"]
            .as_str()
            .unwrap()
            .contains("Maison Quokka (antenne)")
    );
}

/// Without identifiers, the same name at the same address is one organisation, also
/// when the first record was written earlier in the same run; another name at that
/// address is another organisation.
async fn the_same_name_at_the_same_address_is_one_organisation(backend: Backend) {
    let a = Upstream::start().await;
    let b = Upstream::start().await;
    let record = |id: &str, org: &str, name: &str, service: &str| {
        hsds_service(
            id,
            (org, name, None),
            service,
            SCHAERBEEK,
            "mental_health",
            "2026-01-01T00:00:00Z",
        )
    };
    a.set_hsds(vec![record("a7", "x-7", "Centre Wombat", "Accueil Wombat")]);
    b.set_hsds(vec![
        record("b7", "y-7", "Centre Wombat", "Permanence Wombat"),
        record("b8", "y-8", "Centre Koala", "Accueil Koala"),
        record("b9", "y-9", "Centre Koala", "Groupe Koala"),
    ]);
    let app = app_with(backend, &[("hsds-a", &a), ("hsds-b", &b)]).await;

    app.sync("hsds-a", true).await.unwrap();
    app.sync("hsds-b", true).await.unwrap();

    let organisation_of = |listed: &serde_json::Value, name: &str| {
        listed["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"))["node"]["organisation"]["id"]
            .clone()
    };
    let wombat = admin_services(&app, "wombat").await;
    let koala = admin_services(&app, "koala").await;
    assert_eq!(
        organisation_of(&wombat, "Accueil Wombat"),
        organisation_of(&wombat, "Permanence Wombat"),
        "matched across sources by name and address"
    );
    assert_eq!(
        organisation_of(&koala, "Accueil Koala"),
        organisation_of(&koala, "Groupe Koala"),
        "matched within one run"
    );
    assert_ne!(
        organisation_of(&wombat, "Accueil Wombat"),
        organisation_of(&koala, "Accueil Koala"),
        "another name at the same address"
    );
}

async fn an_invalid_kbo_is_dropped_and_reported_not_matched(backend: Backend) {
    let upstream = Upstream::start().await;
    let mut services = feed();
    services[2]["organization"]["organization_identifiers"][0]["identifier"] =
        json!("0403.170.702");
    services[0]["attributes"][0]["taxonomy_term"]["taxonomy"] = json!("unknown-vocabulary");
    services[0]["attributes"][0]["taxonomy_term"]["name"] = json!("Zorblax");
    upstream.set_hsds(services);
    let app = app_with(backend, &[("hsds-test", &upstream)]).await;
    let run = app.sync("hsds-test", true).await.unwrap();
    assert!(
        run.issues.iter().any(|i| i.contains("check digits")),
        "{:?}",
        run.issues
    );
    assert!(
        run.unknown_codes
            .iter()
            .any(|c| c.scheme == "hsds.unknown-vocabulary"),
        "{:?}",
        run.unknown_codes
    );
    let beta = admin_services(&app, "wombat").await;
    assert!(
        beta["edges"][0]["node"]["organisation"]["identifiers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

async fn a_scheduled_source_syncs_inside_serve(backend: Backend) {
    let upstream = Upstream::start().await;
    upstream.set_hsds(feed());
    let mut scheduled = source("hsds-test", SourceKind::Hsds, &upstream.url);
    scheduled.schedule_minutes = 60;
    let app = spawn_app_with(backend, move |config| config.sources = vec![scheduled]).await;
    // The first run starts with the server; wait for it, within reason.
    for _ in 0..100 {
        if admin_services(&app, "quokka").await["totalCount"] == 2 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the scheduled sync did not run");
}

/// Ids of new rows are drawn before the rows are written; a deleted site's id is never
/// drawn again (the change feed and integrations keep ids).
async fn a_deleted_site_id_is_never_handed_out_again(backend: Backend) {
    use sea_orm::{EntityTrait, QueryOrder};
    let upstream = Upstream::start().await;
    upstream.set_hsds(feed());
    let app = app_with(backend, &[("hsds-test", &upstream)]).await;
    let site_ids = || async {
        entities::site::Entity::find()
            .order_by_asc(entities::site::Column::Id)
            .all(&app.state.db.conn)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    app.sync("hsds-test", true).await.unwrap();
    let before = site_ids().await;
    let highest = *before.last().expect("sites written");

    // Wombat's record loses its location (the highest site goes), then gets one again.
    let mut moved = feed();
    moved[2]["service_at_locations"] = json!([]);
    upstream.set_hsds(moved);
    app.sync("hsds-test", true).await.unwrap();
    assert!(!site_ids().await.contains(&highest), "the site went");
    upstream.set_hsds(feed());
    app.sync("hsds-test", true).await.unwrap();

    let after = site_ids().await;
    let new: Vec<i32> = after
        .iter()
        .copied()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(new.len(), 1, "{before:?} then {after:?}");
    assert!(new[0] > highest, "{} reused or below {highest}", new[0]);
}

/// One service two sources list, with descriptions that disagree: shown once, each field
/// from the source `sync.priority` trusts first (the configured order otherwise), the
/// disagreement listed with the service, and provenance naming who gave what.
async fn a_merged_service_follows_field_priority_and_shows_its_conflicts(backend: Backend) {
    let (a, b) = (Upstream::start().await, Upstream::start().await);
    let listing = |id: &str, org: &str| {
        hsds_service(
            id,
            (org, "Maison Quokka", Some(KBO_A)),
            "Consultation Quokka",
            SCHAERBEEK,
            "mental_health",
            "2026-01-01T00:00:00Z",
        )
    };
    a.set_hsds(vec![listing("a1", "x-1")]);
    let mut other = listing("b1", "y-1");
    other["description"] = json!("Consultations sur rendez-vous, le mardi soir.");
    b.set_hsds(vec![other]);
    let sources = vec![
        source("hsds-a", SourceKind::Hsds, &a.url),
        source("hsds-b", SourceKind::Hsds, &b.url),
    ];
    let app = spawn_app_with(backend, move |config| {
        config.sources = sources;
        config
            .sync
            .priority
            .insert("description_fr".to_owned(), vec!["hsds-b".to_owned()]);
    })
    .await;
    app.sync("hsds-a", true).await.unwrap();
    let run = app.sync("hsds-b", true).await.unwrap();
    assert_eq!(run.merged_services, 1);

    let token = app.token(Role::Admin, &[], None);
    let found = app
        .gql_as(
            Some(&token),
            "{ services(filter: { text: \"consultation quokka\" }) { edges { node { id name description
                provenance { field source } } } }
               conflicts { service field values chosenSource } }",
            json!({}),
        )
        .await;
    let data = found.data();
    let edges = data["services"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{data}");
    let service = &edges[0]["node"];
    assert_eq!(
        service["description"],
        "Consultations sur rendez-vous, le mardi soir."
    );
    let given_by = |field: &str| -> Vec<&str> {
        service["provenance"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["field"] == field)
            .filter_map(|p| p["source"].as_str())
            .collect()
    };
    assert_eq!(given_by("description"), ["hsds-b"], "{service}");
    assert_eq!(given_by("name"), ["hsds-a"], "the configured order");
    assert_eq!(given_by("categories"), ["hsds-a", "hsds-b"], "a union");
    let conflict = data["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["service"] == service["id"])
        .unwrap_or_else(|| panic!("the disagreement is listed: {data}"));
    assert_eq!(conflict["field"], "description_fr");
    assert_eq!(conflict["chosenSource"], "hsds-b");
    let values: Value = serde_json::from_str(conflict["values"].as_str().unwrap()).unwrap();
    assert_eq!(values.as_object().unwrap().len(), 2, "{values}");
}

/// HSDS says who recognises a service in free text: `accreditations` (and the deprecated
/// `licenses`), parts split on semicolons, and `funding[].source`. Each part is an
/// accreditation whose authority and kind are read from its words; a text citing a
/// law first is federal; one naming no authority is dropped and reported.
async fn accreditations_written_in_words_name_their_authority(backend: Backend) {
    let upstream = Upstream::start().await;
    let mut service = hsds_service(
        "s1",
        ("o-1", "Service de santé mentale Quokka", Some(KBO_A)),
        "Consultation Quokka",
        SCHAERBEEK,
        "mental_health",
        "2026-01-01T00:00:00Z",
    );
    service["accreditations"] = json!(
        "COCOF : Décret du 5 mars 2009 relatif à l'offre de services ambulatoires ; Convention INAMI relative aux soins psychologiques de première ligne"
    );
    service["licenses"] = json!("Arrêté royal du 10 juillet 1990");
    service["funding"] = json!([
        { "id": "f1", "source": "Loi organique des centres publics d’action sociale du 8 juillet 1976" },
        { "id": "f2", "source": "Loi du 26 mai 2002 concernant le droit à l'intégration sociale" },
        // Names no authority; a law cited further on decides nothing.
        { "id": "f3", "source": "Ordonnance du 12 janvier 2006 modifiant la loi organique" }
    ]);
    upstream.set_hsds(vec![service]);
    let app = app_with(backend, &[("hsds-test", &upstream)]).await;
    let run = app.sync("hsds-test", true).await.unwrap();
    assert_eq!(run.issues.len(), 1, "{:?}", run.issues);
    assert!(
        run.issues[0].contains("Ordonnance du 12 janvier 2006"),
        "{:?}",
        run.issues
    );

    let found = app
        .gql(
            "{ services(filter: { text: \"consultation quokka\" }) { edges { node {
                accreditations { kind authority { code } } } } } }",
            json!({}),
        )
        .await;
    let mut accreditations: Vec<String> =
        found.data()["services"]["edges"][0]["node"]["accreditations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                format!(
                    "{} {}",
                    a["authority"]["code"].as_str().unwrap(),
                    a["kind"].as_str().unwrap()
                )
            })
            .collect();
    accreditations.sort();
    assert_eq!(
        accreditations,
        [
            "cocof AGREMENT",
            "federal AGREMENT",
            "federal CONVENTION",
            "federal SUBVENTION",
            "local SUBVENTION"
        ]
    );
}

both_backends!(
    accreditations_written_in_words_name_their_authority,
    a_merged_service_follows_field_priority_and_shows_its_conflicts,
    a_scheduled_source_syncs_inside_serve,
    a_full_sync_creates_then_a_rerun_writes_nothing,
    a_record_gone_upstream_becomes_inactive_not_deleted,
    an_incremental_run_asks_for_changes_only,
    failures_leave_the_previous_data_and_record_the_error,
    the_same_kbo_in_two_sources_is_one_organisation,
    the_same_name_at_the_same_address_is_one_organisation,
    an_invalid_kbo_is_dropped_and_reported_not_matched,
    a_deleted_site_id_is_never_handed_out_again,
);

//! The four generated upstream feeds, served over loopback HTTP, federated into one map:
//! matches across sources, defects reported, re-runs that write nothing, failures of
//! each kind that keep the previous data.

use passerelle::config::SourceKind;
use passerelle_fixtures::{
    feeds::{self, FeedOptions},
    sampler::Sampler,
};
use passerelle_tests::{
    Backend, TestApp, both_backends, source, spawn_empty_app_with,
    upstream::{Failure, Upstream},
};
use serde_json::json;

const SOURCES: [&str; 4] = ["social-brussels", "sociale-kaart", "hsds", "inami"];

async fn federated(backend: Backend) -> (TestApp, Upstream) {
    let upstream = Upstream::start().await;
    let url = upstream.url.clone();
    let app = spawn_empty_app_with(backend, move |config| {
        let mut inami = source("inami", SourceKind::Csv, &format!("{url}/snapshot.csv"));
        inami.authority = Some("federal".to_owned());
        inami.csv = Some(passerelle::sources::csv::inami_mapping());
        config.sources = vec![
            source("social-brussels", SourceKind::SocialBrussels, &url),
            source("sociale-kaart", SourceKind::SocialeKaart, &url),
            source("hsds", SourceKind::Hsds, &url),
            inami,
        ];
        for s in &mut config.sources {
            s.page_size = 25;
        }
    })
    .await;
    let sampler = Sampler::load(&app.state.db.conn, &app.state.reference)
        .await
        .unwrap();
    let generated = feeds::generate(
        &FeedOptions {
            organisations: Some(240),
            seed: 11,
        },
        &|nis, postcode, seed| sampler.place(nis, postcode, seed),
    );
    upstream.set_social_brussels(generated.social_brussels);
    upstream.set_sociale_kaart(generated.sociale_kaart);
    upstream.set_hsds(generated.hsds_services);
    upstream.set_csv(&generated.inami_csv);
    (app, upstream)
}

async fn counts(app: &TestApp) -> (u64, u64) {
    let token = app.token(passerelle::auth::Role::Admin, &[], None);
    let response = app
        .gql_as(
            Some(&token),
            "{ services(first: 0) { totalCount } organisations(first: 0) { totalCount } }",
            json!({}),
        )
        .await;
    let data = response.data();
    (
        data["services"]["totalCount"].as_u64().unwrap(),
        data["organisations"]["totalCount"].as_u64().unwrap(),
    )
}

async fn four_feeds_federate_and_rerun_without_writing(backend: Backend) {
    let (app, _upstream) = federated(backend).await;
    let mut created = 0;
    let mut rejected = Vec::new();
    let mut issues = Vec::new();
    for name in SOURCES {
        let run = app.sync(name, true).await.unwrap();
        assert!(run.created > 0, "{name}: {run:?}");
        created += run.created;
        rejected.extend(run.rejected.iter().map(|r| r.reason.clone()));
        issues.extend(run.issues.clone());
        assert!(
            run.unknown_codes.is_empty(),
            "{name}: every generated code is mapped: {:?}",
            run.unknown_codes
        );
    }
    let (services, organisations) = counts(&app).await;
    assert!(services > 300, "{services} services");
    assert!(
        organisations < u64::from(created),
        "records of several sources matched: {organisations} organisations from {created} records"
    );
    assert!(
        rejected.iter().any(|r| r.contains("duplicate upstream id")),
        "{rejected:?}"
    );
    assert!(
        issues.iter().any(|i| i.contains("check digits")),
        "invalid KBOs reported"
    );
    assert!(
        issues.iter().any(|i| i.contains("no coordinates")),
        "records without coordinates reported"
    );

    let writes = app.writes();
    for name in SOURCES {
        let run = app.sync(name, true).await.unwrap();
        assert_eq!(
            (run.created, run.updated, run.deactivated),
            (0, 0, 0),
            "{name}: {run:?}"
        );
    }
    assert_eq!(
        app.writes() - writes,
        4,
        "one run row per source, nothing else"
    );
    for name in ["social-brussels", "sociale-kaart", "hsds"] {
        let run = app.sync(name, false).await.unwrap();
        assert_eq!(
            (run.created, run.updated, run.deactivated),
            (0, 0, 0),
            "{name} incremental: {run:?}"
        );
    }
    // And back to a full run, then all sources at once: still nothing to write.
    for name in SOURCES {
        let run = app.sync(name, true).await.unwrap();
        assert_eq!(
            (run.created, run.updated, run.deactivated),
            (0, 0, 0),
            "{name} full after incremental: {run:?}"
        );
    }
    let names: Vec<String> = SOURCES.iter().map(|s| (*s).to_owned()).collect();
    let state = &app.state;
    for (name, run) in passerelle::sync::run_all(
        &state.db.conn,
        &state.reference,
        &state.config,
        &names,
        false,
        &|_, _, _| {},
    )
    .await
    {
        let run = run.unwrap();
        assert_eq!(
            (run.created, run.updated, run.deactivated),
            (0, 0, 0),
            "{name} all at once: {run:?}"
        );
    }
}

async fn every_kind_keeps_its_data_when_the_upstream_fails(backend: Backend) {
    let (app, upstream) = federated(backend).await;
    for name in SOURCES {
        app.sync(name, true).await.unwrap();
    }
    let before = counts(&app).await;
    for failure in [Failure::Status(500), Failure::Malformed, Failure::Truncated] {
        upstream.fail(failure.clone());
        for name in SOURCES {
            if name == "inami" && failure == Failure::Truncated {
                // A CSV cut in the middle is still CSV: rows are read as they come.
                continue;
            }
            assert!(
                app.sync(name, true).await.is_err(),
                "{name} under {failure:?}"
            );
        }
        assert_eq!(counts(&app).await, before, "{failure:?}");
    }
}

async fn records_gone_from_each_kind_become_inactive(backend: Backend) {
    let (app, upstream) = federated(backend).await;
    for name in SOURCES {
        app.sync(name, true).await.unwrap();
    }
    let keep_half = |items: &mut Vec<serde_json::Value>| {
        let half = items.len() / 2;
        items.truncate(half);
    };
    keep_half(&mut upstream.state.social_brussels.lock().unwrap());
    keep_half(&mut upstream.state.sociale_kaart.lock().unwrap());
    keep_half(&mut upstream.state.hsds.lock().unwrap());
    let csv = upstream.state.csv.lock().unwrap().clone();
    let lines: Vec<&str> = csv.lines().collect();
    upstream.set_csv(&lines[..lines.len() / 2].join("\n"));
    for name in SOURCES {
        let run = app.sync(name, true).await.unwrap();
        assert!(run.deactivated > 0, "{name}: {run:?}");
    }
}

/// `run_all` (the CLI's `sync`) reads the next source while it writes the current one;
/// the map it builds is the one source-by-source runs build, and a source that cannot
/// start fails alone.
async fn all_sources_at_once_build_the_same_map(backend: Backend) {
    let (one_by_one, _a) = federated(backend).await;
    for name in SOURCES {
        one_by_one.sync(name, true).await.unwrap();
    }
    let (at_once, _b) = federated(backend).await;
    let names: Vec<String> = [
        "social-brussels",
        "nowhere",
        "sociale-kaart",
        "hsds",
        "inami",
    ]
    .map(str::to_owned)
    .to_vec();

    let outcomes = passerelle::sync::run_all(
        &at_once.state.db.conn,
        &at_once.state.reference,
        &at_once.state.config,
        &names,
        true,
        &|_, _, _| {},
    )
    .await;
    at_once.caught_up().await;

    let order: Vec<&str> = outcomes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(order, names.iter().map(String::as_str).collect::<Vec<_>>());
    for (name, outcome) in &outcomes {
        match name.as_str() {
            "nowhere" => assert!(
                matches!(outcome, Err(passerelle::sync::SyncError::UnknownSource(_))),
                "{outcome:?}"
            ),
            _ => assert!(
                outcome.as_ref().is_ok_and(|r| r.created > 0),
                "{name}: {outcome:?}"
            ),
        }
    }
    assert_eq!(counts(&at_once).await, counts(&one_by_one).await);
}

both_backends!(
    all_sources_at_once_build_the_same_map,
    four_feeds_federate_and_rerun_without_writing,
    every_kind_keeps_its_data_when_the_upstream_fails,
    records_gone_from_each_kind_become_inactive,
);

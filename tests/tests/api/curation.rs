//! Curation (publication, professional lines) is one write path with the others: all or
//! nothing, validated before anything is written, and recorded in the change log.

use passerelle::{
    domain::ContactKind,
    store::{self, Curation, StoreError},
};
use passerelle_tests::{Backend, TestApp, both_backends, fixture, spawn_app};
use serde_json::json;

async fn listed(app: &TestApp) -> u64 {
    app.gql(
        "{ services(filter: { text: \"curatio\" }) { totalCount } }",
        json!({}),
    )
    .await
    .data()["services"]["totalCount"]
        .as_u64()
        .unwrap()
}

async fn curation_is_all_or_nothing_and_reaches_the_read_model(backend: Backend) {
    let app = spawn_app(backend).await;
    let synced = fixture::sync_hsds(
        &app,
        "curation",
        "fr",
        &["one", "two"].map(|key| {
            fixture::hsds_service(
                &format!("{key}-service"),
                (key, &format!("ASBL Curatio {key}"), None),
                &format!("Service Curatio {key}"),
                (50.85, 4.35),
                "housing",
                "2026-01-01T00:00:00Z",
            )
        }),
    )
    .await;
    let (one, two) = (synced.organisations["one"], synced.services["two-service"]);
    let unpublish = Curation::Publish {
        service_id: synced.services["one-service"],
        published: false,
    };
    assert_eq!(listed(&app).await, 2);

    let bad_phone = store::curate(
        &app.state.db.conn,
        &[
            unpublish.clone(),
            Curation::InternalContact {
                organisation_id: one,
                service_id: None,
                kind: ContactKind::Phone,
                value: "call us".to_owned(),
            },
        ],
    )
    .await;
    let not_its_service = store::curate(
        &app.state.db.conn,
        &[
            unpublish.clone(),
            Curation::InternalContact {
                organisation_id: one,
                service_id: Some(two),
                kind: ContactKind::Phone,
                value: "02/435.51.38".to_owned(),
            },
        ],
    )
    .await;
    app.caught_up().await;

    assert!(matches!(bad_phone, Err(StoreError::InvalidContact(_))));
    assert!(matches!(
        not_its_service,
        Err(StoreError::NotTheOrganisations { .. })
    ));
    assert_eq!(listed(&app).await, 2, "a refused curation writes nothing");

    fixture::curate(&app, &[unpublish]).await;

    assert_eq!(listed(&app).await, 1, "the unpublished service is gone");
}

/// An upstream that changes its record rewrites what it gave, not what professionals
/// curated: the service stays unpublished and keeps its professional line.
async fn curation_survives_the_next_sync_of_a_changed_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let listing = |name: &str, modified: &str| {
        fixture::hsds_service(
            "kept-service",
            ("kept", "ASBL Curatio kept", None),
            name,
            (50.85, 4.35),
            "housing",
            modified,
        )
    };
    let synced = fixture::sync_hsds(
        &app,
        "curation-kept",
        "fr",
        &[listing("Service Curatio", "2026-01-01T00:00:00Z")],
    )
    .await;
    let (organisation, service) = (
        synced.organisations["kept"],
        synced.services["kept-service"],
    );
    fixture::curate(
        &app,
        &[
            Curation::Publish {
                service_id: service,
                published: false,
            },
            Curation::InternalContact {
                organisation_id: organisation,
                service_id: Some(service),
                kind: ContactKind::Phone,
                value: "02/435.51.38".to_owned(),
            },
        ],
    )
    .await;

    let resynced = fixture::sync_hsds(
        &app,
        "curation-kept",
        "fr",
        &[listing("Service Curatio renommé", "2026-02-01T00:00:00Z")],
    )
    .await;

    assert_eq!(
        resynced.services["kept-service"], service,
        "the same service"
    );
    assert_eq!(listed(&app).await, 0, "still unpublished");
    let admin = app.token(passerelle::auth::Role::Admin, &[], None);
    let seen = app
        .gql_as(
            Some(&admin),
            "query($id: ID!) { service(id: $id) { name internalContacts { value } } }",
            json!({ "id": passerelle::graphql::ids::encode(passerelle::graphql::ids::Kind::Service, service) }),
        )
        .await;
    assert_eq!(seen.data()["service"]["name"], "Service Curatio renommé");
    assert_eq!(
        seen.data()["service"]["internalContacts"][0]["value"],
        "+3224355138"
    );
}

both_backends!(
    curation_is_all_or_nothing_and_reaches_the_read_model,
    curation_survives_the_next_sync_of_a_changed_record
);

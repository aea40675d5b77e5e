//! The read model stays current: the writer reads its own writes at once, and another
//! replica on the same database catches up through the change log, woken by a
//! PostgreSQL notification or by its poll.

use std::time::{Duration, Instant};

use passerelle_tests::{Backend, TestApp, both_backends, fixture, spawn_app_on, spawn_app_with};
use serde_json::json;

const FIND: &str = "query($text: String) {
  services(filter: { text: $text }) { totalCount edges { node { name organisation { name } } } }
}";

async fn found(app: &TestApp, text: &str) -> u64 {
    app.gql(FIND, json!({ "text": text })).await.data()["services"]["totalCount"]
        .as_u64()
        .unwrap()
}

/// Asks `app` until it finds `text` or `deadline` passes; a replica is eventually
/// consistent, so this waits for an outcome rather than timing it.
async fn eventually_found(app: &TestApp, text: &str, deadline: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < deadline {
        if found(app, text).await > 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Writes a service named `name` through a sync of its own source.
async fn insert_named(app: &TestApp, name: &str) {
    let key: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    fixture::sync_hsds(
        app,
        &format!("replica-{key}"),
        "fr",
        &[fixture::hsds_service(
            &format!("{key}-service"),
            (&format!("{key}-org"), "Replica test", None),
            name,
            (50.85, 4.35),
            "general_social_work",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
}

async fn the_writer_reads_its_writes_at_once(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.database.change_poll_ms = 0).await;
    assert_eq!(found(&app, "zyxwvutsrq").await, 0);

    insert_named(&app, "Zyxwvutsrq permanence").await;

    assert_eq!(found(&app, "zyxwvutsrq").await, 1, "no wait, no poll");
}

async fn another_replica_catches_up_by_polling(backend: Backend) {
    let writer = spawn_app_with(backend, |_| {}).await;
    let url = writer.state.config.database.url.expose().to_owned();
    let replica = spawn_app_on(url, |c| c.database.change_poll_ms = 100).await;
    assert_eq!(found(&replica, "qwertzuiop").await, 0);

    insert_named(&writer, "Qwertzuiop accueil").await;

    assert!(eventually_found(&replica, "qwertzuiop", Duration::from_secs(20)).await);
}

async fn another_replica_is_notified_without_polling(backend: Backend) {
    let writer = spawn_app_with(backend, |_| {}).await;
    let url = writer.state.config.database.url.expose().to_owned();
    let replica = spawn_app_on(url, |c| c.database.change_poll_ms = 0).await;
    // `spawn_app_on` returns once the replica listens.

    insert_named(&writer, "Mnbvcxylkj accueil").await;

    assert!(eventually_found(&replica, "mnbvcxylkj", Duration::from_secs(20)).await);
}

both_backends!(
    the_writer_reads_its_writes_at_once,
    another_replica_catches_up_by_polling
);

mod postgres_only {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_replica_is_notified_without_polling() {
        super::another_replica_is_notified_without_polling(Backend::Postgres).await;
    }
}

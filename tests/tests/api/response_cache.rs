//! The exact response cache: a query asked again is answered from the cache, and never
//! once a writer (a mutation, a sync here or in another process, curation) has moved the
//! read model on; callers who see differently never share an answer; answers that read
//! the clock or carry errors are not kept; `api.response_cache_mb = 0` turns it off.

use passerelle::{
    auth::Role,
    domain::{GlobalId, Kind},
};
use passerelle_tests::{
    Backend, TestApp, both_backends, fixture, process, spawn_app, spawn_app_with,
    upstream::Upstream,
};
use serde_json::json;

/// The value of a counter of `/metrics`.
async fn counter(app: &TestApp, name: &str) -> u64 {
    let metrics = app.metrics().await;
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
        .parse()
        .unwrap()
}

async fn hits(app: &TestApp) -> u64 {
    counter(app, "passerelle_response_cache_hits_total").await
}

const COUNT: &str = "query($text: String) { services(filter: { text: $text }) { totalCount edges { node { name } } } }";

fn synced_service(key: &str, name: &str) -> serde_json::Value {
    fixture::hsds_service(
        &format!("{key}-1"),
        (&format!("{key}-org"), "ASBL Cachée", None),
        name,
        (50.8671, 4.3729),
        "housing",
        "2026-01-01T00:00:00Z",
    )
}

/// A service `partner` creates in `organisation` with `fields`.
async fn create_service(
    app: &TestApp,
    partner: &str,
    organisation: i32,
    fields: serde_json::Value,
) {
    let organisation = GlobalId::new(Kind::Organisation, organisation).to_string();
    let created = app
        .gql_as(
            Some(partner),
            "mutation($input: CreateServiceInput!) { createService(input: $input) { service { id } } }",
            json!({ "input": { "organisation": organisation, "service": fields } }),
        )
        .await;
    assert!(created.body["errors"].is_null(), "{:?}", created.body);
}

/// Asked twice, answered once; a partner's new service, a sync, and a withdrawal by
/// curation are each in the very next answer.
async fn a_write_is_in_the_next_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let synced = fixture::sync_hsds(
        &app,
        "cache",
        "fr",
        &[synced_service("cache", "Permanence mémoire")],
    )
    .await;
    let ask = || app.gql(COUNT, json!({ "text": "permanence" }));
    let first = ask().await;
    let before = hits(&app).await;
    let again = ask().await;
    assert_eq!(again.body, first.body);
    assert_eq!(
        hits(&app).await,
        before + 1,
        "the second answer came from the cache"
    );
    let count =
        |answer: &passerelle_tests::Gql| answer.data()["services"]["totalCount"].as_i64().unwrap();

    // A mutation.
    let organisation = synced.organisations["cache-org"];
    let partner = app.token(Role::Partner, &[organisation], None);
    create_service(
        &app,
        &partner,
        organisation,
        json!({ "nameFr": "Permanence écrite", "categories": ["housing"] }),
    )
    .await;
    let after_write = ask().await;
    assert_eq!(count(&after_write), count(&first) + 1);

    // A sync.
    fixture::sync_hsds(
        &app,
        "cache-2",
        "fr",
        &[synced_service("other", "Permanence synchronisée")],
    )
    .await;
    let after_sync = ask().await;
    assert_eq!(count(&after_sync), count(&first) + 2);

    // Curation withdraws the synced service.
    fixture::curate(
        &app,
        &[passerelle::store::Curation::Publish {
            service_id: synced.services["cache-1"],
            published: false,
        }],
    )
    .await;
    let after_curation = ask().await;
    assert_eq!(count(&after_curation), count(&first) + 1);
    assert!(
        !after_curation
            .body
            .to_string()
            .contains("Permanence mémoire"),
        "{}",
        after_curation.body
    );
}

/// A sync run by another process (`passerelle sync` on the same database) reaches the
/// server through the change log; the first answer after the server's read model has
/// moved on is computed again, never the one kept before.
async fn a_sync_in_another_process_is_in_the_next_answer(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.database.change_poll_ms = 100).await;
    let ask = || app.gql(COUNT, json!({ "text": "permanence" }));
    let first = ask().await;
    let before = hits(&app).await;
    assert_eq!(ask().await.body, first.body);
    assert_eq!(hits(&app).await, before + 1, "the answer is kept");
    let version = app.state.read_model.snapshot().sequence;

    let upstream = Upstream::start().await;
    upstream.set_hsds(vec![synced_service("elsewhere", "Permanence d'ailleurs")]);
    let config = format!(
        "[[sources]]\nname = \"elsewhere\"\nkind = \"hsds\"\nbase_url = \"{}\"\nlanguage = \"fr\"\n",
        upstream.url
    );
    let database = app.state.config.database.url.expose();
    let output = process::run(
        database,
        &config,
        &["sync", "--source", "elsewhere", "--full"],
    )
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The server learns of it when it next reads the change log.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app.state.read_model.snapshot().sequence == version {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never read the sync's changes"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let next = ask().await;
    let count =
        |answer: &passerelle_tests::Gql| answer.data()["services"]["totalCount"].as_i64().unwrap();
    assert_eq!(count(&next), count(&first) + 1, "{}", next.body);
    // That answer is kept in turn.
    let before = hits(&app).await;
    assert_eq!(ask().await.body, next.body);
    assert_eq!(hits(&app).await, before + 1);
}

/// The public and a partner ask the same query: each gets its own view, whatever was
/// kept for the other; labels in two languages are two answers.
async fn callers_who_see_differently_never_share_an_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let synced = fixture::sync_hsds(
        &app,
        "scope",
        "fr",
        &[synced_service("scope", "Quokkaville partagée")],
    )
    .await;
    let organisation = synced.organisations["scope-org"];
    let partner = app.token(Role::Partner, &[organisation], None);
    create_service(
        &app,
        &partner,
        organisation,
        json!({ "nameFr": "Quokkaville en préparation", "categories": ["housing"], "published": false }),
    )
    .await;
    let variables = json!({ "text": "quokkaville" });
    for _ in 0..2 {
        let public = app.gql(COUNT, variables.clone()).await;
        let own = app.gql_as(Some(&partner), COUNT, variables.clone()).await;
        assert_eq!(
            public.data()["services"]["totalCount"],
            1,
            "{}",
            public.body
        );
        assert_eq!(own.data()["services"]["totalCount"], 2, "{}", own.body);
    }
    assert_eq!(
        hits(&app).await,
        2,
        "each caller's second answer came from the cache"
    );
    // Labels in the language `Accept-Language` asks for: two answers, each kept.
    let labels = "{ categories { name } }";
    let ask = |language: &'static str| {
        let app = &app;
        async move {
            app.gql_with_headers(labels, json!({}), &[("accept-language", language)])
                .await
                .body
        }
    };
    let fr = ask("fr").await;
    let nl = ask("nl").await;
    assert_ne!(fr, nl);
    assert_eq!(ask("nl").await, nl);
    assert_eq!(ask("fr").await, fr);
    assert_eq!(hits(&app).await, 4);
}

/// What reads the clock (`openNow`) or carries an error is answered afresh each time.
#[tokio::test]
async fn volatile_and_failed_answers_are_not_kept() {
    let app = spawn_app(Backend::Sqlite).await;
    let open = "{ services(first: 3) { edges { node { name openNow } } } }";
    app.gql(open, json!({})).await;
    let before = hits(&app).await;
    app.gql(open, json!({})).await;
    assert_eq!(
        hits(&app).await,
        before,
        "openNow is never served from the cache"
    );
    // Professional contacts are refused to the public: `null` with an error, each time.
    let refused = "{ services(first: 2) { edges { node { name internalContacts { value } } } } }";
    let first = app.gql(refused, json!({})).await;
    assert_eq!(
        first.error_code(),
        Some("UNAUTHENTICATED"),
        "{}",
        first.body
    );
    app.gql(refused, json!({})).await;
    assert_eq!(hits(&app).await, before);
    // What the database holds rather than the read model (provenance) is read afresh.
    let admin = app.token(Role::Admin, &[], None);
    let sourced = "{ services(first: 2) { edges { node { provenance { source } } } } }";
    app.gql_as(Some(&admin), sourced, json!({})).await;
    app.gql_as(Some(&admin), sourced, json!({})).await;
    assert_eq!(hits(&app).await, before);
}

/// `api.response_cache_mb = 0`: no cache, and its metrics are not exposed.
#[tokio::test]
async fn the_cache_can_be_turned_off() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.api.response_cache_mb = 0).await;
    let query = "{ categories { code } }";
    let first = app.gql(query, json!({})).await;
    assert_eq!(app.gql(query, json!({})).await.body, first.body);
    assert!(!app.metrics().await.contains("passerelle_response_cache"));
}

both_backends!(
    a_write_is_in_the_next_answer,
    a_sync_in_another_process_is_in_the_next_answer,
    callers_who_see_differently_never_share_an_answer,
);

/// A `GET` of the query `query` with `headers`: status, headers and body.
async fn get(
    app: &TestApp,
    query: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = app
        .client
        .get(format!("{}/graphql", app.url))
        .query(&[("query", query)])
        .header("accept", "application/graphql-response+json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

/// A public `GET` answer carries an entity tag of the directory's version. Sent back in
/// `If-None-Match`, it gets `304 Not Modified` without a body while nothing changed, and
/// the new answer once a sync moved the directory on. An authenticated answer is never
/// stored; one that reads the clock is asked for again each time.
#[tokio::test]
async fn get_answers_are_tagged_for_http_caches() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.http.cache_max_age_seconds = 60).await;
    let query = "{ services(filter: { text: \"quokkaville\" }) { totalCount } }";
    let (status, headers, body) = get(&app, query, &[]).await;
    assert_eq!(status, 200, "{body}");
    let tag = header(&headers, "etag").expect("an entity tag").to_owned();
    assert_eq!(
        header(&headers, "cache-control"),
        Some("public, max-age=60")
    );
    assert!(header(&headers, "vary").unwrap().contains("Authorization"));

    let (status, headers, body) = get(&app, query, &[("if-none-match", &tag)]).await;
    assert_eq!(status, 304);
    assert_eq!(body, "");
    assert_eq!(header(&headers, "etag"), Some(tag.as_str()));
    // Weakly compared, in a list, as the header allows.
    let listed = format!("\"other\", W/{tag}");
    assert_eq!(get(&app, query, &[("if-none-match", &listed)]).await.0, 304);

    fixture::sync_hsds(
        &app,
        "tagged",
        "fr",
        &[synced_service("tagged", "Quokkaville étiquetée")],
    )
    .await;
    let (status, headers, body) = get(&app, query, &[("if-none-match", &tag)]).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"totalCount\":1"), "{body}");
    assert_ne!(header(&headers, "etag"), Some(tag.as_str()));

    let admin = format!("Bearer {}", app.token(Role::Admin, &[], None));
    let (status, headers, _) = get(&app, query, &[("authorization", &admin)]).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "etag"), None);
    assert_eq!(header(&headers, "cache-control"), Some("private, no-store"));

    let (status, headers, _) = get(
        &app,
        "{ services(first: 1) { edges { node { openNow } } } }",
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "etag"), None);
    assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
}

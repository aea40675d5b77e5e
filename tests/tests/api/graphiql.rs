//! GraphiQL in a real browser (Debian's `chromium`, headless) with every host but the
//! loopback unresolvable: it must load from the server alone and run its introspection.

use std::{collections::BTreeSet, time::Duration};

use passerelle::config::Profile;
use passerelle_tests::{Backend, chromium, spawn_app, spawn_app_with};
use serde_json::Value;

/// Requests the page made (those it initiated), as `METHOD url`, from Chromium's net log.
fn page_requests(net_log: &Value, origin: &str) -> BTreeSet<String> {
    let start_job = net_log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_i64();
    net_log["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|event| event["type"].as_i64() == start_job)
        .map(|event| &event["params"])
        .filter(|params| params["initiator"] == origin)
        .map(|params| {
            format!(
                "{} {}",
                params["method"].as_str().unwrap_or("?"),
                params["url"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[tokio::test]
async fn graphiql_works_with_the_network_off() {
    let app = spawn_app(Backend::Sqlite).await;
    let dir = std::env::temp_dir().join(format!("passerelle-graphiql-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let net_log = dir.join("net.json");
    let output = tokio::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            // Every name but the loopback fails to resolve: the network is off.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg(format!("{}/graphql", app.url))
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), output)
        .await
        .expect("chromium finished")
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    let log: Value = serde_json::from_slice(&std::fs::read(&net_log).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    // Rendered: GraphiQL's layout with our default query in its editor.
    assert!(dom.contains("graphiql-container"), "{dom}");
    assert!(dom.contains("maison medicale"), "{dom}");
    // Everything the page asked for came from the server, and it ran its introspection
    // (a POST to /graphql) — which the server answered, as its metrics say.
    let requests = page_requests(&log, &app.url);
    assert!(
        requests
            .iter()
            .all(|r| r.split(' ').nth(1).is_some_and(|u| u.starts_with(&app.url))),
        "{requests:?}"
    );
    for file in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "init.js",
    ] {
        assert!(
            requests
                .iter()
                .any(|r| r.starts_with("GET ") && r.ends_with(file)),
            "{file} not loaded: {requests:?}"
        );
    }
    assert!(
        requests.contains(&format!("POST {}/graphql", app.url)),
        "{requests:?}"
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains(r#"operation="IntrospectionQuery""#),
        "the introspection did not run: {}",
        metrics
            .lines()
            .filter(|l| l.contains("graphql"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test]
async fn graphiql_is_off_in_production_unless_configured() {
    let production = spawn_app_with(Backend::Sqlite, |c| c.profile = Profile::Production).await;
    let enabled = spawn_app_with(Backend::Sqlite, |c| {
        c.profile = Profile::Production;
        c.http.graphiql = Some(true);
    })
    .await;
    for (app, shown) in [(&production, false), (&enabled, true)] {
        let page = app
            .client
            .get(format!("{}/graphql", app.url))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let policy = page.headers().get("content-security-policy").cloned();
        let body = page.text().await.unwrap();
        assert_eq!(body.contains("graphiql.min.js"), shown, "{body}");
        assert_eq!(policy.is_some(), shown);
        let asset = app
            .client
            .get(format!("{}/graphiql/4.1.2/init.js", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(asset.status().as_u16(), if shown { 200 } else { 404 });
    }
}

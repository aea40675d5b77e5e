//! What abusive documents cost the server process: its memory and its responsiveness.
//! A test binary of its own, so that no other test shares the process it measures.

#![expect(clippy::unwrap_used, reason = "tests")]

use std::time::Duration;

use passerelle_tests::{Backend, TestApp, spawn_app, spawn_app_with};
use serde_json::json;

/// The allocator of the `passerelle` binary (`api/src/main.rs`), so that the memory
/// measured is the memory a server would hold.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The tests of this binary run one after the other: each measures the whole process.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The resident set of this process (the server runs in it), in kB.
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

async fn code_of(app: &TestApp, query: &str) -> String {
    let answer = app.gql(query, json!({})).await;
    answer.error_code().unwrap_or("none").to_owned()
}

/// The amplifying documents of the security review: refused before they run, or cut at
/// the response-size limit; memory comes back to its level after each.
#[tokio::test]
async fn amplifying_documents_leave_memory_where_it_was() {
    let _alone = SERIAL.lock().await;
    // A limit of 1 MiB, so that what the allocator keeps for reuse after the largest
    // allowed response stays well under the 10 % measured.
    let app = spawn_app_with(Backend::Sqlite, |c| c.limits.max_response_bytes = 1 << 20).await;
    // Two copies of every quartier with its geometry: about 2.2 MB, over the limit.
    let geometries = (0..2)
        .map(|n| format!("g{n}: territories(level: QUARTIER) {{ code geometryGeoJson }}"))
        .collect::<Vec<_>>()
        .join(" ");
    let geometries = format!("{{ {geometries} }}");
    let nesting = "{ a: territories { parents { children { parents { children { code } } } } } \
                   b: territories { parents { children { parents { children { code } } } } } \
                   c: territories { parents { children { parents { children { code } } } } } }";
    // The level: after three rounds, once the allocator and the database's page cache hold
    // what one round needs. Without the limits, the 3 aliased nestings alone grew the
    // server by 3.7 GB, kept.
    for _ in 0..3 {
        assert_eq!(code_of(&app, &geometries).await, "RESPONSE_TOO_LARGE");
        assert_eq!(code_of(&app, nesting).await, "COMPLEXITY_LIMIT_EXCEEDED");
    }
    let before = rss_kb();

    for _ in 0..10 {
        assert_eq!(code_of(&app, &geometries).await, "RESPONSE_TOO_LARGE");
        assert_eq!(code_of(&app, nesting).await, "COMPLEXITY_LIMIT_EXCEEDED");
    }

    let after = rss_kb();
    eprintln!("resident memory: {before} kB before, {after} kB after");
    assert!(
        after <= before + before / 10,
        "resident memory went from {before} kB to {after} kB"
    );
}

/// Documents of doubling fragments (2^25 selections once expanded), four at once, while
/// `/healthz` is asked: the refusals come back, and so does the health check.
#[tokio::test]
async fn the_server_answers_while_refusing_doubling_fragments() {
    let _alone = SERIAL.lock().await;
    let app = spawn_app(Backend::Sqlite).await;
    let mut document = String::from("{ territories { ...F25 } } fragment F0 on Territory { code }");
    for n in 1..=25 {
        document.push_str(&format!(
            " fragment F{n} on Territory {{ ...F{p} ...F{p} }}",
            p = n - 1
        ));
    }
    let refusals: Vec<_> = (0..4)
        .map(|_| {
            let (client, url) = (app.client.clone(), format!("{}/graphql", app.url));
            let body = json!({ "query": document });
            tokio::spawn(async move {
                let answer: serde_json::Value = client
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                answer["errors"][0]["extensions"]["code"].clone()
            })
        })
        .collect();
    let health = app
        .client
        .get(format!("{}/healthz", app.url))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .map(|r| r.status().as_u16());

    for refusal in refusals {
        assert_eq!(refusal.await.unwrap(), "COMPLEXITY_LIMIT_EXCEEDED");
    }
    assert_eq!(health.unwrap(), 200);
}

//! The web map at `/` in a real browser: `web/tests/browser.mjs` (playwright-core driving
//! Debian's `chromium` headless, axe-core for WCAG 2.1 A and AA) against a server that
//! runs trusted documents only, with real signed tokens of a basin team and a partner.
//! Screenshots go to `target/web-artifacts/`.

use std::{path::PathBuf, process::Stdio, time::Duration};

use passerelle::{auth::Role, http::sha256_hex};
use passerelle_tests::{Backend, both_backends, chromium, spawn_app_with};
use serde_json::{Value, json};

/// The test's own setup operations, registered in the server's manifest beside the
/// page's documents (which the server always trusts).
const ORGANISATIONS: &str = "query WebTestOrganisations { organisations(first: 100) { edges { node { id services { id published status } } } } }";
const CREATE: &str = "mutation WebTestCreate($input: CreateServiceInput!) { createService(input: $input) { service { id published } } }";

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// POSTs a document by its hash, as the page sends its writes: the whole answer.
async fn by_hash(
    app: &passerelle_tests::TestApp,
    token: Option<&str>,
    text: &str,
    variables: Value,
) -> Value {
    let mut request = app.client.post(format!("{}/graphql", app.url)).json(
        &json!({ "documentId": format!("sha256:{}", sha256_hex(text)), "variables": variables }),
    );
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// The `data` of a document sent by its hash, which must answer without errors.
async fn persisted(
    app: &passerelle_tests::TestApp,
    token: Option<&str>,
    text: &str,
    variables: Value,
) -> Value {
    let body = by_hash(app, token, text, variables).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

/// `npm ci` in `web/` once per test process, when its modules are missing.
static NPM: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
/// One browser suite at a time: two Chromiums on two cores would make its waits flaky.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

both_backends!(the_web_map_works_in_a_browser_for_the_public_a_basin_team_and_a_partner);

async fn the_web_map_works_in_a_browser_for_the_public_a_basin_team_and_a_partner(
    backend: Backend,
) {
    let web = repository().join("web");
    NPM.get_or_init(|| async {
        if !web.join("node_modules/playwright-core").is_dir() {
            let status = tokio::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&web)
                .status()
                .await
                .expect("npm is needed for the browser tests of the web map (apt-get install npm)");
            assert!(status.success(), "npm ci in web/ failed");
        }
    })
    .await;
    let scratch =
        std::env::temp_dir().join(format!("passerelle-web-{}-{backend:?}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let manifest = scratch.join("manifest.json");
    let documents: serde_json::Map<String, Value> = [ORGANISATIONS, CREATE]
        .iter()
        .map(|text| (sha256_hex(text), Value::from(*text)))
        .collect();
    std::fs::write(&manifest, Value::Object(documents).to_string()).unwrap();
    let app = spawn_app_with(backend, |c| {
        c.limits.trusted_documents = Some(manifest.display().to_string());
        c.limits.trusted_documents_only = true;
        // The demo's 154 services with a place are more than this: the map shows those in view.
        c.http.web_max_markers = 100;
    })
    .await;

    // Trusted documents only: any other text is refused.
    let refused = app.gql("{ __typename }", json!({})).await;
    assert_eq!(refused.error_code(), Some("OPERATION_NOT_TRUSTED"));

    // A partner organisation with two published, active services, and an unpublished
    // one of its own that only it sees.
    let organisations = persisted(&app, None, ORGANISATIONS, json!({})).await;
    let organisation = organisations["organisations"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"])
        .find(|node| {
            node["services"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["published"] == true && s["status"] == "ACTIVE")
                .count()
                >= 2
        })
        .expect("a demo organisation with two published services")
        .clone();
    let organisation_id = organisation["id"].as_str().unwrap();
    let number = passerelle::domain::GlobalId::parse(organisation_id)
        .unwrap()
        .id;
    let partner = app.token(Role::Partner, &[number], None);
    let hidden = persisted(
        &app,
        Some(&partner),
        CREATE,
        json!({ "input": { "organisation": organisation_id, "service": {
            "nameFr": "Permanence en préparation", "nameNl": "Permanentie in voorbereiding",
            "categories": ["general_social_work"], "languages": ["fr"], "published": false } } }),
    )
    .await;
    assert_eq!(hidden["createService"]["service"]["published"], false);
    let basin_team = app.token(Role::BasinTeam, &[], Some("nord"));

    let artifacts = repository()
        .join("target/web-artifacts")
        .join(format!("{backend:?}").to_lowercase());
    let _one_at_a_time = BROWSER.lock().await;
    let run = tokio::process::Command::new("node")
        .arg(web.join("tests/browser.mjs"))
        .env("PASSERELLE_URL", &app.url)
        .env("CHROMIUM", chromium())
        .env("ARTIFACTS", &artifacts)
        .env("TOKEN_BASIN_TEAM", &basin_team)
        .env("TOKEN_PARTNER", &partner)
        .env(
            "TOKEN_ZONE_PARTNER",
            app.token(Role::ZonePartner, &[], None),
        )
        .env(
            "PARTNER_HIDDEN_SERVICE",
            hidden["createService"]["service"]["id"].as_str().unwrap(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("the browser tests finished within 5 minutes")
        .expect("node is needed for the browser tests (apt-get install nodejs)");
    let _ = std::fs::remove_dir_all(&scratch);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "web/tests/browser.mjs failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("browser tests passed"), "{stdout}");
}

#[tokio::test]
async fn the_page_comes_in_the_visitors_language_with_a_strict_policy_and_revalidated_assets() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    for (accept, lang) in [
        (Some("nl-BE,nl;q=0.9,fr;q=0.8"), "nl"),
        (Some("en-GB,en;q=0.9"), "en"),
        (Some("de-DE"), "fr"),
        (None, "fr"),
    ] {
        let mut request = app.client.get(format!("{}/", app.url));
        if let Some(accept) = accept {
            request = request.header("accept-language", accept);
        }
        let page = request.send().await.unwrap();
        assert_eq!(page.status(), 200);
        let headers = page.headers().clone();
        assert_eq!(headers["vary"], "Accept-Language");
        assert_eq!(
            headers["content-security-policy"],
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        assert_eq!(headers["referrer-policy"], "no-referrer");
        let body = page.text().await.unwrap();
        assert!(
            body.contains(&format!("<html lang=\"{lang}\"")),
            "{accept:?}: {body}"
        );
        assert!(body.contains("/web/app.js") && body.contains("/web/app.css"));
    }
    // Every file the build wrote is served (a new chunk would need a route).
    let built: Vec<String> = std::fs::read_dir(repository().join("api/assets/web"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "index.html")
        .collect();
    assert_eq!(built.len(), 3, "{built:?}");
    for file in &built {
        let url = format!("{}/web/{file}", app.url);
        let first = app.client.get(&url).send().await.unwrap();
        assert_eq!(first.status(), 200, "{file}");
        let tag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(first.headers()["cache-control"], "no-cache");
        let again = app
            .client
            .get(&url)
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{file}");
        assert!(again.bytes().await.unwrap().is_empty());
    }
    let missing = app
        .client
        .get(format!("{}/web/nothing.js", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let off = spawn_app_with(Backend::Sqlite, |c| c.http.web = false).await;
    for path in ["/", "/web/app.js"] {
        let page = off
            .client
            .get(format!("{}{path}", off.url))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404, "{path}");
    }
}

/// Every query of the page runs on today's schema with trusted documents only and no
/// manifest configured: a schema change that breaks the page fails here.
#[tokio::test]
async fn every_query_of_the_page_runs_on_the_schema_with_trusted_documents_only() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.limits.trusted_documents_only = true;
    })
    .await;
    let manifest: serde_json::Map<String, Value> =
        serde_json::from_str(include_str!("../../../api/assets/web/documents.json")).unwrap();
    let snapshot = app.state.read_model.snapshot();
    let service = snapshot
        .service_ids()
        .iter()
        .filter_map(|id| snapshot.service(*id))
        .find(|s| s.model.published)
        .expect("a published service in the demo");
    let service_id =
        passerelle::domain::GlobalId::new(passerelle::domain::Kind::Service, service.model.id)
            .to_string();
    let organisation_id = passerelle::domain::GlobalId::new(
        passerelle::domain::Kind::Organisation,
        service.model.organisation_id,
    )
    .to_string();
    let mut ran = Vec::new();
    for text in manifest.values() {
        let text = text.as_str().unwrap();
        let name = text
            .split_whitespace()
            .nth(1)
            .unwrap()
            .split('(')
            .next()
            .unwrap();
        let variables = match name {
            "Reference" => json!({ "lang": "NL" }),
            "Services" => {
                json!({ "filter": { "text": "santé mentale" }, "first": 5, "lang": "FR" })
            }
            "ServicesMap" => json!({ "filter": { "territory": "commune:21004" }, "lang": "EN" }),
            "ServicesCount" => {
                json!({ "filter": { "near": { "lat": 50.85, "lon": 4.35, "radiusMeters": 1500 } } })
            }
            "ServiceDetail" => json!({ "id": service_id, "lang": "FR", "professional": false }),
            "Orient" => {
                json!({ "need": { "categories": ["mental_health"], "territory": "bassin:nord" } })
            }
            "OwnListings" => json!({ "id": organisation_id }),
            "EditableService" => json!({ "id": service_id }),
            // The writes are run by the browser test, as a partner and as professionals;
            // here, without a token, they must pass validation and then be refused.
            _ if text.starts_with("mutation ") => {
                let variables = match name {
                    "UpdateService" => {
                        json!({ "input": { "id": service_id, "version": 1, "service": { "nameFr": "x" } } })
                    }
                    _ => json!({ "input": { "service": service_id, "kind": "NOTE", "body": "x" } }),
                };
                let refused = by_hash(&app, None, text, variables).await;
                let code = refused["errors"][0]["extensions"]["code"].as_str();
                assert!(
                    matches!(code, Some("UNAUTHENTICATED" | "FORBIDDEN")),
                    "{name}: {refused}"
                );
                continue;
            }
            other => panic!("a page document this test does not know: {other}"),
        };
        let body: Value = app
            .client
            .get(format!("{}/graphql", app.url))
            .query(&[
                ("documentId", format!("sha256:{}", sha256_hex(text))),
                ("variables", variables.to_string()),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(body.get("errors").is_none(), "{name}: {body}");
        assert!(body["data"].is_object(), "{name}: {body}");
        ran.push(name.to_owned());
    }
    let mutations = manifest
        .values()
        .filter(|text| text.as_str().unwrap().starts_with("mutation "))
        .count();
    assert_eq!(mutations, 2);
    assert_eq!(ran.len(), manifest.len() - mutations, "{ran:?}");
}

/// The values of a schema enum, from `schema.graphql`.
fn enum_values(schema: &str, name: &str) -> Vec<String> {
    let start = schema
        .find(&format!("enum {name} {{"))
        .unwrap_or_else(|| panic!("enum {name} in schema.graphql"));
    let body = &schema[start..];
    body[body.find('{').unwrap() + 1..body.find('}').unwrap()]
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && line.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(str::to_owned)
        .collect()
}

/// The page writes the schema's own values: the edit form's fees are the `Fee` enum's,
/// and each has a label in the page's words. (They were not: REDUCED and PAID.)
#[test]
fn the_edit_form_offers_the_schemas_fees() {
    let schema = std::fs::read_to_string(repository().join("schema.graphql")).unwrap();
    let fees = enum_values(&schema, "Fee");
    assert!(fees.len() >= 3, "{fees:?}");
    let listings = std::fs::read_to_string(repository().join("web/src/views/listings.js")).unwrap();
    let line = listings
        .lines()
        .find(|line| line.starts_with("const FEES = ["))
        .expect("const FEES in listings.js");
    let offered: Vec<String> = line["const FEES = [".len()..line.rfind(']').unwrap()]
        .split(',')
        .map(|value| value.trim().trim_matches('"').to_owned())
        .collect();
    assert_eq!(offered, fees);
    let words = std::fs::read_to_string(repository().join("web/src/i18n.js")).unwrap();
    for fee in &fees {
        assert!(
            words.contains(&format!("  fee_{fee}: [")),
            "no label for {fee}"
        );
    }
}

#[tokio::test]
async fn viewer_says_who_asks() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let query = "{ viewer { role group organisations bassin { code } } }";
    let cases = [
        (
            None,
            json!({ "role": "PUBLIC", "group": null, "organisations": [], "bassin": null }),
        ),
        (
            Some(app.token(Role::BasinTeam, &[], Some("sud-est"))),
            json!({ "role": "BASIN_TEAM", "group": "bassin:sud-est", "organisations": [], "bassin": { "code": "bassin:sud-est" } }),
        ),
        (
            Some(app.token(Role::ZonePartner, &[], None)),
            json!({ "role": "ZONE_PARTNER", "group": "zone:bruzel", "organisations": [], "bassin": null }),
        ),
        (
            Some(app.token(Role::Partner, &[3], None)),
            json!({ "role": "PARTNER", "group": null, "organisations": [passerelle::domain::GlobalId::new(passerelle::domain::Kind::Organisation, 3).to_string()], "bassin": null }),
        ),
    ];
    for (token, expected) in cases {
        let answer = app.gql_as(token.as_deref(), query, json!({})).await;
        assert_eq!(answer.data()["viewer"], expected);
    }
}

//! Test harness: boots the real application on port 0 against a fresh database, SQLite
//! or a real PostgreSQL cluster started (once per test process) from the machine's
//! PostgreSQL binaries.

#![expect(clippy::unwrap_used, reason = "test harness")]

mod postgres;
pub mod process;
pub mod upstream;

use std::{
    path::PathBuf,
    sync::atomic::{AtomicU32, Ordering},
};

use passerelle::{
    App, AppState,
    config::{Config, Secret},
};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

pub use postgres::{PgCluster, create_database};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running application and a client for it.
pub struct TestApp {
    pub url: String,
    pub state: AppState,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The development secret every test app is configured with.
pub const DEV_SECRET: &str = "test-development-secret-not-for-production";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A directory for this test process's SQLite files; those of finished processes are
/// removed on the way.
fn scratch_dir() -> PathBuf {
    static CLEANED: std::sync::Once = std::sync::Once::new();
    CLEANED.call_once(|| {
        let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("passerelle-tests-")
                && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
    let dir = std::env::temp_dir().join(format!("passerelle-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A migrated, seeded SQLite database with the demo data, built once per process;
/// each test gets a copy.
async fn sqlite_template() -> &'static PathBuf {
    static TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let path = scratch_dir().join("template.db");
            let _ = std::fs::remove_file(&path);
            let mut config = Config::default();
            config.database.url = Secret::new(format!("sqlite://{}?mode=rwc", path.display()));
            config.database.max_connections = 1;
            config.demo.enabled = Some(true);
            let state = passerelle::startup::prepare(config).await.unwrap();
            // Fold the WAL into the main file so a plain copy is complete.
            use sea_orm::ConnectionTrait;
            state
                .db
                .conn
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .unwrap();
            state.db.conn.clone().close().await.unwrap();
            path
        })
        .await
}

/// The URL of a PostgreSQL template database with the demo data, built once per process.
async fn postgres_template() -> &'static (String, String) {
    static TEMPLATE: OnceCell<(String, String)> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let admin = PgCluster::shared().admin_url();
            postgres::create_database(&admin, "passerelle_template", None).await;
            let mut config = Config::default();
            config.database.url = Secret::new(PgCluster::shared().url_for("passerelle_template"));
            config.database.max_connections = 2;
            config.demo.enabled = Some(true);
            let state = passerelle::startup::prepare(config).await.unwrap();
            state.db.conn.clone().close().await.unwrap();
            (admin, "passerelle_template".to_owned())
        })
        .await
}

/// A database URL with nothing in it yet (the app migrates and seeds it).
pub async fn empty_database(backend: Backend) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    match backend {
        Backend::Sqlite => {
            let path = scratch_dir().join(format!("empty-{n}.db"));
            format!("sqlite://{}?mode=rwc", path.display())
        }
        Backend::Postgres => {
            let admin = PgCluster::shared().admin_url();
            let name = format!("empty_{}_{n}", std::process::id());
            postgres::create_database(&admin, &name, None).await;
            PgCluster::shared().url_for(&name)
        }
    }
}

/// A fresh database URL for one test, with reference and demo data.
pub async fn fresh_database(backend: Backend) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    match backend {
        Backend::Sqlite => {
            let template = sqlite_template().await;
            let path = scratch_dir().join(format!("test-{n}.db"));
            std::fs::copy(template, &path).unwrap();
            format!("sqlite://{}?mode=rwc", path.display())
        }
        Backend::Postgres => {
            let (admin, template) = postgres_template().await;
            let name = format!("test_{}_{n}", std::process::id());
            postgres::create_database(admin, &name, Some(template)).await;
            PgCluster::shared().url_for(&name)
        }
    }
}

/// Boots the application on a random port against a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let url = fresh_database(backend).await;
    start(url, adjust).await
}

/// Boots the application on a database without the demo data.
pub async fn spawn_empty_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let url = empty_database(backend).await;
    start(url, adjust).await
}

/// Boots the application against an existing database: a second replica of an app.
pub async fn spawn_app_on(url: String, adjust: impl FnOnce(&mut Config)) -> TestApp {
    start(url, adjust).await
}

async fn start(url: String, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::default();
    config.database.url = Secret::new(url);
    config.database.max_connections = 4;
    config.http.addr = "127.0.0.1:0".parse().unwrap();
    config.demo.enabled = Some(false);
    config.auth.dev_secret = Some(Secret::new(DEV_SECRET));
    // Tests send many requests from one address; the rate limit has its own tests.
    config.limits.rate_per_second = 0.0;
    adjust(&mut config);
    let state = passerelle::startup::prepare(config).await.unwrap();
    let app = App::build(state.clone()).await.unwrap();
    let addr = app.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    // Tests count statements and write from other replicas: start once the read model
    // follows the change log, so its start-up catch-up is behind us.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !state.read_model.is_following() {
        assert!(
            std::time::Instant::now() < deadline,
            "the read model did not start following the change log"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    TestApp {
        url: format!("http://{addr}"),
        state,
        client: reqwest::Client::new(),
        shutdown: Some(tx),
    }
}

/// Sends raw bytes to the server at `url` (`http://host:port`) and reads the answer
/// until the server closes the connection.
pub async fn raw_http(url: &str, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// A GraphQL response: `data` and `errors` as JSON.
#[derive(Debug)]
pub struct Gql {
    pub status: u16,
    pub body: Value,
}

impl Gql {
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            self.body
        );
        &self.body["data"]
    }

    /// The first error's `extensions.code`.
    pub fn error_code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    pub fn error_message(&self) -> &str {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
    }
}

/// POSTs a query to the server at `url` (`http://host:port`).
async fn post_graphql(
    client: &reqwest::Client,
    url: &str,
    query: &str,
    variables: Value,
    headers: &[(&str, &str)],
) -> Gql {
    let mut request = client
        .post(format!("{url}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    Gql { status, body }
}

/// POSTs a query to the server at `url`, with `Authorization: Bearer <token>` when a
/// token is given: a `TestApp` or a server process (`process::Server`).
pub async fn gql_at(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Gql {
    let header = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = header
        .iter()
        .map(|h| ("authorization", h.as_str()))
        .collect();
    post_graphql(client, url, query, variables, &headers).await
}

impl TestApp {
    /// Asks the server to stop: in-flight requests finish, new connections are refused.
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// The text of `GET /metrics`.
    pub async fn metrics(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn gql(&self, query: &str, variables: Value) -> Gql {
        self.gql_with_headers(query, variables, &[]).await
    }

    pub async fn gql_with_headers(
        &self,
        query: &str,
        variables: Value,
        headers: &[(&str, &str)],
    ) -> Gql {
        post_graphql(&self.client, &self.url, query, variables, headers).await
    }

    /// POSTs a query with `Authorization: Bearer <token>` when a token is given.
    pub async fn gql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Gql {
        gql_at(&self.client, &self.url, token, query, variables).await
    }

    /// A development token for a role, signed with [`DEV_SECRET`].
    pub fn token(
        &self,
        role: passerelle::auth::Role,
        organisations: &[i32],
        bassin: Option<&str>,
    ) -> String {
        self.token_for(
            role,
            organisations,
            bassin,
            std::time::Duration::from_secs(600),
        )
    }

    /// A token that expires after `ttl`.
    pub fn token_for(
        &self,
        role: passerelle::auth::Role,
        organisations: &[i32],
        bassin: Option<&str>,
        ttl: std::time::Duration,
    ) -> String {
        self.state
            .auth
            .issue_dev_token(&passerelle::auth::DevTokenRequest {
                subject: format!("test-{role}"),
                role,
                organisations: organisations.to_vec(),
                bassin: bassin.map(str::to_owned),
                ttl,
            })
            .unwrap()
    }

    /// Runs one configured source through the real sync engine.
    pub async fn sync(
        &self,
        source: &str,
        full: bool,
    ) -> Result<passerelle::sync::RunSummary, passerelle::sync::SyncError> {
        let outcome = passerelle::sync::run(
            &self.state.db.conn,
            &self.state.reference,
            &self.state.config,
            source,
            full,
            &|_, _| {},
        )
        .await;
        // The writer reads its writes: the served snapshot includes the run.
        self.state
            .read_model
            .catch_up_or_log(&self.state.db.conn)
            .await;
        outcome
    }

    /// Brings the served snapshot up to what the database holds, as a writer does after
    /// its commit.
    pub async fn caught_up(&self) {
        self.state
            .read_model
            .catch_up(&self.state.db.conn)
            .await
            .unwrap();
    }

    /// INSERT, UPDATE and DELETE statements run by the application so far.
    pub fn writes(&self) -> u64 {
        self.state.db.write_count()
    }

    /// SQL statements run by the application so far.
    pub fn statements(&self) -> u64 {
        self.state.db.statement_count()
    }
}

/// The browser of the browser tests: `PASSERELLE_TEST_CHROMIUM`, else `chromium` on
/// the `PATH` (`.ci/run` installs it).
pub fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("PASSERELLE_TEST_CHROMIUM") {
        return PathBuf::from(path);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("chromium"))
        .find(|path| path.is_file())
        .expect("chromium is needed for the browser tests: apt-get install chromium")
}

/// Runs an async test body once per backend, as two test functions.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Postgres).await;
                }
            )+
        }
    };
}

/// Test data written through the application's own write paths: upstream records synced
/// from a `file://` HSDS snapshot by the real connector and sync, then curation.
pub mod fixture {
    use std::collections::HashMap;

    use entities::{source, source_record, source_service};
    use passerelle::{config::SourceKind, store::Curation};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use serde_json::Value;

    pub use crate::upstream::hsds_service;
    use crate::{TestApp, scratch_dir};

    /// What a fixture sync wrote: upstream ids → row ids.
    pub struct Synced {
        pub organisations: HashMap<String, i32>,
        pub services: HashMap<String, i32>,
    }

    /// Syncs `services` (HSDS 3.0 services with their organisation nested) as the source
    /// `name`, whose texts are in `language`; the app's read model then catches up.
    pub async fn sync_hsds(
        app: &TestApp,
        name: &str,
        language: &str,
        services: &[Value],
    ) -> Synced {
        // Its own file: the SQLite and PostgreSQL forms of a test run at once.
        let n = crate::COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = scratch_dir().join(format!("{name}-{}-{n}.json", std::process::id()));
        std::fs::write(&path, Value::from(services.to_vec()).to_string()).unwrap();
        let mut config = app.state.config.clone();
        let mut hsds = crate::source(
            name,
            SourceKind::Hsds,
            &format!("file://{}", path.display()),
        );
        hsds.language = Some(language.to_owned());
        config.sources.push(hsds);
        passerelle::sync::run(
            &app.state.db.conn,
            &app.state.reference,
            &config,
            name,
            true,
            &|_, _| {},
        )
        .await
        .unwrap();
        app.caught_up().await;
        let db = &app.state.db.conn;
        let source = source::Entity::find()
            .filter(source::Column::Name.eq(name))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let records = source_record::Entity::find()
            .filter(source_record::Column::SourceId.eq(source.id))
            .all(db)
            .await
            .unwrap();
        let services = source_service::Entity::find()
            .filter(source_service::Column::SourceRecordId.is_in(records.iter().map(|r| r.id)))
            .all(db)
            .await
            .unwrap();
        Synced {
            organisations: records
                .into_iter()
                .map(|r| (r.upstream_id, r.organisation_id))
                .collect(),
            services: services
                .into_iter()
                .map(|s| (s.upstream_id, s.service_id))
                .collect(),
        }
    }

    /// Applies curation (publication, professional lines) like every writer: in one
    /// transaction recorded in the change log; the app's read model then catches up.
    pub async fn curate(app: &TestApp, changes: &[Curation]) {
        passerelle::store::curate(&app.state.db.conn, changes)
            .await
            .unwrap();
        app.caught_up().await;
    }
}

/// A source of `kind` at `url`, with short timeouts and quick retries for tests.
pub fn source(
    name: &str,
    kind: passerelle::config::SourceKind,
    url: &str,
) -> passerelle::config::SourceConfig {
    passerelle::config::SourceConfig {
        page_size: 2,
        timeout_seconds: 2,
        retries: 2,
        max_requests_per_second: 1000.0,
        ..passerelle::config::SourceConfig::new(name, kind, url)
    }
}

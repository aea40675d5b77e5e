//! The benchmark of issue #5, in one run:
//! - (e) a full sync of the 1× dataset (≈5,000 organisations) by the release binary from
//!   local upstream servers, into a fresh PostgreSQL database;
//! - per scale (1×, 10×, 100×: the 1× database repeated, see `scale`), the release
//!   server under `wrk` load: (a) map page near a point, (b) territory + category page,
//!   (c) text search, (d) (a) with a basin-team token; and PostGraphile 5 answering the
//!   equivalent of (b) on the same database.
//!
//! Everything runs on this machine: the load tool, the servers and PostgreSQL share its
//! cores, so the figures compare runs on one machine, not machines.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, Result, bail};
use passerelle::{
    AppState,
    auth::{DevTokenRequest, Role},
    config::{Config, Secret},
    geo::Point,
};
use passerelle_fixtures::{
    feeds::{self, FeedOptions},
    sampler::Sampler,
};
use passerelle_tests::{Backend, PgCluster, create_database, empty_database, upstream::Upstream};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tokio::process::Command;

use crate::{
    load::{self, Load, Measured},
    report::{
        Form, NO_CACHE, PASSERELLE, PEER, PEER_FACET, PEER_FUNCTION, PEER_PLUGIN, Rendered, Row,
        render,
    },
    scale,
};

#[derive(clap::Args)]
pub struct RunArgs {
    /// Scales to measure (1 = about 5,000 organisations).
    #[arg(long, value_delimiter = ',', default_value = "1,10,100")]
    scales: Vec<u32>,
    /// Seconds of load per scenario.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Concurrent connections: each scenario runs at each of these.
    #[arg(long, value_delimiter = ',', default_value = "16,64")]
    connections: Vec<u32>,
    /// Organisations at 1×.
    #[arg(long, default_value_t = 5000)]
    organisations: usize,
    /// Skip PostGraphile (no Node.js at hand).
    #[arg(long)]
    no_peer: bool,
    #[arg(long, default_value = "bench/REPORT.md")]
    report: String,
    /// An earlier passerelle binary whose cold forms run in the same run, for the gain
    /// of a change (e.g. one built from an earlier commit).
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// How the report names the baseline (e.g. its commit).
    #[arg(long, default_value = "baseline")]
    baseline_label: String,
}

const DEV_SECRET: &str = "bench-development-secret";
/// The map point: Place Fernand Cocq, Ixelles, a dense part of the region.
const POINT: (f64, f64) = (50.8336, 4.3660);
const TEXT: &str = "maison medicale";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// The variables of one load: the same each time, or drawn per request from a list.
#[derive(Clone, Copy)]
enum Drawn<'a> {
    Hot(&'a Value),
    Cold(&'a [Value]),
}

impl Drawn<'_> {
    fn form(self) -> Form {
        match self {
            Drawn::Hot(_) => Form::Hot,
            Drawn::Cold(_) => Form::Cold,
        }
    }
}

/// The response cache's (hits, misses) so far, from passerelle's `/metrics`; `None` for
/// a server without them (PostGraphile) or with the cache off (no lookups).
async fn cache_counts(client: &reqwest::Client, endpoint: &str) -> Option<(f64, f64)> {
    let metrics_url = endpoint.strip_suffix("/graphql")?.to_owned() + "/metrics";
    let text = client
        .get(metrics_url)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let counter = |name: &str| -> Option<f64> {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
    };
    let hits = counter("passerelle_response_cache_hits_total")?;
    let misses = counter("passerelle_response_cache_misses_total")?;
    Some((hits, misses))
}

const SERVICE_FIELDS: &str = "id name distanceMeters organisation { id name } \
    sites { address postcode point { lat lon } } categories { code name } \
    accreditations { kind validFrom authority { code name } }";

fn map_page() -> String {
    format!(
        "query MapPage($lat: Float!, $lon: Float!) {{ services(first: 20, filter: {{ near: \
         {{ lat: $lat, lon: $lon, radiusMeters: 5000 }} }}) {{ edges {{ node {{ {SERVICE_FIELDS} }} }} \
         pageInfo {{ hasNextPage endCursor }} }} }}"
    )
}

fn territory_page() -> String {
    format!(
        "query TerritoryPage($territory: String!, $category: String!) {{ services(first: 20, \
         filter: {{ territory: $territory, categories: [$category] }}) {{ edges {{ node {{ {SERVICE_FIELDS} }} }} \
         pageInfo {{ hasNextPage endCursor }} }} }}"
    )
}

fn text_search() -> String {
    "query TextSearch($text: String!) { services(first: 20, filter: { text: $text }) { edges { node { id name organisation { name } categories { name } } } pageInfo { hasNextPage } } }".to_owned()
}

/// (h) a helpdesk orientation: a medical house for a Dutch speaker who cannot pay, from a
/// point; ten proposals with their reasons.
fn orientation() -> String {
    "query Orient($lat: Float!, $lon: Float!) { orient(need: { categories: [\"medical_house\"], \
     place: { lat: $lat, lon: $lon }, languages: [\"nl\"], freeOnly: true }, first: 10) \
     { rank distanceMetres walkingMinutes fails reasons { criterion outcome } \
     service { id name organisation { name } } } }"
        .to_owned()
}

/// (i) the coverage of the basic offer in the whole region: every residential quartier
/// against every entry.
const COVERAGE: &str = "query Coverage { coverage(territory: \"region:bru\") { population \
     categories { status populationWithout } quartiers { quartier { code } population \
     categories { status coveredShare populationWithout } } } }";

/// (j) the web map's markers for a view at about zoom 14: every place within 1.5 km of a
/// point as GeoJSON (`web/src/documents/ServicesMap.graphql` with `near`); it reads the
/// clock (`openNow`), so each request computes it.
fn web_markers() -> String {
    "query ServicesMap($lat: Float!, $lon: Float!) { servicesGeoJson(filter: { near: \
     { lat: $lat, lon: $lon, radiusMeters: 1500 } }, lang: FR) }"
        .to_owned()
}

/// The least a GraphQL server does for a request: its trivial floor.
const FLOOR: &str = "{ __typename }";

struct Scenario {
    key: &'static str,
    query: String,
    variables: Value,
    headers: Vec<(String, String)>,
}

/// A server under load: its process (for its memory), endpoint and name in the report.
struct Target<'a> {
    process: &'a Measured,
    endpoint: &'a str,
    server: &'a str,
}

/// What every load of one scale shares, and where its rows go.
struct Bench<'a> {
    client: &'a reqwest::Client,
    scale: u32,
    duration: Duration,
    scratch: &'a Path,
    rows: &'a mut Vec<Row>,
}

/// The items of a page: the first field's `edges` (passerelle) or `nodes` (PostGraphile).
fn items(answer: &Value) -> usize {
    answer["data"]
        .as_object()
        .and_then(|data| data.values().next())
        .and_then(|page| {
            page["edges"]
                .as_array()
                .or_else(|| page["nodes"].as_array())
                .or_else(|| page["quartiers"].as_array())
                .or_else(|| page["features"].as_array())
                .or_else(|| page.as_array())
        })
        .map_or(0, Vec::len)
}

impl Bench<'_> {
    /// Checks that the target answers the scenario (a page with items, for the first,
    /// middle and last drawn variables in the cold form), then loads it with `wrk`.
    async fn measure(
        &mut self,
        target: &Target<'_>,
        key: &'static str,
        query: &str,
        drawn: Drawn<'_>,
        headers: &[(String, String)],
        connections: u32,
    ) -> Result<()> {
        let samples: Vec<&Value> = match drawn {
            Drawn::Hot(variables) => vec![variables],
            Drawn::Cold(list) => [0, list.len() / 2, list.len().saturating_sub(1)]
                .into_iter()
                .filter_map(|i| list.get(i))
                .collect(),
        };
        let mut found = 0;
        for variables in samples {
            let body = json!({ "query": query, "variables": variables });
            let answer = load::wait_until_answering(self.client, target.endpoint, &body, headers)
                .await
                .with_context(|| format!("({key}) on {}", target.server))?;
            found = items(&answer);
            if found == 0 && key != "floor" {
                bail!(
                    "({key}) on {} found nothing for {variables}: {answer}",
                    target.server
                );
            }
        }
        let form = drawn.form();
        println!(
            "{}× ({key}) {}, {}, {connections} connections, {found} items…",
            self.scale,
            form.label(),
            target.server
        );
        let before = cache_counts(self.client, target.endpoint).await;
        let load = match drawn {
            Drawn::Hot(variables) => {
                let body = json!({ "query": query, "variables": variables });
                load::wrk(
                    target.endpoint,
                    &body,
                    headers,
                    connections,
                    self.duration,
                    self.scratch,
                )
                .await?
            }
            Drawn::Cold(list) => {
                load::wrk_drawn(
                    target.endpoint,
                    query,
                    list,
                    headers,
                    connections,
                    self.duration,
                    self.scratch,
                )
                .await?
            }
        };
        self.rows.push(Row {
            scale: self.scale,
            scenario: key,
            form,
            connections,
            server: target.server.to_owned(),
            load,
            rss_mb: target.process.peak_rss_mb(),
            cache_hits: match (before, cache_counts(self.client, target.endpoint).await) {
                (Some((h0, m0)), Some((h1, m1))) if h1 + m1 > h0 + m0 => {
                    Some((h1 - h0) / (h1 + m1 - h0 - m0))
                }
                _ => None,
            },
        });
        Ok(())
    }
}

/// A passerelle server started for the bench.
struct Server {
    process: Measured,
    endpoint: String,
}

/// Starts `program serve` on the database at `url`; `cache_mb` overrides the response
/// cache's size (`Some(0)` turns it off).
fn spawn_passerelle(program: &Path, url: &str, cache_mb: Option<u32>) -> Result<Server> {
    let port = free_port()?;
    let mut command = Command::new(program);
    command
        .env_remove("PASSERELLE_TEST_PG_URL")
        .arg("serve")
        .env("PASSERELLE_PROFILE", "production")
        .env("DATABASE_URL", url)
        .env("PASSERELLE_HTTP__ADDR", format!("127.0.0.1:{port}"))
        .env("PASSERELLE_DATABASE__MAX_CONNECTIONS", "16")
        .env("PASSERELLE_LIMITS__RATE_PER_SECOND", "0")
        // One machine plays every client: (g)'s 1,000 subscribers connect at once.
        .env("PASSERELLE_LIMITS__MAX_CONNECTIONS_PER_ADDRESS", "0")
        .env(
            "PASSERELLE_LIMITS__MAX_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS",
            "0",
        )
        .env("PASSERELLE_AUTH__DEV_SECRET", DEV_SECRET)
        .env("PASSERELLE_LOG", "warn")
        .stdout(std::process::Stdio::null());
    if let Some(mb) = cache_mb {
        command.env("PASSERELLE_API__RESPONSE_CACHE_MB", mb.to_string());
    }
    Ok(Server {
        process: Measured::spawn(&mut command)?,
        endpoint: format!("http://127.0.0.1:{port}/graphql"),
    })
}

/// What the cold forms draw from.
struct Cold {
    /// (a): points of a grid over the region (about 450 m apart), each inside a quartier.
    points: Vec<Value>,
    /// (b): every territory (quartier, commune, bassin) and category (either level) with
    /// at least one visible service.
    pairs: Vec<Value>,
}

/// The grid step of (a)'s cold points, in degrees of latitude and longitude (≈ 445 m
/// and 420 m in Brussels).
const GRID: (f64, f64) = (0.004, 0.006);

async fn cold_variables(state: &AppState) -> Result<Cold> {
    let mut points = Vec::new();
    let (mut lat, mut lon) = (50.76, 4.24);
    while lat < 50.92 {
        while lon < 4.49 {
            let inside = state
                .reference
                .resolve_point(Point { lat, lon })
                .iter()
                .any(|t| t.code.starts_with("quartier:"));
            if inside {
                points.push(json!({ "lat": lat, "lon": lon }));
            }
            lon += GRID.1;
        }
        lon = 4.24;
        lat += GRID.0;
    }
    let rows = state
        .db
        .conn
        .query_all_raw(Statement::from_string(
            state.db.backend(),
            "SELECT DISTINCT t.code, codes.code FROM service s \
             JOIN service_at_site x ON x.service_id = s.id \
             JOIN site_territory st ON st.site_id = x.site_id \
             JOIN territory t ON t.id = st.territory_id \
               AND t.level IN ('quartier', 'commune', 'bassin') \
             JOIN service_category sc ON sc.service_id = s.id \
             JOIN category c ON c.id = sc.category_id \
             LEFT JOIN category p ON p.id = c.parent_id \
             CROSS JOIN LATERAL (VALUES (c.code), (p.code)) AS codes (code) \
             WHERE s.published AND s.status = 'active' AND codes.code IS NOT NULL \
             ORDER BY 1, 2",
        ))
        .await?;
    let mut pairs = Vec::with_capacity(rows.len());
    for row in rows {
        let territory: String = row.try_get_by_index(0)?;
        let category: String = row.try_get_by_index(1)?;
        pairs.push(json!({ "territory": territory, "category": category }));
    }
    if points.is_empty() || pairs.is_empty() {
        bail!("no variables for the cold forms");
    }
    Ok(Cold { points, pairs })
}

pub async fn run(args: RunArgs) -> Result<()> {
    let root = workspace_root();
    let binary = root.join("target/release/passerelle");
    if !binary.exists() {
        bail!("{} is missing: bench/run.sh builds it", binary.display());
    }
    let scratch = std::env::temp_dir().join(format!("passerelle-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let client = reqwest::Client::new();

    // The 1× database, filled by a real sync from local upstream servers: scenario (e).
    let base_url = empty_database(Backend::Postgres).await;
    let base_name = base_url
        .rsplit('/')
        .next()
        .context("database name")?
        .to_owned();
    let mut config = Config::default();
    config.database.url = Secret::new(base_url.clone());
    config.demo.enabled = Some(false);
    config.auth.dev_secret = Some(Secret::new(DEV_SECRET));
    let state = passerelle::startup::prepare(config).await?;
    let sampler = Sampler::load(&state.db.conn, &state.reference).await?;
    let generated = feeds::generate(
        &FeedOptions {
            organisations: Some(args.organisations),
            seed: 1,
        },
        &|nis, postcode, seed| sampler.place(nis, postcode, seed),
    );
    let upstream = Upstream::start().await;
    upstream.set_social_brussels(generated.social_brussels);
    upstream.set_sociale_kaart(generated.sociale_kaart);
    upstream.set_hsds(generated.hsds_services);
    upstream.set_csv(&generated.inami_csv);
    let config_file = scratch.join("sync.toml");
    std::fs::write(&config_file, sync_config(&base_url, &upstream.url))?;
    println!("(e) full sync of {} organisations…", args.organisations);
    let (sync_seconds, sync_rss) = load::run_measured(
        Command::new(&binary)
            .env_remove("PASSERELLE_TEST_PG_URL")
            .arg("--config")
            .arg(&config_file)
            .arg("sync")
            .arg("--full")
            .env("PASSERELLE_LOG", "warn")
            .stdout(std::process::Stdio::null()),
    )
    .await
    .context("the sync run")?;
    drop(upstream);
    let base_services = scale::count(&state.db.conn, "service").await?;
    let base_organisations = scale::count(&state.db.conn, "organisation").await?;
    println!("(e) {sync_seconds:.1} s, {base_services} services, peak RSS {sync_rss:.0} MB");

    // Scenario parameters, from the synced data.
    let (territory, category, matching) = busiest_pair(&state).await?;
    let bassin = state
        .reference
        .resolve_point(Point {
            lat: POINT.0,
            lon: POINT.1,
        })
        .into_iter()
        .find_map(|t| t.code.strip_prefix("bassin:").map(str::to_owned))
        .context("the map point lies in no bassin")?;
    let token = state
        .auth
        .issue_dev_token(&DevTokenRequest {
            subject: "bench-basin-team".to_owned(),
            role: Role::BasinTeam,
            organisations: Vec::new(),
            bassin: Some(bassin.clone()),
            ttl: Duration::from_secs(24 * 3600),
        })
        .context("issuing the basin-team token")?;
    // (f): a partner writing its listings while readers read.
    let writer_organisation: i32 = state
        .db
        .conn
        .query_one_raw(Statement::from_string(
            state.db.conn.get_database_backend(),
            "SELECT MIN(id) AS id FROM organisation",
        ))
        .await?
        .context("an organisation")?
        .try_get("", "id")?;
    let partner_token = state
        .auth
        .issue_dev_token(&DevTokenRequest {
            subject: "bench-partner".to_owned(),
            role: Role::Partner,
            organisations: vec![writer_organisation],
            bassin: None,
            ttl: Duration::from_secs(24 * 3600),
        })
        .context("issuing the partner token")?;
    // (g): an administrator reads the whole feed.
    let admin_token = state
        .auth
        .issue_dev_token(&DevTokenRequest {
            subject: "bench-admin".to_owned(),
            role: Role::Admin,
            organisations: Vec::new(),
            bassin: None,
            ttl: Duration::from_secs(24 * 3600),
        })
        .context("issuing the administrator token")?;
    let cold = cold_variables(&state).await?;
    println!(
        "cold forms: {} points, {} territory and category pairs",
        cold.points.len(),
        cold.pairs.len()
    );
    state.db.conn.clone().close().await?;

    let scenarios = [
        Scenario {
            key: "floor",
            query: FLOOR.to_owned(),
            variables: json!({}),
            headers: Vec::new(),
        },
        Scenario {
            key: "a",
            query: map_page(),
            variables: json!({ "lat": POINT.0, "lon": POINT.1 }),
            headers: Vec::new(),
        },
        Scenario {
            key: "b",
            query: territory_page(),
            variables: json!({ "territory": territory, "category": category }),
            headers: Vec::new(),
        },
        Scenario {
            key: "c",
            query: text_search(),
            variables: json!({ "text": TEXT }),
            headers: Vec::new(),
        },
        Scenario {
            key: "d",
            query: map_page(),
            variables: json!({ "lat": POINT.0, "lon": POINT.1 }),
            headers: vec![("Authorization".to_owned(), format!("Bearer {token}"))],
        },
        Scenario {
            key: "h",
            query: orientation(),
            variables: json!({ "lat": POINT.0, "lon": POINT.1 }),
            headers: Vec::new(),
        },
        Scenario {
            key: "i",
            query: COVERAGE.to_owned(),
            variables: json!({}),
            headers: Vec::new(),
        },
        Scenario {
            key: "j",
            query: web_markers(),
            variables: json!({ "lat": POINT.0, "lon": POINT.1 }),
            headers: Vec::new(),
        },
    ];
    let peer_pages = [
        ("b", PEER_PLUGIN, "scenario-b.graphql"),
        ("b", PEER_FUNCTION, "scenario-b-function.graphql"),
        ("b", PEER_FACET, "scenario-b-facet.graphql"),
        ("a", PEER_FUNCTION, "scenario-a-function.graphql"),
    ];
    let peer_fragment = std::fs::read_to_string(root.join("bench/peer/service-page.graphql"))
        .context("reading bench/peer/service-page.graphql")?;
    let mut peer_queries = Vec::new();
    for (key, server, file) in peer_pages {
        let query = std::fs::read_to_string(root.join("bench/peer").join(file))
            .with_context(|| format!("reading bench/peer/{file}"))?;
        peer_queries.push((key, server, format!("{query}\n{peer_fragment}")));
    }
    let peer_sql = std::fs::read_to_string(root.join("bench/peer/best.sql"))
        .context("reading bench/peer/best.sql")?;

    let admin = PgCluster::shared().admin_url();
    let duration = Duration::from_secs(args.duration);
    let first_connections = args.connections.first().copied().unwrap_or(16);
    let mut rows = Vec::new();
    let mut sizes = Vec::new();
    let mut writes = None;
    let mut feed = None;
    // Peak RSS of passerelle as deployed (cache on), per scale.
    let mut peaks = Vec::new();
    for &factor in &args.scales {
        let url = if factor == 1 {
            base_url.clone()
        } else {
            let name = format!("{base_name}_x{factor}");
            create_database(&admin, &name, Some(&base_name)).await;
            let url = PgCluster::shared().url_for(&name);
            let db = sea_orm::Database::connect(url.as_str()).await?;
            println!("{factor}×: repeating the dataset…");
            let started = std::time::Instant::now();
            scale::repeat(&db, factor).await?;
            println!(
                "{factor}×: repeated in {:.0} s",
                started.elapsed().as_secs_f64()
            );
            db.close().await?;
            url
        };
        let db = sea_orm::Database::connect(url.as_str()).await?;
        sizes.push((
            factor,
            scale::count(&db, "organisation").await?,
            scale::count(&db, "service").await?,
        ));
        db.close().await?;
        let mut bench = Bench {
            client: &client,
            scale: factor,
            duration,
            scratch: &scratch,
            rows: &mut rows,
        };

        // passerelle as deployed (response cache on): the floor, the hot forms, then (a)
        // cold with every page new to the cache, (f) and (g).
        let server = spawn_passerelle(&binary, &url, None)?;
        let endpoint = server.endpoint.clone();
        let target = Target {
            process: &server.process,
            endpoint: &endpoint,
            server: PASSERELLE,
        };
        for &connections in &args.connections {
            for scenario in &scenarios {
                if matches!(scenario.key, "c" | "d" | "h" | "i" | "j")
                    && connections != first_connections
                {
                    continue;
                }
                bench
                    .measure(
                        &target,
                        scenario.key,
                        &scenario.query,
                        Drawn::Hot(&scenario.variables),
                        &scenario.headers,
                        connections,
                    )
                    .await?;
            }
        }
        bench
            .measure(
                &target,
                "a",
                &map_page(),
                Drawn::Cold(&cold.points),
                &[],
                first_connections,
            )
            .await?;
        if factor == 1 {
            writes = Some(
                write_under_reads(
                    &endpoint,
                    &partner_token,
                    writer_organisation,
                    &scenarios[2],
                    first_connections,
                    duration,
                    &scratch,
                )
                .await?,
            );
            feed = Some(
                crate::feed::measure(
                    &endpoint,
                    &admin_token,
                    &partner_token,
                    &passerelle::domain::GlobalId::new(
                        passerelle::domain::Kind::Organisation,
                        writer_organisation,
                    )
                    .to_string(),
                    "bench-0",
                )
                .await?,
            );
        }
        // Its peak over every run on it, (f) and (g) included.
        peaks.push((factor, server.process.peak_rss_mb()));
        server.process.stop().await;

        // The cold forms with the response cache off: every request computes its page.
        let mut cold_servers = vec![(binary.clone(), NO_CACHE.to_owned())];
        if let Some(baseline) = &args.baseline {
            cold_servers.push((
                baseline.clone(),
                format!("passerelle {}, no response cache", args.baseline_label),
            ));
        }
        for (program, label) in &cold_servers {
            let server = spawn_passerelle(program, &url, Some(0))?;
            let target = Target {
                process: &server.process,
                endpoint: &server.endpoint,
                server: label,
            };
            for &connections in &args.connections {
                for (key, query, drawn) in [
                    ("a", map_page(), &cold.points),
                    ("b", territory_page(), &cold.pairs),
                ] {
                    bench
                        .measure(&target, key, &query, Drawn::Cold(drawn), &[], connections)
                        .await?;
                }
                // Orientations and the web map's markers from points all over the
                // region, computed each time.
                if connections == first_connections && label == NO_CACHE {
                    for (key, query) in [("h", orientation()), ("j", web_markers())] {
                        bench
                            .measure(
                                &target,
                                key,
                                &query,
                                Drawn::Cold(&cold.points),
                                &[],
                                connections,
                            )
                            .await?;
                    }
                }
            }
            server.process.stop().await;
        }

        // PostGraphile on the same database, with what best.sql adds.
        if !args.no_peer {
            let db = sea_orm::Database::connect(url.as_str()).await?;
            db.execute_unprepared(&peer_sql)
                .await
                .context("applying bench/peer/best.sql")?;
            db.execute_unprepared("SELECT peer_private.refresh_service_facet()")
                .await
                .context("refreshing the peer's facet table")?;
            db.close().await?;
            let port = free_port()?;
            let peer = Measured::spawn(
                Command::new(root.join("bench/peer/serve.sh"))
                    .env("DATABASE_URL", &url)
                    .env("PORT", port.to_string())
                    .env("PG_POOL_MAX", "16")
                    .stdout(std::process::Stdio::null()),
            )?;
            let peer_endpoint = format!("http://127.0.0.1:{port}/graphql");
            load::wait_until_answering(&client, &peer_endpoint, &json!({ "query": FLOOR }), &[])
                .await
                .context("PostGraphile, the floor")?;
            for &connections in &args.connections {
                let target = Target {
                    process: &peer,
                    endpoint: &peer_endpoint,
                    server: PEER,
                };
                bench
                    .measure(
                        &target,
                        "floor",
                        FLOOR,
                        Drawn::Hot(&json!({})),
                        &[],
                        connections,
                    )
                    .await?;
                for (key, label, query) in &peer_queries {
                    let (hot, drawn) = if *key == "a" {
                        (&scenarios[1].variables, &cold.points)
                    } else {
                        (&scenarios[2].variables, &cold.pairs)
                    };
                    let target = Target {
                        process: &peer,
                        endpoint: &peer_endpoint,
                        server: label,
                    };
                    for form in [Drawn::Hot(hot), Drawn::Cold(drawn)] {
                        bench
                            .measure(&target, key, query, form, &[], connections)
                            .await?;
                    }
                }
            }
            peer.stop().await;
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let mut report = render(&Rendered {
        connections: &args.connections,
        duration: args.duration,
        organisations: args.organisations,
        baseline_label: &args.baseline_label,
        point: POINT,
        text: TEXT,
        sync_seconds,
        sync_rss,
        base_organisations,
        base_services,
        territory: &territory,
        category: &category,
        matching,
        bassin: &bassin,
        sizes: &sizes,
        rows: &rows,
        cold_points: cold.points.len(),
        cold_pairs: cold.pairs.len(),
        peaks: &peaks,
    });
    if let Some(writes) = &writes {
        let alone = rows
            .iter()
            .find(|r| {
                r.scale == 1
                    && r.scenario == "b"
                    && r.form == Form::Hot
                    && r.connections == first_connections
                    && r.server == PASSERELLE
            })
            .map(|r| r.load.clone())
            .unwrap_or_default();
        report.push_str(&render_writes(writes, &alone));
    }
    if let Some(feed) = &feed {
        report.push_str(&crate::feed::render(feed));
    }
    std::fs::write(&args.report, report).with_context(|| format!("writing {}", args.report))?;
    println!("report written to {}", args.report);
    Ok(())
}

/// Items per `upsertListings` request in (f).
const WRITE_ITEMS: usize = 5;
/// Connections of the writer in (f); the readers get the rest.
const WRITE_CONNECTIONS: u32 = 2;

/// What (f) measured: the writer's requests and the readers' during the writes.
struct Writes {
    writes: Load,
    reads: Load,
    reader_connections: u32,
}

/// (f): a partner upserts its listings (every request changes every item: a real write)
/// on `WRITE_CONNECTIONS` connections while scenario (b) reads on the others.
async fn write_under_reads(
    endpoint: &str,
    token: &str,
    organisation: i32,
    reads: &Scenario,
    connections: u32,
    duration: Duration,
    scratch: &Path,
) -> Result<Writes> {
    let organisation =
        passerelle::domain::GlobalId::new(passerelle::domain::Kind::Organisation, organisation)
            .to_string();
    let items: Vec<Value> = (0..WRITE_ITEMS)
        .map(|i| {
            json!({
                "externalId": format!("bench-{i}"),
                "service": {
                    "nameFr": format!("Permanence bench {i}"),
                    "descriptionFr": "Version __N__",
                    "categories": ["general_social_work"],
                    "locations": [{ "siteExternalId": "bench-site",
                                    "schedule": [{ "weekday": 1, "opens": "09:00", "closes": "12:00" }] }]
                },
                "sites": [{ "externalId": "bench-site",
                            "site": { "streetFr": "Rue Gallait", "houseNumber": "10", "postcode": "1030" } }]
            })
        })
        .collect();
    let body = json!({
        "query": "mutation($input: UpsertListingsInput!) { upsertListings(input: $input) { created updated unchanged failed } }",
        "variables": { "input": { "organisation": organisation, "items": items } },
    });
    // Each request its own version text: thread id and counter.
    let mut lua = load::lua_post(&[("Authorization".to_owned(), format!("Bearer {token}"))]);
    lua.push_str(&format!(
        "local template = {}\n\
         local threads = 0\n\
         function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n\
         local n = 0\n\
         function request()\n\
           n = n + 1\n\
           local body = string.gsub(template, \"__N__\", tostring(tid) .. \"-\" .. tostring(n))\n\
           return wrk.format(nil, nil, nil, body)\n\
         end\n",
        load::lua_string(&body.to_string()),
    ));
    let client = reqwest::Client::new();
    let first = client
        .post(endpoint)
        .bearer_auth(token)
        .json(&json!({ "query": body["query"], "variables": body["variables"] }))
        .send()
        .await?
        .json::<Value>()
        .await?;
    if first["data"]["upsertListings"]["failed"] != 0 {
        bail!("(f): the upsert is refused: {first}");
    }
    let reader_connections = connections.saturating_sub(WRITE_CONNECTIONS).max(1);
    let read_body = json!({ "query": reads.query, "variables": reads.variables });
    println!("1× (f) writes under reads…");
    let (writes, reads) = tokio::join!(
        load::wrk_lua(endpoint, &lua, WRITE_CONNECTIONS, duration, scratch),
        load::wrk(
            endpoint,
            &read_body,
            &reads.headers,
            reader_connections,
            duration,
            scratch
        ),
    );
    Ok(Writes {
        writes: writes?,
        reads: reads?,
        reader_connections,
    })
}

fn render_writes(w: &Writes, alone: &Load) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## (f) Partner writes under read load (1×)\n\n\
         A partner sends `upsertListings` of {WRITE_ITEMS} services (each request changes \
         every one: a real write, audited) on {WRITE_CONNECTIONS} connections while \
         scenario (b) reads on {} others, for the same duration.\n",
        w.reader_connections
    );
    let _ = writeln!(out, "| measure | value |\n|---|---|");
    let _ = writeln!(
        out,
        "| upsert requests/s | {:.0} ({:.0} listings/s) |",
        w.writes.requests_per_second,
        w.writes.requests_per_second * WRITE_ITEMS as f64
    );
    let _ = writeln!(
        out,
        "| upsert p50 / p99 | {:.1} / {:.1} ms |",
        w.writes.p50_ms, w.writes.p99_ms
    );
    let _ = writeln!(
        out,
        "| readers (b) during writes: requests/s, p99 | {:.0}, {:.2} ms |",
        w.reads.requests_per_second, w.reads.p99_ms
    );
    let _ = writeln!(
        out,
        "| readers (b) alone, above: requests/s, p99 | {:.0}, {:.2} ms |",
        alone.requests_per_second, alone.p99_ms
    );
    let _ = writeln!(
        out,
        "| failures (writes, reads) | {}, {} |",
        w.writes.failures, w.reads.failures
    );
    out
}

/// A configuration file for the release binary's `sync` with the four local sources.
fn sync_config(database_url: &str, upstream: &str) -> String {
    let mapping = passerelle::sources::csv::inami_mapping();
    let mut text = format!("profile = \"production\"\n\n[database]\nurl = \"{database_url}\"\n\n");
    for (name, kind, base) in [
        ("social-brussels", "social_brussels", upstream.to_owned()),
        ("sociale-kaart", "sociale_kaart", upstream.to_owned()),
        ("hsds", "hsds", upstream.to_owned()),
        ("inami", "csv", format!("{upstream}/snapshot.csv")),
    ] {
        let _ = write!(
            text,
            "[[sources]]\nname = \"{name}\"\nkind = \"{kind}\"\nbase_url = \"{base}\"\n\
             page_size = 500\ntimeout_seconds = 60\nmax_requests_per_second = 100000.0\n"
        );
        if name == "inami" {
            let _ = write!(
                text,
                "authority = \"federal\"\n[sources.csv]\ndelimiter = \"{}\"\n",
                mapping.delimiter
            );
            if let Some(category) = &mapping.category {
                let _ = writeln!(text, "category = \"{category}\"");
            }
            if let Some(kind) = &mapping.accreditation_kind {
                let _ = writeln!(text, "accreditation_kind = \"{kind}\"");
            }
            text.push_str("[sources.csv.columns]\n");
            for (field, column) in &mapping.columns {
                let _ = writeln!(text, "{field} = \"{column}\"");
            }
        }
        text.push('\n');
    }
    text
}

/// The commune and category with the most published active services, for (b).
async fn busiest_pair(state: &AppState) -> Result<(String, String, i64)> {
    let row = state
        .db
        .conn
        .query_one_raw(Statement::from_string(
            state.db.backend(),
            "SELECT t.code, c.code, COUNT(DISTINCT s.id)::bigint AS n FROM service s \
             JOIN service_at_site x ON x.service_id = s.id \
             JOIN site_territory st ON st.site_id = x.site_id \
             JOIN territory t ON t.id = st.territory_id AND t.level = 'commune' \
             JOIN service_category sc ON sc.service_id = s.id \
             JOIN category c ON c.id = sc.category_id AND c.parent_id IS NOT NULL \
             WHERE s.published AND s.status = 'active' \
             GROUP BY t.code, c.code ORDER BY n DESC, t.code, c.code LIMIT 1",
        ))
        .await?
        .context("no service at all")?;
    Ok((
        row.try_get_by_index(0)?,
        row.try_get_by_index(1)?,
        row.try_get_by_index(2)?,
    ))
}

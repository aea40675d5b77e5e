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
    /// Concurrent connections.
    #[arg(long, default_value_t = 16)]
    connections: u32,
    /// Organisations at 1×.
    #[arg(long, default_value_t = 5000)]
    organisations: usize,
    /// Skip PostGraphile (no Node.js at hand).
    #[arg(long)]
    no_peer: bool,
    #[arg(long, default_value = "bench/REPORT.md")]
    report: String,
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

/// One row of the report.
struct Row {
    scale: u32,
    scenario: &'static str,
    server: &'static str,
    load: Load,
    rss_mb: f64,
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

/// The least a GraphQL server does for a request: its trivial floor.
const FLOOR: &str = "{ __typename }";

struct Scenario {
    key: &'static str,
    body: Value,
    headers: Vec<(String, String)>,
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
    state.db.conn.clone().close().await?;

    let scenarios = [
        Scenario {
            key: "floor",
            body: json!({ "query": FLOOR }),
            headers: Vec::new(),
        },
        Scenario {
            key: "a",
            body: json!({ "query": map_page(), "variables": { "lat": POINT.0, "lon": POINT.1 } }),
            headers: Vec::new(),
        },
        Scenario {
            key: "b",
            body: json!({ "query": territory_page(), "variables": { "territory": territory, "category": category } }),
            headers: Vec::new(),
        },
        Scenario {
            key: "c",
            body: json!({ "query": text_search(), "variables": { "text": TEXT } }),
            headers: Vec::new(),
        },
        Scenario {
            key: "d",
            body: json!({ "query": map_page(), "variables": { "lat": POINT.0, "lon": POINT.1 } }),
            headers: vec![("Authorization".to_owned(), format!("Bearer {token}"))],
        },
    ];
    let peer_query = std::fs::read_to_string(root.join("bench/peer/scenario-b.graphql"))
        .context("reading bench/peer/scenario-b.graphql")?;
    let peer_body = json!({ "query": peer_query, "variables": { "territory": territory, "category": category } });

    let admin = PgCluster::shared().admin_url();
    let duration = Duration::from_secs(args.duration);
    let mut rows = Vec::new();
    let mut sizes = Vec::new();
    let mut writes = None;
    let mut feed = None;
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

        // passerelle
        let port = free_port()?;
        let server = Measured::spawn(
            Command::new(&binary)
                .env_remove("PASSERELLE_TEST_PG_URL")
                .arg("serve")
                .env("PASSERELLE_PROFILE", "production")
                .env("DATABASE_URL", &url)
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
                .stdout(std::process::Stdio::null()),
        )?;
        let endpoint = format!("http://127.0.0.1:{port}/graphql");
        for scenario in &scenarios {
            let answer =
                load::wait_until_answering(&client, &endpoint, &scenario.body, &scenario.headers)
                    .await
                    .with_context(|| format!("scenario ({}) at {factor}×", scenario.key))?;
            let edges = answer["data"]["services"]["edges"]
                .as_array()
                .map_or(0, Vec::len);
            if edges == 0 && scenario.key != "floor" {
                bail!(
                    "scenario ({}) at {factor}× found nothing: {answer}",
                    scenario.key
                );
            }
            println!("{factor}× ({}) passerelle, {edges} items…", scenario.key);
            let measured = load::wrk(
                &endpoint,
                &scenario.body,
                &scenario.headers,
                args.connections,
                duration,
                &scratch,
            )
            .await?;
            rows.push(Row {
                scale: factor,
                scenario: scenario.key,
                server: "passerelle",
                load: measured,
                rss_mb: server.peak_rss_mb(),
            });
        }
        if factor == 1 {
            writes = Some(
                write_under_reads(
                    &endpoint,
                    &partner_token,
                    writer_organisation,
                    &scenarios[2],
                    &args,
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
        server.stop().await;

        // PostGraphile on the same database
        if !args.no_peer {
            let port = free_port()?;
            let peer = Measured::spawn(
                Command::new(root.join("bench/peer/serve.sh"))
                    .env("DATABASE_URL", &url)
                    .env("PORT", port.to_string())
                    .env("PG_POOL_MAX", "16")
                    .stdout(std::process::Stdio::null()),
            )?;
            let endpoint = format!("http://127.0.0.1:{port}/graphql");
            // Its trivial floor, as ours.
            let floor = json!({ "query": FLOOR });
            load::wait_until_answering(&client, &endpoint, &floor, &[])
                .await
                .context("PostGraphile, the floor")?;
            println!("{factor}× (floor) PostGraphile…");
            let measured =
                load::wrk(&endpoint, &floor, &[], args.connections, duration, &scratch).await?;
            rows.push(Row {
                scale: factor,
                scenario: "floor",
                server: "PostGraphile 5",
                load: measured,
                rss_mb: peer.peak_rss_mb(),
            });
            let answer = load::wait_until_answering(&client, &endpoint, &peer_body, &[])
                .await
                .context("PostGraphile, scenario (b)")?;
            let nodes = answer["data"]["allServices"]["nodes"]
                .as_array()
                .map_or(0, Vec::len);
            println!("{factor}× (b) PostGraphile, {nodes} items…");
            let measured = load::wrk(
                &endpoint,
                &peer_body,
                &[],
                args.connections,
                duration,
                &scratch,
            )
            .await?;
            rows.push(Row {
                scale: factor,
                scenario: "b",
                server: "PostGraphile 5",
                load: measured,
                rss_mb: peer.peak_rss_mb(),
            });
            peer.stop().await;
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let mut report = render(&Rendered {
        args: &args,
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
    });
    if let Some(writes) = &writes {
        let alone = rows
            .iter()
            .find(|r| r.scale == 1 && r.scenario == "b" && r.server == "passerelle")
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
    args: &RunArgs,
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
    let lua = format!(
        "wrk.method = \"POST\"\n\
         wrk.headers[\"Content-Type\"] = \"application/json\"\n\
         wrk.headers[\"Authorization\"] = {}\n\
         local template = {}\n\
         local threads = 0\n\
         function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n\
         local n = 0\n\
         function request()\n\
           n = n + 1\n\
           local body = string.gsub(template, \"__N__\", tostring(tid) .. \"-\" .. tostring(n))\n\
           return wrk.format(nil, nil, nil, body)\n\
         end\n",
        load::lua_string(&format!("Bearer {token}")),
        load::lua_string(&body.to_string()),
    );
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
    let duration = Duration::from_secs(args.duration);
    let reader_connections = args.connections.saturating_sub(WRITE_CONNECTIONS).max(1);
    println!("1× (f) writes under reads…");
    let (writes, reads) = tokio::join!(
        load::wrk_lua(endpoint, &lua, WRITE_CONNECTIONS, duration, scratch),
        load::wrk(
            endpoint,
            &reads.body,
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

struct Rendered<'a> {
    args: &'a RunArgs,
    sync_seconds: f64,
    sync_rss: f64,
    base_organisations: i64,
    base_services: i64,
    territory: &'a str,
    category: &'a str,
    matching: i64,
    bassin: &'a str,
    sizes: &'a [(u32, i64, i64)],
    rows: &'a [Row],
}

/// wrk counts a request it gave up on (2 s) with a zero latency; a run where that
/// happened has no meaningful percentiles.
fn answered(load: &Load) -> bool {
    load.requests > 0 && load.p50_ms > 0.0 && load.p99_ms > 0.0
}

fn mark(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

fn render(r: &Rendered<'_>) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# Benchmark report\n");
    let _ = writeln!(
        text,
        "Written by `bench/run.sh` (`passerelle-bench run`) on {} with {} cores; `wrk` \
         ({} connections, 2 threads, {} s per scenario), the servers and PostgreSQL 15 share \
         the machine. Compare runs on the same machine. Targets are reported here and never \
         asserted in tests.\n",
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        r.args.connections,
        r.args.duration
    );
    let _ = writeln!(text, "## Datasets\n");
    let _ = writeln!(text, "| scale | organisations | services |\n|---|---|---|");
    for (factor, organisations, services) in r.sizes {
        let _ = writeln!(text, "| {factor}× | {organisations} | {services} |");
    }
    let _ = writeln!(
        text,
        "\n1× is the generator's {} organisations synced through the four connectors \
         ({} organisations, {} services after matching). 10× and 100× repeat its directory \
         rows in SQL with new ids and points moved by about a metre per copy.\n",
        r.args.organisations, r.base_organisations, r.base_services
    );
    let _ = writeln!(text, "## Scenarios\n");
    let _ = writeln!(
        text,
        "- floor: `{{ __typename }}`, the least a server does for a request, for both \
         servers: what each scenario is compared with;\n\
         - (a) map page: 20 services nearest ({}, {}) within 5 km, with organisation, sites, \
         categories and accreditations;\n\
         - (b) territory + category page: `{}` and `{}` ({} services at 1×), same fields; \
         PostGraphile 5 answers `bench/peer/scenario-b.graphql`, the same page through its \
         connection-filter plugin;\n\
         - (c) text search `{}`: 20 services with organisation and categories;\n\
         - (d) (a) with a basin-team token (bassin `{}`);\n\
         - (e) full sync of the 1× dataset by `passerelle sync --full` from local upstream \
         servers (loopback HTTP).\n\n\
         wrk sends the same request again and again, and passerelle runs with its response \
         cache on (the default, `api.response_cache_mb`): after the first, its answers to \
         (a)–(d) come from the cache, until a write moves the directory on ((f) writes while \
         (b) reads). These are the hot forms; a cold form (variables drawn per request) is \
         not measured yet.\n",
        POINT.0, POINT.1, r.territory, r.category, r.matching, TEXT, r.bassin
    );
    let _ = writeln!(text, "## Reads\n");
    let _ = writeln!(
        text,
        "| scale | scenario | server | requests/s | p50 | p99 | failures | server peak RSS |\n|---|---|---|---|---|---|---|---|"
    );
    for row in r.rows {
        if !answered(&row.load) {
            let _ = writeln!(
                text,
                "| {}× | ({}) | {} | 0 | no answer within wrk's 2 s timeout | | {} | {:.0} MB |",
                row.scale, row.scenario, row.server, row.load.failures, row.rss_mb
            );
            continue;
        }
        let _ = writeln!(
            text,
            "| {}× | ({}) | {} | {:.0} | {:.2} ms | {:.2} ms | {} | {:.0} MB |",
            row.scale,
            row.scenario,
            row.server,
            row.load.requests_per_second,
            row.load.p50_ms,
            row.load.p99_ms,
            row.load.failures,
            row.rss_mb
        );
    }
    let _ = writeln!(text, "\n## Sync\n");
    let _ = writeln!(
        text,
        "(e) full sync, 1×: **{:.1} s**, peak RSS of the sync process {:.0} MB.\n",
        r.sync_seconds, r.sync_rss
    );
    let _ = writeln!(text, "## Targets\n");
    let find = |scale: u32, scenario: &str, server: &str| {
        r.rows
            .iter()
            .find(|row| row.scale == scale && row.scenario == scenario && row.server == server)
    };
    let peer_b = find(1, "b", "PostGraphile 5").map(|row| row.load.requests_per_second);
    // Each server's share of its own trivial floor, in the same run.
    for server in ["passerelle", "PostGraphile 5"] {
        let Some(floor) = find(1, "floor", server).map(|row| row.load.requests_per_second) else {
            continue;
        };
        for scenario in ["a", "b"] {
            if let Some(row) = find(1, scenario, server) {
                let _ = writeln!(
                    text,
                    "- ({scenario}), {server}: {:.0}% of its own floor ({:.0} req/s) at 1× (reported)",
                    100.0 * row.load.requests_per_second / floor,
                    floor
                );
            }
        }
    }
    for scenario in ["a", "b"] {
        if let (Some(ours), Some(peer)) = (find(1, scenario, "passerelle"), peer_b) {
            let ratio = ours.load.requests_per_second / peer;
            let _ = writeln!(
                text,
                "- ({scenario}) throughput ≥ 2× PostGraphile's (b) at 1×: {ratio:.2}× — {}",
                mark(ratio >= 2.0)
            );
        }
        if let Some(ours) = find(1, scenario, "passerelle").filter(|row| answered(&row.load)) {
            let _ = writeln!(
                text,
                "- ({scenario}) p99 < 10 ms at {} connections, 1×: {:.2} ms — {}",
                r.args.connections,
                ours.load.p99_ms,
                mark(ours.load.p99_ms < 10.0)
            );
        }
        if let (Some(one), Some(ten)) = (
            find(1, scenario, "passerelle"),
            find(10, scenario, "passerelle"),
        ) {
            let line = if answered(&ten.load) {
                let ratio = ten.load.p50_ms / one.load.p50_ms;
                format!("{ratio:.2}× — {}", mark(ratio <= 2.0))
            } else {
                format!("no answer within 2 s at 10× — {}", mark(false))
            };
            let _ = writeln!(text, "- ({scenario}) p50 at 10× ≤ 2× p50 at 1×: {line}");
        }
    }
    let rss = r
        .rows
        .iter()
        .filter(|row| row.scale == 1 && row.server == "passerelle")
        .map(|row| row.rss_mb)
        .fold(0.0, f64::max);
    let _ = writeln!(
        text,
        "- server peak RSS ≤ 200 MB at 1×: {rss:.0} MB — {}",
        mark(rss <= 200.0)
    );
    let _ = writeln!(
        text,
        "- (e) full sync ≤ 10 s: {:.1} s — {}",
        r.sync_seconds,
        mark(r.sync_seconds <= 10.0)
    );
    text
}

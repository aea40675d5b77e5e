//! The `passerelle` command: config → telemetry → App::build → run.

use std::{collections::HashSet, path::PathBuf, process::ExitCode, time::Duration};

use clap::{Parser, Subcommand};
use passerelle::{
    App, AppState,
    auth::{Authenticator, DevTokenRequest, Role},
    config::{Config, Profile},
};

#[derive(Parser)]
#[command(
    name = "passerelle",
    version,
    about = "One GraphQL map of the social and health services of Brussels"
)]
struct Cli {
    /// TOML configuration file (settings: docs/configuration.md).
    #[arg(long, global = true, env = "PASSERELLE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, seed and serve the GraphQL API (the default).
    Serve,
    /// Migrate the database and seed reference data (and demo data when enabled), then exit.
    Migrate,
    /// Print the GraphQL schema (SDL).
    Schema {
        /// As an Apollo Federation v2 subgraph (`@link`, `@key`s), as `_service { sdl }`.
        #[arg(long)]
        federation: bool,
    },
    /// Ask the server at http.addr whether it is ready (GET /readyz); exit 0 when it is.
    /// For container health checks.
    Health,
    /// Synchronise the configured sources (all, or one), then exit.
    Sync {
        /// Only this source.
        #[arg(long)]
        source: Option<String>,
        /// Read everything, not only what changed since the last success; records gone
        /// upstream become inactive.
        #[arg(long)]
        full: bool,
    },
    /// Import a file: listings into one organisation (`hsds`), or territory indicators
    /// (`indicators`).
    Import {
        #[command(subcommand)]
        what: Import,
    },
    /// Print a development token signed with the configured dev secret
    /// (PASSERELLE_AUTH__DEV_SECRET); refuses when none is configured.
    Token {
        /// public is not a token role: use no token.
        #[arg(long, value_parser = ["partner", "zone_partner", "basin_team", "admin"])]
        role: String,
        /// Organisation id (number or global id) a partner acts for; repeatable.
        #[arg(long = "organisation")]
        organisations: Vec<String>,
        /// Bassin of a basin team: nord, nord-est, centre-ouest, sud, sud-est.
        #[arg(long)]
        bassin: Option<String>,
        /// Token subject.
        #[arg(long, default_value = "dev")]
        subject: String,
        /// Lifetime in minutes.
        #[arg(long, default_value_t = 60)]
        ttl_minutes: u64,
    },
}

#[derive(Subcommand)]
enum Import {
    /// Listings from an HSDS 3.0 file or URL into one organisation, as an administrator
    /// would through `importHsds` (validated, audited); exits non-zero when an item fails.
    Hsds {
        /// A file path, or an http(s) URL.
        source: String,
        /// The organisation id (number or global id) the listings belong to.
        #[arg(long)]
        organisation: String,
        /// The language of the document's texts.
        #[arg(long, default_value = "fr", value_parser = ["fr", "nl", "en"])]
        language: String,
        /// Write the valid items even when others fail (default: all or nothing).
        #[arg(long)]
        partial: bool,
    },
    /// Territory indicators from a CSV file (`territory,indicator,year,value,unit,source`,
    /// `,` or `;`): checked whole, then written in one transaction (docs/coverage.md).
    Indicators {
        /// The CSV file.
        file: std::path::PathBuf,
    },
}

/// A GraphQL response allocates and frees thousands of small values; glibc's allocator
/// took about a quarter of the server's CPU in a profile under wrk; mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("passerelle: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Schema { federation } = command {
        let sdl = if federation {
            passerelle::graphql::subgraph_sdl()
        } else {
            passerelle::graphql::sdl()
        };
        #[expect(clippy::print_stdout, reason = "the schema is the command's output")]
        {
            print!("{sdl}");
        }
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref()).map_err(|e| e.to_string())?;
    if let Command::Token {
        role,
        organisations,
        bassin,
        subject,
        ttl_minutes,
    } = &command
    {
        let token = dev_token(
            &config,
            role,
            organisations,
            bassin.as_deref(),
            subject,
            *ttl_minutes,
        )?;
        #[expect(clippy::print_stdout, reason = "the token is the command's output")]
        {
            println!("{token}");
        }
        return Ok(());
    }
    if let Command::Health = command {
        return health(&config).await;
    }
    init_tracing(config.profile);
    let state = passerelle::startup::prepare(config)
        .await
        .map_err(|e| e.to_string())?;
    match command {
        Command::Sync { source, full } => sync(&state, source.as_deref(), full).await,
        Command::Import {
            what:
                Import::Hsds {
                    source,
                    organisation,
                    language,
                    partial,
                },
        } => import(&state, &source, &organisation, &language, partial).await,
        Command::Import {
            what: Import::Indicators { file },
        } => import_indicators(&state, &file).await,
        Command::Migrate => {
            tracing::info!("database migrated and seeded");
            Ok(())
        }
        Command::Serve | Command::Schema { .. } | Command::Token { .. } | Command::Health => {
            let app = App::build(state).await.map_err(|e| e.to_string())?;
            let addr = app.local_addr().map_err(|e| e.to_string())?;
            tracing::info!(%addr, "serving GraphQL on http://{addr}/graphql");
            app.run_until(shutdown_signal())
                .await
                .map_err(|e| format!("server error: {e}"))
        }
    }
}

/// `passerelle import hsds SOURCE --organisation ID`: the report on stdout.
async fn import(
    state: &AppState,
    source: &str,
    organisation: &str,
    language: &str,
    partial: bool,
) -> Result<(), String> {
    use passerelle::write::upsert::Mode;
    let mode = if partial {
        Mode::Partial
    } else {
        Mode::AllOrNothing
    };
    let report =
        passerelle::write::import::import_command(state, source, organisation, language, mode)
            .await?;
    #[expect(
        clippy::print_stdout,
        reason = "the import's report is the command's output"
    )]
    for line in &report.lines {
        println!("{line}");
    }
    if report.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} item(s) failed", report.failed))
    }
}

/// `passerelle import indicators FILE`: what was written on stdout, or every problem
/// found (nothing written).
async fn import_indicators(state: &AppState, file: &std::path::Path) -> Result<(), String> {
    use passerelle::indicators::{ImportError, import};
    let text =
        std::fs::read_to_string(file).map_err(|error| format!("{}: {error}", file.display()))?;
    match import(&state.db.conn, &state.reference, &text).await {
        Ok(imported) => {
            let series: Vec<String> = imported
                .series
                .iter()
                .map(|(indicator, year)| format!("{indicator} {year}"))
                .collect();
            #[expect(
                clippy::print_stdout,
                reason = "the import's report is the command's output"
            )]
            {
                println!(
                    "{} value(s) written ({} replaced), {} line(s) without a value skipped: {}",
                    imported.values,
                    imported.replaced,
                    imported.without_value,
                    series.join(", ")
                );
            }
            Ok(())
        }
        Err(ImportError::Refused(problems)) => {
            for problem in &problems {
                eprintln!("{}: {problem}", file.display());
            }
            Err(format!(
                "{}: {} problem(s); nothing was written",
                file.display(),
                problems.len()
            ))
        }
        Err(ImportError::Database(error)) => Err(format!("database: {error}")),
    }
}

/// `GET /readyz` on the configured address (loopback when it listens on all addresses).
async fn health(config: &Config) -> Result<(), String> {
    let mut addr = config.http.addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let url = format!("http://{addr}/readyz");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let body = response.text().await.unwrap_or_default();
    Err(format!("{url}: {status} {body}"))
}

/// Runs sources one after the other with a progress bar; fails if any run failed.
async fn sync(state: &AppState, only: Option<&str>, full: bool) -> Result<(), String> {
    let names: Vec<String> = match only {
        Some(name) => vec![name.to_owned()],
        None => state
            .config
            .sources
            .iter()
            .map(|s| s.name.clone())
            .collect(),
    };
    if names.is_empty() {
        return Err("no sources configured (see docs/sources.md)".to_owned());
    }
    let bar = indicatif::ProgressBar::new_spinner();
    let progress = |name: &str, done: usize, total: Option<usize>| {
        bar.set_message(match total {
            Some(total) => format!("{name}: {done}/{total} read"),
            None => format!("{name}: {done} read"),
        });
        bar.tick();
    };
    let outcomes = passerelle::sync::run_all(
        &state.db.conn,
        &state.reference,
        &state.config,
        &names,
        full,
        &progress,
    )
    .await;
    bar.finish_and_clear();
    let mut failures = Vec::new();
    for (name, outcome) in outcomes {
        match outcome {
            Ok(summary) => eprintln!(
                "{name}: {} created, {} updated, {} unchanged, {} deactivated, {} rejected, {} unknown codes, {} services and {} sites merged with other sources",
                summary.created,
                summary.updated,
                summary.unchanged,
                summary.deactivated,
                summary.rejected.len(),
                summary.unknown_codes.len(),
                summary.merged_services,
                summary.merged_sites
            ),
            Err(error) => {
                eprintln!("{error}");
                failures.push(name);
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "sync failed for {}; previous data kept",
            failures.join(", ")
        ))
    }
}

fn dev_token(
    config: &Config,
    role: &str,
    organisations: &[String],
    bassin: Option<&str>,
    subject: &str,
    ttl_minutes: u64,
) -> Result<String, String> {
    let role = Role::parse(role).ok_or_else(|| format!("unknown role {role}"))?;
    let bassins: HashSet<String> = passerelle::geo::brussels_territories()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|t| t.code.strip_prefix("bassin:").map(str::to_owned))
        .collect();
    let organisations = organisations
        .iter()
        .map(|raw| {
            raw.trim()
                .parse::<i32>()
                .ok()
                .or_else(|| {
                    passerelle::graphql::ids::decode_as(
                        &async_graphql::ID(raw.clone()),
                        passerelle::graphql::ids::Kind::Organisation,
                        "organisation",
                    )
                    .ok()
                })
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("--organisation {raw}: not an organisation id"))
        })
        .collect::<Result<Vec<i32>, String>>()?;
    match role {
        Role::Partner if organisations.is_empty() => {
            return Err("a partner token needs --organisation".to_owned());
        }
        Role::BasinTeam => match bassin {
            Some(b) if bassins.contains(b) => {}
            Some(b) => {
                let mut known: Vec<&String> = bassins.iter().collect();
                known.sort();
                return Err(format!("unknown bassin {b}: expected one of {known:?}"));
            }
            None => return Err("a basin_team token needs --bassin".to_owned()),
        },
        _ => {}
    }
    let auth = Authenticator::new(&config.auth, bassins);
    auth.issue_dev_token(&DevTokenRequest {
        subject: subject.to_owned(),
        role,
        organisations,
        bassin: bassin.map(str::to_owned),
        ttl: Duration::from_secs(ttl_minutes.saturating_mul(60)),
    })
    .ok_or_else(|| "no development secret configured: set PASSERELLE_AUTH__DEV_SECRET".to_owned())
}

fn init_tracing(profile: Profile) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PASSERELLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // Colours for a terminal only: a pipe (a container's log, a file) gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    match profile {
        Profile::Production => builder.json().init(),
        Profile::Development => builder.init(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

//! Benchmarks of passerelle.
//!
//! `bench/run.sh` (→ `passerelle-bench run`) writes `bench/REPORT.md`: the read scenarios
//! under `wrk` load at 1×, 10× and 100× against the release server and PostGraphile 5
//! on the same PostgreSQL database, and a full sync of the 1× dataset (see `reads`).
//!
//! `passerelle-bench sync` writes `bench/SYNC.md`: a full federation of the four upstream
//! kinds at about 5,000 organisations, per source, into SQLite and PostgreSQL, in process.

#![expect(
    clippy::print_stdout,
    reason = "a command-line benchmark reports on stdout"
)]

mod feed;
mod load;
mod reads;
mod report;
mod scale;

use std::{fmt::Write as _, time::Instant};

use anyhow::{Context, Result};
use clap::Parser;
use passerelle::config::{Config, Secret, SourceKind};
use passerelle_fixtures::{
    feeds::{self, FeedOptions},
    sampler::Sampler,
};
use passerelle_tests::{Backend, empty_database, source, upstream::Upstream};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(clap::Subcommand)]
enum Scenario {
    /// Read scenarios (a)–(d) per scale against passerelle and PostGraphile, and the
    /// full sync (e), into one report.
    Run(reads::RunArgs),
    /// Full sync of the four kinds of source, then a re-run with nothing changed.
    Sync {
        /// Organisations to generate.
        #[arg(long, default_value_t = 5000)]
        organisations: usize,
        /// Where to write the report.
        #[arg(long, default_value = "bench/SYNC.md")]
        report: String,
    },
}

const SOURCES: [&str; 4] = ["social-brussels", "sociale-kaart", "hsds", "inami"];

fn peak_rss_mb() -> f64 {
    load::peak_rss_of(std::process::id())
}

struct Row {
    backend: &'static str,
    source: String,
    records: usize,
    created: u32,
    seconds: f64,
    rerun_seconds: f64,
}

async fn sync_scenario(organisations: usize, report: &str) -> Result<()> {
    let mut rows = Vec::new();
    let mut summary = String::new();
    let mut generated_counts = String::new();
    for (backend, label) in [
        (Backend::Sqlite, "SQLite"),
        (Backend::Postgres, "PostgreSQL"),
    ] {
        let upstream = Upstream::start().await;
        let mut config = Config::default();
        config.database.url = Secret::new(empty_database(backend).await);
        config.demo.enabled = Some(false);
        let url = upstream.url.clone();
        let mut inami = source("inami", SourceKind::Csv, &format!("{url}/snapshot.csv"));
        inami.authority = Some("federal".to_owned());
        inami.csv = Some(passerelle::sources::csv::inami_mapping());
        config.sources = vec![
            source("social-brussels", SourceKind::SocialBrussels, &url),
            source("sociale-kaart", SourceKind::SocialeKaart, &url),
            source("hsds", SourceKind::Hsds, &url),
            inami,
        ];
        for s in &mut config.sources {
            s.page_size = 500;
            s.timeout_seconds = 60;
            // As in `run`: the bench measures the engine, not the politeness limit.
            s.max_requests_per_second = 100_000.0;
        }
        let state = passerelle::startup::prepare(config)
            .await
            .context("preparing the database")?;
        let sampler = Sampler::load(&state.db.conn, &state.reference).await?;
        let started = Instant::now();
        let generated = feeds::generate(
            &FeedOptions {
                organisations: Some(organisations),
                seed: 1,
            },
            &|nis, postcode, seed| sampler.place(nis, postcode, seed),
        );
        let generation = started.elapsed().as_secs_f64();
        let record_counts = [
            generated.social_brussels.len(),
            generated.sociale_kaart.len(),
            generated.hsds_services.len(),
            generated.inami_csv.lines().count().saturating_sub(1),
        ];
        if generated_counts.is_empty() {
            let _ = write!(
                generated_counts,
                "{organisations} organisations generated in {generation:.2} s: {} social.brussels records, {} Sociale Kaart items, {} HSDS services, {} INAMI rows.",
                record_counts[0], record_counts[1], record_counts[2], record_counts[3]
            );
        }
        upstream.set_social_brussels(generated.social_brussels);
        upstream.set_sociale_kaart(generated.sociale_kaart);
        upstream.set_hsds(generated.hsds_services);
        upstream.set_csv(&generated.inami_csv);

        let total = Instant::now();
        let mut first = Vec::new();
        for name in SOURCES {
            let start = Instant::now();
            let run = passerelle::sync::run(
                &state.db.conn,
                &state.reference,
                &state.config,
                name,
                true,
                &|_, _| {},
            )
            .await
            .with_context(|| format!("syncing {name}"))?;
            first.push((
                name,
                run.created + run.updated,
                start.elapsed().as_secs_f64(),
            ));
        }
        let full = total.elapsed().as_secs_f64();
        let again = Instant::now();
        let mut reruns = Vec::new();
        for name in SOURCES {
            let start = Instant::now();
            passerelle::sync::run(
                &state.db.conn,
                &state.reference,
                &state.config,
                name,
                true,
                &|_, _| {},
            )
            .await?;
            reruns.push(start.elapsed().as_secs_f64());
        }
        let rerun = again.elapsed().as_secs_f64();
        state.read_model.catch_up(&state.db.conn).await?;
        let services = passerelle::search::ServiceQuery::default().count(
            &state.read_model.snapshot(),
            &passerelle::auth::ServiceScope::All,
        );
        let _ = writeln!(
            summary,
            "| {label} | {full:.1} s | {rerun:.1} s | {services} | {:.0} MB |",
            peak_rss_mb()
        );
        for (((name, created, seconds), rerun_seconds), records) in
            first.into_iter().zip(reruns).zip(record_counts)
        {
            rows.push(Row {
                backend: label,
                source: name.to_owned(),
                records,
                created,
                seconds,
                rerun_seconds,
            });
        }
        println!("{label}: full sync {full:.1} s, re-run {rerun:.1} s, {services} services");
    }
    let mut text = String::new();
    let _ = writeln!(text, "# Benchmark report\n");
    let _ = writeln!(
        text,
        "Written by `cargo run --release -p passerelle-bench -- sync` on {} ({} cores). Figures vary with the machine; compare runs on the same one.\n",
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(
        text,
        "## Sync: four upstream kinds over loopback HTTP\n\n{generated_counts}\n"
    );
    let _ = writeln!(
        text,
        "| database | full sync, 4 sources | re-run, nothing changed | services | peak RSS (process) |"
    );
    let _ = writeln!(text, "|---|---|---|---|---|");
    text.push_str(&summary);
    let _ = writeln!(
        text,
        "\n| database | source | records read | written | full sync | re-run |"
    );
    let _ = writeln!(text, "|---|---|---|---|---|---|");
    for row in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {:.1} s | {:.1} s |",
            row.backend, row.source, row.records, row.created, row.seconds, row.rerun_seconds
        );
    }
    std::fs::write(report, text).with_context(|| format!("writing {report}"))?;
    println!("report written to {report}");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().scenario {
        Scenario::Run(args) => reads::run(args).await,
        Scenario::Sync {
            organisations,
            report,
        } => sync_scenario(organisations, report.as_str()).await,
    }
}

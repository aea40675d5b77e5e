//! Synchronisation runs: read a whole source (nothing is written if any page fails),
//! map its records, then write them in one transaction — matched to existing
//! organisations by KBO/BCE or NIHII, merged with other sources by field priority,
//! with provenance — and record the run.

mod apply;
pub mod map;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entities::{source_record, sync_run};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde::Serialize;

use crate::{
    config::{Config, SourceConfig, SourceKind},
    domain::RunOutcome,
    reference::Reference,
    sources::{
        self,
        fetch::{FetchError, Fetcher},
        record::{Code, Fetched},
    },
    store,
};

/// Why a run failed; the previous data stays as it was.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("unknown source {0:?}")]
    UnknownSource(String),
    #[error("source {name}: {error}")]
    Fetch { name: String, error: FetchError },
    #[error("source {name}: database error: {error}")]
    Db { name: String, error: DbErr },
}

#[derive(Clone, Debug, Serialize)]
pub struct Rejection {
    pub upstream_id: String,
    pub reason: String,
}

/// What one run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RunSummary {
    pub source: String,
    pub full: bool,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub deactivated: u32,
    pub rejected: Vec<Rejection>,
    /// Upstream codes with no mapping, kept in the raw records.
    pub unknown_codes: BTreeSet<Code>,
    /// Values dropped because they were invalid, per record.
    pub issues: Vec<String>,
    /// Services and sites of the organisations the run touched that another source
    /// lists too, so shown folded into one (`read_model::merge`).
    pub merged_services: u32,
    pub merged_sites: u32,
}

/// Progress of the read phase: records read so far, and the total when known.
pub type Progress<'a> = &'a (dyn Fn(usize, Option<usize>) + Sync);

/// A stable 64-bit FNV-1a digest, so "unchanged" survives a compiler upgrade.
fn digest(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Mapping tables change what a record means: their digest is part of every hash.
fn mappings_digest() -> String {
    digest(concat!(
        include_str!("../../data/mappings/categories.csv"),
        include_str!("../../data/mappings/authorities.csv"),
        include_str!("../../data/taxonomy/categories.csv"),
    ))
}

async fn fetch(
    source: &SourceConfig,
    since: Option<DateTime<Utc>>,
    progress: Progress<'_>,
) -> Result<Fetched, SyncError> {
    let fetch_error = |error| SyncError::Fetch {
        name: source.name.clone(),
        error,
    };
    let fetcher = Fetcher::new(source).map_err(fetch_error)?;
    match source.kind {
        SourceKind::Hsds => sources::hsds::fetch(&fetcher, source, since, progress)
            .await
            .map_err(fetch_error),
        SourceKind::SocialBrussels => {
            sources::social_brussels::fetch(&fetcher, source, since, progress)
                .await
                .map_err(fetch_error)
        }
        SourceKind::SocialeKaart => {
            sources::sociale_kaart::fetch(&fetcher, source, since, progress)
                .await
                .map_err(fetch_error)
        }
        SourceKind::Csv => sources::csv::fetch(&fetcher, source, progress)
            .await
            .map_err(fetch_error),
    }
}

/// A run that has begun: its source, where it reads from, and when it began.
struct Started<'a> {
    source: &'a SourceConfig,
    source_id: i32,
    since: Option<DateTime<Utc>>,
    started_at: DateTime<Utc>,
}

fn db_error(name: &str) -> impl Fn(DbErr) -> SyncError + '_ {
    move |error| SyncError::Db {
        name: name.to_owned(),
        error,
    }
}

/// Finds the source, registers it, and decides what to read: everything when `full`,
/// else what changed since the start of the last successful run.
async fn start<'a>(
    db: &DatabaseConnection,
    config: &'a Config,
    name: &str,
    full: bool,
) -> Result<Started<'a>, SyncError> {
    let source = config
        .sources
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| SyncError::UnknownSource(name.to_owned()))?;
    let started_at = Utc::now();
    let source_id = store::ensure_source(db, &source.name, source.kind.as_str())
        .await
        .map_err(|e| match e {
            store::StoreError::Db(error) => db_error(name)(error),
            other => db_error(name)(DbErr::Custom(other.to_string())),
        })?;
    let since = if full {
        None
    } else {
        sync_run::Entity::find()
            .filter(sync_run::Column::SourceId.eq(source_id))
            .filter(sync_run::Column::Outcome.eq(RunOutcome::Success))
            .order_by_desc(sync_run::Column::StartedAt)
            .one(db)
            .await
            .map_err(db_error(name))?
            .map(|r| r.started_at)
    };
    Ok(Started {
        source,
        source_id,
        since,
        started_at,
    })
}

/// Fresh planner statistics on PostgreSQL: a first sync turns empty tables into
/// thousands of rows. Called once the run has committed, so a failure is worth a
/// warning, not a failed run.
async fn refresh_statistics(db: &DatabaseConnection, after: &str) {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return;
    }
    if let Err(error) = db.execute_unprepared("ANALYZE").await {
        tracing::warn!(source = %after, %error, "ANALYZE after the sync failed");
    }
}

/// Writes what was read (nothing if reading failed) and records the run; `analyze`
/// refreshes the statistics when the run wrote something.
async fn finish(
    db: &DatabaseConnection,
    reference: &Reference,
    config: &Config,
    started: &Started<'_>,
    fetched: Result<Fetched, SyncError>,
    analyze: bool,
) -> Result<RunSummary, SyncError> {
    let name = started.source.name.as_str();
    let mut summary = RunSummary {
        source: name.to_owned(),
        full: started.since.is_none(),
        ..RunSummary::default()
    };
    let outcome = async {
        write(
            db,
            reference,
            config,
            started.source_id,
            fetched?,
            &mut summary,
        )
        .await
        .map_err(db_error(name))?;
        if analyze && summary.created + summary.updated + summary.deactivated > 0 {
            refresh_statistics(db, name).await;
        }
        Ok(())
    }
    .await;
    let error = outcome.as_ref().err().map(ToString::to_string);
    let report = serde_json::json!({
        "rejected": summary.rejected,
        "unknown_codes": summary.unknown_codes,
        "issues": summary.issues,
        "merged": { "services": summary.merged_services, "sites": summary.merged_sites },
    });
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    sync_run::ActiveModel {
        source_id: Set(started.source_id),
        full: Set(summary.full),
        outcome: Set(if error.is_some() {
            RunOutcome::Failed
        } else {
            RunOutcome::Success
        }),
        started_at: Set(started.started_at),
        finished_at: Set(Utc::now()),
        created: Set(count(summary.created)),
        updated: Set(count(summary.updated)),
        unchanged: Set(count(summary.unchanged)),
        deactivated: Set(count(summary.deactivated)),
        rejected: Set(count(
            u32::try_from(summary.rejected.len()).unwrap_or(u32::MAX),
        )),
        error: Set(error),
        report: Set(report.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_error(name))?;
    outcome.map(|()| summary)
}

/// Runs one source: `full` ignores the last success and withdraws what is gone.
pub async fn run(
    db: &DatabaseConnection,
    reference: &Reference,
    config: &Config,
    name: &str,
    full: bool,
    progress: Progress<'_>,
) -> Result<RunSummary, SyncError> {
    let started = start(db, config, name, full).await?;
    let fetched = fetch(started.source, started.since, progress).await;
    finish(db, reference, config, &started, fetched, true).await
}

/// Progress of reading one of several sources: its name, records read, total if known.
pub type NamedProgress<'a> = &'a (dyn Fn(&str, usize, Option<usize>) + Sync);

/// Runs several sources, each as [`run`] would, written one after the other in the
/// order given. The next source is read while the current one is written: reading
/// waits on the upstream, writing on the database. Only reading overlaps; every
/// source is registered before the first write, so nothing else touches the database
/// while a run's transaction is open. Statistics are refreshed once, at the end.
pub async fn run_all(
    db: &DatabaseConnection,
    reference: &Reference,
    config: &Config,
    names: &[String],
    full: bool,
    progress: NamedProgress<'_>,
) -> Vec<(String, Result<RunSummary, SyncError>)> {
    let mut starts: Vec<Option<Started<'_>>> = Vec::with_capacity(names.len());
    let mut failed_to_start: Vec<Option<SyncError>> = Vec::with_capacity(names.len());
    for name in names {
        let (started, error) = match start(db, config, name, full).await {
            Ok(started) => (Some(started), None),
            Err(error) => (None, Some(error)),
        };
        starts.push(started);
        failed_to_start.push(error);
    }
    let mut results = Vec::with_capacity(names.len());
    let mut next = match starts.first() {
        Some(first) => read(first.as_ref(), progress).await,
        None => None,
    };
    for (index, name) in names.iter().enumerate() {
        let fetched = next.take();
        let started = starts[index].as_ref();
        let error = failed_to_start[index].take();
        let write = async {
            match (started, fetched, error) {
                (Some(started), Some(fetched), _) => {
                    finish(db, reference, config, started, fetched, false).await
                }
                (_, _, Some(error)) => Err(error),
                _ => Err(SyncError::UnknownSource(name.clone())),
            }
        };
        let result = match starts.get(index + 1) {
            Some(following) => {
                let (result, read) = tokio::join!(write, read(following.as_ref(), progress));
                next = read;
                result
            }
            None => write.await,
        };
        results.push((name.clone(), result));
    }
    // Statistics once for all the runs rather than after each.
    let wrote = results.iter().any(|(_, r)| {
        r.as_ref()
            .is_ok_and(|s| s.created + s.updated + s.deactivated > 0)
    });
    if wrote {
        refresh_statistics(db, "all sources").await;
    }
    results
}

/// Reads a source that started; `None` when it could not start.
async fn read(
    started: Option<&Started<'_>>,
    progress: NamedProgress<'_>,
) -> Option<Result<Fetched, SyncError>> {
    let started = started?;
    let name = started.source.name.as_str();
    Some(
        fetch(started.source, started.since, &|done, total| {
            progress(name, done, total);
        })
        .await,
    )
}

/// Staged rows (see `apply::Staged`) written at once; bounds the memory they hold.
const STAGED_ROWS: usize = 20_000;

/// Maps and writes a whole fetch in one transaction.
async fn write(
    db: &DatabaseConnection,
    reference: &Reference,
    config: &Config,
    source_id: i32,
    fetched: Fetched,
    summary: &mut RunSummary,
) -> Result<(), DbErr> {
    let Some(source) = config.sources.iter().find(|s| s.name == summary.source) else {
        return Ok(());
    };
    summary.issues.extend(fetched.notes.iter().cloned());
    let mappings = mappings_digest();
    let mut seen: HashSet<String> = HashSet::new();
    let mut ready = Vec::with_capacity(fetched.records.len());
    for record in &fetched.records {
        if !seen.insert(record.upstream_id.clone()) {
            summary.rejected.push(Rejection {
                upstream_id: record.upstream_id.clone(),
                reason: "duplicate upstream id: the first record was kept".to_owned(),
            });
            continue;
        }
        match map::map_record(record, reference, source) {
            Ok(mapped) => {
                summary.issues.extend(
                    mapped
                        .issues
                        .iter()
                        .map(|i| format!("{}: {i}", record.upstream_id)),
                );
                summary
                    .unknown_codes
                    .extend(mapped.unknown_codes.iter().cloned());
                let hash = digest(&format!(
                    "{mappings}{}",
                    serde_json::to_string(record).unwrap_or_default()
                ));
                ready.push((mapped, hash, record.raw.to_string()));
            }
            Err(reason) => summary.rejected.push(Rejection {
                upstream_id: record.upstream_id.clone(),
                reason,
            }),
        }
    }

    let priority = config.source_priority();
    let source_names = entities::source::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let ctx = apply::Context {
        source_names,
        reference,
        source_id,
        priority: &priority,
        retrieved_at: Utc::now(),
    };
    // IMMEDIATE on SQLite: the run draws ids from the tables' highest ones, so no
    // other connection may insert until it commits (see `apply::Ids`).
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    let existing: HashMap<String, source_record::Model> = source_record::Entity::find()
        .filter(source_record::Column::SourceId.eq(source_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| (r.upstream_id.clone(), r))
        .collect();
    let mut run = apply::Run::start(&txn).await?;
    for (mapped, hash, raw) in &ready {
        if run.staged.len() > STAGED_ROWS {
            run.staged.flush(&txn).await?;
        }
        match apply::apply(
            &txn,
            &ctx,
            mapped,
            hash,
            raw,
            existing.get(&mapped.upstream_id),
            &mut run,
        )
        .await?
        {
            apply::Outcome::Created => summary.created += 1,
            apply::Outcome::Updated => summary.updated += 1,
            apply::Outcome::Unchanged => summary.unchanged += 1,
        }
    }
    if fetched.complete {
        let present: HashSet<String> = match &fetched.listed {
            Some(listed) => listed.iter().cloned().collect(),
            None => seen,
        };
        let gone: Vec<&source_record::Model> = existing
            .values()
            .filter(|record| record.active && !present.contains(&record.upstream_id))
            .collect();
        summary.deactivated = u32::try_from(gone.len()).unwrap_or(u32::MAX);
        apply::deactivate(&txn, &ctx, &gone, &mut run).await?;
    }
    // Every organisation the run wrote to or withdrew a record from, once each.
    let changed: Vec<i32> = run.touched.iter().copied().collect();
    apply::recompute(&txn, &ctx, &mut run).await?;
    // An organisation the run wrote to without a change the log itemises (accreditations,
    // provenance) is still reloaded by the read model.
    let itemised: HashSet<i32> = run.changes.iter().map(|c| c.organisation_id).collect();
    for id in changed.iter().filter(|id| !itemised.contains(id)) {
        run.changes.push(store::Change::of(
            "organisation",
            *id,
            *id,
            "updated",
            Vec::new(),
            "sync",
        ));
    }
    store::record_changes(&txn, &run.changes).await?;
    txn.commit().await?;
    // Counted after the commit, so the write lock is not held for it.
    count_merges(db, config, &changed, summary).await
}

/// Counts what the read model will fold in the touched organisations that more than one
/// source lists (only they can hold duplicates).
async fn count_merges<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    touched: &[i32],
    summary: &mut RunSummary,
) -> Result<(), DbErr> {
    let mut shared = Vec::new();
    for chunk in touched.chunks(500) {
        let rows: Vec<(i32, i32)> = source_record::Entity::find()
            .select_only()
            .column(source_record::Column::OrganisationId)
            .column(source_record::Column::SourceId)
            .filter(source_record::Column::OrganisationId.is_in(chunk.iter().copied()))
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        let mut sources: HashMap<i32, usize> = HashMap::new();
        for (organisation, _) in rows {
            *sources.entry(organisation).or_default() += 1;
        }
        shared.extend(sources.into_iter().filter(|(_, n)| *n > 1).map(|(o, _)| o));
    }
    if shared.is_empty() {
        return Ok(());
    }
    let rules = crate::read_model::merge::MergeRules::new(config);
    for chunk in shared.chunks(500) {
        for mut bundle in crate::read_model::bundles(db, Some(chunk)).await? {
            let (services, sites) = crate::read_model::merge::fold(&mut bundle, &rules);
            summary.merged_services += u32::try_from(services.len()).unwrap_or(u32::MAX);
            summary.merged_sites += u32::try_from(sites.len()).unwrap_or(u32::MAX);
        }
    }
    Ok(())
}

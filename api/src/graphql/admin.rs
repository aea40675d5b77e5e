//! Administration: the state of each source and the disagreements between sources.

use crate::graphql::types::Instant;
use async_graphql::{Context, ID, Object, SimpleObject};
use entities::{conflict, source, sync_run};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Query, UnionType},
};

use super::{ApiResult, cost, ids, nullable, principal, require, snapshot, state};
use crate::domain::RunOutcome;

/// The most conflicts one `conflicts(first:)` lists.
const MAX_CONFLICTS: usize = 1000;

#[derive(Default)]
pub struct AdminRoot;

#[Object]
impl AdminRoot {
    /// Every source: the configured ones in their order, then those the database knows
    /// from before (the demo's), each with its last run, last success and last error.
    /// Administrators only.
    #[graphql(complexity = "cost::SOURCES * child_complexity")]
    async fn sources(&self, ctx: &Context<'_>) -> Option<Vec<SourceStatus>> {
        crate::graphql::volatile(ctx);
        nullable(ctx, self.sources_list(ctx).await)
    }

    /// Fields on which sources disagree, and which source won: those of organisations
    /// and of services several sources list, the most recent first; the `first` ones
    /// (100 when not given, at most 1,000). Administrators only.
    #[graphql(complexity = "cost::first_cost(first, cost::DEFAULT_CONFLICTS, child_complexity)")]
    async fn conflicts(&self, ctx: &Context<'_>, first: Option<i32>) -> Option<Vec<Conflict>> {
        crate::graphql::volatile(ctx);
        nullable(ctx, self.conflicts_list(ctx, first).await)
    }
}

/// The state of one upstream source.
#[derive(SimpleObject)]
pub struct SourceStatus {
    pub name: String,
    /// `social_brussels`, `sociale_kaart`, `hsds` or `csv`.
    pub kind: String,
    /// In the current configuration; `false` for a source the database knows from an
    /// earlier one, or the bundled demo data, whose records it still holds.
    pub configured: bool,
    pub last_success: Option<Instant>,
    pub last_error: Option<String>,
    pub last_error_at: Option<Instant>,
    pub last_run: Option<SyncRun>,
}

/// One synchronisation run.
#[derive(SimpleObject)]
pub struct SyncRun {
    pub outcome: String,
    pub full: bool,
    pub started_at: Instant,
    pub finished_at: Instant,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub deactivated: i32,
    pub rejected: i32,
    pub error: Option<String>,
    /// Rejected records with their reason (the first 100; `rejected` counts them all).
    #[graphql(complexity = "cost::RUN_ITEMS * child_complexity")]
    pub rejections: Vec<Rejection>,
    /// Upstream codes that map to no category (kept in the raw records; the first 100).
    #[graphql(complexity = "cost::RUN_ITEMS * child_complexity")]
    pub unknown_codes: Vec<UnknownCode>,
    /// Invalid values dropped (a bad phone number, an invalid KBO…; the first 100).
    pub issues: Vec<String>,
    /// Services of the organisations the run touched that another source lists too,
    /// shown as one (and `provenance` names every source).
    pub merged_services: i32,
    /// Sites of those organisations folded into another at the same address.
    pub merged_sites: i32,
}

#[derive(SimpleObject)]
pub struct Rejection {
    pub upstream_id: String,
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct UnknownCode {
    pub scheme: String,
    pub code: String,
    pub label: Option<String>,
}

/// Sources disagreeing on one field of an organisation, or of a service that several
/// sources list (shown as one).
#[derive(SimpleObject)]
pub struct Conflict {
    pub organisation: ID,
    /// The service, when the field is a service's (`description_fr`, `fee`…).
    pub service: Option<ID>,
    pub field: String,
    /// JSON object: source name → the value it gives.
    pub values: String,
    pub chosen_source: String,
    pub detected_at: Instant,
}

impl From<&sync_run::Model> for SyncRun {
    fn from(run: &sync_run::Model) -> Self {
        let report: serde_json::Value = serde_json::from_str(&run.report).unwrap_or_default();
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        let count =
            |v: &serde_json::Value| v.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0);
        SyncRun {
            outcome: run.outcome.as_str().to_owned(),
            full: run.full,
            started_at: Instant(run.started_at),
            finished_at: Instant(run.finished_at),
            created: run.created,
            updated: run.updated,
            unchanged: run.unchanged,
            deactivated: run.deactivated,
            rejected: run.rejected,
            error: run.error.clone(),
            rejections: report["rejected"]
                .as_array()
                .into_iter()
                .flatten()
                .take(cost::RUN_ITEMS)
                .map(|r| Rejection {
                    upstream_id: text(&r["upstream_id"]),
                    reason: text(&r["reason"]),
                })
                .collect(),
            unknown_codes: report["unknown_codes"]
                .as_array()
                .into_iter()
                .flatten()
                .take(cost::RUN_ITEMS)
                .map(|c| UnknownCode {
                    scheme: text(&c["scheme"]),
                    code: text(&c["code"]),
                    label: c["label"].as_str().map(str::to_owned),
                })
                .collect(),
            merged_services: count(&report["merged"]["services"]),
            merged_sites: count(&report["merged"]["sites"]),
            issues: report["issues"]
                .as_array()
                .into_iter()
                .flatten()
                .take(cost::RUN_ITEMS)
                .map(text)
                .collect(),
        }
    }
}

/// The bodies of the fields the policy can refuse: those fields are nullable, so a
/// refusal is `null` at their path with the error, as GraphQL says.
impl AdminRoot {
    async fn sources_list(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceStatus>> {
        require(principal(ctx)?.administration())?;
        let state = state(ctx)?;
        let db = &state.db.conn;
        let known = source::Entity::find().all(db).await?;
        // Each source's last run, last success and last failure: one statement whatever
        // the number of sources (runs only grow, so the highest id is the latest).
        let latest_id = |outcome: Option<sea_orm::sea_query::SimpleExpr>| {
            let mut select = Query::select();
            select
                .expr(sync_run::Column::Id.max())
                .from(sync_run::Entity)
                .group_by_col(sync_run::Column::SourceId);
            if let Some(condition) = outcome {
                select.and_where(condition);
            }
            select
        };
        let latest = sync_run::Entity::find()
            .filter(
                sync_run::Column::Id.in_subquery(
                    latest_id(None)
                        .union(
                            UnionType::Distinct,
                            latest_id(Some(sync_run::Column::Outcome.eq(RunOutcome::Success))),
                        )
                        .union(
                            UnionType::Distinct,
                            latest_id(Some(sync_run::Column::Outcome.ne(RunOutcome::Success))),
                        )
                        .to_owned(),
                ),
            )
            .order_by_desc(sync_run::Column::Id)
            .all(db)
            .await?;
        // The configured sources in their order, then those the database knows from
        // earlier configurations (or the demo), by name.
        let mut listed: Vec<(String, String, bool)> = state
            .config
            .sources
            .iter()
            .map(|s| (s.name.clone(), s.kind.as_str().to_owned(), true))
            .collect();
        let mut former: Vec<&source::Model> = known
            .iter()
            .filter(|k| listed.iter().all(|(name, _, _)| *name != k.name))
            .collect();
        former.sort_by(|a, b| a.name.cmp(&b.name));
        listed.extend(
            former
                .into_iter()
                .map(|k| (k.name.clone(), k.kind.clone(), false)),
        );
        let mut out = Vec::new();
        for (name, kind, configured) in listed {
            let id = known.iter().find(|s| s.name == name).map(|s| s.id);
            let runs: Vec<&sync_run::Model> =
                latest.iter().filter(|r| Some(r.source_id) == id).collect();
            let last_success = runs
                .iter()
                .find(|r| r.outcome == RunOutcome::Success)
                .map(|r| r.finished_at);
            let last_failure = runs.iter().find(|r| r.outcome != RunOutcome::Success);
            out.push(SourceStatus {
                name,
                kind,
                configured,
                last_success: last_success.map(Instant),
                last_error: last_failure.and_then(|r| r.error.clone()),
                last_error_at: last_failure.map(|r| Instant(r.finished_at)),
                last_run: runs.first().map(|r| SyncRun::from(*r)),
            });
        }
        Ok(out)
    }

    async fn conflicts_list(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> ApiResult<Vec<Conflict>> {
        require(principal(ctx)?.administration())?;
        let limit = first.map_or(cost::DEFAULT_CONFLICTS, |n| {
            usize::try_from(n).unwrap_or(0).min(MAX_CONFLICTS)
        });
        let rows = conflict::Entity::find()
            .order_by_desc(conflict::Column::DetectedAt)
            .order_by_desc(conflict::Column::Id)
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .all(&state(ctx)?.db.conn)
            .await?;
        let mut out: Vec<Conflict> = rows
            .into_iter()
            .map(|c| Conflict {
                organisation: ids::encode(ids::Kind::Organisation, c.organisation_id),
                service: None,
                field: c.field,
                values: c.values,
                chosen_source: c.chosen_source,
                detected_at: Instant(c.detected_at),
            })
            .collect();
        // Merged services' disagreements live in the read model, where they are merged.
        let snapshot = &*snapshot(ctx)?;
        let mut merged: Vec<_> = snapshot
            .service_ids()
            .iter()
            .filter_map(|id| snapshot.service(*id))
            .flat_map(|s| s.conflicts.iter().map(move |c| (s, c)))
            .collect();
        merged.sort_by_key(|c| std::cmp::Reverse(c.1.detected_at));
        for (service, c) in merged.into_iter().take(limit) {
            let values: serde_json::Map<String, serde_json::Value> = c
                .values
                .iter()
                .map(|(source, value)| (source.clone(), serde_json::Value::from(value.as_str())))
                .collect();
            out.push(Conflict {
                organisation: ids::encode(ids::Kind::Organisation, service.model.organisation_id),
                service: Some(ids::encode(ids::Kind::Service, service.model.id)),
                field: c.field.to_owned(),
                values: serde_json::Value::Object(values).to_string(),
                chosen_source: c.chosen_source.clone(),
                detected_at: Instant(c.detected_at),
            });
        }
        // The newest of both kinds.
        out.sort_by_key(|c| std::cmp::Reverse(c.detected_at));
        out.truncate(limit);
        Ok(out)
    }
}

//! The assembled application: the router over a prepared `AppState`, the scheduled
//! syncs and the change-log follower, and a graceful shutdown. The top of the crate:
//! nothing below imports it.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use tokio::{net::TcpListener, sync::watch};

use crate::{
    graphql::{self, PasserelleSchema},
    http::{self, ManifestError},
    read_model,
    state::AppState,
    sync,
};

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A bound, ready-to-run server; `local_addr()` tells which port it got.
pub struct App {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
}

impl App {
    pub async fn build(state: AppState) -> Result<App, BuildError> {
        let addr = state.config.http.addr;
        let schema: PasserelleSchema =
            graphql::build_schema(state.clone(), async_graphql::ValidationMode::Strict);
        let validated: PasserelleSchema =
            graphql::build_schema(state.clone(), async_graphql::ValidationMode::Fast);
        let router = http::router(state.clone(), schema, validated)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| BuildError::Bind { addr, source })?;
        Ok(App {
            listener,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves (and runs scheduled syncs) until `shutdown` resolves; in-flight requests
    /// finish first, and a sync in progress is abandoned before it commits.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let stop = self.state.stopping.clone();
        let stopped = stop.subscribe();
        let scheduler = tokio::spawn(scheduled_syncs(self.state.clone(), stopped.clone()));
        let pruner = tokio::spawn(prune_changes(self.state.clone(), stopped.clone()));
        let follower = tokio::spawn(read_model::follow(
            Arc::clone(&self.state.read_model),
            self.state.db.conn.clone(),
            Duration::from_millis(u64::from(self.state.config.database.change_poll_ms)),
            stopped,
        ));
        let limits = &self.state.config.limits;
        let connections = http::ConnectionLimits {
            header_timeout: Duration::from_millis(limits.header_timeout_ms),
            per_address: limits.max_connections_per_address,
        };
        let served = http::serve(self.listener, self.router, connections, async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await;
        let _ = scheduler.await;
        let _ = pruner.await;
        let _ = follower.await;
        served
    }
}

/// Prunes the change feed to `api.change_retention_days` a minute after start, then
/// every hour, until `stop` changes (every replica does; pruning twice is harmless).
async fn prune_changes(state: AppState, mut stop: watch::Receiver<bool>) {
    let days = state.config.api.change_retention_days;
    if days == 0 {
        return;
    }
    let mut hourly = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(60),
        Duration::from_secs(3600),
    );
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            _ = hourly.tick() => {}
        }
        let retention = chrono::Duration::days(i64::from(days));
        match crate::feed::prune(&state.db.conn, retention, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, days, "change feed pruned"),
            Err(error) => tracing::warn!(%error, "change feed pruning failed; retrying in an hour"),
        }
    }
}

/// Runs every source that has `schedule_minutes` on its schedule until `stop` changes;
/// a run in progress at shutdown is dropped before it commits.
async fn scheduled_syncs(state: AppState, mut stop: watch::Receiver<bool>) {
    let scheduled: Vec<(String, u64)> = state
        .config
        .sources
        .iter()
        .filter(|s| s.schedule_minutes > 0)
        .map(|s| (s.name.clone(), s.schedule_minutes))
        .collect();
    if scheduled.is_empty() {
        return;
    }
    let mut next: Vec<tokio::time::Instant> = scheduled
        .iter()
        .map(|_| tokio::time::Instant::now())
        .collect();
    loop {
        let Some((index, due)) = next.iter().copied().enumerate().min_by_key(|(_, at)| *at) else {
            return;
        };
        tokio::select! {
            _ = stop.changed() => return,
            () = tokio::time::sleep_until(due) => {}
        }
        let (name, minutes) = &scheduled[index];
        let started = std::time::Instant::now();
        let run = sync::run(
            &state.db.conn,
            &state.reference,
            &state.config,
            name,
            false,
            &|_, _| {},
        );
        tokio::select! {
            _ = stop.changed() => {
                tracing::info!(source = %name, "shutting down: scheduled sync abandoned, nothing written");
                return;
            }
            outcome = run => {
                state.metrics.sync_run(name, outcome.is_ok(), started.elapsed());
                state.read_model.catch_up_or_log(&state.db.conn).await;
                match outcome {
                    Ok(summary) => tracing::info!(
                        source = %name,
                        created = summary.created,
                        updated = summary.updated,
                        unchanged = summary.unchanged,
                        deactivated = summary.deactivated,
                        rejected = summary.rejected.len(),
                        "scheduled sync done"
                    ),
                    Err(error) => tracing::warn!(source = %name, %error, "scheduled sync failed; previous data kept"),
                }
            }
        }
        next[index] = tokio::time::Instant::now() + Duration::from_secs(minutes.saturating_mul(60));
    }
}

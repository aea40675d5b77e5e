//! Application assembly: configuration → database → reference data → HTTP server.

use std::{net::SocketAddr, sync::Arc};

use tokio::net::TcpListener;

use crate::{
    auth::Authenticator,
    config::{Config, Profile},
    db::{Database, DbSetupError},
    demo_load,
    graphql::{self, PasserelleSchema},
    http,
    reference::{Reference, ReferenceError},
};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbSetupError),
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error("cannot load the demo dataset: {0}")]
    Demo(#[from] demo_load::DemoError),
    #[error(transparent)]
    Manifest(#[from] http::ManifestError),
    #[error("cannot load the directory into memory: {0}")]
    ReadModel(#[source] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<AppInner>);

#[derive(Debug)]
pub struct AppInner {
    pub config: Config,
    pub db: Database,
    pub reference: Arc<Reference>,
    pub auth: Authenticator,
    pub metrics: crate::metrics::Metrics,
    /// The directory as reads see it; see `read_model`.
    pub read_model: Arc<crate::read_model::ReadModel>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authenticator")
    }
}

impl std::ops::Deref for AppState {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl AppState {
    /// Connects, migrates, seeds reference data and (when enabled) the demo dataset.
    pub async fn prepare(config: Config) -> Result<AppState, StartError> {
        let db = Database::connect(&config.database).await?;
        db.migrate().await?;
        let reference = Reference::seed_and_load(&db.conn).await?;
        if config.demo_enabled() {
            let loaded = demo_load::load_if_absent(&db.conn, &reference, &config).await?;
            if loaded > 0 {
                tracing::info!(services = loaded, "loaded the bundled demo dataset");
            }
        }
        let bassins = reference
            .territories
            .iter()
            .filter_map(|t| t.code.strip_prefix("bassin:").map(str::to_owned))
            .collect();
        let auth = Authenticator::new(&config.auth, bassins);
        let read_model = Arc::new(
            crate::read_model::ReadModel::load(&db.conn)
                .await
                .map_err(StartError::ReadModel)?,
        );
        Ok(AppState(Arc::new(AppInner {
            config,
            db,
            reference: Arc::new(reference),
            auth,
            metrics: crate::metrics::Metrics::default(),
            read_model,
        })))
    }

    pub fn development(&self) -> bool {
        self.config.profile == Profile::Development
    }
}

/// A bound, ready-to-run server; `port()` tells which port it got.
pub struct App {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
}

impl App {
    pub async fn build(state: AppState) -> Result<App, StartError> {
        let addr = state.config.http.addr;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let schema: PasserelleSchema = graphql::build_schema(state.clone());
        let router = http::router(state.clone(), schema)?;
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
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let scheduler = tokio::spawn(crate::sync::schedule(self.state.clone(), stopped.clone()));
        let follower = tokio::spawn(crate::read_model::follow(
            Arc::clone(&self.state.read_model),
            self.state.db.conn.clone(),
            std::time::Duration::from_millis(u64::from(self.state.config.database.change_poll_ms)),
            stopped,
        ));
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await;
        let _ = scheduler.await;
        let _ = follower.await;
        served
    }
}

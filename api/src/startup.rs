//! Start-up preparation: connect, migrate, seed reference data, load the demo dataset
//! when enabled, load the read model. Ends with an `AppState`.

use std::sync::Arc;

use crate::{
    auth::Authenticator,
    config::Config,
    coverage::BasicOffer,
    db::{Database, DbSetupError},
    demo,
    metrics::Metrics,
    read_model::{ReadModel, merge::MergeRules},
    reference::{Reference, ReferenceError},
    state::{AppInner, AppState},
};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbSetupError),
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error("cannot load the demo dataset: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("cannot load the directory into memory: {0}")]
    ReadModel(#[source] sea_orm::DbErr),
    /// `[coverage]` names an unknown category or scale, or a reach out of bounds.
    #[error("{0}")]
    Coverage(String),
}

/// Connects, migrates, seeds reference data and (when enabled) the demo dataset, then
/// loads the directory into memory.
pub async fn prepare(config: Config) -> Result<AppState, StartError> {
    let db = Database::connect(&config.database).await?;
    db.migrate().await?;
    let reference = Reference::seed_and_load(&db.conn).await?;
    let basic_offer =
        BasicOffer::resolve(&config.coverage, &reference).map_err(StartError::Coverage)?;
    if config.demo_enabled() {
        let loaded = demo::load_if_absent(&db.conn, &reference, &config).await?;
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
        ReadModel::load(&db.conn, MergeRules::new(&config))
            .await
            .map_err(StartError::ReadModel)?,
    );
    let metrics = Metrics::new(config.limits.max_operation_labels);
    Ok(AppState::new(AppInner {
        config,
        db,
        reference: Arc::new(reference),
        basic_offer: Arc::new(basic_offer),
        auth,
        metrics,
        read_model,
        stopping: tokio::sync::watch::Sender::new(false),
    }))
}

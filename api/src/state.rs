//! `AppState`: what every request handler and resolver shares. It holds parts built by
//! `startup`; it knows nothing of HTTP, GraphQL or the sync engine.

use std::sync::Arc;

use crate::{
    auth::Authenticator,
    config::{Config, Profile},
    coverage::BasicOffer,
    db::Database,
    metrics::Metrics,
    read_model::ReadModel,
    reference::Reference,
};

/// Everything a request handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<AppInner>);

#[derive(Debug)]
pub struct AppInner {
    pub config: Config,
    pub db: Database,
    pub reference: Arc<Reference>,
    /// `[coverage]`, its categories resolved.
    pub basic_offer: Arc<BasicOffer>,
    pub auth: Authenticator,
    pub metrics: Metrics,
    /// The directory as reads see it; see `read_model`.
    pub read_model: Arc<ReadModel>,
    /// Turns true when the server stops: long-lived work (syncs on a schedule, the
    /// change-log follower, subscriptions) ends cleanly.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

impl std::ops::Deref for AppState {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl AppState {
    pub fn new(inner: AppInner) -> AppState {
        AppState(Arc::new(inner))
    }

    pub fn development(&self) -> bool {
        self.config.profile == Profile::Development
    }
}

//! The GraphQL schema: query roots per domain merged into one `Query`, object types in
//! `types`, every relation through `loaders`.

mod admin;
mod audit;
pub mod cost;
mod demand;
pub mod error;
mod federation;
mod feed;
pub mod ids;
pub mod loaders;
mod mutation;
mod prefetch;
mod query;
pub mod types;
pub mod variables;
mod viewer;

use async_graphql::{
    Context, Schema,
    dataloader::{DataLoader, HashMapCache},
};

use std::sync::Arc;

use crate::{auth::Principal, domain::Lang, read_model::Snapshot, state::AppState};
pub use demand::{DemandScope, period as demand_period, summary as demand_summary};
pub use error::{ApiError, ApiResult, nullable, require};
use loaders::{DbLoader, Loaders};
pub use mutation::Mutation;
pub use query::Query;

pub use feed::{FeedSubscription as Subscription, SubscriptionSlots};

pub type PasserelleSchema = Schema<Query, Mutation, Subscription>;

/// The id of the HTTP request a GraphQL request came in (`x-request-id`), for the audit
/// trail.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The label language a request asked for through `Accept-Language`.
#[derive(Clone, Copy, Debug)]
pub struct RequestLang(pub Option<Lang>);

/// The executable schema, with introspection and suggestions as the profile allows.
/// `validation` is async-graphql's: `Strict` checks every rule of the spec; `Fast` only
/// counts complexity and depth, for documents that passed `Strict` before (`http`).
pub fn build_schema(
    state: AppState,
    validation: async_graphql::ValidationMode,
) -> PasserelleSchema {
    // Depth and complexity are refused before execution by `http` (`cost`), with our
    // own codes; async-graphql's limits would answer with an English message only.
    let mut builder = schema_builder();
    if !state.config.introspection() {
        builder = builder.disable_introspection();
    }
    if !state.config.suggestions() {
        builder = builder.disable_suggestions();
    }
    builder.validation_mode(validation).data(state).finish()
}

fn schema_builder() -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription).enable_federation()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

/// The schema as an Apollo Federation v2 subgraph (what `_service { sdl }` answers):
/// `@link` to the federation spec and the `@key`s of the entities.
pub fn subgraph_sdl() -> String {
    schema_builder()
        .finish()
        .sdl_with_options(async_graphql::SDLExportOptions::new().federation())
}

/// The schema's SDL parsed, for the checks that need its types before execution
/// (`cost`, `variables`); built once, when the router is.
pub fn schema_document() -> async_graphql::parser::types::ServiceDocument {
    // Our own SDL: the cost and variable tests parse it on every run.
    async_graphql::parser::parse_schema(sdl()).expect("the schema's SDL parses")
}

/// Per-request data: fresh loaders (their cache must not outlive the request), the
/// preferred label language, the snapshot every field of the request reads, and whether
/// the answer is [`Volatile`].
pub fn request_data(
    request: async_graphql::Request,
    state: &AppState,
    principal: Principal,
    lang: Option<Lang>,
    request_id: &str,
    snapshot: Arc<Snapshot>,
    volatile: Arc<Volatile>,
) -> async_graphql::Request {
    request
        .data(principal)
        .data(RequestId(request_id.to_owned()))
        .data(DataLoader::with_cache(
            DbLoader::new(state.db.conn.clone()),
            tokio::spawn,
            HashMapCache::default(),
        ))
        .data(RequestLang(lang))
        .data(SnapshotCell(std::sync::RwLock::new(snapshot)))
        .data(volatile)
}

/// What a WebSocket connection's operations share once its `connection_init` is
/// accepted: the principal, the label language, the request id of the upgrade, and the
/// count of its subscriptions (`limits.max_subscriptions_per_connection`). No snapshot:
/// a subscription's fields read the directory as it is when each event is sent.
pub fn connection_data(
    principal: Principal,
    lang: Option<Lang>,
    request_id: &str,
) -> async_graphql::Data {
    let mut data = async_graphql::Data::default();
    data.insert(principal);
    data.insert(RequestId(request_id.to_owned()));
    data.insert(RequestLang(lang));
    data.insert(SubscriptionSlots::default());
    data
}

/// One subscription's own data: its loaders.
pub fn subscription_data(
    request: async_graphql::Request,
    state: &AppState,
) -> async_graphql::Request {
    request.data(DataLoader::with_cache(
        DbLoader::new(state.db.conn.clone()),
        tokio::spawn,
        HashMapCache::default(),
    ))
}

/// The read model's snapshot a request reads from: the same for all its fields, except
/// that a mutation moves it on to the snapshot holding its write, so that the rest of
/// the request (its payload, the next mutations) reads what it wrote.
pub(crate) struct SnapshotCell(std::sync::RwLock<Arc<Snapshot>>);

impl SnapshotCell {
    pub(crate) fn set(&self, next: Arc<Snapshot>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = next;
    }
}

/// Set by a field whose answer does not follow from the read model's version alone: it
/// reads the clock (`openNow`), or the database rather than the read model (the audit
/// trail, sync runs, the change log as pruned, whatever [`loader`] loads). The response
/// cache does not keep an answer that carries one.
#[derive(Debug, Default)]
pub struct Volatile(std::sync::atomic::AtomicBool);

impl Volatile {
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Marks the answer being built as [`Volatile`].
pub(crate) fn volatile(ctx: &Context<'_>) {
    if let Some(volatile) = ctx.data_opt::<Arc<Volatile>>() {
        volatile.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

pub(crate) fn state<'a>(ctx: &Context<'a>) -> ApiResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|e| ApiError::internal(format!("application state missing: {}", e.message)))
}

/// Who is asking; the public when the request carried no token.
pub(crate) fn principal<'a>(ctx: &Context<'a>) -> ApiResult<&'a Principal> {
    ctx.data::<Principal>()
        .map_err(|e| ApiError::internal(format!("principal missing: {}", e.message)))
}

/// The read model's snapshot this request reads from (see [`SnapshotCell`]).
pub(crate) fn snapshot(ctx: &Context<'_>) -> ApiResult<Arc<Snapshot>> {
    match ctx.data_opt::<SnapshotCell>() {
        Some(cell) => Ok(Arc::clone(
            &cell.0.read().unwrap_or_else(|e| e.into_inner()),
        )),
        // A subscription's event: the directory now, which holds the change.
        None => Ok(state(ctx)?.read_model.snapshot()),
    }
}

/// The request's database loaders (provenance, annotations, geometries), for a field
/// that reads with them: what they read is the database now, not the read model's
/// version, so the answer is [`Volatile`]. (`prefetch` loads ahead for such fields.)
pub(crate) fn loader<'a>(ctx: &Context<'a>) -> ApiResult<&'a Loaders> {
    volatile(ctx);
    preloader(ctx)
}

/// The loaders, for loading ahead what the fields that use [`loader`] will read.
pub(crate) fn preloader<'a>(ctx: &Context<'a>) -> ApiResult<&'a Loaders> {
    ctx.data::<Loaders>()
        .map_err(|e| ApiError::internal(format!("data loader missing: {}", e.message)))
}

/// The label language for a root field: its `lang` argument, else `Accept-Language`,
/// else French.
pub(crate) fn lang(ctx: &Context<'_>, argument: Option<Lang>) -> Lang {
    argument
        .or_else(|| ctx.data_opt::<RequestLang>().and_then(|l| l.0))
        .unwrap_or(Lang::Fr)
}

pub(crate) fn load_error(error: loaders::LoadError) -> ApiError {
    ApiError::internal(error)
}

//! Loads what a page of services will ask for outside the read model (provenance,
//! annotations) as one batch per relation, before the field resolvers run.
//!
//! DataLoaders batch the keys that arrive within a short delay; on a slow or busy
//! machine a large page can spill over into several batches. Looking ahead at the
//! selection and loading every key of the page at once makes the cost exactly one
//! statement per selected relation, whatever the page size, and saves the batching
//! delay. Resolvers then find the values in the request's loader cache.

use async_graphql::{Context, Lookahead};

use super::{
    ApiResult, load_error,
    loaders::{AnnotationsOf, ServiceProvenanceOf},
    preloader,
};

/// `node` is the selection of one service (e.g. `edges.node` of a connection).
pub async fn services(ctx: &Context<'_>, node: Lookahead<'_>, page: &[i32]) -> ApiResult<()> {
    if page.is_empty() || !node.exists() {
        return Ok(());
    }
    let loader = preloader(ctx)?;
    let (provenance, annotations) = tokio::join!(
        when(node.field("provenance"), || {
            loader.load_many(page.iter().copied().map(ServiceProvenanceOf))
        }),
        when(node.field("annotations"), || {
            loader.load_many(page.iter().copied().map(AnnotationsOf))
        }),
    );
    provenance?;
    annotations?;
    Ok(())
}

async fn when<F, Fut, T>(selection: Lookahead<'_>, load: F) -> ApiResult<()>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, super::loaders::LoadError>>,
{
    if selection.exists() {
        load().await.map_err(load_error)?;
    }
    Ok(())
}

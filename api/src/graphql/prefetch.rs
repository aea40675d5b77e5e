//! Loads the relations a page of services will ask for, as one batch per relation,
//! before the field resolvers run.
//!
//! DataLoaders batch the keys that arrive within a short delay; on a slow or busy
//! machine a large page can spill over into several batches. Looking ahead at the
//! selection and loading every key of the page at once makes the cost exactly one
//! statement per selected relation, whatever the page size, and saves the batching
//! delay. Resolvers then find the values in the request's loader cache.

use async_graphql::{Context, Lookahead};
use entities::service;

use super::{
    ApiResult, load_error, loader,
    loaders::{
        AccreditationsOf, CategoriesOf, IdentifiersOf, LanguagesOf, LocationsOf, OrganisationById,
        OrganisationContactsOf, ServiceContactsOf, ServiceProvenanceOf, TerritoriesOfSite,
    },
};

/// `node` is the selection of one service (e.g. `edges.node` of a connection).
pub async fn services(
    ctx: &Context<'_>,
    node: Lookahead<'_>,
    page: &[&service::Model],
) -> ApiResult<()> {
    if page.is_empty() || !node.exists() {
        return Ok(());
    }
    let loader = loader(ctx)?;
    let service_ids: Vec<i32> = page.iter().map(|s| s.id).collect();
    let mut organisation_ids: Vec<i32> = page.iter().map(|s| s.organisation_id).collect();
    organisation_ids.sort_unstable();
    organisation_ids.dedup();

    let organisation = node.field("organisation");
    let sites = node.field("sites");
    let (organisations, locations, categories, accreditations, languages, contacts, provenance) = tokio::join!(
        async {
            if organisation.exists() {
                loader
                    .load_many(organisation_ids.iter().copied().map(OrganisationById))
                    .await
                    .map(|_| ())
            } else {
                Ok(())
            }
        },
        async {
            if sites.exists() {
                loader
                    .load_many(service_ids.iter().copied().map(LocationsOf))
                    .await
                    .map(Some)
            } else {
                Ok(None)
            }
        },
        when(node.field("categories"), || loader
            .load_many(service_ids.iter().copied().map(CategoriesOf))),
        when(node.field("accreditations"), || {
            loader.load_many(service_ids.iter().copied().map(AccreditationsOf))
        }),
        when(node.field("languages"), || loader
            .load_many(service_ids.iter().copied().map(LanguagesOf))),
        when(node.field("contacts"), || {
            loader.load_many(service_ids.iter().copied().map(ServiceContactsOf))
        }),
        when(node.field("provenance"), || {
            loader.load_many(service_ids.iter().copied().map(ServiceProvenanceOf))
        }),
    );
    organisations.map_err(load_error)?;
    categories?;
    accreditations?;
    languages?;
    contacts?;
    provenance?;
    let locations = locations.map_err(load_error)?;

    let mut site_ids: Vec<i32> = locations
        .iter()
        .flat_map(|by_service| by_service.values())
        .flatten()
        .map(|(_, site)| site.id)
        .collect();
    site_ids.sort_unstable();
    site_ids.dedup();
    let (identifiers, organisation_contacts, territories) = tokio::join!(
        when(organisation.field("identifiers"), || {
            loader.load_many(organisation_ids.iter().copied().map(IdentifiersOf))
        }),
        when(organisation.field("contacts"), || {
            loader.load_many(organisation_ids.iter().copied().map(OrganisationContactsOf))
        }),
        when(sites.field("territories"), || {
            loader.load_many(site_ids.iter().copied().map(TerritoriesOfSite))
        }),
    );
    identifiers?;
    organisation_contacts?;
    territories?;
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

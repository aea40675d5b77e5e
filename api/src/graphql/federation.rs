//! Apollo Federation v2: passerelle as a subgraph of another platform's supergraph.
//! `_service { sdl }` gives the subgraph schema with its `@key`s; `_entities` resolves
//! services, organisations and sites by global id, organisations also by KBO/BCE
//! number, and territories by id or code, each as the caller may see it (a
//! representation of something it may not see resolves to `null`).

use async_graphql::{Context, ID, Object};

use super::{
    ApiResult, ids, snapshot, state,
    types::{Node, Organisation, Service, Site, Territory},
};
use crate::domain::Kbo;

#[derive(Default)]
pub struct FederationRoot;

#[Object]
impl FederationRoot {
    #[graphql(entity)]
    async fn find_service_by_id(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Service>> {
        let number = ids::decode_as(&id, ids::Kind::Service, "id")?;
        Ok(match node(ctx, ids::Kind::Service, number)? {
            Some(Node::Service(service)) => Some(service),
            _ => None,
        })
    }

    #[graphql(entity)]
    async fn find_organisation_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<Option<Organisation>> {
        let number = ids::decode_as(&id, ids::Kind::Organisation, "id")?;
        organisation(ctx, number)
    }

    #[graphql(entity)]
    async fn find_organisation_by_kbo(
        &self,
        ctx: &Context<'_>,
        kbo: String,
    ) -> ApiResult<Option<Organisation>> {
        let Ok(kbo) = Kbo::parse(&kbo) else {
            return Ok(None);
        };
        // Looked up in the snapshot's index of identifiers: an `_entities` request of many
        // numbers costs each a lookup, not a scan of every organisation.
        let found = snapshot(ctx)?
            .organisations_identified("kbo", kbo.digits())
            .first()
            .copied();
        match found {
            Some(id) => organisation(ctx, id),
            None => Ok(None),
        }
    }

    #[graphql(entity)]
    async fn find_site_by_id(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Site>> {
        let number = ids::decode_as(&id, ids::Kind::Site, "id")?;
        Ok(match node(ctx, ids::Kind::Site, number)? {
            Some(Node::Site(site)) => Some(site),
            _ => None,
        })
    }

    #[graphql(entity)]
    async fn find_territory_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<Option<Territory>> {
        let number = ids::decode_as(&id, ids::Kind::Territory, "id")?;
        Ok(match node(ctx, ids::Kind::Territory, number)? {
            Some(Node::Territory(territory)) => Some(territory),
            _ => None,
        })
    }

    #[graphql(entity)]
    async fn find_territory_by_code(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> ApiResult<Option<Territory>> {
        let reference = &state(ctx)?.reference;
        let Some(found) = reference.territories.iter().find(|t| t.code == code.trim()) else {
            return Ok(None);
        };
        Ok(match node(ctx, ids::Kind::Territory, found.id)? {
            Some(Node::Territory(territory)) => Some(territory),
            _ => None,
        })
    }
}

/// An entity as the caller may see it, found as `node(id:)` finds it.
fn node(ctx: &Context<'_>, kind: ids::Kind, number: i32) -> ApiResult<Option<Node>> {
    Node::lookup_in(ctx, &*snapshot(ctx)?, kind, number, None)
}

fn organisation(ctx: &Context<'_>, id: i32) -> ApiResult<Option<Organisation>> {
    Ok(match node(ctx, ids::Kind::Organisation, id)? {
        Some(Node::Organisation(organisation)) => Some(organisation),
        _ => None,
    })
}

//! Apollo Federation v2: passerelle as a subgraph of another platform's supergraph.
//! `_service { sdl }` gives the subgraph schema with its `@key`s; `_entities` resolves
//! services, organisations and sites by global id, organisations also by KBO/BCE
//! number, and territories by id or code, each as the caller may see it (a
//! representation of something it may not see resolves to `null`).

use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use super::{
    ApiResult, ids, lang, principal, snapshot, state,
    types::{Organisation, Service, Site, Territory},
};
use crate::domain::{Kbo, Lang};

#[derive(Default)]
pub struct FederationRoot;

#[Object]
impl FederationRoot {
    #[graphql(entity)]
    async fn find_service_by_id(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Service>> {
        let number = ids::decode_as(&id, ids::Kind::Service, "id")?;
        let scope = principal(ctx)?.service_scope();
        Ok(snapshot(ctx)?
            .service(number)
            .filter(|s| scope.admits(&s.model))
            .map(|entry| Service::new(Arc::clone(entry), lang(ctx, None))))
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
        let snapshot = snapshot(ctx)?;
        let found = snapshot.organisation_ids().iter().copied().find(|id| {
            snapshot.organisation(*id).is_some_and(|o| {
                o.identifiers
                    .iter()
                    .any(|i| i.scheme == "kbo" && i.value == kbo.digits())
            })
        });
        match found {
            Some(id) => organisation(ctx, id),
            None => Ok(None),
        }
    }

    #[graphql(entity)]
    async fn find_site_by_id(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Site>> {
        let number = ids::decode_as(&id, ids::Kind::Site, "id")?;
        let snapshot = snapshot(ctx)?;
        let scope = principal(ctx)?.service_scope();
        Ok(snapshot
            .site(number)
            .filter(|site| crate::search::site_visible(&snapshot, &scope, site))
            .map(|entry| Site {
                entry: Arc::clone(entry),
                lang: lang(ctx, None),
            }))
    }

    #[graphql(entity)]
    async fn find_territory_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<Option<Territory>> {
        let number = ids::decode_as(&id, ids::Kind::Territory, "id")?;
        territory(ctx, |t| t.id == number, lang(ctx, None))
    }

    #[graphql(entity)]
    async fn find_territory_by_code(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> ApiResult<Option<Territory>> {
        territory(ctx, |t| t.code == code.trim(), lang(ctx, None))
    }
}

fn organisation(ctx: &Context<'_>, id: i32) -> ApiResult<Option<Organisation>> {
    let snapshot = snapshot(ctx)?;
    let scope = principal(ctx)?.service_scope();
    Ok(snapshot
        .organisation(id)
        .filter(|o| crate::search::organisation_visible(&snapshot, &scope, o))
        .map(|entry| Organisation::new(Arc::clone(entry), lang(ctx, None))))
}

fn territory(
    ctx: &Context<'_>,
    matches: impl Fn(&crate::reference::Territory) -> bool,
    lang: Lang,
) -> ApiResult<Option<Territory>> {
    let reference = &state(ctx)?.reference;
    Ok(reference
        .territories
        .iter()
        .find(|t| matches(t))
        .map(|t| Territory {
            reference: Arc::clone(reference),
            id: t.id,
            lang,
        }))
}

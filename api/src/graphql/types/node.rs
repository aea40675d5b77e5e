//! The Relay `Node` interface: any object by its global id.

use std::sync::Arc;

use async_graphql::{Context, ID, Interface};

use super::{Authority, Category, Organisation, Service, Site, Territory};
use crate::{
    domain::Lang,
    graphql::{ApiResult, ids, principal, snapshot, state},
    read_model::Snapshot,
};

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Service(Service),
    Organisation(Organisation),
    Site(Site),
    Territory(Territory),
    Category(Category),
    Authority(Authority),
}

impl Node {
    /// The node of this kind and number the caller may see, in `lang`.
    pub fn lookup(
        ctx: &Context<'_>,
        kind: ids::Kind,
        number: i32,
        lang: Option<Lang>,
    ) -> ApiResult<Option<Node>> {
        Node::lookup_in(ctx, &*snapshot(ctx)?, kind, number, lang)
    }

    /// The node of this kind and number the caller may see in `snapshot`, in `lang`.
    pub fn lookup_in(
        ctx: &Context<'_>,
        snapshot: &Snapshot,
        kind: ids::Kind,
        number: i32,
        lang: Option<Lang>,
    ) -> ApiResult<Option<Node>> {
        let lang = crate::graphql::lang(ctx, lang);
        let state = state(ctx)?;
        let reference = Arc::clone(&state.reference);
        let scope = principal(ctx)?.service_scope();
        Ok(match kind {
            ids::Kind::Service => snapshot
                .service(number)
                .filter(|s| scope.admits(&s.model))
                .map(|entry| Node::Service(Service::new(Arc::clone(entry), lang))),
            ids::Kind::Organisation => snapshot
                .organisation(number)
                .filter(|o| crate::search::organisation_visible(snapshot, &scope, o))
                .map(|entry| Node::Organisation(Organisation::new(Arc::clone(entry), lang))),
            ids::Kind::Site => snapshot
                .site(number)
                .filter(|site| crate::search::site_visible(snapshot, &scope, site))
                .map(|entry| {
                    Node::Site(Site {
                        entry: Arc::clone(entry),
                        lang,
                    })
                }),
            ids::Kind::Territory => reference.territory(number).map(|t| {
                Node::Territory(Territory {
                    reference: Arc::clone(&reference),
                    id: t.id,
                    lang,
                })
            }),
            ids::Kind::Category => Category::new(ctx, number, lang)?.map(Node::Category),
            ids::Kind::Authority => reference.authority(number).map(|model| {
                Node::Authority(Authority {
                    model: model.clone(),
                    lang,
                })
            }),
        })
    }
}

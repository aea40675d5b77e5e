//! Query roots, one per domain, merged into `Query`.

use std::sync::Arc;

use async_graphql::{Context, ID, MergedObject, Object};
use entities::{organisation, service};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::{
    domain::{Lang, search_tokens},
    geo::Point,
    graphql::{
        ApiError, ApiResult, ids, lang, load_error, loader,
        loaders::{OrganisationById, ServiceById, SiteById},
        principal, state,
        types::{
            Authority, Category, Node, Organisation, OrganisationConnection, OrganisationEdge,
            OrganisationFilter, PageInfo, Service, ServiceConnection, ServiceEdge, ServiceFilter,
            Site, Territory, TerritoryLevel, page_size,
        },
    },
    search::{Cursor, SearchError, ServiceQuery},
};

#[derive(MergedObject, Default)]
pub struct Query(
    ServiceRoot,
    OrganisationRoot,
    TerritoryRoot,
    ReferenceRoot,
    NodeRoot,
    super::admin::AdminRoot,
);

fn cursor_arg(after: Option<String>) -> ApiResult<Option<Cursor>> {
    after
        .map(|text| Cursor::decode(&text).map_err(|e| ApiError::bad_input("after", e)))
        .transpose()
}

/// The cost of a page: its fields counted once per item it may hold.
fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let items = first.map_or(20, |n| usize::try_from(n).unwrap_or(0)).max(1);
    items.saturating_mul(child_complexity)
}

#[derive(Default)]
pub struct ServiceRoot;

#[Object]
impl ServiceRoot {
    /// Published services matching `filter`, by id (or nearest first with `near`).
    #[graphql(complexity = "page_cost(first, child_complexity)")]
    async fn services(
        &self,
        ctx: &Context<'_>,
        filter: Option<ServiceFilter>,
        first: Option<i32>,
        after: Option<String>,
        lang: Option<Lang>,
    ) -> ApiResult<ServiceConnection> {
        let state = state(ctx)?;
        let lang = self::lang(ctx, lang);
        let first = page_size(&state.config.api, first)?;
        let after = cursor_arg(after)?;
        let query = filter.unwrap_or_default().into_query(&state.reference)?;
        let scope = principal(ctx)?.service_scope();
        let page = query
            .page(&state.db.conn, &scope, first, after)
            .await
            .map_err(|e| match e {
                SearchError::CursorMismatch => ApiError::bad_input("after", e),
                SearchError::Db(db) => ApiError::internal(db),
            })?;
        let models: Vec<&service::Model> = page.items.iter().map(|(model, _)| model).collect();
        super::prefetch::services(ctx, ctx.look_ahead().field("edges").field("node"), &models)
            .await?;
        let edges: Vec<ServiceEdge> = page
            .items
            .into_iter()
            .map(|(model, distance)| ServiceEdge {
                cursor: match distance {
                    Some(distance_m) => Cursor::ByDistance {
                        distance_m,
                        id: model.id,
                    },
                    None => Cursor::ById(model.id),
                },
                node: Service {
                    model,
                    lang,
                    distance_m: distance,
                },
            })
            .collect();
        let page_info = PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: after.is_some(),
            start_cursor: edges.first().map(|e| e.cursor.encode()),
            end_cursor: edges.last().map(|e| e.cursor.encode()),
        };
        Ok(ServiceConnection {
            query,
            scope,
            edges,
            page_info,
        })
    }

    /// One service by its global id; null when there is none or it is not visible.
    async fn service(
        &self,
        ctx: &Context<'_>,
        id: ID,
        lang: Option<Lang>,
    ) -> ApiResult<Option<Service>> {
        let number = ids::decode_as(&id, ids::Kind::Service, "id")?;
        let lang = self::lang(ctx, lang);
        let principal = principal(ctx)?;
        Ok(loader(ctx)?
            .load_one(ServiceById(number))
            .await
            .map_err(load_error)?
            .filter(|s| principal.can_see_service(s))
            .map(|model| Service::new(model, lang)))
    }
}

#[derive(Default)]
pub struct OrganisationRoot;

#[Object]
impl OrganisationRoot {
    /// Organisations, by id.
    #[graphql(complexity = "page_cost(first, child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrganisationFilter>,
        first: Option<i32>,
        after: Option<String>,
        lang: Option<Lang>,
    ) -> ApiResult<OrganisationConnection> {
        let state = state(ctx)?;
        let lang = self::lang(ctx, lang);
        let first = page_size(&state.config.api, first)?;
        let after_id = match cursor_arg(after)? {
            None => None,
            Some(Cursor::ById(id)) => Some(id),
            Some(Cursor::ByDistance { .. }) => {
                return Err(ApiError::bad_input("after", "not a cursor of this list"));
            }
        };
        let filter = filter.unwrap_or_default();
        let mut condition = Condition::all();
        let text = filter.text.filter(|t| !search_tokens(t).is_empty());
        if text.is_some() || filter.territory.is_some() {
            let services = ServiceQuery {
                text,
                territory: filter
                    .territory
                    .as_deref()
                    .map(|code| {
                        super::types::filter_territory_id(
                            &state.reference,
                            "filter.territory",
                            code,
                        )
                    })
                    .transpose()?,
                ..ServiceQuery::default()
            };
            let scope = principal(ctx)?.service_scope();
            condition = condition
                .add(organisation::Column::Id.in_subquery(services.organisation_ids(&scope)));
        }
        let db = &state.db.conn;
        let total_count = organisation::Entity::find()
            .filter(condition.clone())
            .count(db)
            .await?;
        let mut select = organisation::Entity::find().filter(condition);
        if let Some(id) = after_id {
            select = select.filter(organisation::Column::Id.gt(id));
        }
        let mut rows = select
            .order_by_asc(organisation::Column::Id)
            .limit(first + 1)
            .all(db)
            .await?;
        let has_next_page = rows.len() as u64 > first;
        rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
        let edges: Vec<OrganisationEdge> = rows
            .into_iter()
            .map(|model| OrganisationEdge {
                cursor: Cursor::ById(model.id).encode(),
                node: Organisation::new(model, lang),
            })
            .collect();
        Ok(OrganisationConnection {
            total_count,
            page_info: PageInfo {
                has_next_page,
                has_previous_page: after_id.is_some(),
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
        })
    }

    /// One organisation by its global id; null when there is none.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        lang: Option<Lang>,
    ) -> ApiResult<Option<Organisation>> {
        let number = ids::decode_as(&id, ids::Kind::Organisation, "id")?;
        let lang = self::lang(ctx, lang);
        Ok(loader(ctx)?
            .load_one(OrganisationById(number))
            .await
            .map_err(load_error)?
            .map(|model| Organisation::new(model, lang)))
    }
}

#[derive(Default)]
pub struct TerritoryRoot;

#[Object]
impl TerritoryRoot {
    /// Territories of one level (all levels when omitted), in code order.
    async fn territories(
        &self,
        ctx: &Context<'_>,
        level: Option<TerritoryLevel>,
        lang: Option<Lang>,
    ) -> ApiResult<Vec<Territory>> {
        let reference = Arc::clone(&state(ctx)?.reference);
        let lang = self::lang(ctx, lang);
        let level = level.map(crate::geo::Level::from);
        Ok(reference
            .territories
            .iter()
            .filter(|t| level.is_none_or(|l| t.level == l))
            .map(|t| Territory {
                reference: Arc::clone(&reference),
                id: t.id,
                lang,
            })
            .collect())
    }

    /// One territory by code, e.g. `commune:21015`, `bassin:sud`, `quartier:87`.
    async fn territory(
        &self,
        ctx: &Context<'_>,
        code: String,
        lang: Option<Lang>,
    ) -> ApiResult<Territory> {
        let reference = Arc::clone(&state(ctx)?.reference);
        let id = super::types::filter_territory_id(&reference, "code", &code)?;
        Ok(Territory {
            reference,
            id,
            lang: self::lang(ctx, lang),
        })
    }

    /// The territories containing a WGS84 point, finest first; empty outside the region.
    async fn resolve_point(
        &self,
        ctx: &Context<'_>,
        lat: f64,
        lon: f64,
        lang: Option<Lang>,
    ) -> ApiResult<Vec<Territory>> {
        let point = Point::new(lat, lon).map_err(|e| ApiError::bad_input("lat/lon", e))?;
        let reference = Arc::clone(&state(ctx)?.reference);
        let lang = self::lang(ctx, lang);
        Ok(reference
            .resolve_point(point)
            .into_iter()
            .map(|t| Territory {
                reference: Arc::clone(&reference),
                id: t.id,
                lang,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct ReferenceRoot;

#[Object]
impl ReferenceRoot {
    /// The whole harmonised taxonomy, parents before children.
    async fn categories(&self, ctx: &Context<'_>, lang: Option<Lang>) -> ApiResult<Vec<Category>> {
        let reference = Arc::clone(&state(ctx)?.reference);
        let lang = self::lang(ctx, lang);
        Ok(reference
            .categories
            .iter()
            .map(|model| Category {
                reference: Arc::clone(&reference),
                model: model.clone(),
                lang,
            })
            .collect())
    }

    /// The competent authorities.
    async fn authorities(
        &self,
        ctx: &Context<'_>,
        lang: Option<Lang>,
    ) -> ApiResult<Vec<Authority>> {
        let lang = self::lang(ctx, lang);
        Ok(state(ctx)?
            .reference
            .authorities
            .iter()
            .map(|model| Authority {
                model: model.clone(),
                lang,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct NodeRoot;

#[Object]
impl NodeRoot {
    /// Any object by its global id; null when there is none (or it is not visible).
    async fn node(&self, ctx: &Context<'_>, id: ID, lang: Option<Lang>) -> ApiResult<Option<Node>> {
        let (kind, number) = ids::decode(&id, "id")?;
        let lang = self::lang(ctx, lang);
        let state = state(ctx)?;
        let reference = Arc::clone(&state.reference);
        let loader = loader(ctx)?;
        Ok(match kind {
            ids::Kind::Service => loader
                .load_one(ServiceById(number))
                .await
                .map_err(load_error)?
                .filter(|s| principal(ctx).is_ok_and(|p| p.can_see_service(s)))
                .map(|model| Node::Service(Service::new(model, lang))),
            ids::Kind::Organisation => loader
                .load_one(OrganisationById(number))
                .await
                .map_err(load_error)?
                .map(|model| Node::Organisation(Organisation::new(model, lang))),
            ids::Kind::Site => loader
                .load_one(SiteById(number))
                .await
                .map_err(load_error)?
                .map(|model| Node::Site(Site { model, lang })),
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

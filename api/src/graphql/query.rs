//! Query roots, one per domain, merged into `Query`.

use std::sync::Arc;

use async_graphql::{Context, ID, MergedObject, Object};

use crate::{
    domain::Lang,
    geo::Point,
    graphql::{
        ApiError, ApiResult, cost, ids, lang, nullable, principal, snapshot, state,
        types::{
            Authority, BasicOfferItem, Category, Coverage, CoverageFilter, Node, Organisation,
            OrganisationConnection, OrganisationEdge, OrganisationFilter, Orientation,
            OrientationNeed, PageInfo, Service, ServiceConnection, ServiceEdge, ServiceFilter,
            ServiceOrder, Territory, coverage_report, orientation_proposals, page_size,
            search_text, service_order,
        },
    },
    search::{Cursor, ServiceQuery},
};

#[derive(MergedObject, Default)]
pub struct Query(
    ServiceRoot,
    OrganisationRoot,
    TerritoryRoot,
    CoverageRoot,
    OrientationRoot,
    super::demand::DemandRoot,
    ReferenceRoot,
    NodeRoot,
    super::admin::AdminRoot,
    super::audit::AuditRoot,
    super::feed::FeedRoot,
    super::federation::FederationRoot,
    super::viewer::ViewerRoot,
);

fn cursor_arg(after: Option<String>) -> ApiResult<Option<Cursor>> {
    after
        .map(|text| Cursor::decode(&text).map_err(|e| ApiError::bad_input("after", e)))
        .transpose()
}

#[derive(Default)]
pub struct ServiceRoot;

#[Object]
impl ServiceRoot {
    /// The services matching `filter` as a GeoJSON FeatureCollection (RFC 7946) for map
    /// libraries: a point per place a service is delivered at (with `near`, those within
    /// its radius), with its name in `lang`, categories, fee, languages, address and
    /// whether it is open now. The same as `GET /geojson/services`.
    #[graphql(complexity = "cost::GEOJSON + child_complexity")]
    async fn services_geo_json(
        &self,
        ctx: &Context<'_>,
        filter: Option<ServiceFilter>,
        lang: Option<Lang>,
    ) -> ApiResult<async_graphql::Json<serde_json::Value>> {
        // Its features say whether each service is open now.
        crate::graphql::volatile(ctx);
        let state = state(ctx)?;
        let lang = self::lang(ctx, lang);
        let query = filter.unwrap_or_default().into_query(&state.reference)?;
        let scope = principal(ctx)?.service_scope();
        let snapshot = &*snapshot(ctx)?;
        let entries = query
            .ids(snapshot, &scope)
            .into_iter()
            .filter_map(|id| snapshot.service(id).cloned());
        Ok(async_graphql::Json(crate::geojson::services(
            snapshot,
            &state.reference,
            entries,
            query.near.as_ref(),
            lang,
            chrono::Utc::now(),
        )))
    }

    /// Published services matching `filter`, by id (or nearest first with `near`).
    #[graphql(complexity = "cost::page_cost(first, child_complexity)")]
    async fn services(
        &self,
        ctx: &Context<'_>,
        filter: Option<ServiceFilter>,
        order_by: Option<ServiceOrder>,
        first: Option<i32>,
        after: Option<String>,
        lang: Option<Lang>,
    ) -> ApiResult<ServiceConnection> {
        let state = state(ctx)?;
        let lang = self::lang(ctx, lang);
        let first = page_size(&state.config.api, first)?;
        let after = cursor_arg(after)?;
        let mut query = filter.unwrap_or_default().into_query(&state.reference)?;
        query.order = service_order(order_by, &query, lang)?;
        let scope = principal(ctx)?.service_scope();
        let page = query
            .page(&*snapshot(ctx)?, &scope, first, after.clone())
            .map_err(|e| ApiError::bad_input("after", e))?;
        // Each service's id and those of the services folded into it (`read_model::merge`).
        let ids: Vec<i32> = page
            .items
            .iter()
            .flat_map(|(s, _, _)| std::iter::once(s.model.id).chain(s.merged.iter().copied()))
            .collect();
        super::prefetch::services(ctx, ctx.look_ahead().field("edges").field("node"), &ids).await?;
        let edges: Vec<ServiceEdge> = page
            .items
            .into_iter()
            .map(|(entry, distance, cursor)| ServiceEdge {
                cursor,
                node: Service {
                    entry,
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
    async fn service(&self, ctx: &Context<'_>, id: ID, lang: Option<Lang>) -> Option<Service> {
        nullable(ctx, self.service_lookup(ctx, id, lang).await).flatten()
    }
}

#[derive(Default)]
pub struct OrganisationRoot;

#[Object]
impl OrganisationRoot {
    /// Organisations, by id.
    #[graphql(complexity = "cost::page_cost(first, child_complexity)")]
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
            Some(_) => {
                return Err(ApiError::bad_input("after", "not a cursor of this list"));
            }
        };
        let filter = filter.unwrap_or_default();
        let snapshot = &*snapshot(ctx)?;
        let text = search_text("filter.text", filter.text.as_deref())?;
        let scope = principal(ctx)?.service_scope();
        let matching: std::borrow::Cow<'_, [i32]> = if text.is_some() || filter.territory.is_some()
        {
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
            std::borrow::Cow::Owned(services.organisation_ids(snapshot, &scope))
        } else {
            crate::search::visible_organisation_ids(snapshot, &scope)
        };
        let total_count = matching.len() as u64;
        let start = after_id.map_or(0, |id| matching.partition_point(|x| *x <= id));
        let first = usize::try_from(first).unwrap_or(usize::MAX);
        let end = matching.len().min(start.saturating_add(first));
        let has_next_page = end < matching.len();
        let edges: Vec<OrganisationEdge> = matching[start..end]
            .iter()
            .filter_map(|id| snapshot.organisation(*id))
            .map(|entry| OrganisationEdge {
                cursor: Cursor::ById(entry.model.id).encode(),
                node: Organisation::new(Arc::clone(entry), lang),
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
    ) -> Option<Organisation> {
        nullable(ctx, self.organisation_lookup(ctx, id, lang).await).flatten()
    }
}

#[derive(Default)]
pub struct TerritoryRoot;

#[Object]
impl TerritoryRoot {
    /// Territories of one level (all levels when omitted): the coarsest level first (the
    /// zone, the region, bassins, communes, quartiers), then by code, numbers in numeric
    /// order (`quartier:2` before `quartier:10`).
    #[graphql(complexity = "cost::territories_cost(level, child_complexity)")]
    async fn territories(
        &self,
        ctx: &Context<'_>,
        level: Option<crate::geo::Level>,
        lang: Option<Lang>,
    ) -> ApiResult<Vec<Territory>> {
        let reference = Arc::clone(&state(ctx)?.reference);
        let lang = self::lang(ctx, lang);
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
    #[graphql(complexity = "cost::POINT_TERRITORIES * child_complexity")]
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
pub struct CoverageRoot;

#[Object]
impl CoverageRoot {
    /// The basic offer coverage measures (configured in `[coverage]`), in its order.
    #[graphql(complexity = "cost::OFFER_ITEMS * child_complexity")]
    async fn basic_offer(
        &self,
        ctx: &Context<'_>,
        lang: Option<Lang>,
    ) -> ApiResult<Vec<BasicOfferItem>> {
        let state = state(ctx)?;
        let lang = self::lang(ctx, lang);
        Ok(state
            .basic_offer
            .items
            .iter()
            .map(|item| BasicOfferItem {
                reference: Arc::clone(&state.reference),
                item: item.clone(),
                lang,
            })
            .collect())
    }

    /// Which entries of the basic offer an active, published service offers within reach
    /// of the inhabitants of `territory` (a code of any level: `quartier:87`,
    /// `commune:21015`, `bassin:nord`, `region:bru`), per residential quartier and summed,
    /// with the inhabitants left without; `filter` restricts the entries and the services
    /// that count (language, fee, referral, evenings, weekends). The method and its limits:
    /// `docs/coverage.md`. The same as `GET /geojson/coverage`.
    #[graphql(complexity = "cost::COVERAGE + child_complexity")]
    async fn coverage(
        &self,
        ctx: &Context<'_>,
        territory: String,
        filter: Option<CoverageFilter>,
        lang: Option<Lang>,
    ) -> Option<Coverage> {
        let run = async {
            // The population is read from the database as imported now.
            crate::graphql::volatile(ctx);
            let state = state(ctx)?;
            let lang = self::lang(ctx, lang);
            let territory_id =
                super::types::filter_territory_id(&state.reference, "territory", &territory)?;
            let (items, conditions) = filter
                .unwrap_or_default()
                .into_request(&state.basic_offer)?;
            let snapshot = snapshot(ctx)?;
            let report =
                coverage_report(state, &snapshot, territory_id, &items, &conditions).await?;
            Ok(Coverage {
                reference: Arc::clone(&state.reference),
                lang,
                report,
            })
        };
        nullable(ctx, run.await)
    }
}

#[derive(Default)]
pub struct OrientationRoot;

#[Object]
impl OrientationRoot {
    /// Services for a person's need, ranked, each with the reasons for its rank: those
    /// meeting every asked criterion first, then fewer unknowns, then in the need's bassin
    /// (of its place, its territory, or a basin team's own), then the nearest. Active
    /// services the caller sees; `first`: 10 when omitted, at most 50. The ranking:
    /// `docs/orientation.md`.
    #[graphql(complexity = "cost::page_cost(first, child_complexity)")]
    async fn orient(
        &self,
        ctx: &Context<'_>,
        need: OrientationNeed,
        first: Option<i32>,
        lang: Option<Lang>,
    ) -> Option<Vec<Orientation>> {
        let run = async {
            let state = state(ctx)?;
            let lang = self::lang(ctx, lang);
            let limit = orientation_proposals(first)?;
            let principal = principal(ctx)?;
            let need = need.into_need(&state.reference, principal.bassin.as_deref())?;
            let snapshot = snapshot(ctx)?;
            let proposals = crate::orientation::orient(
                &need,
                &snapshot,
                &state.reference,
                &principal.service_scope(),
                limit,
            );
            Ok(proposals
                .into_iter()
                .enumerate()
                .map(|(i, proposal)| Orientation {
                    rank: i + 1,
                    proposal,
                    lang,
                })
                .collect())
        };
        nullable(ctx, run.await)
    }
}

#[derive(Default)]
pub struct ReferenceRoot;

#[Object]
impl ReferenceRoot {
    /// The whole harmonised taxonomy, parents before children.
    #[graphql(complexity = "cost::CATEGORIES * child_complexity")]
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
    #[graphql(complexity = "cost::AUTHORITIES * child_complexity")]
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
    async fn node(&self, ctx: &Context<'_>, id: ID, lang: Option<Lang>) -> Option<Node> {
        nullable(ctx, self.node_lookup(ctx, id, lang).await).flatten()
    }
}

/// Lookups behind nullable fields of `ServiceRoot`: an error is `null` at the field's path
/// (`graphql::nullable`).
impl ServiceRoot {
    async fn service_lookup(
        &self,
        ctx: &Context<'_>,
        id: ID,
        lang: Option<Lang>,
    ) -> ApiResult<Option<Service>> {
        let number = ids::decode_as(&id, ids::Kind::Service, "id")?;
        Ok(
            match Node::lookup_in(ctx, &*snapshot(ctx)?, ids::Kind::Service, number, lang)? {
                Some(Node::Service(service)) => Some(service),
                _ => None,
            },
        )
    }
}

/// Lookups behind nullable fields of `OrganisationRoot`: an error is `null` at the field's path
/// (`graphql::nullable`).
impl OrganisationRoot {
    async fn organisation_lookup(
        &self,
        ctx: &Context<'_>,
        id: ID,
        lang: Option<Lang>,
    ) -> ApiResult<Option<Organisation>> {
        let number = ids::decode_as(&id, ids::Kind::Organisation, "id")?;
        Ok(
            match Node::lookup_in(ctx, &*snapshot(ctx)?, ids::Kind::Organisation, number, lang)? {
                Some(Node::Organisation(organisation)) => Some(organisation),
                _ => None,
            },
        )
    }
}

/// Lookups behind nullable fields of `NodeRoot`: an error is `null` at the field's path
/// (`graphql::nullable`).
impl NodeRoot {
    async fn node_lookup(
        &self,
        ctx: &Context<'_>,
        id: ID,
        lang: Option<Lang>,
    ) -> ApiResult<Option<Node>> {
        let (kind, number) = ids::decode(&id, "id")?;
        Node::lookup(ctx, kind, number, lang)
    }
}

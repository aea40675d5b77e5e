//! Reference data types: territories, categories, authorities (served from memory).

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entities::{authority, category};

use crate::{
    domain::Lang,
    geo::Level,
    graphql::{
        ApiResult, cost, ids, load_error, loader,
        loaders::{GeometryOf, IndicatorsOf},
        nullable, state,
    },
    reference,
};

#[derive(Clone)]
pub struct Territory {
    pub reference: Arc<reference::Reference>,
    pub id: i32,
    pub lang: Lang,
}

impl Territory {
    fn row(&self) -> ApiResult<&reference::Territory> {
        self.reference.territory(self.id).ok_or_else(|| {
            crate::graphql::ApiError::internal(format!("territory {} not in memory", self.id))
        })
    }

    fn wrap(&self, id: i32) -> Territory {
        Territory {
            reference: Arc::clone(&self.reference),
            id,
            lang: self.lang,
        }
    }
}

/// A territory of any level: region, zone, bassin, commune, quartier.
#[Object]
impl Territory {
    pub async fn id(&self) -> ID {
        ids::encode(ids::Kind::Territory, self.id)
    }

    /// Stable code, e.g. `commune:21015`, `bassin:nord-est`, `quartier:87`.
    async fn code(&self) -> ApiResult<&str> {
        Ok(&self.row()?.code)
    }

    async fn level(&self) -> ApiResult<Level> {
        Ok(self.row()?.level)
    }

    /// Name in the requested language (French or Dutch; English falls back to French).
    async fn name(&self) -> ApiResult<&str> {
        let row = self.row()?;
        Ok(self
            .lang
            .pick(Some(&row.name_fr), Some(&row.name_nl), None)
            .unwrap_or(&row.code))
    }

    async fn name_fr(&self) -> ApiResult<&str> {
        Ok(&self.row()?.name_fr)
    }

    async fn name_nl(&self) -> ApiResult<&str> {
        Ok(&self.row()?.name_nl)
    }

    /// Inhabitants on 1 January 2020 (Statbel), where known: communes; the region and a
    /// bassin of whole communes as their sum. Bassins sharing Bruxelles-Ville have none:
    /// the city's inhabitants are not counted per quartier here.
    async fn population(&self) -> ApiResult<Option<i64>> {
        Ok(self.row()?.population)
    }

    /// The territories this one lies in (a quartier may straddle two communes).
    #[graphql(complexity = "cost::TERRITORY_PARENTS * child_complexity")]
    async fn parents(&self) -> ApiResult<Vec<Territory>> {
        Ok(self
            .row()?
            .parent_ids
            .iter()
            .map(|&id| self.wrap(id))
            .collect())
    }

    /// The territories directly inside this one.
    #[graphql(complexity = "cost::TERRITORY_CHILDREN * child_complexity")]
    async fn children(&self) -> ApiResult<Vec<Territory>> {
        Ok(self
            .reference
            .territories
            .iter()
            .filter(|t| t.parent_ids.contains(&self.id))
            .map(|t| self.wrap(t.id))
            .collect())
    }

    /// Indicators imported for this territory (`passerelle import indicators`: population,
    /// poverty risk, age…), by key, the latest year first; only the keys of `keys` when
    /// given. Choropleth values for a map.
    #[graphql(complexity = "cost::TERRITORY_INDICATORS * child_complexity")]
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        keys: Option<Vec<String>>,
    ) -> Option<Vec<Indicator>> {
        nullable(ctx, self.indicators_lookup(ctx, keys).await)
    }

    /// The boundary as a GeoJSON geometry (WGS84): communes and quartiers as published,
    /// bassins and the region as the union of their quartiers; none for the zone.
    async fn geometry_geo_json(&self, ctx: &Context<'_>) -> Option<String> {
        nullable(ctx, self.geometry_geo_json_lookup(ctx).await).flatten()
    }
}

#[derive(Clone)]
pub struct Category {
    pub reference: Arc<reference::Reference>,
    pub model: category::Model,
    pub lang: Lang,
}

impl Category {
    pub fn new(ctx: &Context<'_>, id: i32, lang: Lang) -> ApiResult<Option<Category>> {
        let reference = Arc::clone(&state(ctx)?.reference);
        Ok(reference.category(id).cloned().map(|model| Category {
            reference: Arc::clone(&reference),
            model,
            lang,
        }))
    }

    fn wrap(&self, model: &category::Model) -> Category {
        Category {
            reference: Arc::clone(&self.reference),
            model: model.clone(),
            lang: self.lang,
        }
    }
}

/// A category of the harmonised taxonomy.
#[Object]
impl Category {
    pub async fn id(&self) -> ID {
        ids::encode(ids::Kind::Category, self.model.id)
    }

    /// Stable code, e.g. `mental_health` or `mental_health.centre`.
    async fn code(&self) -> &str {
        &self.model.code
    }

    async fn name(&self) -> &str {
        let m = &self.model;
        self.lang
            .pick(Some(&m.label_fr), Some(&m.label_nl), Some(&m.label_en))
            .unwrap_or(&m.code)
    }

    async fn parent(&self) -> Option<Category> {
        self.model
            .parent_id
            .and_then(|id| self.reference.category(id))
            .map(|m| self.wrap(m))
    }

    #[graphql(complexity = "cost::CATEGORY_CHILDREN * child_complexity")]
    async fn children(&self) -> Vec<Category> {
        self.reference
            .category_children(self.model.id)
            .iter()
            .filter_map(|&id| self.reference.category(id))
            .map(|m| self.wrap(m))
            .collect()
    }
}

#[derive(Clone)]
pub struct Authority {
    pub model: authority::Model,
    pub lang: Lang,
}

/// A competent public authority (level of power).
#[Object]
impl Authority {
    pub async fn id(&self) -> ID {
        ids::encode(ids::Kind::Authority, self.model.id)
    }

    /// Stable code: `cocof`, `cocom`, `vgc`, `vg`, `fwb`, `federal`, `local`.
    async fn code(&self) -> &str {
        &self.model.code
    }

    async fn name(&self) -> &str {
        let m = &self.model;
        self.lang
            .pick(Some(&m.name_fr), Some(&m.name_nl), Some(&m.name_en))
            .unwrap_or(&m.code)
    }

    /// `federal`, `community`, `community_commission` or `local`.
    async fn level(&self) -> &str {
        &self.model.level
    }
}

/// Lookups behind nullable fields of `Territory`: an error is `null` at the field's path
/// (`graphql::nullable`).
impl Territory {
    async fn indicators_lookup(
        &self,
        ctx: &Context<'_>,
        keys: Option<Vec<String>>,
    ) -> ApiResult<Vec<Indicator>> {
        let keys: Option<std::collections::HashSet<String>> =
            super::filter::non_empty("keys", keys)?.map(|keys| keys.into_iter().collect());
        let rows = loader(ctx)?
            .load_one(IndicatorsOf(self.id))
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|row| {
                keys.as_ref()
                    .is_none_or(|keys| keys.contains(&row.indicator))
            })
            .map(|row| Indicator {
                key: row.indicator,
                year: row.year,
                value: row.value,
                unit: row.unit,
                source: row.source,
            })
            .collect())
    }

    async fn geometry_geo_json_lookup(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        loader(ctx)?
            .load_one(GeometryOf(self.id))
            .await
            .map_err(load_error)
    }
}

/// A value of an indicator for one territory and year ("cold data" from an observatory).
#[derive(async_graphql::SimpleObject, Clone, Debug)]
pub struct Indicator {
    /// `population`, `poverty_risk_rate`…, as imported.
    pub key: String,
    pub year: i32,
    pub value: f64,
    /// `inhabitants`, `%`, `EUR`…: one per key.
    pub unit: String,
    /// Who published it, as the import file says.
    pub source: String,
}

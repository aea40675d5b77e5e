//! Batched loading of what the read model does not hold: provenance, annotations and
//! territory geometries, one SQL statement per relation and request level whatever the
//! page size. Directory data comes from the read model's snapshot and reference data
//! (authorities, categories, territories) from memory.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::{annotation, provenance, source, territory, territory_indicator};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The loaders of one request; values are cached for the request only.
pub type Loaders = DataLoader<DbLoader, HashMapCache>;

/// The database side of every loader; one instance per request.
pub struct DbLoader {
    db: DatabaseConnection,
}

impl DbLoader {
    pub fn new(db: DatabaseConnection) -> DbLoader {
        DbLoader { db }
    }
}

pub type LoadError = Arc<DbErr>;

macro_rules! key {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub struct $name(pub i32);
        )+
    };
}

key! {
    /// The GeoJSON geometry of a territory.
    GeometryOf,
    /// The imported indicators of a territory, by key, latest year first.
    IndicatorsOf,
    /// The latest imported population of every territory (one key, `LatestPopulations(0)`).
    LatestPopulations,
    /// Where the values of a service came from.
    ServiceProvenanceOf,
    /// Where the values of an organisation came from.
    OrganisationProvenanceOf,
    /// The annotations on a service, of every group (the policy filters them).
    AnnotationsOf,
}

fn ids<K: Copy>(keys: &[K], f: impl Fn(K) -> i32) -> Vec<i32> {
    keys.iter().map(|k| f(*k)).collect()
}

fn group<K, V>(keys: &[K], rows: Vec<(i32, V)>, make: impl Fn(i32) -> K) -> HashMap<K, Vec<V>>
where
    K: std::hash::Hash + Eq + Copy,
{
    let mut out: HashMap<K, Vec<V>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for (id, value) in rows {
        out.entry(make(id)).or_default().push(value);
    }
    out
}

impl Loader<GeometryOf> for DbLoader {
    type Value = String;
    type Error = LoadError;

    async fn load(&self, keys: &[GeometryOf]) -> Result<HashMap<GeometryOf, String>, LoadError> {
        let rows: Vec<(i32, Option<String>)> = territory::Entity::find()
            .select_only()
            .column(territory::Column::Id)
            .column(territory::Column::Geometry)
            .filter(territory::Column::Id.is_in(ids(keys, |k| k.0)))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, g)| g.map(|g| (GeometryOf(id), g)))
            .collect())
    }
}

impl Loader<IndicatorsOf> for DbLoader {
    type Value = Vec<territory_indicator::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[IndicatorsOf],
    ) -> Result<HashMap<IndicatorsOf, Self::Value>, LoadError> {
        let rows = crate::indicators::stored(&self.db, Some(ids(keys, |k| k.0)), None).await?;
        Ok(group(
            keys,
            rows.into_iter()
                .map(|row| (row.territory_id, row))
                .collect(),
            IndicatorsOf,
        ))
    }
}

impl Loader<LatestPopulations> for DbLoader {
    type Value = Arc<foldhash::HashMap<i32, (f64, i32)>>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[LatestPopulations],
    ) -> Result<HashMap<LatestPopulations, Self::Value>, LoadError> {
        let latest = Arc::new(crate::indicators::latest_populations(&self.db).await?);
        Ok(keys.iter().map(|k| (*k, Arc::clone(&latest))).collect())
    }
}

/// A provenance record with the name of its source.
pub type Sourced = (provenance::Model, String);

async fn provenance_of(
    db: &DatabaseConnection,
    entity: &str,
    ids: Vec<i32>,
) -> Result<Vec<(i32, Sourced)>, DbErr> {
    Ok(provenance::Entity::find()
        .find_also_related(source::Entity)
        .filter(provenance::Column::Entity.eq(entity))
        .filter(provenance::Column::EntityId.is_in(ids))
        .order_by_asc(provenance::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, s)| s.map(|s| (p.entity_id, (p, s.name))))
        .collect())
}

impl Loader<ServiceProvenanceOf> for DbLoader {
    type Value = Vec<Sourced>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ServiceProvenanceOf],
    ) -> Result<HashMap<ServiceProvenanceOf, Self::Value>, LoadError> {
        let rows = provenance_of(&self.db, "service", ids(keys, |k| k.0)).await?;
        Ok(group(keys, rows, ServiceProvenanceOf))
    }
}

impl Loader<OrganisationProvenanceOf> for DbLoader {
    type Value = Vec<Sourced>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganisationProvenanceOf],
    ) -> Result<HashMap<OrganisationProvenanceOf, Self::Value>, LoadError> {
        let rows = provenance_of(&self.db, "organisation", ids(keys, |k| k.0)).await?;
        Ok(group(keys, rows, OrganisationProvenanceOf))
    }
}

impl Loader<AnnotationsOf> for DbLoader {
    type Value = Vec<annotation::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[AnnotationsOf],
    ) -> Result<HashMap<AnnotationsOf, Self::Value>, LoadError> {
        let rows = annotation::Entity::find()
            .filter(annotation::Column::ServiceId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(annotation::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter().map(|r| (r.service_id, r)).collect(),
            AnnotationsOf,
        ))
    }
}

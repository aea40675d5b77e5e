//! Batched loading of every relation: one SQL statement per relation and request level,
//! whatever the page size. Reference data (authorities, categories, territories) comes
//! from memory and needs no loader.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::{
    accreditation, annotation, contact_point, organisation, organisation_identifier, provenance,
    service, service_at_site, service_category, service_language, site, site_territory, source,
    territory,
};
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
    /// A service by id.
    ServiceById,
    /// An organisation by id.
    OrganisationById,
    /// The identifiers of an organisation.
    IdentifiersOf,
    /// The contact points of an organisation.
    OrganisationContactsOf,
    /// The contact points of a service.
    ServiceContactsOf,
    /// The sites of an organisation.
    SitesOfOrganisation,
    /// The services of an organisation.
    ServicesOfOrganisation,
    /// Where a service is delivered (service at site, with the site).
    LocationsOf,
    /// The territory ids of a site.
    TerritoriesOfSite,
    /// The category ids of a service.
    CategoriesOf,
    /// The language codes of a service.
    LanguagesOf,
    /// The accreditations of a service.
    AccreditationsOf,
    /// The GeoJSON geometry of a territory.
    GeometryOf,
    /// A site by id.
    SiteById,
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

impl Loader<ServiceById> for DbLoader {
    type Value = service::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ServiceById],
    ) -> Result<HashMap<ServiceById, service::Model>, LoadError> {
        Ok(service::Entity::find()
            .filter(service::Column::Id.is_in(ids(keys, |k| k.0)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (ServiceById(s.id), s))
            .collect())
    }
}

impl Loader<OrganisationById> for DbLoader {
    type Value = organisation::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganisationById],
    ) -> Result<HashMap<OrganisationById, organisation::Model>, LoadError> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(ids(keys, |k| k.0)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (OrganisationById(o.id), o))
            .collect())
    }
}

impl Loader<SiteById> for DbLoader {
    type Value = site::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[SiteById]) -> Result<HashMap<SiteById, site::Model>, LoadError> {
        Ok(site::Entity::find()
            .filter(site::Column::Id.is_in(ids(keys, |k| k.0)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (SiteById(s.id), s))
            .collect())
    }
}

impl Loader<IdentifiersOf> for DbLoader {
    type Value = Vec<organisation_identifier::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[IdentifiersOf],
    ) -> Result<HashMap<IdentifiersOf, Self::Value>, LoadError> {
        let rows = organisation_identifier::Entity::find()
            .filter(organisation_identifier::Column::OrganisationId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(organisation_identifier::Column::Scheme)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter().map(|r| (r.organisation_id, r)).collect(),
            IdentifiersOf,
        ))
    }
}

impl Loader<OrganisationContactsOf> for DbLoader {
    type Value = Vec<contact_point::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganisationContactsOf],
    ) -> Result<HashMap<OrganisationContactsOf, Self::Value>, LoadError> {
        let rows = contact_point::Entity::find()
            .filter(contact_point::Column::OrganisationId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(contact_point::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter()
                .filter_map(|r| r.organisation_id.map(|id| (id, r)))
                .collect(),
            OrganisationContactsOf,
        ))
    }
}

impl Loader<ServiceContactsOf> for DbLoader {
    type Value = Vec<contact_point::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ServiceContactsOf],
    ) -> Result<HashMap<ServiceContactsOf, Self::Value>, LoadError> {
        let rows = contact_point::Entity::find()
            .filter(contact_point::Column::ServiceId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(contact_point::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter()
                .filter_map(|r| r.service_id.map(|id| (id, r)))
                .collect(),
            ServiceContactsOf,
        ))
    }
}

impl Loader<SitesOfOrganisation> for DbLoader {
    type Value = Vec<site::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[SitesOfOrganisation],
    ) -> Result<HashMap<SitesOfOrganisation, Self::Value>, LoadError> {
        let rows = site::Entity::find()
            .filter(site::Column::OrganisationId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(site::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter().map(|r| (r.organisation_id, r)).collect(),
            SitesOfOrganisation,
        ))
    }
}

impl Loader<ServicesOfOrganisation> for DbLoader {
    type Value = Vec<service::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ServicesOfOrganisation],
    ) -> Result<HashMap<ServicesOfOrganisation, Self::Value>, LoadError> {
        let rows = service::Entity::find()
            .filter(service::Column::OrganisationId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(service::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter().map(|r| (r.organisation_id, r)).collect(),
            ServicesOfOrganisation,
        ))
    }
}

impl Loader<LocationsOf> for DbLoader {
    type Value = Vec<(service_at_site::Model, site::Model)>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[LocationsOf],
    ) -> Result<HashMap<LocationsOf, Self::Value>, LoadError> {
        let rows = service_at_site::Entity::find()
            .find_also_related(site::Entity)
            .filter(service_at_site::Column::ServiceId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(service_at_site::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter()
                .filter_map(|(at, site)| site.map(|s| (at.service_id, (at, s))))
                .collect(),
            LocationsOf,
        ))
    }
}

impl Loader<TerritoriesOfSite> for DbLoader {
    type Value = Vec<i32>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[TerritoriesOfSite],
    ) -> Result<HashMap<TerritoriesOfSite, Self::Value>, LoadError> {
        let rows: Vec<(i32, i32)> = site_territory::Entity::find()
            .select_only()
            .column(site_territory::Column::SiteId)
            .column(site_territory::Column::TerritoryId)
            .filter(site_territory::Column::SiteId.is_in(ids(keys, |k| k.0)))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(group(keys, rows, TerritoriesOfSite))
    }
}

impl Loader<CategoriesOf> for DbLoader {
    type Value = Vec<i32>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CategoriesOf],
    ) -> Result<HashMap<CategoriesOf, Self::Value>, LoadError> {
        let rows: Vec<(i32, i32)> = service_category::Entity::find()
            .select_only()
            .column(service_category::Column::ServiceId)
            .column(service_category::Column::CategoryId)
            .filter(service_category::Column::ServiceId.is_in(ids(keys, |k| k.0)))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(group(keys, rows, CategoriesOf))
    }
}

impl Loader<LanguagesOf> for DbLoader {
    type Value = Vec<String>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[LanguagesOf],
    ) -> Result<HashMap<LanguagesOf, Self::Value>, LoadError> {
        let rows: Vec<(i32, String)> = service_language::Entity::find()
            .select_only()
            .column(service_language::Column::ServiceId)
            .column(service_language::Column::Language)
            .filter(service_language::Column::ServiceId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(service_language::Column::Language)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(group(keys, rows, LanguagesOf))
    }
}

impl Loader<AccreditationsOf> for DbLoader {
    type Value = Vec<accreditation::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[AccreditationsOf],
    ) -> Result<HashMap<AccreditationsOf, Self::Value>, LoadError> {
        let rows = accreditation::Entity::find()
            .filter(accreditation::Column::ServiceId.is_in(ids(keys, |k| k.0)))
            .order_by_asc(accreditation::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(
            keys,
            rows.into_iter().map(|r| (r.service_id, r)).collect(),
            AccreditationsOf,
        ))
    }
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

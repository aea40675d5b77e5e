//! Organisations and their sites.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use entities::{organisation, site};

use crate::{
    domain::Lang,
    graphql::{
        ApiResult, ids, load_error, loader,
        loaders::{
            IdentifiersOf, OrganisationContactsOf, OrganisationProvenanceOf,
            ServicesOfOrganisation, SitesOfOrganisation, TerritoriesOfSite,
        },
        principal, require, state,
    },
};

use super::{ContactPoint, GeoPoint, Provenance, Service, Territory};

#[derive(Clone)]
pub struct Organisation {
    pub model: organisation::Model,
    pub lang: Lang,
}

impl Organisation {
    async fn contact_points(
        &self,
        ctx: &Context<'_>,
        internal: bool,
    ) -> ApiResult<Vec<ContactPoint>> {
        Ok(loader(ctx)?
            .load_one(OrganisationContactsOf(self.model.id))
            .await
            .map_err(load_error)?
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.internal == internal)
            .map(ContactPoint::from)
            .collect())
    }

    pub fn new(model: organisation::Model, lang: Lang) -> Organisation {
        Organisation { model, lang }
    }
}

/// A legal entity offering services (ASBL/VZW, public body, CPAS/OCMW…).
#[Object]
impl Organisation {
    pub async fn id(&self) -> ID {
        ids::encode(ids::Kind::Organisation, self.model.id)
    }

    async fn name(&self) -> &str {
        self.lang
            .pick(
                self.model.name_fr.as_deref(),
                self.model.name_nl.as_deref(),
                None,
            )
            .unwrap_or("—")
    }

    async fn legal_status(&self) -> Option<&str> {
        self.lang.pick(
            self.model.legal_status_fr.as_deref(),
            self.model.legal_status_nl.as_deref(),
            None,
        )
    }

    async fn website(&self) -> Option<&str> {
        self.model.website.as_deref()
    }

    /// Official identifiers: `kbo` (KBO/BCE enterprise number), `nihii` (INAMI/RIZIV).
    async fn identifiers(&self, ctx: &Context<'_>) -> ApiResult<Vec<Identifier>> {
        Ok(loader(ctx)?
            .load_one(IdentifiersOf(self.model.id))
            .await
            .map_err(load_error)?
            .unwrap_or_default()
            .into_iter()
            .map(|i| Identifier {
                scheme: i.scheme,
                value: i.value,
            })
            .collect())
    }

    /// Public contact points of the organisation.
    async fn contacts(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContactPoint>> {
        self.contact_points(ctx, false).await
    }

    /// Contact points reserved to professionals. Internal: zone partners, basin teams,
    /// administrators and the organisation's own partner accounts.
    async fn internal_contacts(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContactPoint>> {
        require(principal(ctx)?.internal_fields(self.model.id))?;
        self.contact_points(ctx, true).await
    }

    async fn sites(&self, ctx: &Context<'_>) -> ApiResult<Vec<Site>> {
        Ok(loader(ctx)?
            .load_one(SitesOfOrganisation(self.model.id))
            .await
            .map_err(load_error)?
            .unwrap_or_default()
            .into_iter()
            .map(|model| Site {
                model,
                lang: self.lang,
            })
            .collect())
    }

    /// The organisation's services that the principal may see.
    #[graphql(complexity = "10 * child_complexity")]
    async fn services(&self, ctx: &Context<'_>) -> ApiResult<Vec<Service>> {
        let principal = principal(ctx)?;
        Ok(loader(ctx)?
            .load_one(ServicesOfOrganisation(self.model.id))
            .await
            .map_err(load_error)?
            .unwrap_or_default()
            .into_iter()
            .filter(|s| principal.can_see_service(s))
            .map(|model| Service::new(model, self.lang))
            .collect())
    }

    /// Where the values of this organisation came from: source, upstream record, when.
    /// Internal, like `internalContacts`.
    async fn provenance(&self, ctx: &Context<'_>) -> ApiResult<Vec<Provenance>> {
        require(principal(ctx)?.internal_fields(self.model.id))?;
        Ok(loader(ctx)?
            .load_one(OrganisationProvenanceOf(self.model.id))
            .await
            .map_err(load_error)?
            .unwrap_or_default()
            .into_iter()
            .map(Provenance::from)
            .collect())
    }

    /// Part of the bundled demo dataset, not real data.
    async fn is_demo(&self) -> bool {
        self.model.is_demo
    }
}

/// An official identifier of an organisation.
#[derive(SimpleObject)]
pub struct Identifier {
    /// `kbo` or `nihii`.
    pub scheme: String,
    pub value: String,
}

#[derive(Clone)]
pub struct Site {
    pub model: site::Model,
    pub lang: Lang,
}

impl Site {
    pub fn address_line(site: &site::Model, lang: Lang) -> Option<String> {
        let street = lang.pick(site.street_fr.as_deref(), site.street_nl.as_deref(), None);
        let municipality = lang.pick(
            site.municipality_fr.as_deref(),
            site.municipality_nl.as_deref(),
            None,
        );
        let first = match (street, site.house_number.as_deref()) {
            (Some(street), Some(number)) => Some(format!("{street} {number}")),
            (Some(street), None) => Some(street.to_owned()),
            _ => None,
        };
        let second = match (site.postcode.as_deref(), municipality) {
            (Some(postcode), Some(m)) => Some(format!("{postcode} {m}")),
            (Some(postcode), None) => Some(postcode.to_owned()),
            (None, Some(m)) => Some(m.to_owned()),
            (None, None) => None,
        };
        match (first, second) {
            (Some(a), Some(b)) => Some(format!("{a}, {b}")),
            (a, b) => a.or(b),
        }
    }

    pub async fn territories_of(
        ctx: &Context<'_>,
        site_id: i32,
        lang: Lang,
    ) -> ApiResult<Vec<Territory>> {
        let reference = Arc::clone(&state(ctx)?.reference);
        let mut ids = loader(ctx)?
            .load_one(TerritoriesOfSite(site_id))
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        ids.sort_by_key(|id| {
            std::cmp::Reverse(
                reference
                    .territory(*id)
                    .map(|t| t.level.rank())
                    .unwrap_or(0),
            )
        });
        Ok(ids
            .into_iter()
            .map(|id| Territory {
                reference: Arc::clone(&reference),
                id,
                lang,
            })
            .collect())
    }
}

/// A physical place where an organisation receives people.
#[Object]
impl Site {
    pub async fn id(&self) -> ID {
        ids::encode(ids::Kind::Site, self.model.id)
    }

    /// One-line postal address in the requested language.
    async fn address(&self) -> Option<String> {
        Site::address_line(&self.model, self.lang)
    }

    async fn street(&self) -> Option<&str> {
        self.lang.pick(
            self.model.street_fr.as_deref(),
            self.model.street_nl.as_deref(),
            None,
        )
    }

    async fn house_number(&self) -> Option<&str> {
        self.model.house_number.as_deref()
    }

    async fn postcode(&self) -> Option<&str> {
        self.model.postcode.as_deref()
    }

    async fn municipality(&self) -> Option<&str> {
        self.lang.pick(
            self.model.municipality_fr.as_deref(),
            self.model.municipality_nl.as_deref(),
            None,
        )
    }

    async fn point(&self) -> Option<GeoPoint> {
        GeoPoint::of(&self.model)
    }

    /// Territories the site lies in, finest first.
    async fn territories(&self, ctx: &Context<'_>) -> ApiResult<Vec<Territory>> {
        Site::territories_of(ctx, self.model.id, self.lang).await
    }
}

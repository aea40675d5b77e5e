//! Organisations and their sites.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::{
    domain::Lang,
    graphql::{
        ApiResult, cost, ids, load_error, loader, loaders::OrganisationProvenanceOf, nullable,
        principal, require, snapshot, state,
    },
    read_model::{OrganisationEntry, SiteEntry},
};

use super::{ContactPoint, GeoPoint, Provenance, Service, Territory};

#[derive(Clone)]
pub struct Organisation {
    pub entry: Arc<OrganisationEntry>,
    pub lang: Lang,
}

impl Organisation {
    fn contact_points(&self, internal: bool) -> Vec<ContactPoint> {
        self.entry
            .contacts
            .iter()
            .filter(|c| c.internal == internal)
            .map(ContactPoint::from)
            .collect()
    }

    pub fn new(entry: Arc<OrganisationEntry>, lang: Lang) -> Organisation {
        Organisation { entry, lang }
    }
}

/// A legal entity offering services (ASBL/VZW, public body, CPAS/OCMW…).
#[Object]
impl Organisation {
    pub async fn id(&self) -> ID {
        ids::encode(ids::Kind::Organisation, self.entry.model.id)
    }

    async fn name(&self) -> &str {
        self.lang
            .pick(
                self.entry.model.name_fr.as_deref(),
                self.entry.model.name_nl.as_deref(),
                None,
            )
            .unwrap_or("—")
    }

    async fn legal_status(&self) -> Option<&str> {
        self.lang.pick(
            self.entry.model.legal_status_fr.as_deref(),
            self.entry.model.legal_status_nl.as_deref(),
            None,
        )
    }

    async fn website(&self) -> Option<&str> {
        self.entry.model.website.as_deref()
    }

    /// The KBO/BCE enterprise number (10 digits), when known: the key other platforms
    /// name an organisation by (Apollo Federation `@key(fields: "kbo")`).
    async fn kbo(&self) -> Option<&str> {
        self.entry
            .identifiers
            .iter()
            .find(|i| i.scheme == "kbo")
            .map(|i| i.value.as_str())
    }

    /// Official identifiers: `kbo` (KBO/BCE enterprise number), `nihii` (INAMI/RIZIV).
    #[graphql(complexity = "cost::RECORD_CONTACTS * child_complexity")]
    async fn identifiers(&self) -> Vec<Identifier> {
        self.entry
            .identifiers
            .iter()
            .map(|i| Identifier {
                scheme: i.scheme.clone(),
                value: i.value.clone(),
            })
            .collect()
    }

    /// Public contact points of the organisation.
    #[graphql(complexity = "cost::RECORD_CONTACTS * child_complexity")]
    async fn contacts(&self) -> Vec<ContactPoint> {
        self.contact_points(false)
    }

    /// Contact points reserved to professionals. Internal: zone partners, basin teams,
    /// administrators and the organisation's own partner accounts.
    #[graphql(complexity = "cost::RECORD_CONTACTS * child_complexity")]
    async fn internal_contacts(&self, ctx: &Context<'_>) -> Option<Vec<ContactPoint>> {
        nullable(ctx, self.internal_contacts_list(ctx).await)
    }

    #[graphql(complexity = "cost::ORGANISATION_SITES * child_complexity")]
    async fn sites(&self, ctx: &Context<'_>) -> ApiResult<Vec<Site>> {
        let snapshot = &*snapshot(ctx)?;
        let scope = principal(ctx)?.service_scope();
        Ok(self
            .entry
            .sites
            .iter()
            .filter_map(|id| snapshot.site(*id))
            .filter(|site| crate::search::site_visible(snapshot, &scope, site))
            .map(|entry| Site {
                entry: Arc::clone(entry),
                lang: self.lang,
            })
            .collect())
    }

    /// The organisation's services that the principal may see.
    #[graphql(complexity = "cost::ORGANISATION_SERVICES * child_complexity")]
    async fn services(&self, ctx: &Context<'_>) -> ApiResult<Vec<Service>> {
        let scope = principal(ctx)?.service_scope();
        let snapshot = &*snapshot(ctx)?;
        Ok(self
            .entry
            .services
            .iter()
            .filter_map(|id| snapshot.service(*id))
            .filter(|s| scope.admits(&s.model))
            .map(|entry| Service::new(Arc::clone(entry), self.lang))
            .collect())
    }

    /// Where the values of this organisation came from: source, upstream record, when.
    /// Internal, like `internalContacts`.
    #[graphql(complexity = "cost::RECORD_SOURCES * child_complexity")]
    async fn provenance(&self, ctx: &Context<'_>) -> Option<Vec<Provenance>> {
        nullable(ctx, self.provenance_list(ctx).await)
    }

    /// Part of the bundled demo dataset, not real data.
    async fn is_demo(&self) -> bool {
        self.entry.model.is_demo
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
    pub entry: Arc<SiteEntry>,
    pub lang: Lang,
}

impl Site {
    pub fn territories_of(
        ctx: &Context<'_>,
        territories: &[i32],
        lang: Lang,
    ) -> ApiResult<Vec<Territory>> {
        let reference = Arc::clone(&state(ctx)?.reference);
        let mut ids = territories.to_vec();
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
        ids::encode(ids::Kind::Site, self.entry.model.id)
    }

    /// Raised by every write; `updateSite` takes the one the change is based on.
    async fn version(&self) -> i32 {
        self.entry.model.version
    }

    /// The owning partner's own id for the site. Internal.
    async fn external_id(&self, ctx: &Context<'_>) -> Option<String> {
        let allowed = principal(ctx)
            .and_then(|p| require(p.internal_fields(self.entry.model.organisation_id)));
        nullable(ctx, allowed).and_then(|()| self.entry.model.external_id.clone())
    }

    /// One-line postal address in the requested language.
    async fn address(&self) -> Option<String> {
        self.entry.address_line(self.lang)
    }

    async fn street(&self) -> Option<&str> {
        self.lang.pick(
            self.entry.model.street_fr.as_deref(),
            self.entry.model.street_nl.as_deref(),
            None,
        )
    }

    async fn house_number(&self) -> Option<&str> {
        self.entry.model.house_number.as_deref()
    }

    async fn postcode(&self) -> Option<&str> {
        self.entry.model.postcode.as_deref()
    }

    async fn municipality(&self) -> Option<&str> {
        self.lang.pick(
            self.entry.model.municipality_fr.as_deref(),
            self.entry.model.municipality_nl.as_deref(),
            None,
        )
    }

    async fn point(&self) -> Option<GeoPoint> {
        GeoPoint::of(&self.entry.model)
    }

    /// Territories the site lies in, finest first.
    #[graphql(complexity = "cost::SITE_TERRITORIES * child_complexity")]
    async fn territories(&self, ctx: &Context<'_>) -> ApiResult<Vec<Territory>> {
        Site::territories_of(ctx, &self.entry.territories, self.lang)
    }
}

/// The bodies of the fields the policy can refuse: those fields are nullable, so a
/// refusal is `null` at their path with the error, as GraphQL says.
impl Organisation {
    async fn internal_contacts_list(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContactPoint>> {
        require(principal(ctx)?.internal_fields(self.entry.model.id))?;
        Ok(self.contact_points(true))
    }

    async fn provenance_list(&self, ctx: &Context<'_>) -> ApiResult<Vec<Provenance>> {
        require(principal(ctx)?.internal_fields(self.entry.model.id))?;
        Ok(loader(ctx)?
            .load_one(OrganisationProvenanceOf(self.entry.model.id))
            .await
            .map_err(load_error)?
            .unwrap_or_default()
            .into_iter()
            .flat_map(Provenance::of_record)
            .collect())
    }
}

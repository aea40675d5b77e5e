//! Services and what hangs off them: where (sites, schedule), who recognises them.

use std::sync::Arc;

use super::Instant;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{NaiveDate, Utc};
use entities::{accreditation, contact_point, service_at_site, site};

use crate::{
    domain::{self, Lang},
    graphql::{
        ApiError, ApiResult, cost, ids, load_error, loader,
        loaders::{self, AnnotationsOf, ServiceProvenanceOf},
        nullable, principal, require, snapshot, state,
    },
    read_model::{ServiceEntry, SiteEntry},
};

use super::{Authority, Category, Organisation, Site, Territory};

#[derive(Clone)]
pub struct Service {
    pub entry: Arc<ServiceEntry>,
    pub lang: Lang,
    /// Metres to the point of a `near` search.
    pub distance_m: Option<f64>,
}

impl Service {
    fn contact_points(&self, internal: bool) -> Vec<ContactPoint> {
        self.entry
            .contacts
            .iter()
            .filter(|c| c.internal == internal)
            .map(ContactPoint::from)
            .collect()
    }

    pub fn new(entry: Arc<ServiceEntry>, lang: Lang) -> Service {
        Service {
            entry,
            lang,
            distance_m: None,
        }
    }
}

/// A service offered to the public by an organisation.
#[Object]
impl Service {
    pub async fn id(&self) -> ID {
        ids::encode(ids::Kind::Service, self.entry.model.id)
    }

    /// Name in the requested language, falling back to the other official language.
    async fn name(&self) -> &str {
        let m = &self.entry.model;
        self.lang
            .pick(
                m.name_fr.as_deref(),
                m.name_nl.as_deref(),
                m.name_en.as_deref(),
            )
            .unwrap_or("—")
    }

    async fn description(&self) -> Option<&str> {
        let m = &self.entry.model;
        self.lang.pick(
            m.description_fr.as_deref(),
            m.description_nl.as_deref(),
            m.description_en.as_deref(),
        )
    }

    /// Who the service is for.
    async fn target_public(&self) -> Option<&str> {
        let m = &self.entry.model;
        self.lang.pick(
            m.target_public_fr.as_deref(),
            m.target_public_nl.as_deref(),
            m.target_public_en.as_deref(),
        )
    }

    #[graphql(complexity = "cost::SERVICE_CATEGORIES * child_complexity")]
    async fn categories(&self, ctx: &Context<'_>) -> ApiResult<Vec<Category>> {
        let mut categories = Vec::with_capacity(self.entry.categories.len());
        for id in &self.entry.categories {
            categories.extend(Category::new(ctx, *id, self.lang)?);
        }
        categories.sort_by_key(|c| c.model.position);
        Ok(categories)
    }

    async fn organisation(&self, ctx: &Context<'_>) -> ApiResult<Organisation> {
        snapshot(ctx)?
            .organisation(self.entry.model.organisation_id)
            .map(|entry| Organisation::new(Arc::clone(entry), self.lang))
            .ok_or_else(|| {
                ApiError::internal(format!(
                    "service {} has no organisation",
                    self.entry.model.id
                ))
            })
    }

    /// Whether the service is open now at one of its places (Brussels time; closed on
    /// public holidays where a place's remark says so); `null` when no place gives its
    /// hours.
    async fn open_now(&self, ctx: &Context<'_>) -> ApiResult<Option<bool>> {
        crate::graphql::volatile(ctx);
        let holidays = crate::search::Holidays::of(&state(ctx)?.reference);
        Ok(crate::search::opening(&self.entry, &holidays, Utc::now()).0)
    }

    /// When the service next opens at one of its places (now, when it is open); `null`
    /// when no place gives hours or none opens within two weeks.
    async fn next_opening(&self, ctx: &Context<'_>) -> ApiResult<Option<Instant>> {
        crate::graphql::volatile(ctx);
        let holidays = crate::search::Holidays::of(&state(ctx)?.reference);
        Ok(crate::search::opening(&self.entry, &holidays, Utc::now())
            .1
            .map(Instant))
    }

    /// Where the service receives people, with schedule and accessibility per place.
    #[graphql(complexity = "cost::SERVICE_SITES * child_complexity")]
    async fn sites(&self, ctx: &Context<'_>) -> ApiResult<Vec<ServiceSite>> {
        let snapshot = &*snapshot(ctx)?;
        Ok(self
            .entry
            .locations
            .iter()
            .enumerate()
            .filter_map(|(location, at)| {
                snapshot.site(at.site_id).map(|site| ServiceSite {
                    service: Arc::clone(&self.entry),
                    location,
                    site: Arc::clone(site),
                    lang: self.lang,
                })
            })
            .collect())
    }

    /// Recognitions and subsidies by public authorities.
    #[graphql(complexity = "cost::SERVICE_ACCREDITATIONS * child_complexity")]
    async fn accreditations(&self, ctx: &Context<'_>) -> ApiResult<Vec<Accreditation>> {
        let reference = &state(ctx)?.reference;
        Ok(self
            .entry
            .accreditations
            .iter()
            .enumerate()
            .filter(|(_, model)| reference.authority(model.authority_id).is_some())
            .map(|(index, _)| Accreditation {
                service: Arc::clone(&self.entry),
                index,
                reference: Arc::clone(reference),
                lang: self.lang,
            })
            .collect())
    }

    /// Languages in which the service can be received (ISO 639-1 codes).
    async fn languages(&self) -> &[String] {
        &self.entry.languages
    }

    async fn fee(&self) -> Fee {
        self.entry.model.fee.into()
    }

    /// Whether a referral is needed (false: unconditional reception).
    async fn referral_required(&self) -> bool {
        self.entry.model.referral_required
    }

    async fn status(&self) -> ServiceStatus {
        self.entry.model.status.into()
    }

    async fn published(&self) -> bool {
        self.entry.model.published
    }

    /// Public contact points of the service.
    #[graphql(complexity = "cost::RECORD_CONTACTS * child_complexity")]
    async fn contacts(&self) -> Vec<ContactPoint> {
        self.contact_points(false)
    }

    /// Contact points reserved to professionals (direct lines, intake desks). Internal:
    /// zone partners, basin teams, administrators and the owning partner.
    #[graphql(complexity = "cost::RECORD_CONTACTS * child_complexity")]
    async fn internal_contacts(&self, ctx: &Context<'_>) -> Option<Vec<ContactPoint>> {
        nullable(ctx, self.internal_contacts_list(ctx).await)
    }

    /// Notes, verifications and helpdesk tips of the professional groups. Zone partners,
    /// basin teams and administrators; each sees its group's and the shared ones.
    #[graphql(complexity = "cost::SERVICE_ANNOTATIONS * child_complexity")]
    async fn annotations(&self, ctx: &Context<'_>) -> Option<Vec<Annotation>> {
        nullable(ctx, self.annotations_list(ctx).await)
    }

    /// Distance in metres from the point of a `near` search to the nearest site.
    async fn distance_meters(&self) -> Option<f64> {
        self.distance_m.map(|d| (d * 10.0).round() / 10.0)
    }

    async fn updated_at(&self) -> Instant {
        self.entry.model.updated_at.into()
    }

    /// Raised by every write; `updateService` takes the one the change is based on.
    async fn version(&self) -> i32 {
        self.entry.model.version
    }

    /// The owning partner's own id for the service. Internal, like `internalContacts`.
    async fn external_id(&self, ctx: &Context<'_>) -> Option<String> {
        let allowed = principal(ctx)
            .and_then(|p| require(p.internal_fields(self.entry.model.organisation_id)));
        nullable(ctx, allowed).and_then(|()| self.entry.model.external_id.clone())
    }

    /// Where the values of this service came from: source, upstream record, when.
    /// Internal, like `internalContacts`.
    #[graphql(complexity = "cost::RECORD_SOURCES * child_complexity")]
    async fn provenance(&self, ctx: &Context<'_>) -> Option<Vec<Provenance>> {
        nullable(ctx, self.provenance_list(ctx).await)
    }
}

/// Where one value came from.
#[derive(SimpleObject)]
pub struct Provenance {
    /// The field of the harmonised model (`name`, `description`, `categories`…).
    pub field: String,
    /// The configured source (`demo` for the bundled demo dataset).
    pub source: String,
    /// The record's id in that source.
    pub upstream_id: String,
    pub retrieved_at: Instant,
}

impl Provenance {
    /// One entry per field a provenance record lists.
    pub fn of_record((record, source): loaders::Sourced) -> impl Iterator<Item = Provenance> {
        let fields: Vec<String> = record
            .fields
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        fields.into_iter().map(move |field| Provenance {
            field,
            source: source.clone(),
            upstream_id: record.upstream_id.clone(),
            retrieved_at: Instant(record.retrieved_at),
        })
    }
}

/// A service at one of its sites: the service's `location`-th place (shared with the
/// read model, not copied).
pub struct ServiceSite {
    pub service: Arc<ServiceEntry>,
    pub location: usize,
    pub site: Arc<SiteEntry>,
    pub lang: Lang,
}

impl ServiceSite {
    fn at(&self) -> &service_at_site::Model {
        &self.service.locations[self.location]
    }

    /// The community days the service keeps, by its accreditations
    /// (`search::Holidays`): the holidays a place closed on holidays closes on.
    fn community_days(&self, ctx: &Context<'_>) -> ApiResult<Vec<(u32, u32)>> {
        Ok(crate::search::Holidays::of(&state(ctx)?.reference).of_service(&self.service))
    }
}

#[Object]
impl ServiceSite {
    /// The place itself.
    async fn site(&self) -> Site {
        Site {
            entry: Arc::clone(&self.site),
            lang: self.lang,
        }
    }

    /// One-line postal address in the requested language.
    async fn address(&self) -> Option<String> {
        self.site.address_line(self.lang)
    }

    async fn postcode(&self) -> Option<&str> {
        self.site.model.postcode.as_deref()
    }

    async fn point(&self) -> Option<GeoPoint> {
        GeoPoint::of(&self.site.model)
    }

    /// Territories the site lies in, finest first.
    #[graphql(complexity = "cost::SITE_TERRITORIES * child_complexity")]
    async fn territories(&self, ctx: &Context<'_>) -> ApiResult<Vec<Territory>> {
        Site::territories_of(ctx, &self.site.territories, self.lang)
    }

    /// Whether the place is open now (Brussels time; closed on public holidays when its
    /// remark says so); `null` when it gives no hours.
    async fn open_now(&self, ctx: &Context<'_>) -> ApiResult<Option<bool>> {
        crate::graphql::volatile(ctx);
        let community_days = self.community_days(ctx)?;
        let (openings, closed_on_holidays) = crate::search::schedule_of(self.at());
        Ok((!openings.is_empty()).then(|| {
            domain::calendar::Week {
                openings: &openings,
                closed_on_holidays,
                community_days: &community_days,
            }
            .open_at(Utc::now())
        }))
    }

    /// When the place next opens (now, when it is open); `null` without hours or when it
    /// does not open within two weeks.
    async fn next_opening(&self, ctx: &Context<'_>) -> ApiResult<Option<Instant>> {
        crate::graphql::volatile(ctx);
        let community_days = self.community_days(ctx)?;
        let (openings, closed_on_holidays) = crate::search::schedule_of(self.at());
        Ok(domain::calendar::Week {
            openings: &openings,
            closed_on_holidays,
            community_days: &community_days,
        }
        .next_opening(Utc::now())
        .map(Instant))
    }

    /// Weekly opening periods; empty when only a remark is known.
    #[graphql(complexity = "cost::SCHEDULE_SLOTS * child_complexity")]
    async fn schedule(&self) -> Vec<Opening> {
        serde_json::from_str::<Vec<domain::Opening>>(&self.at().schedule)
            .unwrap_or_default()
            .into_iter()
            .map(|o| Opening {
                weekday: i32::from(o.weekday),
                opens: o.opens,
                closes: o.closes,
            })
            .collect()
    }

    /// Free-text remark on opening hours ("sur rendez-vous le mercredi").
    async fn schedule_remark(&self) -> Option<&str> {
        self.lang.pick(
            self.at().schedule_remark_fr.as_deref(),
            self.at().schedule_remark_nl.as_deref(),
            None,
        )
    }

    async fn wheelchair_accessible(&self) -> Option<bool> {
        self.at().wheelchair_accessible
    }

    async fn accessibility_note(&self) -> Option<&str> {
        self.lang.pick(
            self.at().accessibility_note_fr.as_deref(),
            self.at().accessibility_note_nl.as_deref(),
            None,
        )
    }
}

/// One opening period in a week.
#[derive(SimpleObject)]
pub struct Opening {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: i32,
    /// Local time, "HH:MM".
    pub opens: String,
    pub closes: String,
}

/// A WGS84 point.
#[derive(SimpleObject, Clone, Copy)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn of(site: &site::Model) -> Option<GeoPoint> {
        Some(GeoPoint {
            lat: site.lat?,
            lon: site.lon?,
        })
    }
}

/// The service's `index`-th accreditation (shared with the read model, not copied), whose
/// authority the reference holds.
pub struct Accreditation {
    pub service: Arc<ServiceEntry>,
    pub index: usize,
    pub reference: Arc<crate::reference::Reference>,
    pub lang: Lang,
}

impl Accreditation {
    fn model(&self) -> &accreditation::Model {
        &self.service.accreditations[self.index]
    }
}

/// A service recognised or subsidised by an authority.
#[Object]
impl Accreditation {
    async fn authority(&self) -> ApiResult<Authority> {
        let model = self.model();
        self.reference
            .authority(model.authority_id)
            .map(|authority| Authority {
                model: authority.clone(),
                lang: self.lang,
            })
            .ok_or_else(|| {
                ApiError::internal(format!(
                    "accreditation {} has no authority {}",
                    model.id, model.authority_id
                ))
            })
    }

    async fn kind(&self) -> AccreditationKind {
        self.model().kind.into()
    }

    /// The legal text it rests on (decree, ordinance, convention).
    async fn legal_basis(&self) -> Option<&str> {
        self.model().legal_basis.as_deref()
    }

    async fn valid_from(&self) -> Option<NaiveDate> {
        self.model().valid_from
    }

    async fn valid_to(&self) -> Option<NaiveDate> {
        self.model().valid_to
    }
}

/// A phone number, email address or website, with the language it is answered in.
#[derive(SimpleObject)]
pub struct ContactPoint {
    /// `phone`, `email` or `web`.
    pub kind: String,
    pub value: String,
    pub language: Option<String>,
}

impl From<&contact_point::Model> for ContactPoint {
    fn from(model: &contact_point::Model) -> Self {
        ContactPoint {
            kind: model.kind.as_str().to_owned(),
            value: model.value.clone(),
            language: model.language.clone(),
        }
    }
}

// The stored vocabularies (`entities::vocab`, re-exported by `domain`) as GraphQL
// enums: `remote` makes the compiler check that both list the same variants, and gives
// the conversions.

/// What a person pays.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::Fee")]
pub enum Fee {
    Free,
    IncomeBased,
    Fixed,
    InamiConventioned,
    Unknown,
}

/// Whether a service currently receives people.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::ServiceStatus")]
pub enum ServiceStatus {
    Active,
    Inactive,
    TemporarilyClosed,
}

/// How an authority recognises or funds a service.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::AccreditationKind")]
pub enum AccreditationKind {
    Agrement,
    Subvention,
    Convention,
    Forfait,
}

/// Kinds of annotation.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::AnnotationKind")]
pub enum AnnotationKind {
    Note,
    Verification,
    HelpdeskTip,
}

/// Who may read an annotation besides its group.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::Visibility", name = "AnnotationVisibility")]
pub enum AnnotationVisibility {
    /// Readable (not writable) by the other professional groups.
    Shared,
    /// The owning group only.
    Private,
}

/// A note, verification or helpdesk tip of a professional group on a service.
pub struct Annotation {
    pub model: entities::annotation::Model,
}

#[Object]
impl Annotation {
    async fn kind(&self) -> AnnotationKind {
        self.model.kind.into()
    }

    async fn visibility(&self) -> AnnotationVisibility {
        self.model.visibility.into()
    }

    /// The owning group: `zone:bruzel` or `bassin:<key>`.
    async fn group(&self) -> &str {
        &self.model.group_code
    }

    async fn body(&self) -> &str {
        &self.model.body
    }

    /// Subject of the author's token.
    async fn author(&self) -> &str {
        &self.model.author
    }

    async fn created_at(&self) -> Instant {
        self.model.created_at.into()
    }

    async fn updated_at(&self) -> Instant {
        self.model.updated_at.into()
    }
}

/// The bodies of the fields the policy can refuse: those fields are nullable, so a
/// refusal is `null` at their path with the error, as GraphQL says.
impl Service {
    async fn internal_contacts_list(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContactPoint>> {
        require(principal(ctx)?.internal_fields(self.entry.model.organisation_id))?;
        Ok(self.contact_points(true))
    }

    async fn annotations_list(&self, ctx: &Context<'_>) -> ApiResult<Vec<Annotation>> {
        let principal = principal(ctx)?;
        require(principal.annotations_field())?;
        let ids = std::iter::once(self.entry.model.id).chain(self.entry.merged.iter().copied());
        let mut found: Vec<_> = loader(ctx)?
            .load_many(ids.map(AnnotationsOf))
            .await
            .map_err(load_error)?
            .into_values()
            .flatten()
            .collect();
        found.sort_by_key(|a| a.id);
        Ok(found
            .into_iter()
            .filter(|a| principal.can_see_annotation(a))
            .map(|model| Annotation { model })
            .collect())
    }

    async fn provenance_list(&self, ctx: &Context<'_>) -> ApiResult<Vec<Provenance>> {
        require(principal(ctx)?.internal_fields(self.entry.model.organisation_id))?;
        // Every source's, the services folded into this one included, for what each
        // gives the service shown.
        let ids = std::iter::once(self.entry.model.id).chain(self.entry.merged.iter().copied());
        let entry = &self.entry;
        let mut found: Vec<Provenance> = loader(ctx)?
            .load_many(ids.map(ServiceProvenanceOf))
            .await
            .map_err(load_error)?
            .into_values()
            .flatten()
            .flat_map(|sourced| {
                let member = sourced.0.entity_id;
                Provenance::of_record(sourced).filter(move |p| entry.shows(member, &p.field))
            })
            .collect();
        found.sort_by(|a, b| {
            (&a.source, &a.upstream_id, &a.field).cmp(&(&b.source, &b.upstream_id, &b.field))
        });
        Ok(found)
    }
}

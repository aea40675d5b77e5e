//! Writes: partners keep their own listings (services with their contacts, places and
//! opening hours; sites), administrators any. Relay-style: one `input` argument, a
//! payload with the listing as it now reads. Every rule is in `write`; here the
//! GraphQL inputs become its patches and its refusals become errors with stable codes.

use async_graphql::{
    Context, Enum, ErrorExtensions, ID, InputObject, MaybeUndefined, Object, SimpleObject,
};
use sea_orm::EntityTrait;

use super::{
    ApiError, ApiResult, SnapshotCell, ids, lang, principal, state,
    types::{Annotation, AnnotationKind, Fee, Organisation, Service, ServiceStatus, Site},
};
use crate::{
    domain::ContactKind,
    error_code::ErrorCode,
    geo::Point,
    write::{
        self, FieldError, Origin, ServicePatch, ServiceTarget, SitePatch, SiteRef, SiteTarget,
        WriteError, Writer, Written,
        upsert::{ItemOutcome, ListingItem, Mode},
        validate::{ContactInput as Contact, LocationInput as Location, OpeningInput as Opening},
    },
};

/// Every mutation: listings (this module) and demand signals (`demand`).
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(ListingMutation, super::demand::DemandMutation);

#[derive(Default)]
pub struct ListingMutation;

/// How a contact is reached.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::ContactKind")]
pub enum ContactKindInput {
    Phone,
    Email,
    Web,
}

/// One weekly opening period.
#[derive(InputObject)]
pub struct OpeningInput {
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: i32,
    /// "HH:MM".
    pub opens: String,
    /// "HH:MM", after `opens`; "24:00" for midnight.
    pub closes: String,
}

/// Where a service is delivered: one of the organisation's sites, by `site` or by the
/// partner's own `siteExternalId`.
#[derive(InputObject)]
pub struct LocationInput {
    pub site: Option<ID>,
    pub site_external_id: Option<String>,
    #[graphql(default)]
    pub schedule: Vec<OpeningInput>,
    pub schedule_remark_fr: Option<String>,
    pub schedule_remark_nl: Option<String>,
    pub wheelchair_accessible: Option<bool>,
    pub accessibility_note_fr: Option<String>,
    pub accessibility_note_nl: Option<String>,
}

/// A phone number (Belgian, stored in E.164), e-mail address or web address.
#[derive(InputObject)]
pub struct ContactInput {
    pub kind: ContactKindInput,
    pub value: String,
    /// ISO 639-1 code of the language it is answered in.
    pub language: Option<String>,
    /// Reserved to professionals (a direct line).
    #[graphql(default)]
    pub internal: bool,
}

/// The fields of a service to set. A field left out keeps its value; `null` clears a
/// text; a list replaces the whole list.
#[derive(InputObject, Default)]
pub struct ServiceFields {
    pub name_fr: MaybeUndefined<String>,
    pub name_nl: MaybeUndefined<String>,
    pub name_en: MaybeUndefined<String>,
    pub description_fr: MaybeUndefined<String>,
    pub description_nl: MaybeUndefined<String>,
    pub description_en: MaybeUndefined<String>,
    pub target_public_fr: MaybeUndefined<String>,
    pub target_public_nl: MaybeUndefined<String>,
    pub target_public_en: MaybeUndefined<String>,
    /// Harmonised category codes (`categories { code }`).
    pub categories: Option<Vec<String>>,
    /// ISO 639-1 codes.
    pub languages: Option<Vec<String>>,
    pub fee: Option<Fee>,
    pub referral_required: Option<bool>,
    pub status: Option<ServiceStatus>,
    pub published: Option<bool>,
    pub contacts: Option<Vec<ContactInput>>,
    pub locations: Option<Vec<LocationInput>>,
}

/// The fields of a site to set, as for a service.
#[derive(InputObject, Default)]
pub struct SiteFields {
    pub street_fr: MaybeUndefined<String>,
    pub street_nl: MaybeUndefined<String>,
    pub house_number: MaybeUndefined<String>,
    pub postcode: MaybeUndefined<String>,
    pub municipality_fr: MaybeUndefined<String>,
    pub municipality_nl: MaybeUndefined<String>,
    pub point: MaybeUndefined<PointInput>,
}

/// WGS 84 coordinates.
#[derive(InputObject, Clone, Copy)]
pub struct PointInput {
    pub lat: f64,
    pub lon: f64,
}

#[derive(InputObject)]
pub struct CreateServiceInput {
    pub organisation: ID,
    /// The partner's own id for the service, unique within the organisation.
    pub external_id: Option<String>,
    pub service: ServiceFields,
}

#[derive(InputObject)]
pub struct UpdateServiceInput {
    pub id: ID,
    /// The `version` the change is based on: an older one is refused (`CONFLICT`).
    pub version: i32,
    pub service: ServiceFields,
}

#[derive(InputObject)]
pub struct VersionedInput {
    pub id: ID,
    pub version: i32,
}

#[derive(InputObject)]
pub struct PublishServiceInput {
    pub id: ID,
    pub version: i32,
    pub published: bool,
}

#[derive(InputObject)]
pub struct CreateSiteInput {
    pub organisation: ID,
    pub external_id: Option<String>,
    pub site: SiteFields,
}

#[derive(InputObject)]
pub struct UpdateSiteInput {
    pub id: ID,
    pub version: i32,
    pub site: SiteFields,
}

/// What a write did.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum WriteAction {
    Created,
    Updated,
    /// The listing already said so: nothing was written.
    Unchanged,
}

/// A field the write did not make, because an upstream is trusted first for it.
#[derive(SimpleObject)]
pub struct NotApplied {
    pub field: String,
    pub source: String,
    pub reason: String,
}

/// Something worth checking that did not stop the write.
#[derive(SimpleObject)]
pub struct FieldWarning {
    pub field: String,
    pub reason: String,
    pub message: String,
}

/// What a write did, shared by every payload.
#[derive(SimpleObject)]
pub struct WriteResult {
    pub action: WriteAction,
    /// The listing's version after the write (0 for an organisation's identifiers,
    /// which have none).
    pub version: i32,
    /// The fields changed (`name_fr`, `locations`…), as the audit trail names them.
    pub changed_fields: Vec<String>,
    pub not_applied: Vec<NotApplied>,
    pub warnings: Vec<FieldWarning>,
}

impl WriteResult {
    fn of(written: &Written, prefix: &str) -> WriteResult {
        WriteResult {
            action: match written.action {
                "created" => WriteAction::Created,
                "unchanged" => WriteAction::Unchanged,
                _ => WriteAction::Updated,
            },
            version: written.version,
            changed_fields: written.changed.clone(),
            not_applied: written
                .not_applied
                .iter()
                .map(|n| NotApplied {
                    field: n.field.clone(),
                    source: n.source.clone(),
                    reason: n.reason.clone(),
                })
                .collect(),
            warnings: written
                .warnings
                .iter()
                .map(|w| FieldWarning {
                    field: format!("{prefix}.{}", w.field),
                    reason: w.reason.to_owned(),
                    message: w.message.clone(),
                })
                .collect(),
        }
    }
}

/// A site of a listing, by the partner's own id.
#[derive(InputObject)]
pub struct SiteListingInput {
    pub external_id: String,
    pub site: SiteFields,
}

/// One listing: a service by the partner's own id, and the sites it is delivered at
/// (its `locations` name them by `siteExternalId`). Fields left out keep their value.
#[derive(InputObject)]
pub struct ListingInput {
    pub external_id: String,
    pub service: ServiceFields,
    #[graphql(default)]
    pub sites: Vec<SiteListingInput>,
}

/// All or nothing (the default), or the valid items only.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum UpsertMode {
    AllOrNothing,
    Partial,
}

#[derive(InputObject)]
pub struct UpsertListingsInput {
    pub organisation: ID,
    pub items: Vec<ListingInput>,
    #[graphql(default_with = "UpsertMode::AllOrNothing")]
    pub mode: UpsertMode,
}

/// What became of one item.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ListingStatus {
    Created,
    Updated,
    /// The same as stored: nothing was written.
    Unchanged,
    /// Invalid: see `errors`.
    Failed,
    /// Valid, but not written because another item failed (all or nothing).
    NotApplied,
}

/// A refused field of an item, as `VALIDATION_FAILED` errors say it.
#[derive(SimpleObject)]
pub struct FieldIssue {
    /// Its path in the input (`items[3].sites[0].site.postcode`).
    pub field: String,
    pub reason: String,
    pub message: String,
}

#[derive(SimpleObject)]
pub struct ListingResult {
    pub index: i32,
    pub external_id: String,
    pub status: ListingStatus,
    pub service: Option<Service>,
    pub version: Option<i32>,
    pub changed_fields: Vec<String>,
    pub not_applied: Vec<NotApplied>,
    pub errors: Vec<FieldIssue>,
    pub warnings: Vec<FieldWarning>,
}

#[derive(SimpleObject)]
pub struct UpsertListingsPayload {
    /// Whether anything was written (`false` when an all-or-nothing request had an
    /// invalid item, or nothing changed).
    pub applied: bool,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub failed: i32,
    /// One per item, in order.
    pub results: Vec<ListingResult>,
}

/// A note, verification or helpdesk tip on a service, by the caller's group.
#[derive(InputObject)]
pub struct AnnotateServiceInput {
    pub service: ID,
    pub kind: AnnotationKind,
    pub body: String,
    /// Readable by the other professional groups (default), or by the group only.
    #[graphql(default = true)]
    pub shared: bool,
    /// Administrators only: the group written for (`zone:bruzel`, `bassin:nord`…).
    pub group: Option<String>,
}

#[derive(SimpleObject)]
pub struct AnnotationPayload {
    pub annotation: Annotation,
}

/// Curation of a service by a basin team in its bassin (or an administrator):
/// publication review and professional lines.
#[derive(InputObject)]
pub struct CurateServiceInput {
    pub id: ID,
    pub version: i32,
    pub published: Option<bool>,
    /// The service's professional lines, replacing those it has.
    pub internal_contacts: Option<Vec<ContactInput>>,
}

/// An Open Referral HSDS 3.0 document for one organisation.
#[derive(InputObject)]
pub struct ImportHsdsInput {
    /// Where the listings go (the document's own organisation is not used).
    pub organisation: ID,
    /// JSON text: a page of services (`contents`), an array of services, one service, or
    /// one organization with its `services`.
    pub document: String,
    /// The language of its texts: `fr` (default), `nl` or `en`.
    #[graphql(default_with = "\"fr\".to_owned()")]
    pub language: String,
    #[graphql(default_with = "UpsertMode::AllOrNothing")]
    pub mode: UpsertMode,
}

#[derive(SimpleObject)]
pub struct ImportHsdsPayload {
    /// One result per service of the document, as `upsertListings` gives them.
    pub listings: UpsertListingsPayload,
    /// What was left out (a value the mapping cannot read, a location outside the
    /// region, a category with no harmonised one), and why.
    pub issues: Vec<String>,
}

/// An organisation's official numbers, which syncs match upstream records by. A field
/// left out keeps its value; `null` removes it.
#[derive(InputObject)]
pub struct SetOrganisationIdentifiersInput {
    pub organisation: ID,
    /// The KBO/BCE enterprise number, check digits verified ("0212.347.945").
    pub kbo: MaybeUndefined<String>,
    /// The INAMI/RIZIV number (8 or 11 digits).
    pub nihii: MaybeUndefined<String>,
}

#[derive(SimpleObject)]
pub struct OrganisationPayload {
    pub result: WriteResult,
    pub organisation: Option<Organisation>,
}

#[derive(SimpleObject)]
pub struct ServicePayload {
    pub result: WriteResult,
    /// The service as it now reads.
    pub service: Option<Service>,
}

#[derive(SimpleObject)]
pub struct SitePayload {
    pub result: WriteResult,
    pub site: Option<Site>,
}

#[Object]
impl ListingMutation {
    /// A new service of an organisation (a partner: one of its own).
    async fn create_service(
        &self,
        ctx: &Context<'_>,
        input: CreateServiceInput,
    ) -> Option<ServicePayload> {
        let run = async {
            let organisation_id =
                ids::decode_as(&input.organisation, ids::Kind::Organisation, "organisation")?;
            let patch = service_patch(input.service)?;
            let target = ServiceTarget::New {
                organisation_id,
                external_id: input.external_id.map(|e| e.trim().to_owned()),
            };
            write_service(ctx, target, patch).await
        };
        answer(ctx, run.await, "service")
    }

    /// Changes a service; fields left out keep their value.
    async fn update_service(
        &self,
        ctx: &Context<'_>,
        input: UpdateServiceInput,
    ) -> Option<ServicePayload> {
        let run = async {
            let id = ids::decode_as(&input.id, ids::Kind::Service, "id")?;
            let patch = service_patch(input.service)?;
            let target = ServiceTarget::Existing {
                id,
                version: Some(input.version),
            };
            write_service(ctx, target, patch).await
        };
        answer(ctx, run.await, "service")
    }

    /// Marks a service inactive: hidden from the public, kept for professionals.
    async fn deactivate_service(
        &self,
        ctx: &Context<'_>,
        input: VersionedInput,
    ) -> Option<ServicePayload> {
        let run = async {
            let id = ids::decode_as(&input.id, ids::Kind::Service, "id")?;
            let patch = ServicePatch {
                status: Some(crate::domain::ServiceStatus::Inactive),
                ..ServicePatch::default()
            };
            let target = ServiceTarget::Existing {
                id,
                version: Some(input.version),
            };
            write_service(ctx, target, patch).await
        };
        answer(ctx, run.await, "")
    }

    /// Shows a service to the public, or withholds it.
    async fn publish_service(
        &self,
        ctx: &Context<'_>,
        input: PublishServiceInput,
    ) -> Option<ServicePayload> {
        let run = async {
            let id = ids::decode_as(&input.id, ids::Kind::Service, "id")?;
            let patch = ServicePatch {
                published: Some(input.published),
                ..ServicePatch::default()
            };
            let target = ServiceTarget::Existing {
                id,
                version: Some(input.version),
            };
            write_service(ctx, target, patch).await
        };
        // Its input has no `service` object: paths start at the input.
        answer(ctx, run.await, "")
    }

    /// Adds a note, verification or helpdesk tip of the caller's group to a service:
    /// zone partners anywhere, basin teams in their bassin.
    async fn annotate_service(
        &self,
        ctx: &Context<'_>,
        input: AnnotateServiceInput,
    ) -> Option<AnnotationPayload> {
        let run = async {
            let service_id = ids::decode_as(&input.service, ids::Kind::Service, "service")?;
            let group = match input.group.as_deref() {
                None => None,
                Some(code) => Some(crate::auth::Group::parse(code).ok_or_else(|| {
                    ApiError::bad_input("group", "`zone:bruzel` or `bassin:<key>`")
                })?),
            };
            let writer = writer(ctx, Origin::Curation)?;
            let txn = writer.begin().await?;
            let annotation = write::Annotation {
                kind: input.kind.into(),
                body: input.body,
                shared: input.shared,
                group,
            };
            let (id, _) = writer.annotate_in(&txn, service_id, annotation).await?;
            let model = entities::annotation::Entity::find_by_id(id)
                .one(&txn)
                .await
                .map_err(WriteError::Db)?
                .ok_or_else(|| ApiError::internal("the annotation just written is missing"))?;
            writer.commit(txn).await?;
            read_own_writes(ctx)?;
            Ok::<_, Refusal>(AnnotationPayload {
                annotation: Annotation { model },
            })
        };
        refuse(ctx, run.await, "")
    }

    /// Curates a service: publication review and professional lines (basin teams in
    /// their bassin, administrators).
    async fn curate_service(
        &self,
        ctx: &Context<'_>,
        input: CurateServiceInput,
    ) -> Option<ServicePayload> {
        let run = async {
            let id = ids::decode_as(&input.id, ids::Kind::Service, "id")?;
            let lines = input.internal_contacts.map(|lines| {
                lines
                    .into_iter()
                    .map(|c| Contact {
                        kind: ContactKind::from(c.kind),
                        value: c.value,
                        language: c.language,
                        internal: true,
                    })
                    .collect()
            });
            let writer = writer(ctx, Origin::Curation)?;
            let txn = writer.begin().await?;
            let written = writer
                .curate_in(&txn, id, Some(input.version), input.published, lines)
                .await?;
            writer.commit(txn).await?;
            read_own_writes(ctx)?;
            Ok::<_, Refusal>(written)
        };
        answer(ctx, run.await, "")
    }

    /// A new site (address and point) of an organisation.
    async fn create_site(&self, ctx: &Context<'_>, input: CreateSiteInput) -> Option<SitePayload> {
        let run = async {
            let organisation_id =
                ids::decode_as(&input.organisation, ids::Kind::Organisation, "organisation")?;
            let target = SiteTarget::New {
                organisation_id,
                external_id: input.external_id.map(|e| e.trim().to_owned()),
            };
            write_site(ctx, target, site_patch(input.site)).await
        };
        answer_site(ctx, run.await)
    }

    /// A partner's listings in one request, keyed by its own ids: created, updated, or
    /// left alone when unchanged (a repeated request changes nothing and says so). At
    /// most `api.max_upsert_items` items.
    async fn upsert_listings(
        &self,
        ctx: &Context<'_>,
        input: UpsertListingsInput,
    ) -> Option<UpsertListingsPayload> {
        let run = async {
            let max = state(ctx)?.config.api.max_upsert_items;
            if input.items.len() > max {
                return Err(ApiError::bad_input(
                    "items",
                    format!(
                        "at most {max} items per request ({} given)",
                        input.items.len()
                    ),
                )
                .into());
            }
            let organisation_id =
                ids::decode_as(&input.organisation, ids::Kind::Organisation, "organisation")?;
            let mut items = Vec::with_capacity(input.items.len());
            for (i, item) in input.items.into_iter().enumerate() {
                let service = service_patch(item.service)
                    .map_err(|e| prefixed(e, &format!("items[{i}].service")))?;
                items.push(ListingItem {
                    external_id: item.external_id.trim().to_owned(),
                    service,
                    sites: item
                        .sites
                        .into_iter()
                        .map(|s| (s.external_id.trim().to_owned(), site_patch(s.site)))
                        .collect(),
                });
            }
            let mode = match input.mode {
                UpsertMode::AllOrNothing => Mode::AllOrNothing,
                UpsertMode::Partial => Mode::Partial,
            };
            let writer = writer(ctx, Origin::Upsert)?;
            let (outcomes, applied) = writer.upsert(organisation_id, &items, mode).await?;
            read_own_writes(ctx)?;
            Ok::<_, Refusal>(upsert_payload(ctx, &items, outcomes, applied))
        };
        refuse(ctx, run.await, "")
    }

    /// Imports an Open Referral HSDS 3.0 document as the organisation's listings (by
    /// the document's service and location ids), through the same checks and audit as
    /// `upsertListings`.
    async fn import_hsds(
        &self,
        ctx: &Context<'_>,
        input: ImportHsdsInput,
    ) -> Option<ImportHsdsPayload> {
        let run = async {
            let organisation_id =
                ids::decode_as(&input.organisation, ids::Kind::Organisation, "organisation")?;
            let document: serde_json::Value = serde_json::from_str(&input.document)
                .map_err(|e| ApiError::bad_input("document", format!("not JSON: {e}")))?;
            if !["fr", "nl", "en"].contains(&input.language.as_str()) {
                return Err(ApiError::bad_input("language", "fr, nl or en").into());
            }
            let mode = match input.mode {
                UpsertMode::AllOrNothing => Mode::AllOrNothing,
                UpsertMode::Partial => Mode::Partial,
            };
            let writer = writer(ctx, Origin::Import)?;
            let max = state(ctx)?.config.api.max_upsert_items;
            let imported = writer
                .import_hsds(organisation_id, &document, &input.language, mode, max)
                .await?;
            read_own_writes(ctx)?;
            Ok::<_, Refusal>(ImportHsdsPayload {
                listings: upsert_payload(ctx, &imported.items, imported.outcomes, imported.applied),
                issues: imported.issues,
            })
        };
        refuse(ctx, run.await, "")
    }

    /// Sets a partner's own organisation's KBO/BCE and NIHII numbers; a number another
    /// organisation holds is refused (`taken`).
    async fn set_organisation_identifiers(
        &self,
        ctx: &Context<'_>,
        input: SetOrganisationIdentifiersInput,
    ) -> Option<OrganisationPayload> {
        let run = async {
            let organisation_id =
                ids::decode_as(&input.organisation, ids::Kind::Organisation, "organisation")?;
            let (kbo, nihii) = (change(input.kbo), change(input.nihii));
            let writer = writer(ctx, Origin::Mutation)?;
            let txn = writer.begin().await?;
            let written = writer
                .identifiers_in(&txn, organisation_id, &kbo, &nihii)
                .await?;
            writer.commit(txn).await?;
            read_own_writes(ctx)?;
            Ok::<_, Refusal>(written)
        };
        let written = refuse(ctx, run.await, "")?;
        let organisation = super::snapshot(ctx)
            .ok()
            .and_then(|s| s.organisation(written.id).cloned())
            .map(|entry| Organisation::new(entry, lang(ctx, None)));
        Some(OrganisationPayload {
            result: WriteResult::of(&written, ""),
            organisation,
        })
    }

    /// Changes a site; the services there are found by its new address at once.
    async fn update_site(&self, ctx: &Context<'_>, input: UpdateSiteInput) -> Option<SitePayload> {
        let run = async {
            let id = ids::decode_as(&input.id, ids::Kind::Site, "id")?;
            let target = SiteTarget::Existing {
                id,
                version: Some(input.version),
            };
            write_site(ctx, target, site_patch(input.site)).await
        };
        answer_site(ctx, run.await)
    }
}

/// A refusal: either an `ApiError` or the write's own.
pub(crate) enum Refusal {
    Api(ApiError),
    Write(WriteError),
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        Refusal::Api(error)
    }
}

impl From<WriteError> for Refusal {
    fn from(error: WriteError) -> Self {
        Refusal::Write(error)
    }
}

/// A writer for the request's principal.
pub(crate) fn writer<'a>(ctx: &Context<'a>, origin: Origin) -> ApiResult<Writer<'a>> {
    let state = state(ctx)?;
    let principal = principal(ctx)?;
    if principal.subject.is_none() {
        return Err(ApiError::Unauthenticated);
    }
    Ok(Writer {
        db: &state.db.conn,
        reference: &state.reference,
        priority: state.config.source_priority(),
        read_model: &state.read_model,
        principal,
        origin,
        request_id: ctx.data_opt::<super::RequestId>().map(|id| id.0.clone()),
    })
}

/// After a commit: the rest of the request reads the snapshot holding the write.
pub(crate) fn read_own_writes(ctx: &Context<'_>) -> ApiResult<()> {
    let state = state(ctx)?;
    if let Ok(cell) = ctx.data::<SnapshotCell>() {
        cell.set(state.read_model.snapshot());
    }
    Ok(())
}

async fn write_service(
    ctx: &Context<'_>,
    target: ServiceTarget,
    patch: ServicePatch,
) -> Result<Written, Refusal> {
    let writer = writer(ctx, Origin::Mutation)?;
    let txn = writer.begin().await?;
    let written = writer
        .service_in(&txn, &target, &patch, &Default::default())
        .await?;
    writer.commit(txn).await?;
    read_own_writes(ctx)?;
    Ok(written)
}

async fn write_site(
    ctx: &Context<'_>,
    target: SiteTarget,
    patch: SitePatch,
) -> Result<Written, Refusal> {
    let writer = writer(ctx, Origin::Mutation)?;
    let txn = writer.begin().await?;
    let written = writer.site_in(&txn, &target, &patch).await?;
    writer.commit(txn).await?;
    read_own_writes(ctx)?;
    Ok(written)
}

fn answer(
    ctx: &Context<'_>,
    result: Result<Written, Refusal>,
    prefix: &str,
) -> Option<ServicePayload> {
    let written = refuse(ctx, result, prefix)?;
    let service = super::snapshot(ctx)
        .ok()
        .and_then(|s| s.service(written.id).cloned())
        .map(|entry| Service::new(entry, lang(ctx, None)));
    Some(ServicePayload {
        result: WriteResult::of(&written, prefix),
        service,
    })
}

fn answer_site(ctx: &Context<'_>, result: Result<Written, Refusal>) -> Option<SitePayload> {
    let written = refuse(ctx, result, "site")?;
    let site = super::snapshot(ctx)
        .ok()
        .and_then(|s| s.site(written.id).cloned())
        .map(|entry| Site {
            entry,
            lang: lang(ctx, None),
        });
    Some(SitePayload {
        result: WriteResult::of(&written, "site"),
        site,
    })
}

/// The value of a write, or `None` with its errors added at the field's path: one
/// error per invalid field.
pub(crate) fn refuse<T>(ctx: &Context<'_>, result: Result<T, Refusal>, prefix: &str) -> Option<T> {
    let errors = match result {
        Ok(value) => return Some(value),
        Err(Refusal::Api(error)) => vec![async_graphql::Error::from(error)],
        Err(Refusal::Write(error)) => write_errors(error, prefix),
    };
    for error in errors {
        let error = error.into_server_error(ctx.item.pos);
        ctx.add_error(ctx.set_error_path(error));
    }
    None
}

/// A write's refusal as GraphQL errors with stable codes; `prefix` is where the
/// listing's fields sit in the input (`service`, `items[3]`).
pub(crate) fn write_errors(error: WriteError, prefix: &str) -> Vec<async_graphql::Error> {
    let with_code = |message: String, code: ErrorCode| {
        async_graphql::Error::new(message).extend_with(move |_, e| e.set("code", code.as_str()))
    };
    match error {
        WriteError::Invalid(fields) => fields.into_iter().map(|f| field_error(f, prefix)).collect(),
        WriteError::Forbidden => vec![ApiError::Forbidden.into()],
        WriteError::NotFound(field) => vec![
            with_code(format!("no such {field}"), ErrorCode::NotFound)
                .extend_with(move |_, e| e.set("field", field.as_str())),
        ],
        WriteError::Conflict { current } => vec![
            with_code(
                format!("the listing changed: version {current} is current; read it again"),
                ErrorCode::Conflict,
            )
            .extend_with(move |_, e| e.set("currentVersion", current)),
        ],
        WriteError::Concurrent => vec![with_code(
            "another request created a listing with this external id at the same time; retry"
                .to_owned(),
            ErrorCode::Conflict,
        )],
        WriteError::Db(error) => vec![ApiError::internal(error).into()],
    }
}

fn field_error(error: FieldError, prefix: &str) -> async_graphql::Error {
    // `externalId` sits beside the listing's fields in the input, not among them.
    let field = if prefix.is_empty() || error.field == "externalId" {
        error.field
    } else {
        format!("{prefix}.{}", error.field)
    };
    async_graphql::Error::new(format!("{field}: {}", error.message)).extend_with(move |_, e| {
        e.set("code", ErrorCode::ValidationFailed.as_str());
        e.set("field", field.as_str());
        e.set("reason", error.reason);
    })
}

/// An input error of an item, its argument under the item's path.
fn prefixed(error: ApiError, prefix: &str) -> ApiError {
    match error {
        ApiError::BadUserInput { argument, message } => ApiError::BadUserInput {
            argument: format!("{prefix}.{argument}"),
            message,
        },
        other => other,
    }
}

fn upsert_payload(
    ctx: &Context<'_>,
    items: &[ListingItem],
    outcomes: Vec<ItemOutcome>,
    applied: bool,
) -> UpsertListingsPayload {
    let snapshot = super::snapshot(ctx).ok();
    let mut payload = UpsertListingsPayload {
        applied,
        created: 0,
        updated: 0,
        unchanged: 0,
        failed: 0,
        results: Vec::with_capacity(outcomes.len()),
    };
    for (i, (item, outcome)) in items.iter().zip(outcomes).enumerate() {
        let prefix = format!("items[{i}]");
        let status = match (&outcome.service, outcome.errors.is_empty()) {
            (_, false) => ListingStatus::Failed,
            (None, true) => ListingStatus::NotApplied,
            (Some(written), true) => match written.action {
                "created" => ListingStatus::Created,
                "unchanged" if outcome.sites.iter().all(|s| s.action == "unchanged") => {
                    ListingStatus::Unchanged
                }
                _ => ListingStatus::Updated,
            },
        };
        match status {
            ListingStatus::Created => payload.created += 1,
            ListingStatus::Updated => payload.updated += 1,
            ListingStatus::Unchanged => payload.unchanged += 1,
            ListingStatus::Failed => payload.failed += 1,
            ListingStatus::NotApplied => {}
        }
        let mut changed: Vec<String> = outcome
            .service
            .as_ref()
            .map(|s| s.changed.clone())
            .unwrap_or_default();
        for (j, site) in outcome.sites.iter().enumerate() {
            changed.extend(site.changed.iter().map(|f| format!("sites[{j}].{f}")));
        }
        let warnings = outcome
            .sites
            .iter()
            .enumerate()
            .flat_map(|(j, site)| {
                WriteResult::of(site, &format!("{prefix}.sites[{j}].site")).warnings
            })
            .collect();
        payload.results.push(ListingResult {
            index: i32::try_from(i).unwrap_or(i32::MAX),
            external_id: item.external_id.clone(),
            status,
            service: outcome.service.as_ref().and_then(|w| {
                snapshot
                    .as_ref()
                    .and_then(|s| s.service(w.id).cloned())
                    .map(|entry| Service::new(entry, lang(ctx, None)))
            }),
            version: outcome.service.as_ref().map(|w| w.version),
            changed_fields: changed,
            not_applied: outcome
                .service
                .as_ref()
                .map(|w| WriteResult::of(w, &prefix).not_applied)
                .unwrap_or_default(),
            errors: outcome
                .errors
                .into_iter()
                .map(|e| FieldIssue {
                    field: format!("{prefix}.{}", e.field),
                    reason: e.reason.to_owned(),
                    message: e.message,
                })
                .collect(),
            warnings,
        });
    }
    payload
}

fn change(value: MaybeUndefined<String>) -> write::validate::Change<String> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// GraphQL service fields as a write's patch; a site named by a malformed id is an
/// input error.
pub(crate) fn service_patch(fields: ServiceFields) -> ApiResult<ServicePatch> {
    let locations = match fields.locations {
        None => None,
        Some(locations) => {
            let mut out = Vec::with_capacity(locations.len());
            for (i, l) in locations.into_iter().enumerate() {
                let site = match (&l.site, &l.site_external_id) {
                    (Some(id), None) => SiteRef::Id(ids::decode_as(
                        id,
                        ids::Kind::Site,
                        &format!("locations[{i}].site"),
                    )?),
                    (None, Some(key)) => SiteRef::External(key.trim().to_owned()),
                    _ => {
                        return Err(ApiError::bad_input(
                            format!("locations[{i}]"),
                            "give exactly one of `site` and `siteExternalId`",
                        ));
                    }
                };
                out.push(Location {
                    site,
                    schedule: l
                        .schedule
                        .into_iter()
                        .map(|o| Opening {
                            weekday: o.weekday,
                            opens: o.opens,
                            closes: o.closes,
                        })
                        .collect(),
                    schedule_remark_fr: l.schedule_remark_fr,
                    schedule_remark_nl: l.schedule_remark_nl,
                    wheelchair_accessible: l.wheelchair_accessible,
                    accessibility_note_fr: l.accessibility_note_fr,
                    accessibility_note_nl: l.accessibility_note_nl,
                });
            }
            Some(out)
        }
    };
    Ok(ServicePatch {
        name_fr: change(fields.name_fr),
        name_nl: change(fields.name_nl),
        name_en: change(fields.name_en),
        description_fr: change(fields.description_fr),
        description_nl: change(fields.description_nl),
        description_en: change(fields.description_en),
        target_public_fr: change(fields.target_public_fr),
        target_public_nl: change(fields.target_public_nl),
        target_public_en: change(fields.target_public_en),
        categories: fields.categories,
        languages: fields.languages,
        fee: fields.fee.map(Into::into),
        referral_required: fields.referral_required,
        status: fields.status.map(Into::into),
        published: fields.published,
        contacts: fields.contacts.map(|contacts| {
            contacts
                .into_iter()
                .map(|c| Contact {
                    kind: ContactKind::from(c.kind),
                    value: c.value,
                    language: c.language,
                    internal: c.internal,
                })
                .collect()
        }),
        lines: None,
        locations,
    })
}

pub(crate) fn site_patch(fields: SiteFields) -> SitePatch {
    SitePatch {
        street_fr: change(fields.street_fr),
        street_nl: change(fields.street_nl),
        house_number: change(fields.house_number),
        postcode: change(fields.postcode),
        municipality_fr: change(fields.municipality_fr),
        municipality_nl: change(fields.municipality_nl),
        point: match fields.point {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(p) => Some(Some(Point {
                lat: p.lat,
                lon: p.lon,
            })),
        },
    }
}

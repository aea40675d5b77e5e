//! Writes: partners keep their own listings (services with their contacts, places and
//! opening hours; sites), administrators any. Relay-style: one `input` argument, a
//! payload with the listing as it now reads. Every rule is in `write`; here the
//! GraphQL inputs become its patches and its refusals become errors with stable codes.

use async_graphql::{
    Context, Enum, ErrorExtensions, ID, InputObject, MaybeUndefined, Object, SimpleObject,
};

use super::{
    ApiError, ApiResult, SnapshotCell, ids, lang, principal, state,
    types::{Fee, Service, ServiceStatus, Site},
};
use crate::{
    domain::ContactKind,
    error_code::ErrorCode,
    geo::Point,
    write::{
        self, FieldError, Origin, ServicePatch, ServiceTarget, SitePatch, SiteRef, SiteTarget,
        WriteError, Writer, Written,
        validate::{ContactInput as Contact, LocationInput as Location, OpeningInput as Opening},
    },
};

#[derive(Default)]
pub struct Mutation;

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
    /// The listing's version after the write.
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
impl Mutation {
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
        answer(ctx, run.await, "service")
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
        answer(ctx, run.await, "service")
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
        WriteError::Db(error) => vec![ApiError::internal(error).into()],
    }
}

fn field_error(error: FieldError, prefix: &str) -> async_graphql::Error {
    let field = if prefix.is_empty() {
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

//! What every writer of the directory shares: the inputs a sync maps records into and
//! the rows they become (with the territories of each site computed from its point),
//! curation by professionals, annotations, and the change log every write transaction
//! ends with.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entities::{
    accreditation, change_log, contact_point, organisation, service, service_at_site,
    service_category, service_language, site, site_territory, source,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QuerySelect, TransactionTrait, sea_query::Expr,
};

use crate::{
    domain::{
        AccreditationKind, ContactError, Email, Fee, Kbo, LanguageCode, Nihii, Opening, Phone,
        Seen, ServiceStatus, WebUrl, normalize_for_search,
    },
    geo::Point,
    reference::Reference,
};

use crate::domain::{AnnotationKind, ContactKind, Visibility};

/// A change professionals make to listings beside what their upstreams say. The demo's
/// working space is written this way, and the partner and curation write API will be.
#[derive(Clone, Debug)]
pub enum Curation {
    /// Shows a service to the public, or hides it.
    Publish { service_id: i32, published: bool },
    /// A contact reserved to professionals, on an organisation or one of its services.
    InternalContact {
        organisation_id: i32,
        service_id: Option<i32>,
        kind: ContactKind,
        value: String,
    },
}

/// Applies `changes` in the caller's transaction, all or none: every contact is parsed and
/// every service and organisation looked up before anything is written. Returns what
/// changed; the caller records it ([`record_changes`]) before it commits.
/// Like [`insert_annotation`], it decides nothing about who may: a caller acting for a
/// principal asks the policy (`Principal::can`) first.
pub async fn curate_in<C: ConnectionTrait>(
    db: &C,
    changes: &[Curation],
    origin: &'static str,
) -> Result<Vec<Change>, StoreError> {
    let mut service_ids: Vec<i32> = Vec::new();
    let mut organisation_ids: Vec<i32> = Vec::new();
    for change in changes {
        match change {
            Curation::Publish { service_id, .. } => service_ids.push(*service_id),
            Curation::InternalContact {
                organisation_id,
                service_id,
                ..
            } => {
                organisation_ids.push(*organisation_id);
                service_ids.extend(service_id);
            }
        }
    }
    // Each service's organisation, and who sees it.
    let owners: HashMap<i32, (i32, bool, ServiceStatus)> = service::Entity::find()
        .filter(service::Column::Id.is_in(service_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, (s.organisation_id, s.published, s.status)))
        .collect();
    let organisations: HashSet<i32> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(organisation::Column::Id.is_in(organisation_ids.iter().copied()))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut touched = Vec::new();
    let field = |name: &str| [name.to_owned()];
    let mut contacts = Vec::new();
    let mut published: Vec<(i32, bool)> = Vec::new();
    for change in changes {
        match change {
            Curation::Publish {
                service_id,
                published: shown,
            } => {
                let &(owner, before, status) = owners
                    .get(service_id)
                    .ok_or(StoreError::UnknownService(*service_id))?;
                touched.push(Change::service(
                    owner,
                    *service_id,
                    "updated",
                    field("published"),
                    origin,
                    (Some(Seen::of(before, status)), Seen::of(*shown, status)),
                ));
                published.push((*service_id, *shown));
            }
            Curation::InternalContact {
                organisation_id,
                service_id,
                kind,
                value,
            } => {
                if !organisations.contains(organisation_id) {
                    return Err(StoreError::UnknownOrganisation(*organisation_id));
                }
                let seen = match service_id {
                    None => None,
                    Some(service) => match owners.get(service) {
                        None => return Err(StoreError::UnknownService(*service)),
                        Some((owner, ..)) if owner != organisation_id => {
                            return Err(StoreError::NotTheOrganisations {
                                service: *service,
                                organisation: *organisation_id,
                            });
                        }
                        Some(&(_, published, status)) => Some(Seen::of(published, status)),
                    },
                };
                let value = match kind {
                    ContactKind::Phone => Phone::parse(value).map(String::from),
                    ContactKind::Email => Email::parse(value).map(String::from),
                    ContactKind::Web => WebUrl::parse(value).map(String::from),
                }?;
                touched.push(match (service_id, seen) {
                    (Some(service), Some(seen)) => Change::service(
                        *organisation_id,
                        *service,
                        "updated",
                        field("contacts"),
                        origin,
                        (Some(seen), seen),
                    ),
                    _ => Change::of(
                        "organisation",
                        *organisation_id,
                        *organisation_id,
                        "updated",
                        field("contacts"),
                        origin,
                    ),
                });
                contacts.push(contact_point::ActiveModel {
                    organisation_id: Set(service_id.is_none().then_some(*organisation_id)),
                    service_id: Set(*service_id),
                    kind: Set(*kind),
                    value: Set(value),
                    language: Set(None),
                    internal: Set(true),
                    ..Default::default()
                });
            }
        }
    }
    let now = Utc::now();
    for (service_id, shown) in published {
        service::Entity::update_many()
            .col_expr(service::Column::Published, Expr::value(shown))
            .col_expr(service::Column::UpdatedAt, Expr::value(now))
            .filter(service::Column::Id.eq(service_id))
            .exec(db)
            .await?;
    }
    if !contacts.is_empty() {
        contact_point::Entity::insert_many(contacts)
            .exec_without_returning(db)
            .await?;
    }
    Ok(touched)
}

/// [`curate_in`] in a transaction of its own, recorded in the change log as curation.
pub async fn curate(
    db: &DatabaseConnection,
    changes: &[Curation],
) -> Result<Vec<Change>, StoreError> {
    let txn = db.begin().await?;
    let touched = curate_in(&txn, changes, "curation").await?;
    record_changes(&txn, &touched).await?;
    txn.commit().await?;
    Ok(touched)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no service {0}")]
    UnknownService(i32),
    #[error("service {service} is not one of organisation {organisation}'s")]
    NotTheOrganisations { service: i32, organisation: i32 },
    #[error("no organisation {0}")]
    UnknownOrganisation(i32),
    #[error(transparent)]
    InvalidContact(#[from] ContactError),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

#[derive(Clone, Debug)]
pub struct ContactInput {
    pub kind: ContactKind,
    pub value: String,
    pub language: Option<LanguageCode>,
}

#[derive(Clone, Debug, Default)]
pub struct SiteInput {
    /// Local key the services of the same input refer to.
    pub key: String,
    pub street_fr: Option<String>,
    pub street_nl: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub municipality_fr: Option<String>,
    pub municipality_nl: Option<String>,
    pub point: Option<Point>,
}

#[derive(Clone, Debug, Default)]
pub struct LocationInput {
    pub site_key: String,
    pub schedule: Vec<Opening>,
    pub schedule_remark_fr: Option<String>,
    pub schedule_remark_nl: Option<String>,
    pub wheelchair_accessible: Option<bool>,
    pub accessibility_note_fr: Option<String>,
    pub accessibility_note_nl: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AccreditationInput {
    pub authority: String,
    pub kind: AccreditationKind,
    pub legal_basis: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct ServiceInput {
    pub upstream_id: String,
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub description_fr: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    pub target_public_fr: Option<String>,
    pub target_public_nl: Option<String>,
    pub target_public_en: Option<String>,
    pub categories: Vec<String>,
    pub languages: Vec<LanguageCode>,
    pub fee: Fee,
    pub referral_required: bool,
    pub status: ServiceStatus,
    pub published: bool,
    pub locations: Vec<LocationInput>,
    pub accreditations: Vec<AccreditationInput>,
    pub contacts: Vec<ContactInput>,
}

#[derive(Clone, Debug, Default)]
pub struct OrganisationInput {
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub legal_status_fr: Option<String>,
    pub legal_status_nl: Option<String>,
    pub website: Option<String>,
    pub kbo: Option<Kbo>,
    pub nihii: Option<Nihii>,
    pub sites: Vec<SiteInput>,
    pub services: Vec<ServiceInput>,
}

pub(crate) fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits for
/// the widest staged table.
pub(crate) const ROWS_PER_INSERT: usize = 500;

/// Inserts `rows` in batches (none for an empty list).
pub(crate) async fn insert_all<A, C>(db: &C, rows: Vec<A>) -> Result<(), sea_orm::DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Finds or creates the source row a record comes from.
pub async fn ensure_source<C: ConnectionTrait>(
    db: &C,
    name: &str,
    kind: &str,
) -> Result<i32, StoreError> {
    if let Some(existing) = source::Entity::find()
        .filter(source::Column::Name.eq(name))
        .one(db)
        .await?
    {
        return Ok(existing.id);
    }
    let created = source::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set(kind.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// What a writer changed in one listing, for the change log (the read model's followers
/// and the change feed). Every writer records its changes ([`record_changes`]).
#[derive(Clone, Debug)]
pub struct Change {
    pub organisation_id: i32,
    /// `service`, `site`, `organisation` or `annotation`.
    pub entity: &'static str,
    pub entity_id: i32,
    /// `created`, `updated`, `deactivated` or `deleted`; `visibility` for an
    /// organisation or site its services moved into or out of view.
    pub action: &'static str,
    /// The changed fields (the audit trail's names).
    pub fields: Vec<String>,
    /// `sync`, `mutation`, `upsert`, `import`, `curation` or `demo`.
    pub origin: &'static str,
    /// A service's visibility before (none when created) and after.
    pub seen: Option<(Option<Seen>, Seen)>,
}

impl Change {
    /// The fields a service's change is logged with: the audit trail's changed fields
    /// (`listing::changes`), and [`PLACES`] when the sites of its `locations` differ.
    pub fn service_fields(changes: &BTreeMap<String, [serde_json::Value; 2]>) -> Vec<String> {
        let sites = |locations: &serde_json::Value| -> BTreeSet<i64> {
            locations
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|location| location["site"].as_i64())
                .collect()
        };
        let mut fields: Vec<String> = changes.keys().cloned().collect();
        if let Some([before, after]) = changes.get("locations")
            && sites(before) != sites(after)
        {
            fields.push(PLACES.to_owned());
        }
        fields
    }

    /// A change of a service, its visibility before (`None`: created) and after.
    pub fn service(
        organisation_id: i32,
        id: i32,
        action: &'static str,
        fields: impl IntoIterator<Item = String>,
        origin: &'static str,
        seen: (Option<Seen>, Seen),
    ) -> Change {
        Change {
            organisation_id,
            entity: "service",
            entity_id: id,
            action,
            fields: fields.into_iter().collect(),
            origin,
            seen: Some(seen),
        }
    }

    /// A change of a site, an organisation or an annotation.
    pub fn of(
        entity: &'static str,
        organisation_id: i32,
        id: i32,
        action: &'static str,
        fields: impl IntoIterator<Item = String>,
        origin: &'static str,
    ) -> Change {
        Change {
            organisation_id,
            entity,
            entity_id: id,
            action,
            fields: fields.into_iter().collect(),
            origin,
            seen: None,
        }
    }
}

/// Logs these changes in the caller's transaction, which must commit right after: on
/// PostgreSQL the log is locked until then, so sequence numbers become visible in
/// commit order and a reader of "everything after n" (a follower, a feed consumer)
/// misses nothing. Followers are notified on commit.
pub async fn record_changes<C: ConnectionTrait>(
    db: &C,
    changes: &[Change],
) -> Result<(), sea_orm::DbErr> {
    if changes.is_empty() {
        return Ok(());
    }
    let postgres = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    if postgres {
        db.execute_unprepared("LOCK TABLE change_log IN SHARE ROW EXCLUSIVE MODE")
            .await?;
    }
    let Holders {
        moved: mut derived,
        created,
    } = holders(db, changes).await?;
    derived.extend(services_at_moved_sites(db, changes).await?);
    let now = Utc::now();
    let rows = changes.iter().chain(&derived).map(|change| {
        // An organisation or site created: how it is seen from the start.
        let seen = change.seen.or_else(|| {
            created
                .get(&(change.entity, change.entity_id))
                .map(|after| (None, *after))
        });
        change_log::ActiveModel {
            organisation_id: Set(change.organisation_id),
            changed_at: Set(now),
            entity: Set(change.entity.to_owned()),
            entity_id: Set(Some(change.entity_id)),
            action: Set(change.action.to_owned()),
            fields: Set(change.fields.join(" ")),
            origin: Set(change.origin.to_owned()),
            seen_before: Set(seen
                .and_then(|(before, _)| before)
                .map(|s| s.as_str().to_owned())),
            seen_after: Set(seen.map(|(_, after)| after.as_str().to_owned())),
            ..Default::default()
        }
    });
    insert_all(db, rows.collect()).await?;
    if postgres {
        db.execute_unprepared(&format!(
            "SELECT pg_notify('{}', '')",
            crate::read_model::CHANNEL
        ))
        .await?;
    }
    Ok(())
}

/// The fields of a site that say which territories it is in (they are found from its
/// point).
pub const SITE_PLACE_FIELDS: [&str; 2] = ["lat", "lon"];

/// Logged with a service's change, beside its audit fields, when the sites it is at
/// moved or changed (not only their hours): it may be in other territories.
pub const PLACES: &str = "places";

/// The services at the sites these changes moved to another point (and so perhaps to
/// other territories), each a change of [`PLACES`] of its own unless the write logged
/// one: a consumer following a territory is told of those that left it.
async fn services_at_moved_sites<C: ConnectionTrait>(
    db: &C,
    changes: &[Change],
) -> Result<Vec<Change>, sea_orm::DbErr> {
    let moved: HashMap<i32, &Change> = changes
        .iter()
        .filter(|c| {
            c.entity == "site"
                && c.action == "updated"
                && c.fields
                    .iter()
                    .any(|f| SITE_PLACE_FIELDS.contains(&f.as_str()))
        })
        .map(|c| (c.entity_id, c))
        .collect();
    if moved.is_empty() {
        return Ok(Vec::new());
    }
    let told: HashSet<i32> = changes
        .iter()
        .filter(|c| c.entity == "service" && c.fields.iter().any(|f| f == PLACES))
        .map(|c| c.entity_id)
        .collect();
    let sites: Vec<i32> = moved.keys().copied().collect();
    // Each service once, with the first moved site it is at.
    let mut at: BTreeMap<i32, i32> = BTreeMap::new();
    for (service, site) in links(db, service_at_site::Column::SiteId, &sites).await? {
        if !told.contains(&service) {
            at.entry(service).or_insert(site);
        }
    }
    let ids: Vec<i32> = at.keys().copied().collect();
    let mut services = services_seen(db, service::Column::Id, &ids).await?;
    services.sort_unstable_by_key(|(id, ..)| *id);
    Ok(services
        .into_iter()
        .map(|(id, organisation, seen)| {
            Change::service(
                organisation,
                id,
                "updated",
                [PLACES.to_owned()],
                moved[&at[&id]].origin,
                (Some(seen), seen),
            )
        })
        .collect())
}

/// Ids per `IN (…)` list: well under both databases' bound-parameter limits.
pub(crate) const IDS_PER_STATEMENT: usize = 1_000;

/// How the services whose `column` (their id, or their organisation) is among `ids` are
/// seen now: (id, organisation, visibility).
async fn services_seen<C: ConnectionTrait>(
    db: &C,
    column: service::Column,
    ids: &[i32],
) -> Result<Vec<(i32, i32, Seen)>, sea_orm::DbErr> {
    let mut seen = Vec::new();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let rows: Vec<(i32, i32, bool, entities::vocab::ServiceStatus)> = service::Entity::find()
            .select_only()
            .column(service::Column::Id)
            .column(service::Column::OrganisationId)
            .column(service::Column::Published)
            .column(service::Column::Status)
            .filter(column.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        seen.extend(
            rows.into_iter()
                .map(|(id, organisation, published, status)| {
                    (id, organisation, Seen::of(published, status))
                }),
        );
    }
    Ok(seen)
}

/// The (service, site) links whose `column` (the service or the site) is among `ids`.
async fn links<C: ConnectionTrait>(
    db: &C,
    column: service_at_site::Column,
    ids: &[i32],
) -> Result<Vec<(i32, i32)>, sea_orm::DbErr> {
    let mut links = Vec::new();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let rows: Vec<(i32, i32)> = service_at_site::Entity::find()
            .select_only()
            .column(service_at_site::Column::ServiceId)
            .column(service_at_site::Column::SiteId)
            .filter(column.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        links.extend(rows);
    }
    Ok(links)
}

/// The organisations and sites whose visibility these changes moved, and how those the
/// changes create are seen. Each is seen through the services it offers (there), as the
/// most visible of them (`ServiceScope::admits_holder`): the last public service
/// unpublished takes it out of the public's view, the first published brings it in.
/// Such a move is a change of its own, `visibility`, with the holder's visibility
/// before and after; a created holder's row carries how it is seen from the start. So
/// the feed tells each caller, once, of what enters or leaves its view. Read after the
/// writes, in their transaction, in a few queries whatever the number of changes.
async fn holders<C: ConnectionTrait>(
    db: &C,
    changes: &[Change],
) -> Result<Holders, sea_orm::DbErr> {
    // Services whose visibility moved, and how they were seen before (`None`: new).
    let moved: HashMap<i32, (&Change, Option<Seen>)> = changes
        .iter()
        .filter(|c| c.entity == "service")
        .filter_map(|c| {
            let (before, after) = c.seen?;
            (before != Some(after)).then_some((c.entity_id, (c, before)))
        })
        .collect();
    let created = |entity: &str| -> BTreeSet<i32> {
        changes
            .iter()
            .filter(|c| c.entity == entity && c.action == "created")
            .map(|c| c.entity_id)
            .collect()
    };
    let (created_organisations, created_sites) = (created("organisation"), created("site"));
    if moved.is_empty() && created_organisations.is_empty() && created_sites.is_empty() {
        return Ok(Holders::default());
    }
    // The organisations concerned: every site's services are its organisation's.
    let organisations: BTreeSet<i32> = moved
        .values()
        .map(|(c, _)| c.organisation_id)
        .chain(created_organisations.iter().copied())
        .chain(
            changes
                .iter()
                .filter(|c| c.entity == "site" && created_sites.contains(&c.entity_id))
                .map(|c| c.organisation_id),
        )
        .collect();
    let organisations: Vec<i32> = organisations.into_iter().collect();
    // Their services now, with how each was seen before; `None` after: deleted.
    let mut services: HashMap<i32, (Option<Seen>, Option<Seen>)> = HashMap::new();
    let mut of: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    let mut organisation_of: HashMap<i32, i32> = HashMap::new();
    for (id, organisation, now) in
        services_seen(db, service::Column::OrganisationId, &organisations).await?
    {
        let before = moved.get(&id).map_or(Some(now), |(_, before)| *before);
        services.insert(id, (before, Some(now)));
        of.entry(organisation).or_default().push(id);
        organisation_of.insert(id, organisation);
    }
    for (id, (change, before)) in &moved {
        if !services.contains_key(id) {
            services.insert(*id, (*before, None));
            of.entry(change.organisation_id).or_default().push(*id);
            organisation_of.insert(*id, change.organisation_id);
        }
    }
    // The sites concerned: those of the moved services, and the created ones.
    let moved_ids: Vec<i32> = moved.keys().copied().collect();
    let mut sites = created_sites.clone();
    let of_moved = links(db, service_at_site::Column::ServiceId, &moved_ids).await?;
    sites.extend(of_moved.into_iter().map(|(_, site)| site));
    let sites: Vec<i32> = sites.into_iter().collect();
    // The services at each (a site's services are all its organisation's).
    let mut at: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for (service, site) in links(db, service_at_site::Column::SiteId, &sites).await? {
        at.entry(site).or_default().push(service);
    }
    // The most visible of these services, before and after (`Hidden` when none).
    let seen = |ids: &[i32]| {
        let mut seen = (Seen::Hidden, Seen::Hidden);
        for (before, after) in ids.iter().filter_map(|id| services.get(id)) {
            seen.0 = seen.0.max(before.unwrap_or(Seen::Hidden));
            seen.1 = seen.1.max(after.unwrap_or(Seen::Hidden));
        }
        seen
    };
    // Who moved them: one writer logs one call's changes.
    let origin = |ids: &[i32]| {
        ids.iter()
            .find_map(|id| moved.get(id))
            .map_or(changes[0].origin, |(c, _)| c.origin)
    };
    let mut holders = Holders::default();
    let no_services = Vec::new();
    let organisations = organisations
        .iter()
        .map(|id| ("organisation", *id, *id, of.get(id).unwrap_or(&no_services)));
    let sites_at = sites.iter().map(|id| {
        let services = at.get(id).unwrap_or(&no_services);
        // Only a created site can have no service; its organisation is not logged here.
        let organisation = services
            .first()
            .and_then(|service| organisation_of.get(service))
            .copied()
            .unwrap_or_default();
        ("site", *id, organisation, services)
    });
    for (entity, id, organisation, services) in organisations.chain(sites_at) {
        let (before, after) = seen(services);
        let created = match entity {
            "organisation" => created_organisations.contains(&id),
            _ => created_sites.contains(&id),
        };
        if created {
            holders.created.insert((entity, id), after);
        } else if before != after {
            holders.moved.push(Change {
                seen: Some((Some(before), after)),
                ..Change::of(
                    entity,
                    organisation,
                    id,
                    "visibility",
                    Vec::new(),
                    origin(services),
                )
            });
        }
    }
    Ok(holders)
}

/// What [`holders`] found.
#[derive(Default)]
struct Holders {
    /// A `visibility` change for each organisation or site whose visibility moved.
    moved: Vec<Change>,
    /// How each organisation or site the changes create is seen.
    created: HashMap<(&'static str, i32), Seen>,
}

/// One audit trail entry: `changes` maps each changed field to `[before, after]`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn audit_row(
    actor: String,
    role: &str,
    origin: &str,
    organisation_id: i32,
    entity: &str,
    entity_id: i32,
    action: &str,
    changes: &std::collections::BTreeMap<String, [serde_json::Value; 2]>,
    request_id: Option<String>,
) -> entities::audit_entry::ActiveModel {
    entities::audit_entry::ActiveModel {
        at: Set(Utc::now()),
        actor: Set(actor),
        role: Set(role.to_owned()),
        origin: Set(origin.to_owned()),
        organisation_id: Set(Some(organisation_id)),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(action.to_owned()),
        changes: Set(serde_json::to_string(changes).unwrap_or_else(|_| "{}".to_owned())),
        request_id: Set(request_id),
        ..Default::default()
    }
}

pub(crate) fn contact(
    input: &ContactInput,
    organisation_id: Option<i32>,
    service_id: Option<i32>,
) -> contact_point::ActiveModel {
    contact_point::ActiveModel {
        organisation_id: Set(organisation_id),
        service_id: Set(service_id),
        kind: Set(input.kind),
        value: Set(input.value.trim().to_owned()),
        language: Set(input.language.as_ref().map(|l| l.as_str().to_owned())),
        // Upstream contacts are public; professional lines come from `curate`.
        internal: Set(false),
        ..Default::default()
    }
}

/// A new annotation of a professional group on a service. The caller has asked the
/// policy (`Principal::can`) first.
#[derive(Clone, Debug)]
pub struct AnnotationInput {
    pub service_id: i32,
    pub group: crate::auth::Group,
    pub shared: bool,
    pub kind: AnnotationKind,
    pub body: String,
    pub author: String,
}

pub async fn insert_annotation<C: ConnectionTrait>(
    db: &C,
    input: &AnnotationInput,
) -> Result<i32, StoreError> {
    let now = Utc::now();
    let created = entities::annotation::ActiveModel {
        service_id: Set(input.service_id),
        group_code: Set(input.group.code()),
        visibility: Set(if input.shared {
            Visibility::Shared
        } else {
            Visibility::Private
        }),
        kind: Set(input.kind),
        body: Set(input.body.trim().to_owned()),
        author: Set(input.author.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// A new site row of an organisation.
pub(crate) fn site_model(organisation_id: i32, input: &SiteInput) -> site::ActiveModel {
    site::ActiveModel {
        organisation_id: Set(organisation_id),
        street_fr: Set(blank_to_none(&input.street_fr)),
        street_nl: Set(blank_to_none(&input.street_nl)),
        house_number: Set(blank_to_none(&input.house_number)),
        postcode: Set(blank_to_none(&input.postcode)),
        municipality_fr: Set(blank_to_none(&input.municipality_fr)),
        municipality_nl: Set(blank_to_none(&input.municipality_nl)),
        lat: Set(input.point.map(|p| p.lat)),
        lon: Set(input.point.map(|p| p.lon)),
        ..Default::default()
    }
}

/// Postcodes of the region and the communes they cover (1040 and 1050 are shared with
/// Bruxelles-Ville), so that an address without a point is still found by the commune's
/// name in either language.
const POSTCODES: &[(&str, &[(&str, &str)])] = &[
    ("1000", &[("Bruxelles", "Brussel")]),
    ("1020", &[("Bruxelles", "Brussel")]),
    ("1030", &[("Schaerbeek", "Schaarbeek")]),
    (
        "1040",
        &[("Etterbeek", "Etterbeek"), ("Bruxelles", "Brussel")],
    ),
    ("1050", &[("Ixelles", "Elsene"), ("Bruxelles", "Brussel")]),
    ("1060", &[("Saint-Gilles", "Sint-Gillis")]),
    ("1070", &[("Anderlecht", "Anderlecht")]),
    ("1080", &[("Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek")]),
    ("1081", &[("Koekelberg", "Koekelberg")]),
    ("1082", &[("Berchem-Sainte-Agathe", "Sint-Agatha-Berchem")]),
    ("1083", &[("Ganshoren", "Ganshoren")]),
    ("1090", &[("Jette", "Jette")]),
    ("1120", &[("Bruxelles", "Brussel")]),
    ("1130", &[("Bruxelles", "Brussel")]),
    ("1140", &[("Evere", "Evere")]),
    ("1150", &[("Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe")]),
    ("1160", &[("Auderghem", "Oudergem")]),
    ("1170", &[("Watermael-Boitsfort", "Watermaal-Bosvoorde")]),
    ("1180", &[("Uccle", "Ukkel")]),
    ("1190", &[("Forest", "Vorst")]),
    (
        "1200",
        &[("Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe")],
    ),
    ("1210", &[("Saint-Josse-ten-Noode", "Sint-Joost-ten-Node")]),
];

/// The communes (French and Dutch names) a postcode of the region serves; `None` for a
/// postcode outside the region.
pub(crate) fn postcode_communes(postcode: &str) -> Option<&'static [(&'static str, &'static str)]> {
    POSTCODES
        .iter()
        .find(|(code, _)| *code == postcode.trim())
        .map(|(_, communes)| *communes)
}

/// The territories of a site's point, and the words of its address and territories
/// that the search text of its services includes.
pub(crate) fn site_territories_and_words(
    reference: &Reference,
    site_id: i32,
    input: &SiteInput,
) -> (String, Vec<site_territory::ActiveModel>) {
    let mut words: Vec<String> = [
        &input.street_fr,
        &input.street_nl,
        &input.postcode,
        &input.municipality_fr,
        &input.municipality_nl,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    if let Some(communes) = input.postcode.as_deref().and_then(postcode_communes) {
        for (fr, nl) in communes {
            words.push((*fr).to_owned());
            words.push((*nl).to_owned());
        }
    }
    let mut rows = Vec::new();
    if let Some(point) = input.point {
        for territory in reference.resolve_point(point) {
            rows.push(site_territory::ActiveModel {
                site_id: Set(site_id),
                territory_id: Set(territory.id),
            });
            if territory.level != crate::geo::Level::Region
                && territory.level != crate::geo::Level::Zone
            {
                words.push(territory.name_fr.clone());
                words.push(territory.name_nl.clone());
            }
        }
    }
    (words.join(" "), rows)
}

/// The folded names an organisation is found by.
pub(crate) fn organisation_search_text(
    name_fr: &Option<String>,
    name_nl: &Option<String>,
) -> String {
    normalize_for_search(&format!(
        "{} {}",
        name_fr.as_deref().unwrap_or_default(),
        name_nl.as_deref().unwrap_or_default()
    ))
}

/// The folded text a service is found by: its names and descriptions, its categories'
/// labels and its sites' addresses and territories (its organisation's names are
/// matched through `organisation.search_text`).
pub(crate) fn service_search_text(
    reference: &Reference,
    input: &ServiceInput,
    site_words: &HashMap<&str, String>,
) -> String {
    let mut words: Vec<String> = [
        &input.name_fr,
        &input.name_nl,
        &input.name_en,
        &input.description_fr,
        &input.description_nl,
        &input.description_en,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    for code in &input.categories {
        if let Some(category) = reference.category_by_code(code) {
            words.push(category.label_fr.clone());
            words.push(category.label_nl.clone());
            words.push(category.label_en.clone());
        }
    }
    for location in &input.locations {
        if let Some(text) = site_words.get(location.site_key.as_str()) {
            words.push(text.clone());
        }
    }
    normalize_for_search(&words.join(" "))
}

/// A service row (without id: insert it, or set the id to update).
pub(crate) fn service_model(
    organisation_id: i32,
    input: &ServiceInput,
    search_text: String,
    now: DateTime<Utc>,
) -> service::ActiveModel {
    service::ActiveModel {
        organisation_id: Set(organisation_id),
        name_fr: Set(blank_to_none(&input.name_fr)),
        name_nl: Set(blank_to_none(&input.name_nl)),
        name_en: Set(blank_to_none(&input.name_en)),
        description_fr: Set(blank_to_none(&input.description_fr)),
        description_nl: Set(blank_to_none(&input.description_nl)),
        description_en: Set(blank_to_none(&input.description_en)),
        target_public_fr: Set(blank_to_none(&input.target_public_fr)),
        target_public_nl: Set(blank_to_none(&input.target_public_nl)),
        target_public_en: Set(blank_to_none(&input.target_public_en)),
        fee: Set(input.fee),
        referral_required: Set(input.referral_required),
        status: Set(input.status),
        published: Set(input.published),
        search_text: Set(search_text),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// The fields marked present, as a provenance row lists them.
pub(crate) fn present_fields(fields: &[(&str, bool)]) -> String {
    fields
        .iter()
        .filter(|(_, present)| *present)
        .map(|(field, _)| *field)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The provenance fields a service input sets.
pub(crate) fn service_fields(input: &ServiceInput) -> Vec<(&'static str, bool)> {
    vec![
        ("name", true),
        (
            "description",
            input.description_fr.is_some()
                || input.description_nl.is_some()
                || input.description_en.is_some(),
        ),
        (
            "target_public",
            input.target_public_fr.is_some() || input.target_public_nl.is_some(),
        ),
        ("categories", !input.categories.is_empty()),
        ("languages", !input.languages.is_empty()),
        ("fee", true),
        ("referral_required", true),
        ("status", true),
        ("accreditations", !input.accreditations.is_empty()),
        ("locations", !input.locations.is_empty()),
    ]
}

/// The rows that hang off a service.
#[derive(Default)]
pub(crate) struct Children {
    pub categories: Vec<service_category::ActiveModel>,
    pub languages: Vec<service_language::ActiveModel>,
    pub locations: Vec<service_at_site::ActiveModel>,
    pub accreditations: Vec<accreditation::ActiveModel>,
    pub contacts: Vec<contact_point::ActiveModel>,
}

pub(crate) fn service_children(
    reference: &Reference,
    service_id: i32,
    input: &ServiceInput,
    site_ids: &HashMap<&str, i32>,
) -> Children {
    let mut children = Children::default();
    let mut seen_categories = Vec::new();
    for code in &input.categories {
        if let Some(category) = reference.category_by_code(code)
            && !seen_categories.contains(&category.id)
        {
            seen_categories.push(category.id);
            children.categories.push(service_category::ActiveModel {
                service_id: Set(service_id),
                category_id: Set(category.id),
            });
        }
    }
    let mut seen_languages = Vec::new();
    for language in &input.languages {
        if !seen_languages.contains(&language) {
            seen_languages.push(language);
            children.languages.push(service_language::ActiveModel {
                service_id: Set(service_id),
                language: Set(language.as_str().to_owned()),
            });
        }
    }
    let mut seen_sites = Vec::new();
    for location in &input.locations {
        let Some(&site_id) = site_ids.get(location.site_key.as_str()) else {
            continue;
        };
        if seen_sites.contains(&site_id) {
            continue;
        }
        seen_sites.push(site_id);
        children.locations.push(service_at_site::ActiveModel {
            service_id: Set(service_id),
            site_id: Set(site_id),
            schedule: Set(
                serde_json::to_string(&location.schedule).unwrap_or_else(|_| "[]".to_owned())
            ),
            schedule_remark_fr: Set(blank_to_none(&location.schedule_remark_fr)),
            schedule_remark_nl: Set(blank_to_none(&location.schedule_remark_nl)),
            wheelchair_accessible: Set(location.wheelchair_accessible),
            accessibility_note_fr: Set(blank_to_none(&location.accessibility_note_fr)),
            accessibility_note_nl: Set(blank_to_none(&location.accessibility_note_nl)),
            ..Default::default()
        });
    }
    for a in &input.accreditations {
        let Some(authority) = reference.authority_by_code(&a.authority) else {
            continue;
        };
        children.accreditations.push(accreditation::ActiveModel {
            service_id: Set(service_id),
            authority_id: Set(authority.id),
            kind: Set(a.kind),
            legal_basis: Set(blank_to_none(&a.legal_basis)),
            valid_from: Set(a.valid_from),
            valid_to: Set(a.valid_to),
            ..Default::default()
        });
    }
    children.contacts = input
        .contacts
        .iter()
        .map(|c| contact(c, None, Some(service_id)))
        .collect();
    children
}

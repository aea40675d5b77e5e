//! Writing mapped records: match, upsert, link, merge by priority, record provenance.
//! Every function runs inside the run's transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entities::{
    accreditation, conflict, contact_point, organisation, organisation_identifier, provenance,
    service, service_at_site, service_category, service_language, site, site_territory,
    source_record, source_service, source_site,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};

use super::map::{Mapped, OrganisationFields};
use crate::{
    domain::{ServiceStatus, normalize_for_search},
    reference::Reference,
    store::{
        self, organisation_search_text, service_children, service_fields, service_model,
        service_search_text, site_model, site_territories_and_words,
    },
};

pub struct Context<'a> {
    pub reference: &'a Reference,
    pub source_id: i32,
    /// Source names, most trusted first, by default and per organisation field.
    pub priority: &'a [String],
    pub field_priority: &'a std::collections::BTreeMap<String, Vec<String>>,
    pub retrieved_at: DateTime<Utc>,
    /// Source names by id (a small table, read once per run).
    pub source_names: HashMap<i32, String>,
}

impl Context<'_> {
    fn rank(&self, field: &str, source: &str) -> usize {
        self.field_priority
            .get(field)
            .map(Vec::as_slice)
            .unwrap_or(self.priority)
            .iter()
            .position(|p| p == source)
            .unwrap_or(usize::MAX)
    }
}

/// Rows nothing else in the run reads back before commit, written in batches across
/// records rather than record by record: a run is one transaction, so batching changes
/// only the number of round trips. `apply` flushes first when it is about to delete rows
/// of a site or service that still has rows here.
#[derive(Default)]
pub struct Staged {
    children: store::Children,
    provenance: Vec<provenance::ActiveModel>,
    site_territories: Vec<site_territory::ActiveModel>,
    source_sites: Vec<source_site::ActiveModel>,
    source_services: Vec<source_service::ActiveModel>,
    sites: HashSet<i32>,
    services: HashSet<i32>,
}

/// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits for
/// the widest staged table.
const ROWS_PER_INSERT: usize = 500;

async fn insert_all<A, C>(db: &C, rows: Vec<A>) -> Result<(), DbErr>
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

impl Staged {
    /// Rows waiting.
    pub(crate) fn len(&self) -> usize {
        let c = &self.children;
        c.categories.len()
            + c.languages.len()
            + c.locations.len()
            + c.accreditations.len()
            + c.contacts.len()
            + self.provenance.len()
            + self.site_territories.len()
            + self.source_sites.len()
            + self.source_services.len()
    }

    /// Writes every waiting row.
    pub async fn flush<C: ConnectionTrait>(&mut self, db: &C) -> Result<(), DbErr> {
        let Staged {
            children,
            provenance,
            site_territories,
            source_sites,
            source_services,
            ..
        } = std::mem::take(self);
        // Parents first: sites and services exist already; links and children follow.
        insert_all(db, source_sites).await?;
        insert_all(db, source_services).await?;
        insert_all(db, site_territories).await?;
        insert_all(db, children.categories).await?;
        insert_all(db, children.languages).await?;
        insert_all(db, children.locations).await?;
        insert_all(db, children.accreditations).await?;
        insert_all(db, children.contacts).await?;
        insert_all(db, provenance).await
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new record, written to this organisation.
    Created(i32),
    /// A changed record, written to this organisation.
    Updated(i32),
    Unchanged,
}

fn identifiers(mapped: &Mapped) -> Vec<(&'static str, String)> {
    mapped
        .input
        .kbo
        .iter()
        .map(|k| ("kbo", k.digits().to_owned()))
        .chain(mapped.input.nihii.iter().map(|n| ("nihii", n.to_string())))
        .collect()
}

/// What a run carries from one record to the next.
pub struct Run {
    pub staged: Staged,
    pub addresses: Addresses,
}

/// Sites by postcode and folded house number, for the name-and-address match: read once
/// per run and kept current as the run writes sites, so that matching a record does not
/// read every site of its postcode. An entry may be stale (a site rewritten since);
/// candidates are checked against their current row before they count.
#[derive(Default)]
pub struct Addresses(HashMap<(String, String), Vec<i32>>);

impl Addresses {
    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Addresses, DbErr> {
        let rows: Vec<(i32, Option<String>, Option<String>)> = site::Entity::find()
            .select_only()
            .column(site::Column::Id)
            .column(site::Column::Postcode)
            .column(site::Column::HouseNumber)
            .order_by_asc(site::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        let mut addresses = Addresses::default();
        for (id, postcode, number) in rows {
            addresses.add(id, postcode.as_deref(), number.as_deref());
        }
        Ok(addresses)
    }

    fn add(&mut self, site_id: i32, postcode: Option<&str>, number: Option<&str>) {
        if let (Some(postcode), Some(number)) = (postcode, number) {
            self.0
                .entry((postcode.to_owned(), normalize_for_search(number)))
                .or_default()
                .push(site_id);
        }
    }

    fn add_input(&mut self, site_id: i32, input: &store::SiteInput) {
        let postcode = store::blank_to_none(&input.postcode);
        let number = store::blank_to_none(&input.house_number);
        self.add(site_id, postcode.as_deref(), number.as_deref());
    }

    fn candidates(&self, postcode: &str, number: &str) -> Vec<i32> {
        let mut ids = self
            .0
            .get(&(postcode.to_owned(), normalize_for_search(number)))
            .cloned()
            .unwrap_or_default();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The organisation this record describes, if it is already known: the same KBO/BCE
/// or NIHII number, or — only on strong evidence — the same name at the same address.
/// Two organisations with different KBO numbers are never taken for one.
async fn find_organisation<C: ConnectionTrait>(
    db: &C,
    mapped: &Mapped,
    addresses: &Addresses,
) -> Result<Option<i32>, DbErr> {
    for (scheme, value) in identifiers(mapped) {
        if let Some(found) = organisation_identifier::Entity::find()
            .filter(organisation_identifier::Column::Scheme.eq(scheme))
            .filter(organisation_identifier::Column::Value.eq(value))
            .one(db)
            .await?
        {
            return Ok(Some(found.organisation_id));
        }
    }
    let names: HashSet<String> = [&mapped.input.name_fr, &mapped.input.name_nl]
        .into_iter()
        .flatten()
        .map(|n| normalize_for_search(n))
        .filter(|n| !n.is_empty())
        .collect();
    for input_site in &mapped.input.sites {
        let (Some(postcode), Some(number)) = (&input_site.postcode, &input_site.house_number)
        else {
            continue;
        };
        let streets: HashSet<String> = [&input_site.street_fr, &input_site.street_nl]
            .into_iter()
            .flatten()
            .map(|s| normalize_for_search(s))
            .collect();
        if streets.is_empty() {
            continue;
        }
        let ids = addresses.candidates(postcode, number);
        if ids.is_empty() {
            continue;
        }
        let candidates = site::Entity::find()
            .filter(site::Column::Id.is_in(ids))
            .filter(site::Column::Postcode.eq(postcode.as_str()))
            .order_by_asc(site::Column::Id)
            .all(db)
            .await?;
        for candidate in candidates {
            let same_street = [&candidate.street_fr, &candidate.street_nl]
                .into_iter()
                .flatten()
                .any(|s| streets.contains(&normalize_for_search(s)));
            let same_number = candidate
                .house_number
                .as_deref()
                .is_some_and(|n| normalize_for_search(n) == normalize_for_search(number));
            if !(same_street && same_number) {
                continue;
            }
            let Some(other) = organisation::Entity::find_by_id(candidate.organisation_id)
                .one(db)
                .await?
            else {
                continue;
            };
            let same_name = [&other.name_fr, &other.name_nl]
                .into_iter()
                .flatten()
                .any(|n| names.contains(&normalize_for_search(n)));
            if !same_name {
                continue;
            }
            let other_kbo = organisation_identifier::Entity::find()
                .filter(organisation_identifier::Column::OrganisationId.eq(other.id))
                .filter(organisation_identifier::Column::Scheme.eq("kbo"))
                .one(db)
                .await?;
            if other_kbo.is_some() && mapped.input.kbo.is_some() {
                // Both have an enterprise number and they differ: two organisations.
                continue;
            }
            return Ok(Some(other.id));
        }
    }
    Ok(None)
}

/// Writes one record. `existing` is this source's previous version of it.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    ctx: &Context<'_>,
    mapped: &Mapped,
    hash: &str,
    raw: &str,
    existing: Option<&source_record::Model>,
    run: &mut Run,
) -> Result<Outcome, DbErr> {
    let Run { staged, addresses } = run;
    if let Some(existing) = existing
        && existing.active
        && existing.content_hash == hash
    {
        return Ok(Outcome::Unchanged);
    }
    let now = Utc::now();
    // An organisation created here has, by construction, no identifiers (the matching
    // looked them all up), conflicts, contacts or provenance yet: the lookups and
    // deletes that guard against old rows are skipped for it.
    let mut created: Option<organisation::Model> = None;
    let organisation_id = match existing {
        Some(record) => record.organisation_id,
        None => match find_organisation(db, mapped, addresses).await? {
            Some(id) => id,
            None => {
                let model = organisation::ActiveModel {
                    name_fr: Set(mapped.input.name_fr.clone()),
                    name_nl: Set(mapped.input.name_nl.clone()),
                    is_demo: Set(false),
                    search_text: Set(organisation_search_text(
                        &mapped.input.name_fr,
                        &mapped.input.name_nl,
                    )),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                let id = model.id;
                created = Some(model);
                id
            }
        },
    };
    let fields = serde_json::to_string(&mapped.fields).unwrap_or_else(|_| "{}".to_owned());
    let record_id = match existing {
        Some(record) => {
            source_record::ActiveModel {
                id: Set(record.id),
                content_hash: Set(hash.to_owned()),
                active: Set(true),
                fields: Set(fields),
                raw: Set(raw.to_owned()),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(db)
            .await?;
            record.id
        }
        None => {
            source_record::ActiveModel {
                source_id: Set(ctx.source_id),
                upstream_id: Set(mapped.upstream_id.clone()),
                organisation_id: Set(organisation_id),
                content_hash: Set(hash.to_owned()),
                active: Set(true),
                fields: Set(fields),
                raw: Set(raw.to_owned()),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
    };

    for (scheme, value) in identifiers(mapped) {
        let owner = match created {
            Some(_) => None,
            None => {
                organisation_identifier::Entity::find()
                    .filter(organisation_identifier::Column::Scheme.eq(scheme))
                    .filter(organisation_identifier::Column::Value.eq(value.clone()))
                    .one(db)
                    .await?
            }
        };
        if owner.is_none() {
            organisation_identifier::ActiveModel {
                organisation_id: Set(organisation_id),
                scheme: Set(scheme.to_owned()),
                value: Set(value),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }

    // Sites: update in place (ids stay stable), add new ones, drop those gone upstream.
    // A record seen for the first time has no links yet.
    let linked_sites: HashMap<String, i32> = match existing {
        None => HashMap::new(),
        Some(_) => source_site::Entity::find()
            .filter(source_site::Column::SourceRecordId.eq(record_id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.upstream_key, l.site_id))
            .collect(),
    };
    let mut site_ids: HashMap<&str, i32> = HashMap::new();
    let mut site_words: HashMap<&str, String> = HashMap::new();
    for input_site in &mapped.input.sites {
        let mut model = site_model(organisation_id, input_site);
        let site_id = match linked_sites.get(&input_site.key) {
            Some(&id) => {
                model.id = Set(id);
                model.update(db).await?;
                if staged.sites.contains(&id) {
                    staged.flush(db).await?;
                }
                site_territory::Entity::delete_many()
                    .filter(site_territory::Column::SiteId.eq(id))
                    .exec(db)
                    .await?;
                id
            }
            None => {
                let id = model.insert(db).await?.id;
                staged.source_sites.push(source_site::ActiveModel {
                    source_record_id: Set(record_id),
                    upstream_key: Set(input_site.key.clone()),
                    site_id: Set(id),
                });
                id
            }
        };
        addresses.add_input(site_id, input_site);
        let (words, territories) = site_territories_and_words(ctx.reference, site_id, input_site);
        staged.site_territories.extend(territories);
        staged.sites.insert(site_id);
        site_ids.insert(input_site.key.as_str(), site_id);
        site_words.insert(input_site.key.as_str(), words);
    }
    let gone: Vec<i32> = linked_sites
        .iter()
        .filter(|(key, _)| !site_ids.contains_key(key.as_str()))
        .map(|(_, id)| *id)
        .collect();
    if !gone.is_empty() {
        site::Entity::delete_many()
            .filter(site::Column::Id.is_in(gone))
            .exec(db)
            .await?;
    }

    // Services: the same, except that a service gone upstream becomes inactive.
    let linked_services: HashMap<String, i32> = match existing {
        None => HashMap::new(),
        Some(_) => source_service::Entity::find()
            .filter(source_service::Column::SourceRecordId.eq(record_id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.upstream_id, l.service_id))
            .collect(),
    };
    let mut written = HashSet::new();
    for input_service in &mapped.input.services {
        let text = service_search_text(ctx.reference, input_service, &site_words);
        let mut model = service_model(organisation_id, input_service, text, now);
        let service_id = match linked_services.get(&input_service.upstream_id) {
            Some(&id) => {
                model.id = Set(id);
                model.created_at = sea_orm::ActiveValue::NotSet;
                model.update(db).await?;
                if staged.services.contains(&id) {
                    staged.flush(db).await?;
                }
                clear_children(db, id).await?;
                id
            }
            None => {
                let id = model.insert(db).await?.id;
                staged.source_services.push(source_service::ActiveModel {
                    source_record_id: Set(record_id),
                    upstream_id: Set(input_service.upstream_id.clone()),
                    service_id: Set(id),
                });
                id
            }
        };
        written.insert(service_id);
        staged.services.insert(service_id);
        let children = service_children(ctx.reference, service_id, input_service, &site_ids);
        staged.children.categories.extend(children.categories);
        staged.children.languages.extend(children.languages);
        staged.children.locations.extend(children.locations);
        staged
            .children
            .accreditations
            .extend(children.accreditations);
        staged.children.contacts.extend(children.contacts);
        staged.provenance.extend(
            service_fields(input_service)
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(field, _)| {
                    provenance_row(
                        ctx,
                        "service",
                        service_id,
                        field,
                        &input_service.upstream_id,
                    )
                }),
        );
    }
    if !mapped.partial {
        let withdrawn: Vec<i32> = linked_services
            .values()
            .copied()
            .filter(|id| !written.contains(id))
            .collect();
        set_inactive(db, &withdrawn).await?;
    }
    recompute_organisation(db, ctx, organisation_id, created).await?;
    Ok(if existing.is_some() {
        Outcome::Updated(organisation_id)
    } else {
        Outcome::Created(organisation_id)
    })
}

async fn clear_children<C: ConnectionTrait>(db: &C, service_id: i32) -> Result<(), DbErr> {
    service_category::Entity::delete_many()
        .filter(service_category::Column::ServiceId.eq(service_id))
        .exec(db)
        .await?;
    service_language::Entity::delete_many()
        .filter(service_language::Column::ServiceId.eq(service_id))
        .exec(db)
        .await?;
    service_at_site::Entity::delete_many()
        .filter(service_at_site::Column::ServiceId.eq(service_id))
        .exec(db)
        .await?;
    accreditation::Entity::delete_many()
        .filter(accreditation::Column::ServiceId.eq(service_id))
        .exec(db)
        .await?;
    contact_point::Entity::delete_many()
        .filter(contact_point::Column::ServiceId.eq(service_id))
        .exec(db)
        .await?;
    provenance::Entity::delete_many()
        .filter(provenance::Column::Entity.eq("service"))
        .filter(provenance::Column::EntityId.eq(service_id))
        .exec(db)
        .await?;
    Ok(())
}

fn provenance_row(
    ctx: &Context<'_>,
    entity: &str,
    entity_id: i32,
    field: &str,
    upstream_id: &str,
) -> provenance::ActiveModel {
    provenance::ActiveModel {
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        field: Set(field.to_owned()),
        source_id: Set(ctx.source_id),
        upstream_id: Set(upstream_id.to_owned()),
        retrieved_at: Set(ctx.retrieved_at),
        ..Default::default()
    }
}

async fn set_inactive<C: ConnectionTrait>(db: &C, service_ids: &[i32]) -> Result<(), DbErr> {
    if service_ids.is_empty() {
        return Ok(());
    }
    service::Entity::update_many()
        .col_expr(
            service::Column::Status,
            sea_orm::sea_query::Expr::value(ServiceStatus::Inactive.as_str()),
        )
        .col_expr(
            service::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(service::Column::Id.is_in(service_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// A record that a complete run no longer saw: its services become inactive (never
/// deleted), and the organisation's merged values are chosen again without it.
pub async fn deactivate<C: ConnectionTrait>(
    db: &C,
    ctx: &Context<'_>,
    record: &source_record::Model,
) -> Result<(), DbErr> {
    source_record::ActiveModel {
        id: Set(record.id),
        active: Set(false),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    let services: Vec<i32> = source_service::Entity::find()
        .filter(source_service::Column::SourceRecordId.eq(record.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.service_id)
        .collect();
    set_inactive(db, &services).await?;
    recompute_organisation(db, ctx, record.organisation_id, None).await
}

/// Chooses each organisation field from the most trusted source that gives it, records
/// disagreements, and rewrites the organisation only where something changed.
///
/// `created` is the organisation when this run just inserted it: it has no conflicts,
/// contacts or provenance to replace yet.
async fn recompute_organisation<C: ConnectionTrait>(
    db: &C,
    ctx: &Context<'_>,
    organisation_id: i32,
    created: Option<organisation::Model>,
) -> Result<(), DbErr> {
    let fresh = created.is_some();
    let current = match created {
        Some(model) => model,
        None => match organisation::Entity::find_by_id(organisation_id)
            .one(db)
            .await?
        {
            Some(model) => model,
            None => return Ok(()),
        },
    };
    let names = &ctx.source_names;
    let mut records: Vec<(String, source_record::Model, OrganisationFields)> =
        source_record::Entity::find()
            .filter(source_record::Column::OrganisationId.eq(organisation_id))
            .filter(source_record::Column::Active.eq(true))
            .order_by_asc(source_record::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|r| {
                let name = names.get(&r.source_id).cloned().unwrap_or_default();
                let fields: OrganisationFields =
                    serde_json::from_str(&r.fields).unwrap_or_default();
                (name, r, fields)
            })
            .collect();
    if records.is_empty() {
        return Ok(());
    }
    records.sort_by(|a, b| (ctx.rank("", &a.0), &a.0).cmp(&(ctx.rank("", &b.0), &b.0)));

    type Getter = fn(&OrganisationFields) -> Option<&String>;
    let getters: [(&str, Getter); 5] = [
        ("name_fr", |f| f.name_fr.as_ref()),
        ("name_nl", |f| f.name_nl.as_ref()),
        ("legal_status_fr", |f| f.legal_status_fr.as_ref()),
        ("legal_status_nl", |f| f.legal_status_nl.as_ref()),
        ("website", |f| f.website.as_ref()),
    ];
    let mut chosen: HashMap<&str, Option<String>> = HashMap::new();
    let mut provenance_rows = Vec::new();
    if !fresh {
        conflict::Entity::delete_many()
            .filter(conflict::Column::OrganisationId.eq(organisation_id))
            .exec(db)
            .await?;
    }
    for (field, get) in getters {
        let mut candidates: Vec<(&String, &source_record::Model, &String)> = records
            .iter()
            .filter_map(|(name, record, fields)| get(fields).map(|v| (name, record, v)))
            .collect();
        candidates.sort_by(|a, b| (ctx.rank(field, a.0), a.0).cmp(&(ctx.rank(field, b.0), b.0)));
        chosen.insert(field, candidates.first().map(|(_, _, v)| (*v).clone()));
        if let Some((_, record, _)) = candidates.first() {
            provenance_rows.push(provenance::ActiveModel {
                source_id: Set(record.source_id),
                ..provenance_row(
                    ctx,
                    "organisation",
                    organisation_id,
                    field,
                    &record.upstream_id,
                )
            });
        }
        let distinct: HashSet<String> = candidates
            .iter()
            .map(|(_, _, v)| normalize_for_search(v))
            .collect();
        if distinct.len() > 1 {
            let values: serde_json::Map<String, serde_json::Value> = candidates
                .iter()
                .map(|(name, _, v)| ((*name).clone(), serde_json::Value::from(v.as_str())))
                .collect();
            conflict::ActiveModel {
                organisation_id: Set(organisation_id),
                field: Set(field.to_owned()),
                values: Set(serde_json::Value::Object(values).to_string()),
                chosen_source: Set(candidates[0].0.clone()),
                detected_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    let pick = |field: &str| chosen.get(field).cloned().flatten();
    let (name_fr, name_nl) = (pick("name_fr"), pick("name_nl"));
    let changed = current.name_fr != name_fr
        || current.name_nl != name_nl
        || current.legal_status_fr != pick("legal_status_fr")
        || current.legal_status_nl != pick("legal_status_nl")
        || current.website != pick("website");
    if changed && (name_fr.is_some() || name_nl.is_some()) {
        organisation::ActiveModel {
            id: Set(organisation_id),
            search_text: Set(organisation_search_text(&name_fr, &name_nl)),
            name_fr: Set(name_fr),
            name_nl: Set(name_nl),
            legal_status_fr: Set(pick("legal_status_fr")),
            legal_status_nl: Set(pick("legal_status_nl")),
            website: Set(pick("website")),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .update(db)
        .await?;
    }

    // Public contacts: every source's, most trusted first, without repeats.
    let mut contacts: Vec<(String, String, Option<String>)> = Vec::new();
    for (_, _, fields) in &records {
        for contact in &fields.contacts {
            if !contacts
                .iter()
                .any(|c| c.0 == contact.0 && c.1 == contact.1)
            {
                contacts.push(contact.clone());
            }
        }
    }
    let existing: Vec<(String, String, Option<String>)> = if fresh {
        Vec::new()
    } else {
        contact_point::Entity::find()
            .filter(contact_point::Column::OrganisationId.eq(organisation_id))
            .filter(contact_point::Column::Internal.eq(false))
            .order_by_asc(contact_point::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.kind, c.value, c.language))
            .collect()
    };
    if existing != contacts {
        if !fresh {
            contact_point::Entity::delete_many()
                .filter(contact_point::Column::OrganisationId.eq(organisation_id))
                .filter(contact_point::Column::Internal.eq(false))
                .exec(db)
                .await?;
        }
        if !contacts.is_empty() {
            contact_point::Entity::insert_many(contacts.into_iter().map(
                |(kind, value, language)| contact_point::ActiveModel {
                    organisation_id: Set(Some(organisation_id)),
                    service_id: Set(None),
                    kind: Set(kind),
                    value: Set(value),
                    language: Set(language),
                    internal: Set(false),
                    ..Default::default()
                },
            ))
            .exec_without_returning(db)
            .await?;
        }
    }

    if !fresh {
        provenance::Entity::delete_many()
            .filter(provenance::Column::Entity.eq("organisation"))
            .filter(provenance::Column::EntityId.eq(organisation_id))
            .exec(db)
            .await?;
    }
    if !provenance_rows.is_empty() {
        provenance::Entity::insert_many(provenance_rows)
            .on_conflict(
                OnConflict::columns([
                    provenance::Column::Entity,
                    provenance::Column::EntityId,
                    provenance::Column::Field,
                    provenance::Column::SourceId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

//! The write path of the directory: one organisation with its sites and services is
//! written in one transaction, with the territories of each site computed from its point
//! and a provenance record for every value.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{
    accreditation, change_log, contact_point, organisation, organisation_identifier, provenance,
    service, service_at_site, service_category, service_language, site, site_territory, source,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, TransactionTrait,
};

use crate::{
    domain::{
        AccreditationKind, Fee, Kbo, LanguageCode, Nihii, Opening, ServiceStatus,
        normalize_for_search,
    },
    geo::Point,
    reference::Reference,
};

pub use entities::vocab::{AnnotationKind, ContactKind, Visibility};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unknown category code {0:?}")]
    UnknownCategory(String),
    #[error("unknown authority code {0:?}")]
    UnknownAuthority(String),
    #[error("service {service:?} refers to unknown site {site:?}")]
    UnknownSite { service: String, site: String },
    #[error("an organisation needs a French or Dutch name")]
    Unnamed,
    #[error("identifier {scheme} {value} already belongs to organisation {existing}")]
    DuplicateIdentifier {
        scheme: &'static str,
        value: String,
        existing: i32,
    },
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

/// Where a record comes from: a configured source (or the bundled demo data) and the
/// record's id upstream.
#[derive(Clone, Debug)]
pub struct Origin {
    pub source: String,
    pub source_kind: String,
    pub upstream_id: String,
    pub retrieved_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct ContactInput {
    pub kind: ContactKind,
    pub value: String,
    pub language: Option<LanguageCode>,
    /// Reserved to professionals: never shown to the public.
    pub internal: bool,
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
    pub is_demo: bool,
    pub contacts: Vec<ContactInput>,
    pub sites: Vec<SiteInput>,
    pub services: Vec<ServiceInput>,
}

/// What one insert created.
#[derive(Clone, Debug)]
pub struct Inserted {
    pub organisation_id: i32,
    pub service_ids: Vec<i32>,
    pub site_ids: Vec<i32>,
}

pub(crate) fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
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

/// Inserts a new organisation with everything it offers, atomically.
pub async fn insert_organisation(
    db: &DatabaseConnection,
    reference: &Reference,
    input: &OrganisationInput,
    origin: &Origin,
) -> Result<Inserted, StoreError> {
    let txn = db.begin().await?;
    let inserted = insert_organisation_in(&txn, reference, input, origin).await?;
    record_changes(&txn, &[inserted.organisation_id]).await?;
    txn.commit().await?;
    Ok(inserted)
}

/// Logs that these organisations changed, in the caller's transaction, which must commit
/// right after: on PostgreSQL the log is locked until then, so sequence numbers become
/// visible in commit order and a follower reading "everything after n" misses nothing.
/// Followers are notified on commit.
pub async fn record_changes<C: ConnectionTrait>(
    db: &C,
    organisations: &[i32],
) -> Result<(), sea_orm::DbErr> {
    if organisations.is_empty() {
        return Ok(());
    }
    let postgres = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    if postgres {
        db.execute_unprepared("LOCK TABLE change_log IN SHARE ROW EXCLUSIVE MODE")
            .await?;
    }
    let now = Utc::now();
    for chunk in organisations.chunks(1000) {
        change_log::Entity::insert_many(chunk.iter().map(|id| change_log::ActiveModel {
            organisation_id: Set(*id),
            changed_at: Set(now),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    if postgres {
        db.execute_unprepared(&format!(
            "SELECT pg_notify('{}', '')",
            crate::read_model::CHANNEL
        ))
        .await?;
    }
    Ok(())
}

/// Same as [`insert_organisation`], inside a transaction the caller owns; the caller
/// records the change ([`record_changes`]) before it commits.
pub async fn insert_organisation_in<C: ConnectionTrait>(
    db: &C,
    reference: &Reference,
    input: &OrganisationInput,
    origin: &Origin,
) -> Result<Inserted, StoreError> {
    let name_fr = blank_to_none(&input.name_fr);
    let name_nl = blank_to_none(&input.name_nl);
    if name_fr.is_none() && name_nl.is_none() {
        return Err(StoreError::Unnamed);
    }
    // Validate everything that refers to reference data before writing anything.
    let site_keys: Vec<&str> = input.sites.iter().map(|s| s.key.as_str()).collect();
    for service in &input.services {
        for code in &service.categories {
            if reference.category_by_code(code).is_none() {
                return Err(StoreError::UnknownCategory(code.clone()));
            }
        }
        for accreditation in &service.accreditations {
            if reference
                .authority_by_code(&accreditation.authority)
                .is_none()
            {
                return Err(StoreError::UnknownAuthority(
                    accreditation.authority.clone(),
                ));
            }
        }
        for location in &service.locations {
            if !site_keys.contains(&location.site_key.as_str()) {
                return Err(StoreError::UnknownSite {
                    service: service.upstream_id.clone(),
                    site: location.site_key.clone(),
                });
            }
        }
    }
    let identifiers: Vec<(&'static str, String)> = input
        .kbo
        .iter()
        .map(|k| ("kbo", k.digits().to_owned()))
        .chain(input.nihii.iter().map(|n| ("nihii", n.to_string())))
        .collect();
    for (scheme, value) in &identifiers {
        if let Some(existing) = organisation_identifier::Entity::find()
            .filter(organisation_identifier::Column::Scheme.eq(*scheme))
            .filter(organisation_identifier::Column::Value.eq(value.as_str()))
            .one(db)
            .await?
        {
            return Err(StoreError::DuplicateIdentifier {
                scheme,
                value: value.clone(),
                existing: existing.organisation_id,
            });
        }
    }

    let source_id = ensure_source(db, &origin.source, &origin.source_kind).await?;
    let now = Utc::now();
    let mut provenance_rows: Vec<provenance::ActiveModel> = Vec::new();
    let mut record = |entity: &str, entity_id: i32, fields: &[(&str, bool)], upstream_id: &str| {
        let present = present_fields(fields);
        if !present.is_empty() {
            provenance_rows.push(provenance::ActiveModel {
                entity: Set(entity.to_owned()),
                entity_id: Set(entity_id),
                fields: Set(present),
                source_id: Set(source_id),
                upstream_id: Set(upstream_id.to_owned()),
                retrieved_at: Set(origin.retrieved_at),
                ..Default::default()
            });
        }
    };

    let organisation = organisation::ActiveModel {
        name_fr: Set(name_fr.clone()),
        name_nl: Set(name_nl.clone()),
        legal_status_fr: Set(blank_to_none(&input.legal_status_fr)),
        legal_status_nl: Set(blank_to_none(&input.legal_status_nl)),
        website: Set(blank_to_none(&input.website)),
        is_demo: Set(input.is_demo),
        search_text: Set(organisation_search_text(&name_fr, &name_nl)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let org_id = organisation.id;
    record(
        "organisation",
        org_id,
        &[
            ("name_fr", organisation.name_fr.is_some()),
            ("name_nl", organisation.name_nl.is_some()),
            ("legal_status", organisation.legal_status_fr.is_some()),
            ("website", organisation.website.is_some()),
            ("kbo", input.kbo.is_some()),
            ("nihii", input.nihii.is_some()),
            ("contacts", !input.contacts.is_empty()),
        ],
        &origin.upstream_id,
    );

    if !identifiers.is_empty() {
        organisation_identifier::Entity::insert_many(identifiers.iter().map(|(scheme, value)| {
            organisation_identifier::ActiveModel {
                organisation_id: Set(org_id),
                scheme: Set((*scheme).to_owned()),
                value: Set(value.clone()),
                ..Default::default()
            }
        }))
        .exec_without_returning(db)
        .await?;
    }

    let mut contacts: Vec<contact_point::ActiveModel> = input
        .contacts
        .iter()
        .map(|c| contact(c, Some(org_id), None))
        .collect();

    // Sites, with the territories their point lies in.
    let mut site_ids: HashMap<&str, i32> = HashMap::new();
    let mut site_search: HashMap<&str, String> = HashMap::new();
    let mut site_territories: Vec<site_territory::ActiveModel> = Vec::new();
    for input_site in &input.sites {
        let created = site_model(org_id, input_site).insert(db).await?;
        record(
            "site",
            created.id,
            &[("address", true), ("point", input_site.point.is_some())],
            &origin.upstream_id,
        );
        let (words, territories) = site_territories_and_words(reference, created.id, input_site);
        site_territories.extend(territories);
        site_search.insert(input_site.key.as_str(), words);
        site_ids.insert(input_site.key.as_str(), created.id);
    }
    if !site_territories.is_empty() {
        site_territory::Entity::insert_many(site_territories)
            .exec_without_returning(db)
            .await?;
    }

    let mut service_ids = Vec::with_capacity(input.services.len());
    let mut categories = Vec::new();
    let mut languages = Vec::new();
    let mut locations = Vec::new();
    let mut accreditations = Vec::new();
    for input_service in &input.services {
        let text = service_search_text(reference, input_service, &site_search);
        let created = service_model(org_id, input_service, text, now)
            .insert(db)
            .await?;
        let service_id = created.id;
        service_ids.push(service_id);
        record(
            "service",
            service_id,
            &service_fields(input_service),
            &input_service.upstream_id,
        );
        let children = service_children(reference, service_id, input_service, &site_ids);
        categories.extend(children.categories);
        languages.extend(children.languages);
        locations.extend(children.locations);
        accreditations.extend(children.accreditations);
        contacts.extend(children.contacts);
    }
    if !categories.is_empty() {
        service_category::Entity::insert_many(categories)
            .exec_without_returning(db)
            .await?;
    }
    if !languages.is_empty() {
        service_language::Entity::insert_many(languages)
            .exec_without_returning(db)
            .await?;
    }
    if !locations.is_empty() {
        service_at_site::Entity::insert_many(locations)
            .exec_without_returning(db)
            .await?;
    }
    if !accreditations.is_empty() {
        accreditation::Entity::insert_many(accreditations)
            .exec_without_returning(db)
            .await?;
    }
    if !contacts.is_empty() {
        contact_point::Entity::insert_many(contacts)
            .exec_without_returning(db)
            .await?;
    }
    if !provenance_rows.is_empty() {
        provenance::Entity::insert_many(provenance_rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(Inserted {
        organisation_id: org_id,
        service_ids,
        site_ids: site_ids.into_values().collect(),
    })
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
        internal: Set(input.internal),
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
    if let Some((_, communes)) = input
        .postcode
        .as_deref()
        .and_then(|p| POSTCODES.iter().find(|(code, _)| *code == p.trim()))
    {
        for (fr, nl) in *communes {
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

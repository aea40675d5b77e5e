//! Reads organisations with everything hanging off them, for a whole snapshot or for the
//! organisations a change touched: one statement per table either way.

use std::collections::HashMap;

use entities::{
    accreditation, contact_point, organisation, organisation_identifier, service, service_at_site,
    service_category, service_language, site, site_territory, source, source_record,
    source_service,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, sea_query::SelectStatement,
};

use super::ServiceEntry;

/// One organisation as the read model holds it, before indexing.
#[derive(Debug)]
pub struct Bundle {
    pub organisation: organisation::Model,
    /// By scheme.
    pub identifiers: Vec<organisation_identifier::Model>,
    /// By id.
    pub contacts: Vec<contact_point::Model>,
    /// With their territory ids.
    pub sites: Vec<(site::Model, Vec<i32>)>,
    /// `territories` is filled when the bundle is indexed.
    pub services: Vec<ServiceEntry>,
}

/// Restricts a query to some organisations, or not at all.
#[derive(Clone, Copy)]
struct Scope<'a>(Option<&'a [i32]>);

impl Scope<'_> {
    fn on<C: ColumnTrait>(self, column: C) -> Condition {
        match self.0 {
            None => Condition::all(),
            Some(ids) => Condition::all().add(column.is_in(ids.iter().copied())),
        }
    }

    /// The ids of the services of these organisations, as a subquery.
    fn services(self) -> SelectStatement {
        service::Entity::find()
            .select_only()
            .column(service::Column::Id)
            .filter(self.on(service::Column::OrganisationId))
            .into_query()
    }

    fn sites(self) -> SelectStatement {
        site::Entity::find()
            .select_only()
            .column(site::Column::Id)
            .filter(self.on(site::Column::OrganisationId))
            .into_query()
    }

    fn by_service<C: ColumnTrait>(self, column: C) -> Condition {
        match self.0 {
            None => Condition::all(),
            Some(_) => Condition::all().add(column.in_subquery(self.services())),
        }
    }
}

fn group<V>(rows: impl IntoIterator<Item = (i32, V)>) -> HashMap<i32, Vec<V>> {
    let mut out: HashMap<i32, Vec<V>> = HashMap::new();
    for (id, value) in rows {
        out.entry(id).or_default().push(value);
    }
    out
}

/// Every organisation (`None`) or only these, with their sites and services.
pub async fn bundles<C: ConnectionTrait>(
    db: &C,
    organisations: Option<&[i32]>,
) -> Result<Vec<Bundle>, DbErr> {
    let scope = Scope(organisations);
    let orgs = organisation::Entity::find()
        .filter(scope.on(organisation::Column::Id))
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    let mut identifiers = group(
        organisation_identifier::Entity::find()
            .filter(scope.on(organisation_identifier::Column::OrganisationId))
            .order_by_asc(organisation_identifier::Column::Scheme)
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.organisation_id, r)),
    );
    let territory_condition = match scope.0 {
        None => Condition::all(),
        Some(_) => Condition::all().add(site_territory::Column::SiteId.in_subquery(scope.sites())),
    };
    let site_territories: Vec<(i32, i32)> = site_territory::Entity::find()
        .select_only()
        .column(site_territory::Column::SiteId)
        .column(site_territory::Column::TerritoryId)
        .filter(territory_condition)
        .into_tuple()
        .all(db)
        .await?;
    let mut territories = group(site_territories);
    let mut sites = group(
        site::Entity::find()
            .filter(scope.on(site::Column::OrganisationId))
            .order_by_asc(site::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|s| {
                let mut of_site = territories.remove(&s.id).unwrap_or_default();
                of_site.sort_unstable();
                (s.organisation_id, (s, of_site))
            }),
    );
    let category_rows: Vec<(i32, i32)> = service_category::Entity::find()
        .select_only()
        .column(service_category::Column::ServiceId)
        .column(service_category::Column::CategoryId)
        .filter(scope.by_service(service_category::Column::ServiceId))
        .into_tuple()
        .all(db)
        .await?;
    let mut categories = group(category_rows);
    let language_rows: Vec<(i32, String)> = service_language::Entity::find()
        .select_only()
        .column(service_language::Column::ServiceId)
        .column(service_language::Column::Language)
        .filter(scope.by_service(service_language::Column::ServiceId))
        .order_by_asc(service_language::Column::Language)
        .into_tuple()
        .all(db)
        .await?;
    let mut languages = group(language_rows);
    let mut accreditations = group(
        accreditation::Entity::find()
            .filter(scope.by_service(accreditation::Column::ServiceId))
            .order_by_asc(accreditation::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.service_id, a)),
    );
    let mut locations = group(
        service_at_site::Entity::find()
            .filter(scope.by_service(service_at_site::Column::ServiceId))
            .order_by_asc(service_at_site::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.service_id, l)),
    );
    let contact_condition = match scope.0 {
        None => Condition::all(),
        Some(_) => Condition::any()
            .add(scope.on(contact_point::Column::OrganisationId))
            .add(contact_point::Column::ServiceId.in_subquery(scope.services())),
    };
    let contact_rows = contact_point::Entity::find()
        .filter(contact_condition)
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?;
    let mut organisation_contacts = HashMap::new();
    let mut service_contacts = HashMap::new();
    for contact in contact_rows {
        match (contact.service_id, contact.organisation_id) {
            (Some(service), _) => service_contacts
                .entry(service)
                .or_insert_with(Vec::new)
                .push(contact),
            (None, Some(organisation)) => organisation_contacts
                .entry(organisation)
                .or_insert_with(Vec::new)
                .push(contact),
            (None, None) => {}
        }
    }
    // The sources each service comes from (a service of several only once merged).
    let record_sources: HashMap<i32, i32> = source_record::Entity::find()
        .select_only()
        .column(source_record::Column::Id)
        .column(source_record::Column::SourceId)
        .filter(scope.on(source_record::Column::OrganisationId))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let source_names: HashMap<i32, String> = source::Entity::find()
        .select_only()
        .column(source::Column::Id)
        .column(source::Column::Name)
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let service_records: Vec<(i32, i32, String)> = source_service::Entity::find()
        .select_only()
        .column(source_service::Column::ServiceId)
        .column(source_service::Column::SourceRecordId)
        .column(source_service::Column::UpstreamId)
        .filter(scope.by_service(source_service::Column::ServiceId))
        .into_tuple()
        .all(db)
        .await?;
    let mut sources = group(service_records.into_iter().filter_map(
        |(service, record, upstream)| {
            let source = *record_sources.get(&record)?;
            let name = source_names.get(&source).map_or("?", String::as_str);
            Some((service, (source, format!("{name}:{upstream}"))))
        },
    ));
    let mut services = group(
        service::Entity::find()
            .filter(scope.on(service::Column::OrganisationId))
            .order_by_asc(service::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|model| {
                let id = model.id;
                let entry = ServiceEntry {
                    categories: categories.remove(&id).unwrap_or_default(),
                    languages: languages.remove(&id).unwrap_or_default(),
                    accreditations: accreditations.remove(&id).unwrap_or_default(),
                    locations: locations.remove(&id).unwrap_or_default(),
                    contacts: service_contacts.remove(&id).unwrap_or_default(),
                    territories: Vec::new(),
                    merged: Vec::new(),
                    conflicts: Vec::new(),
                    supplied: Vec::new(),
                    sources: sources.remove(&id).unwrap_or_default(),
                    model,
                };
                (entry.model.organisation_id, entry)
            }),
    );
    Ok(orgs
        .into_iter()
        .map(|organisation| {
            let id = organisation.id;
            Bundle {
                organisation,
                identifiers: identifiers.remove(&id).unwrap_or_default(),
                contacts: organisation_contacts.remove(&id).unwrap_or_default(),
                sites: sites.remove(&id).unwrap_or_default(),
                services: services.remove(&id).unwrap_or_default(),
            }
        })
        .collect())
}

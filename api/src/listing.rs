//! A listing as a writer (or a sync) sees it: every field a partner may set, in one comparable value.
//! The state before and after a write gives the fields that changed (the audit trail's
//! before and after, the fields a sync must leave alone, "unchanged" for a repeated
//! upsert) with one comparison.

use std::collections::{BTreeMap, HashMap};

use entities::{contact_point, service, service_at_site, service_category, service_language, site};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use crate::{
    domain::{Opening, Seen, ServiceStatus},
    reference::Reference,
    store::{ServiceInput, SiteInput, blank_to_none},
};

/// A contact point of a service, public or reserved to professionals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactState {
    /// `phone`, `email` or `web`.
    pub kind: String,
    pub value: String,
    pub language: Option<String>,
    pub internal: bool,
}

/// Where a service is delivered, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocationState {
    pub site: i32,
    pub schedule: Vec<Opening>,
    pub schedule_remark_fr: Option<String>,
    pub schedule_remark_nl: Option<String>,
    pub wheelchair_accessible: Option<bool>,
    pub accessibility_note_fr: Option<String>,
    pub accessibility_note_nl: Option<String>,
}

/// Every field of a service a partner may write (accreditations are the authorities').
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceState {
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub description_fr: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    pub target_public_fr: Option<String>,
    pub target_public_nl: Option<String>,
    pub target_public_en: Option<String>,
    /// Harmonised category codes, sorted.
    pub categories: Vec<String>,
    /// ISO 639-1 codes, sorted.
    pub languages: Vec<String>,
    /// As stored (`free`, `income_based`…).
    pub fee: String,
    pub referral_required: bool,
    /// As stored (`active`, `inactive`, `temporarily_closed`).
    pub status: String,
    pub published: bool,
    pub contacts: Vec<ContactState>,
    /// By site id.
    pub locations: Vec<LocationState>,
}

impl Default for ServiceState {
    /// A new listing: active and published, fee not known.
    fn default() -> Self {
        ServiceState {
            name_fr: None,
            name_nl: None,
            name_en: None,
            description_fr: None,
            description_nl: None,
            description_en: None,
            target_public_fr: None,
            target_public_nl: None,
            target_public_en: None,
            categories: Vec::new(),
            languages: Vec::new(),
            fee: "unknown".to_owned(),
            referral_required: false,
            status: "active".to_owned(),
            published: true,
            contacts: Vec::new(),
            locations: Vec::new(),
        }
    }
}

impl ServiceState {
    /// Who may see the service, as the change feed tells of it.
    pub fn seen(&self) -> Seen {
        ServiceStatus::from_text(&self.status)
            .map_or(Seen::Hidden, |status| Seen::of(self.published, status))
    }

    /// The order a stored state has: categories and languages sorted and once each,
    /// public contacts before professional lines (each in the order given), locations by
    /// site; so that equal listings compare equal however they were written.
    pub fn normalise(&mut self) {
        self.categories.sort();
        self.categories.dedup();
        self.languages.sort();
        self.languages.dedup();
        self.contacts.sort_by_key(|c| c.internal);
        self.locations.sort_by_key(|l| l.site);
        self.locations.dedup_by_key(|l| l.site);
    }

    /// The state an upstream's service will have once a sync writes it: `site_ids`
    /// resolves its site keys; publication and the professional lines of `current` are
    /// curation, which a sync keeps.
    pub fn upstream(
        reference: &Reference,
        input: &ServiceInput,
        site_ids: &HashMap<&str, i32>,
        current: Option<&ServiceState>,
    ) -> ServiceState {
        let text = blank_to_none;
        let mut state = ServiceState {
            name_fr: text(&input.name_fr),
            name_nl: text(&input.name_nl),
            name_en: text(&input.name_en),
            description_fr: text(&input.description_fr),
            description_nl: text(&input.description_nl),
            description_en: text(&input.description_en),
            target_public_fr: text(&input.target_public_fr),
            target_public_nl: text(&input.target_public_nl),
            target_public_en: text(&input.target_public_en),
            categories: input
                .categories
                .iter()
                .filter_map(|code| Some(reference.category_by_code(code)?.code.clone()))
                .collect(),
            languages: input
                .languages
                .iter()
                .map(|l| l.as_str().to_owned())
                .collect(),
            fee: input.fee.as_str().to_owned(),
            referral_required: input.referral_required,
            status: input.status.as_str().to_owned(),
            published: current.map_or(input.published, |c| c.published),
            contacts: input
                .contacts
                .iter()
                .map(|c| ContactState {
                    kind: c.kind.as_str().to_owned(),
                    value: c.value.trim().to_owned(),
                    language: c.language.as_ref().map(|l| l.as_str().to_owned()),
                    internal: false,
                })
                .chain(
                    current
                        .into_iter()
                        .flat_map(|c| c.contacts.iter().filter(|c| c.internal).cloned()),
                )
                .collect(),
            locations: input
                .locations
                .iter()
                .filter_map(|l| {
                    Some(LocationState {
                        site: *site_ids.get(l.site_key.as_str())?,
                        schedule: l.schedule.clone(),
                        schedule_remark_fr: text(&l.schedule_remark_fr),
                        schedule_remark_nl: text(&l.schedule_remark_nl),
                        wheelchair_accessible: l.wheelchair_accessible,
                        accessibility_note_fr: text(&l.accessibility_note_fr),
                        accessibility_note_nl: text(&l.accessibility_note_nl),
                    })
                })
                .collect(),
        };
        state.normalise();
        state
    }
}

/// Every field of a site a partner may write.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SiteState {
    pub street_fr: Option<String>,
    pub street_nl: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub municipality_fr: Option<String>,
    pub municipality_nl: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl SiteState {
    /// The state a site input is written as (`store::site_model`).
    pub fn of_input(input: &SiteInput) -> SiteState {
        SiteState {
            street_fr: blank_to_none(&input.street_fr),
            street_nl: blank_to_none(&input.street_nl),
            house_number: blank_to_none(&input.house_number),
            postcode: blank_to_none(&input.postcode),
            municipality_fr: blank_to_none(&input.municipality_fr),
            municipality_nl: blank_to_none(&input.municipality_nl),
            lat: input.point.map(|p| p.lat),
            lon: input.point.map(|p| p.lon),
        }
    }

    pub fn of(row: &site::Model) -> SiteState {
        SiteState {
            street_fr: row.street_fr.clone(),
            street_nl: row.street_nl.clone(),
            house_number: row.house_number.clone(),
            postcode: row.postcode.clone(),
            municipality_fr: row.municipality_fr.clone(),
            municipality_nl: row.municipality_nl.clone(),
            lat: row.lat,
            lon: row.lon,
        }
    }
}

/// The fields whose values differ, each with its value before and after (JSON).
pub fn changes<T: Serialize>(
    before: Option<&T>,
    after: &T,
) -> BTreeMap<String, [serde_json::Value; 2]> {
    let object = |value: Option<&T>| -> serde_json::Map<String, serde_json::Value> {
        match value.map(serde_json::to_value) {
            Some(Ok(serde_json::Value::Object(map))) => map,
            _ => serde_json::Map::new(),
        }
    };
    let (old, new) = (object(before), object(Some(after)));
    new.into_iter()
        .filter_map(|(field, value)| {
            let previous = old.get(&field).cloned().unwrap_or(serde_json::Value::Null);
            (previous != value || before.is_none()).then_some((field, [previous, value]))
        })
        .filter(|(_, [_, new])| before.is_some() || !new.is_null())
        .collect()
}

/// A stored service and its state, or `None` when there is no such service.
pub async fn load_service<C: ConnectionTrait>(
    db: &C,
    reference: &Reference,
    id: i32,
) -> Result<Option<(service::Model, ServiceState)>, DbErr> {
    Ok(load_services(db, reference, &[id], false)
        .await?
        .remove(&id))
}

/// Stored services and their states by id, in five queries whatever their number;
/// `lock`: on PostgreSQL the service rows stay locked until the transaction ends.
pub async fn load_services<C: ConnectionTrait>(
    db: &C,
    reference: &Reference,
    ids: &[i32],
    lock: bool,
) -> Result<HashMap<i32, (service::Model, ServiceState)>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let query = service::Entity::find().filter(service::Column::Id.is_in(ids.iter().copied()));
    let rows = if lock && db.get_database_backend() == DatabaseBackend::Postgres {
        query
            .order_by_asc(service::Column::Id)
            .lock_exclusive()
            .all(db)
            .await?
    } else {
        query.all(db).await?
    };
    let mut states: HashMap<i32, (service::Model, ServiceState)> = rows
        .into_iter()
        .map(|row| {
            let state = ServiceState {
                name_fr: row.name_fr.clone(),
                name_nl: row.name_nl.clone(),
                name_en: row.name_en.clone(),
                description_fr: row.description_fr.clone(),
                description_nl: row.description_nl.clone(),
                description_en: row.description_en.clone(),
                target_public_fr: row.target_public_fr.clone(),
                target_public_nl: row.target_public_nl.clone(),
                target_public_en: row.target_public_en.clone(),
                categories: Vec::new(),
                languages: Vec::new(),
                fee: row.fee.as_str().to_owned(),
                referral_required: row.referral_required,
                status: row.status.as_str().to_owned(),
                published: row.published,
                contacts: Vec::new(),
                locations: Vec::new(),
            };
            (row.id, (row, state))
        })
        .collect();
    let ids: Vec<i32> = states.keys().copied().collect();
    for c in service_category::Entity::find()
        .filter(service_category::Column::ServiceId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        if let (Some((_, state)), Some(category)) = (
            states.get_mut(&c.service_id),
            reference.category(c.category_id),
        ) {
            state.categories.push(category.code.clone());
        }
    }
    for l in service_language::Entity::find()
        .filter(service_language::Column::ServiceId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        if let Some((_, state)) = states.get_mut(&l.service_id) {
            state.languages.push(l.language);
        }
    }
    // Public contacts first, then the professional lines, each in the order written.
    for c in contact_point::Entity::find()
        .filter(contact_point::Column::ServiceId.is_in(ids.iter().copied()))
        .order_by_asc(contact_point::Column::Internal)
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?
    {
        if let Some((_, state)) = c.service_id.and_then(|id| states.get_mut(&id)) {
            state.contacts.push(ContactState {
                kind: c.kind.as_str().to_owned(),
                value: c.value,
                language: c.language,
                internal: c.internal,
            });
        }
    }
    for l in service_at_site::Entity::find()
        .filter(service_at_site::Column::ServiceId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        if let Some((_, state)) = states.get_mut(&l.service_id) {
            state.locations.push(LocationState {
                site: l.site_id,
                schedule: serde_json::from_str(&l.schedule).unwrap_or_default(),
                schedule_remark_fr: l.schedule_remark_fr,
                schedule_remark_nl: l.schedule_remark_nl,
                wheelchair_accessible: l.wheelchair_accessible,
                accessibility_note_fr: l.accessibility_note_fr,
                accessibility_note_nl: l.accessibility_note_nl,
            });
        }
    }
    for (_, state) in states.values_mut() {
        state.normalise();
    }
    Ok(states)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_list_only_what_differs_with_before_and_after() {
        let before = ServiceState {
            name_fr: Some("Permanence".to_owned()),
            ..ServiceState::default()
        };
        let after = ServiceState {
            name_fr: Some("Permanence sociale".to_owned()),
            fee: "free".to_owned(),
            ..before.clone()
        };
        let found = changes(Some(&before), &after);
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            ["fee", "name_fr"],
            "{found:?}"
        );
        assert_eq!(found["fee"][0], "unknown");
        assert!(changes(Some(&after), &after).is_empty());
        let created = changes(None, &after);
        assert!(created.contains_key("name_fr") && !created.contains_key("name_nl"));
    }
}

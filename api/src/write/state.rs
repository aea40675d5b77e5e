//! A listing as a writer sees it: every field a partner may set, in one comparable value.
//! The state before and after a write gives the fields that changed (the audit trail's
//! before and after, the fields a sync must leave alone, "unchanged" for a repeated
//! upsert) with one comparison.

use std::collections::{BTreeMap, HashMap};

use entities::{contact_point, service, service_at_site, service_category, service_language, site};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::{domain::Opening, reference::Reference};

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
    let Some(row) = service::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut categories: Vec<String> = service_category::Entity::find()
        .filter(service_category::Column::ServiceId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| reference.category(c.category_id).map(|c| c.code.clone()))
        .collect();
    categories.sort();
    let mut languages: Vec<String> = service_language::Entity::find()
        .filter(service_language::Column::ServiceId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.language)
        .collect();
    languages.sort();
    let contacts = contact_point::Entity::find()
        .filter(contact_point::Column::ServiceId.eq(id))
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| ContactState {
            kind: c.kind.as_str().to_owned(),
            value: c.value,
            language: c.language,
            internal: c.internal,
        })
        .collect();
    let mut locations: Vec<LocationState> = service_at_site::Entity::find()
        .filter(service_at_site::Column::ServiceId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| LocationState {
            site: l.site_id,
            schedule: serde_json::from_str(&l.schedule).unwrap_or_default(),
            schedule_remark_fr: l.schedule_remark_fr,
            schedule_remark_nl: l.schedule_remark_nl,
            wheelchair_accessible: l.wheelchair_accessible,
            accessibility_note_fr: l.accessibility_note_fr,
            accessibility_note_nl: l.accessibility_note_nl,
        })
        .collect();
    locations.sort_by_key(|l| l.site);
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
        categories,
        languages,
        fee: row.fee.as_str().to_owned(),
        referral_required: row.referral_required,
        status: row.status.as_str().to_owned(),
        published: row.published,
        contacts,
        locations,
    };
    Ok(Some((row, state)))
}

/// The sites of an organisation by id.
pub async fn organisation_sites<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<HashMap<i32, site::Model>, DbErr> {
    Ok(site::Entity::find()
        .filter(site::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
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

//! The directory in Open Referral HSDS 3.0: services, organisations, locations
//! (our sites), services at locations, and our categories as a taxonomy, built from the
//! read model as the GraphQL API reads it (same snapshot, same visibility).
//!
//! HSDS ids are UUIDs. Ours are integers per table, so an HSDS id is a version 8
//! (custom, RFC 9562) UUID that carries the kind and the integer:
//! `{kind:08x}-{sub:04x}-8000-8000-{id:012x}`; `sub` tells apart the rows derived
//! from one of ours (a schedule's period, a service area's territory). It is stable
//! and reversible, so `/services/{id}` finds the service again.

use serde_json::{Value, json};

use crate::{
    domain::{Lang, Opening},
    read_model::{OrganisationEntry, ServiceEntry, SiteEntry, Snapshot},
    reference::Reference,
};

/// The HSDS version served.
pub const VERSION: &str = "3.0";

/// What an HSDS id stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Service = 1,
    Organization = 2,
    Location = 3,
    ServiceAtLocation = 4,
    Taxonomy = 5,
    TaxonomyTerm = 6,
    Phone = 7,
    Schedule = 8,
    Language = 9,
    Identifier = 10,
    Address = 11,
    ServiceArea = 12,
    Attribute = 13,
    CostOption = 14,
}

/// The HSDS id of one of our rows.
pub fn uuid(kind: Kind, sub: u16, id: i32) -> String {
    format!(
        "{:08x}-{sub:04x}-8000-8000-{:012x}",
        kind as u32,
        u64::try_from(id).unwrap_or(0)
    )
}

/// Our id behind an HSDS id of `kind`, when it is one.
pub fn parse_uuid(text: &str, kind: Kind) -> Option<i32> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [k, _, version, variant, id] = parts.as_slice() else {
        return None;
    };
    if *version != "8000" || *variant != "8000" || k.len() != 8 || id.len() != 12 {
        return None;
    }
    (u32::from_str_radix(k, 16).ok()? == kind as u32)
        .then(|| i32::try_from(u64::from_str_radix(id, 16).ok()?).ok())
        .flatten()
}

/// The one taxonomy we publish: the harmonised categories.
const TAXONOMY_ID: i32 = 1;

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// Builds HSDS documents in one language (names fall back to the other).
pub struct Hsds<'a> {
    pub snapshot: &'a Snapshot,
    pub reference: &'a Reference,
    pub lang: Lang,
}

impl Hsds<'_> {
    fn pick(
        &self,
        fr: &Option<String>,
        nl: &Option<String>,
        en: &Option<String>,
    ) -> Option<String> {
        self.lang
            .pick(fr.as_deref(), nl.as_deref(), en.as_deref())
            .map(str::to_owned)
    }

    /// The taxonomy of our categories.
    pub fn taxonomy(&self) -> Value {
        json!({
            "id": uuid(Kind::Taxonomy, 0, TAXONOMY_ID),
            "name": "passerelle",
            "description": match self.lang {
                Lang::Nl => "De geharmoniseerde categorieën van het Brusselse sociaal-gezondheidsaanbod (passerelle).",
                Lang::En => "The harmonised categories of the Brussels social and health offer (passerelle).",
                Lang::Fr => "Les catégories harmonisées de l'offre sociale-santé bruxelloise (passerelle).",
            },
            "version": "1",
        })
    }

    /// A category as a taxonomy term, in the asked language.
    pub fn taxonomy_term(&self, id: i32) -> Option<Value> {
        let category = self.reference.category(id)?;
        let name = match self.lang {
            Lang::Fr => &category.label_fr,
            Lang::Nl => &category.label_nl,
            Lang::En => &category.label_en,
        };
        let mut term = json!({
            "id": uuid(Kind::TaxonomyTerm, 0, category.id),
            "code": category.code,
            "name": name,
            "description": format!("{} / {}", category.label_fr, category.label_nl),
            "taxonomy": "passerelle",
            "taxonomy_id": uuid(Kind::Taxonomy, 0, TAXONOMY_ID),
            "language": self.lang.as_str(),
        });
        if let Some(parent) = category.parent_id {
            term["parent_id"] = json!(uuid(Kind::TaxonomyTerm, 0, parent));
        }
        Some(term)
    }

    /// An organisation; `full` adds its identifiers and `services` (lists carry only
    /// its one-to-one fields).
    pub fn organization(&self, entry: &OrganisationEntry, full: bool, services: &[i32]) -> Value {
        let m = &entry.model;
        let name = self.pick(&m.name_fr, &m.name_nl, &None).unwrap_or_default();
        let alternate = match self.lang {
            Lang::Nl => m.name_fr.clone(),
            _ => m.name_nl.clone(),
        }
        .filter(|a| *a != name);
        let legal_status = self.pick(&m.legal_status_fr, &m.legal_status_nl, &None);
        let mut out = json!({
            "id": uuid(Kind::Organization, 0, m.id),
            "name": name,
            "description": legal_status.clone().unwrap_or_default(),
        });
        let object = out.as_object_mut().expect("an object");
        if full {
            let identifiers = entry.identifiers.iter().map(|i| {
                json!({
                    "id": uuid(Kind::Identifier, 0, i.id),
                    "organization_id": uuid(Kind::Organization, 0, m.id),
                    "identifier_scheme": match i.scheme.as_str() {
                        "kbo" => "BE-BCE_KBO",
                        "nihii" => "BE-INAMI_RIZIV",
                        other => other,
                    },
                    "identifier_type": i.scheme.to_uppercase(),
                    "identifier": i.value,
                })
            });
            object.insert(
                "organization_identifiers".into(),
                Value::Array(identifiers.collect()),
            );
        }
        if let Some(alternate) = alternate {
            object.insert("alternate_name".into(), json!(alternate));
        }
        if let Some(website) = &m.website {
            object.insert("website".into(), json!(website));
        }
        if let Some(status) = legal_status {
            object.insert("legal_status".into(), json!(status));
        }
        if !services.is_empty() {
            object.insert(
                "services".into(),
                Value::Array(
                    services
                        .iter()
                        .filter_map(|id| self.snapshot.service(*id))
                        .map(|s| self.service(s, false))
                        .collect(),
                ),
            );
        }
        out
    }

    /// A site as an HSDS location with its address.
    pub fn location(&self, site: &SiteEntry) -> Value {
        let m = &site.model;
        let street = self.pick(&m.street_fr, &m.street_nl, &None);
        let city = self.pick(&m.municipality_fr, &m.municipality_nl, &None);
        let mut out = json!({
            "id": uuid(Kind::Location, 0, m.id),
            "location_type": "physical",
            "organization_id": uuid(Kind::Organization, 0, m.organisation_id),
        });
        let object = out.as_object_mut().expect("an object");
        if let Some(name) = site.address_line(self.lang) {
            object.insert("name".into(), json!(name));
        }
        if let (Some(lat), Some(lon)) = (m.lat, m.lon) {
            object.insert("latitude".into(), json!(lat));
            object.insert("longitude".into(), json!(lon));
        }
        if street.is_some() || m.postcode.is_some() {
            let line = [street.as_deref(), m.house_number.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            object.insert(
                "addresses".into(),
                json!([{
                    "id": uuid(Kind::Address, 0, m.id),
                    "location_id": uuid(Kind::Location, 0, m.id),
                    "address_1": line,
                    "city": city.unwrap_or_default(),
                    "region": "Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest",
                    "state_province": "Bruxelles-Capitale",
                    "postal_code": m.postcode.clone().unwrap_or_default(),
                    "country": "BE",
                    "address_type": "physical",
                }]),
            );
        }
        out
    }

    /// The weekly openings of one service at one site, as HSDS schedules.
    fn schedules(&self, row: i32, service: i32, site: i32, openings: &[Opening]) -> Vec<Value> {
        openings
            .iter()
            .enumerate()
            .map(|(i, o)| {
                json!({
                    "id": uuid(Kind::Schedule, u16::try_from(i).unwrap_or(u16::MAX), row),
                    "service_id": uuid(Kind::Service, 0, service),
                    "location_id": uuid(Kind::Location, 0, site),
                    "service_at_location_id": uuid(Kind::ServiceAtLocation, 0, row),
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": WEEKDAYS[usize::from(o.weekday.clamp(1, 7)) - 1],
                    "opens_at": o.opens,
                    "closes_at": o.closes,
                    "timezone": 1,
                })
            })
            .collect()
    }

    /// A service at one of its sites.
    pub fn service_at_location(
        &self,
        service: &ServiceEntry,
        location: &entities::service_at_site::Model,
    ) -> Value {
        let openings: Vec<Opening> = serde_json::from_str(&location.schedule).unwrap_or_default();
        let mut out = json!({
            "id": uuid(Kind::ServiceAtLocation, 0, location.id),
            "service_id": uuid(Kind::Service, 0, service.model.id),
            "location_id": uuid(Kind::Location, 0, location.site_id),
            "schedules": self.schedules(location.id, service.model.id, location.site_id, &openings),
        });
        let object = out.as_object_mut().expect("an object");
        if let Some(remark) = self.pick(
            &location.schedule_remark_fr,
            &location.schedule_remark_nl,
            &None,
        ) {
            object.insert("description".into(), json!(remark));
        }
        if let Some(site) = self.snapshot.site(location.site_id) {
            object.insert("location".into(), self.location(site));
        }
        out
    }

    /// A service; `full` nests its organisation, locations, schedules, areas and terms.
    pub fn service(&self, entry: &ServiceEntry, full: bool) -> Value {
        let m = &entry.model;
        let name = self
            .pick(&m.name_fr, &m.name_nl, &m.name_en)
            .unwrap_or_else(|| "—".to_owned());
        let mut out = json!({
            "id": uuid(Kind::Service, 0, m.id),
            "organization_id": uuid(Kind::Organization, 0, m.organisation_id),
            "name": name,
            "status": match m.status {
                crate::domain::ServiceStatus::Active => "active",
                crate::domain::ServiceStatus::Inactive => "inactive",
                crate::domain::ServiceStatus::TemporarilyClosed => "temporarily closed",
            },
            "last_modified": m.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        let object = out.as_object_mut().expect("an object");
        let alternate = match self.lang {
            Lang::Nl => m.name_fr.clone(),
            _ => m.name_nl.clone(),
        }
        .filter(|a| *a != name);
        let texts = [
            ("alternate_name", alternate),
            (
                "description",
                self.pick(&m.description_fr, &m.description_nl, &m.description_en),
            ),
            (
                "eligibility_description",
                self.pick(
                    &m.target_public_fr,
                    &m.target_public_nl,
                    &m.target_public_en,
                ),
            ),
            ("fees_description", fee_text(m.fee, self.lang)),
            (
                "application_process",
                m.referral_required.then(|| match self.lang {
                    Lang::Nl => "Na doorverwijzing".to_owned(),
                    Lang::En => "By referral".to_owned(),
                    Lang::Fr => "Sur orientation".to_owned(),
                }),
            ),
        ];
        for (field, value) in texts {
            if let Some(value) = value {
                object.insert(field.into(), json!(value));
            }
        }
        let public = entry.contacts.iter().filter(|c| !c.internal);
        if let Some(email) = public
            .clone()
            .find(|c| c.kind == crate::domain::ContactKind::Email)
        {
            object.insert("email".into(), json!(email.value));
        }
        if let Some(web) = public
            .clone()
            .find(|c| c.kind == crate::domain::ContactKind::Web)
        {
            object.insert("url".into(), json!(web.value));
        }
        if !entry.accreditations.is_empty() {
            let text: Vec<String> = entry
                .accreditations
                .iter()
                .filter_map(|a| {
                    let authority = self.reference.authority(a.authority_id)?;
                    Some(format!(
                        "{} : {}{}",
                        authority.code.to_uppercase(),
                        a.kind.as_str(),
                        a.legal_basis
                            .as_deref()
                            .map(|b| format!(" ({b})"))
                            .unwrap_or_default()
                    ))
                })
                .collect();
            object.insert("accreditations".into(), json!(text.join(" ; ")));
        }
        if !full {
            return out;
        }
        object.insert(
            "phones".into(),
            Value::Array(
                public
                    .filter(|c| c.kind == crate::domain::ContactKind::Phone)
                    .map(|c| {
                        json!({
                            "id": uuid(Kind::Phone, 0, c.id),
                            "service_id": uuid(Kind::Service, 0, m.id),
                            "number": c.value,
                        })
                    })
                    .collect(),
            ),
        );
        object.insert(
            "languages".into(),
            Value::Array(
                entry
                    .languages
                    .iter()
                    .enumerate()
                    .map(|(i, code)| {
                        json!({
                            "id": uuid(Kind::Language, u16::try_from(i).unwrap_or(u16::MAX), m.id),
                            "service_id": uuid(Kind::Service, 0, m.id),
                            "code": code,
                            "name": code,
                        })
                    })
                    .collect(),
            ),
        );
        object.insert(
            "service_at_locations".into(),
            Value::Array(
                entry
                    .locations
                    .iter()
                    .map(|l| self.service_at_location(entry, l))
                    .collect(),
            ),
        );
        // The bassins and quartiers its sites lie in.
        object.insert(
            "service_areas".into(),
            Value::Array(
                entry
                    .territories
                    .iter()
                    .filter_map(|id| self.reference.territory(*id))
                    .filter(|t| {
                        matches!(
                            t.level,
                            crate::geo::Level::Bassin | crate::geo::Level::Quartier
                        )
                    })
                    .map(|t| {
                        json!({
                            "id": uuid(Kind::ServiceArea, u16::try_from(t.id).unwrap_or(u16::MAX), m.id),
                            "service_id": uuid(Kind::Service, 0, m.id),
                            "name": if self.lang == Lang::Nl { &t.name_nl } else { &t.name_fr },
                            "description": t.code,
                            "extent_type": "territory",
                        })
                    })
                    .collect(),
            ),
        );
        object.insert(
            "attributes".into(),
            Value::Array(
                entry
                    .categories
                    .iter()
                    .filter_map(|id| {
                        let term = self.taxonomy_term(*id)?;
                        Some(json!({
                            "id": uuid(Kind::Attribute, u16::try_from(*id).unwrap_or(u16::MAX), m.id),
                            "link_id": uuid(Kind::Service, 0, m.id),
                            "link_type": "service",
                            "link_entity": "service",
                            "taxonomy_term_id": term["id"],
                            "taxonomy_term": term,
                        }))
                    })
                    .collect(),
            ),
        );
        if m.fee != crate::domain::Fee::Unknown {
            let mut option = json!({
                "id": uuid(Kind::CostOption, 0, m.id),
                "service_id": uuid(Kind::Service, 0, m.id),
                "option": fee_text(m.fee, self.lang),
                "currency": "EUR",
            });
            if m.fee == crate::domain::Fee::Free {
                option["amount"] = json!(0);
            }
            object.insert("cost_options".into(), json!([option]));
        }
        if let Some(organisation) = self.snapshot.organisation(m.organisation_id) {
            object.insert(
                "organization".into(),
                self.organization(organisation, true, &[]),
            );
        }
        out
    }
}

fn fee_text(fee: crate::domain::Fee, lang: Lang) -> Option<String> {
    use crate::domain::Fee;
    let (fr, nl, en) = match fee {
        Fee::Free => ("Gratuit", "Gratis", "Free"),
        Fee::IncomeBased => ("Selon les revenus", "Volgens inkomen", "Income-based"),
        Fee::Fixed => ("Tarif fixe", "Vast tarief", "Fixed fee"),
        Fee::InamiConventioned => (
            "Tarif conventionné INAMI",
            "RIZIV-geconventioneerd tarief",
            "INAMI agreed rates",
        ),
        Fee::Unknown => return None,
    };
    Some(
        match lang {
            Lang::Fr => fr,
            Lang::Nl => nl,
            Lang::En => en,
        }
        .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_that_lead_back() {
        let id = uuid(Kind::Service, 0, 12345);
        assert_eq!(id, "00000001-0000-8000-8000-000000003039");
        assert_eq!(parse_uuid(&id, Kind::Service), Some(12345));
        assert_eq!(parse_uuid(&id, Kind::Organization), None, "another kind");
        assert_eq!(parse_uuid("not-a-uuid", Kind::Service), None);
    }
}

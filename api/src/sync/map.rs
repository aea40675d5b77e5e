//! From what an upstream wrote (`sources::record`) to the harmonised input the store
//! writes: identifiers checked, phones, emails and URLs normalised, points from
//! Lambert 72 when needed, codes mapped to categories and authorities, opening hours
//! parsed when recognisable. Bad values are dropped and reported; a record is rejected
//! only when nothing usable is left.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::{
    config::SourceConfig,
    domain::{
        AccreditationKind, ContactKind, Email, Fee, Kbo, LanguageCode, Nihii, Opening, Phone,
        ServiceStatus, WebUrl, hours,
    },
    geo::{Point, lambert},
    reference::Reference,
    sources::record::{Code, RawContact, RawContactKind, Record},
    store::{
        AccreditationInput, ContactInput, LocationInput, OrganisationInput, ServiceInput, SiteInput,
    },
};

/// Organisation-level values one source gives; merged across sources by priority.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct OrganisationFields {
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub legal_status_fr: Option<String>,
    pub legal_status_nl: Option<String>,
    pub website: Option<String>,
    /// (kind, value, language)
    pub contacts: Vec<(ContactKind, String, Option<String>)>,
}

/// A record ready to write.
pub struct Mapped {
    pub upstream_id: String,
    pub input: OrganisationInput,
    pub fields: OrganisationFields,
    /// Upstream ids of the services, in `input.services` order.
    pub partial: bool,
    /// Values dropped because they were invalid, for the run report.
    pub issues: Vec<String>,
    pub unknown_codes: BTreeSet<Code>,
}

fn clean(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}

/// A name as shown: cleaned, and in normal case when the upstream wrote it in capitals.
fn name(value: &Option<String>) -> Option<String> {
    clean(value).map(|n| crate::domain::recase(&n))
}

fn language_code(raw: &str) -> Option<LanguageCode> {
    let folded = crate::domain::normalize_for_search(raw);
    let code = match folded.as_str() {
        "fr" | "fre" | "fra" | "francais" | "french" | "frans" => "fr",
        "nl" | "dut" | "nld" | "neerlandais" | "nederlands" | "dutch" | "vlaams" => "nl",
        "en" | "eng" | "anglais" | "english" | "engels" => "en",
        "de" | "ger" | "deu" | "allemand" | "german" | "duits" => "de",
        "ar" | "ara" | "arabe" | "arabic" | "arabisch" => "ar",
        "tr" | "tur" | "turc" | "turkish" | "turks" => "tr",
        "es" | "spa" | "espagnol" | "spanish" | "spaans" => "es",
        "it" | "ita" | "italien" | "italian" | "italiaans" => "it",
        "pt" | "por" | "portugais" | "portuguese" | "portugees" => "pt",
        "pl" | "pol" | "polonais" | "polish" | "pools" => "pl",
        "ro" | "ron" | "rum" | "roumain" | "romanian" | "roemeens" => "ro",
        "ru" | "rus" | "russe" | "russian" | "russisch" => "ru",
        other => other,
    };
    LanguageCode::parse(code).ok()
}

fn status(raw: Option<&str>) -> ServiceStatus {
    let folded = raw
        .map(crate::domain::normalize_for_search)
        .unwrap_or_default();
    match folded.as_str() {
        "inactive" | "inactif" | "defunct" | "closed" | "ferme" | "gesloten" | "stopgezet" => {
            ServiceStatus::Inactive
        }
        "temporarily closed"
        | "temporarily_closed"
        | "temporairement ferme"
        | "tijdelijk gesloten" => ServiceStatus::TemporarilyClosed,
        _ => ServiceStatus::Active,
    }
}

fn date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw.get(..10).unwrap_or(raw), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .ok()
}

fn contact(raw: &RawContact, issues: &mut Vec<String>) -> Option<ContactInput> {
    let (kind, value) = match raw.kind {
        RawContactKind::Phone => (
            ContactKind::Phone,
            Phone::parse(&raw.value).map(String::from),
        ),
        RawContactKind::Email => (
            ContactKind::Email,
            Email::parse(&raw.value).map(String::from),
        ),
        RawContactKind::Web => (
            ContactKind::Web,
            WebUrl::parse(&raw.value).map(String::from),
        ),
    };
    match value.ok() {
        Some(value) => Some(ContactInput {
            kind,
            value,
            language: raw.language.as_deref().and_then(language_code),
        }),
        None => {
            issues.push(format!("invalid {} {:?} dropped", kind.as_str(), raw.value));
            None
        }
    }
}

/// Maps one record; `Err` carries the reason it is rejected.
pub fn map_record(
    record: &Record,
    reference: &Reference,
    source: &SourceConfig,
) -> Result<Mapped, String> {
    let mut issues = Vec::new();
    let mut unknown_codes = BTreeSet::new();
    let name_fr = name(&record.name_fr);
    let name_nl = name(&record.name_nl);
    if name_fr.is_none() && name_nl.is_none() {
        return Err("no name in French or Dutch".to_owned());
    }
    let mut kbo = None;
    for raw in &record.kbo {
        match Kbo::parse(raw) {
            Ok(valid) if kbo.is_none() => kbo = Some(valid),
            Ok(_) => {}
            Err(e) => issues.push(format!("{e}: dropped")),
        }
    }
    let mut nihii = None;
    for raw in &record.nihii {
        match Nihii::parse(raw) {
            Ok(valid) if nihii.is_none() => nihii = Some(valid),
            Ok(_) => {}
            Err(e) => issues.push(format!("{e}: dropped")),
        }
    }
    let mut website = None;
    for raw in &record.websites {
        match WebUrl::parse(raw) {
            Ok(valid) if website.is_none() => website = Some(String::from(valid)),
            Ok(_) => {}
            Err(_) => issues.push(format!("invalid website {raw:?} dropped")),
        }
    }
    let mut contacts: Vec<ContactInput> = Vec::new();
    for raw in &record.contacts {
        if let Some(c) = contact(raw, &mut issues)
            && !contacts
                .iter()
                .any(|x| x.kind == c.kind && x.value == c.value)
        {
            contacts.push(c);
        }
    }

    let mut sites = Vec::new();
    for raw in &record.sites {
        let point = match (raw.lat, raw.lon) {
            (Some(lat), Some(lon)) if lat != 0.0 || lon != 0.0 => Point::new(lat, lon).ok(),
            _ => None,
        }
        .or_else(|| {
            raw.lambert72
                .filter(|(x, y)| *x > 0.0 && *y > 0.0)
                .and_then(|(x, y)| {
                    let (lat, lon) = lambert::lambert72_to_wgs84(x, y);
                    Point::new(lat, lon).ok()
                })
        });
        if point.is_none() {
            issues.push(format!(
                "site {}: no coordinates, territories unknown",
                raw.key
            ));
        }
        sites.push(SiteInput {
            key: raw.key.clone(),
            street_fr: clean(&raw.street_fr),
            street_nl: clean(&raw.street_nl),
            house_number: clean(&raw.house_number),
            postcode: clean(&raw.postcode),
            municipality_fr: clean(&raw.municipality_fr),
            municipality_nl: clean(&raw.municipality_nl),
            point,
        });
    }

    let mut services = Vec::new();
    let mut seen_services = Vec::new();
    for raw in &record.services {
        if seen_services.contains(&raw.upstream_id) {
            issues.push(format!(
                "duplicate service id {:?}: first kept",
                raw.upstream_id
            ));
            continue;
        }
        seen_services.push(raw.upstream_id.clone());
        let mut categories: Vec<String> = Vec::new();
        let codes = raw
            .codes
            .iter()
            .chain(raw.accreditations.iter().filter_map(|a| a.code.as_ref()));
        for code in codes {
            let labels: Vec<&str> = code
                .label
                .iter()
                .chain(&code.label_nl)
                .map(String::as_str)
                .collect();
            match reference.map_category(&code.scheme, &code.code, &labels) {
                Some(category) => {
                    if !categories.contains(&category) {
                        categories.push(category);
                    }
                }
                None => {
                    unknown_codes.insert(code.clone());
                }
            }
        }
        let mut languages = Vec::new();
        for language in &raw.languages {
            match language_code(language) {
                Some(code) if !languages.contains(&code) => languages.push(code),
                Some(_) => {}
                None => issues.push(format!("unknown language {language:?} dropped")),
            }
        }
        let mut accreditations = Vec::new();
        for a in &raw.accreditations {
            let authority = a
                .authority
                .as_deref()
                .and_then(|text| reference.authority_for_label(text))
                .or_else(|| source.authority.clone());
            let Some(authority) = authority else {
                issues.push(format!(
                    "accreditation by unknown authority {:?} dropped",
                    a.authority.as_deref().unwrap_or("?")
                ));
                continue;
            };
            let kind = a
                .kind
                .as_deref()
                .and_then(AccreditationKind::from_text)
                .unwrap_or(AccreditationKind::Agrement);
            accreditations.push(AccreditationInput {
                authority,
                kind,
                legal_basis: clean(&a.legal_basis)
                    .or_else(|| a.code.as_ref().and_then(|c| c.label.clone())),
                valid_from: a.valid_from.as_deref().and_then(date),
                valid_to: a.valid_to.as_deref().and_then(date),
            });
        }
        let schedule: Vec<Opening> = if raw.schedule.is_empty() {
            raw.hours_fr
                .as_deref()
                .and_then(hours::parse)
                .or_else(|| raw.hours_nl.as_deref().and_then(hours::parse))
                .unwrap_or_default()
        } else {
            let mut periods: Vec<Opening> = raw
                .schedule
                .iter()
                .map(|(weekday, opens, closes)| Opening {
                    weekday: *weekday,
                    opens: opens.clone(),
                    closes: closes.clone(),
                })
                .collect();
            periods.sort_by(|a, b| (a.weekday, &a.opens).cmp(&(b.weekday, &b.opens)));
            periods.dedup();
            periods
        };
        let site_keys: Vec<String> = if raw.site_keys.is_empty() {
            sites.iter().map(|s: &SiteInput| s.key.clone()).collect()
        } else {
            raw.site_keys.clone()
        };
        let mut service_contacts = Vec::new();
        for c in &raw.contacts {
            if let Some(c) = contact(c, &mut issues) {
                service_contacts.push(c);
            }
        }
        let name_fr_service = name(&raw.name_fr);
        let name_nl_service = name(&raw.name_nl);
        let name_en_service = name(&raw.name_en);
        let unnamed =
            name_fr_service.is_none() && name_nl_service.is_none() && name_en_service.is_none();
        services.push(ServiceInput {
            upstream_id: raw.upstream_id.clone(),
            // A directory of organisations names the organisation's offer after it.
            name_fr: if unnamed {
                name_fr.clone()
            } else {
                name_fr_service
            },
            name_nl: if unnamed {
                name_nl.clone()
            } else {
                name_nl_service
            },
            name_en: name_en_service,
            description_fr: clean(&raw.description_fr),
            description_nl: clean(&raw.description_nl),
            description_en: clean(&raw.description_en),
            target_public_fr: clean(&raw.target_public_fr),
            target_public_nl: clean(&raw.target_public_nl),
            target_public_en: clean(&raw.target_public_en),
            categories,
            languages,
            fee: raw
                .fee
                .as_deref()
                .and_then(Fee::from_text)
                .unwrap_or(Fee::Unknown),
            referral_required: raw.referral_required.unwrap_or(false),
            status: status(raw.status.as_deref()),
            published: true,
            locations: site_keys
                .iter()
                .filter(|key| sites.iter().any(|s| &s.key == *key))
                .map(|key| LocationInput {
                    site_key: key.clone(),
                    schedule: schedule.clone(),
                    schedule_remark_fr: clean(&raw.hours_fr),
                    schedule_remark_nl: clean(&raw.hours_nl),
                    ..LocationInput::default()
                })
                .collect(),
            accreditations,
            contacts: service_contacts,
        });
    }

    let fields = OrganisationFields {
        name_fr: name_fr.clone(),
        name_nl: name_nl.clone(),
        legal_status_fr: clean(&record.legal_status_fr),
        legal_status_nl: clean(&record.legal_status_nl),
        website: website.clone(),
        contacts: contacts
            .iter()
            .map(|c| {
                (
                    c.kind,
                    c.value.clone(),
                    c.language.as_ref().map(|l| l.as_str().to_owned()),
                )
            })
            .collect(),
    };
    Ok(Mapped {
        upstream_id: record.upstream_id.clone(),
        input: OrganisationInput {
            name_fr,
            name_nl,
            legal_status_fr: fields.legal_status_fr.clone(),
            legal_status_nl: fields.legal_status_nl.clone(),
            website,
            kbo,
            nihii,
            sites,
            services,
        },
        fields,
        partial: record.partial,
        issues,
        unknown_codes,
    })
}

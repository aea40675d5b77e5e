//! Open Referral HSDS 3.0 publishers: `GET /services?page=&per_page=&modified_after=`
//! pages (`total_pages`, `contents[]`), each service with its organization and
//! service_at_locations. HSDS is service-centred; records are grouped per organization.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{
    fetch::{FetchError, Fetcher},
    record::{
        Code, Fetched, RawAccreditation, RawContact, RawContactKind, RawService, RawSite, Record,
    },
    text, texts,
};
use crate::{config::SourceConfig, domain::hours};

/// Reads every service page (or those modified since `since`).
pub async fn fetch(
    fetcher: &Fetcher,
    source: &SourceConfig,
    since: Option<chrono::DateTime<chrono::Utc>>,
    progress: &(dyn Fn(usize, Option<usize>) + Sync),
) -> Result<Fetched, FetchError> {
    let mut services: Vec<Value> = Vec::new();
    if fetcher.is_file() {
        let document = fetcher.read_json_file().await?;
        services.extend(page_contents(&document, &source.base_url)?);
    } else {
        let mut page = 1u64;
        loop {
            let mut path = format!("/services?page={page}&per_page={}", source.page_size);
            if let Some(since) = since {
                path.push_str(&format!(
                    "&modified_after={}",
                    since.format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
            let document = fetcher.get_json(&path).await?;
            let contents = page_contents(&document, &path)?;
            let total_pages = document["total_pages"].as_u64().unwrap_or(page);
            let last = document["last_page"]
                .as_bool()
                .unwrap_or(page >= total_pages)
                || contents.is_empty();
            services.extend(contents);
            progress(
                services.len(),
                document["total_items"].as_u64().map(|n| n as usize),
            );
            if last || page >= total_pages {
                break;
            }
            page += 1;
        }
    }
    let language = source.language.as_deref().unwrap_or("fr");
    Ok(Fetched {
        records: group(&services, language, since.is_some()),
        complete: since.is_none(),
        listed: None,
        notes: Vec::new(),
    })
}

/// The services of a page: HSDS 3.0's `contents`, or `items`/`data` as some publishers
/// name it, or a bare array (HSDS 2).
fn page_contents(document: &Value, url: &str) -> Result<Vec<Value>, FetchError> {
    let items = match document {
        Value::Array(items) => items,
        other => ["contents", "items", "data"]
            .iter()
            .find_map(|key| other[*key].as_array())
            .ok_or_else(|| FetchError::Malformed {
                url: url.to_owned(),
                message: "a page without `contents`".to_owned(),
            })?,
    };
    Ok(items.clone())
}

/// The records of an HSDS document a partner sends (`passerelle import hsds`,
/// `importHsds`): a page, an array of services, one service, or one organization with
/// its `services` (each then that organization's).
pub fn read_document(document: &Value, language: &str) -> Result<Vec<Record>, String> {
    let services: Vec<Value> = if let Ok(items) = page_contents(document, "") {
        items
    } else if let Some(services) = document["services"].as_array() {
        let mut organization = document.clone();
        if let Some(object) = organization.as_object_mut() {
            object.remove("services");
        }
        services
            .iter()
            .map(|service| {
                let mut service = service.clone();
                if !service["organization"].is_object() {
                    service["organization"] = organization.clone();
                }
                service
            })
            .collect()
    } else if document["name"].is_string() && document.get("id").is_some() {
        vec![document.clone()]
    } else {
        return Err(
            "not an HSDS document: expected a page (`contents`), an array of services, a \
             service, or an organization with its `services`"
                .to_owned(),
        );
    };
    Ok(group(&services, language, false))
}

/// Puts a text in the field of the source's language.
fn localized(
    language: &str,
    value: Option<String>,
) -> (Option<String>, Option<String>, Option<String>) {
    match language {
        "nl" => (None, value, None),
        "en" => (None, None, value),
        _ => (value, None, None),
    }
}

fn group(services: &[Value], language: &str, partial: bool) -> Vec<Record> {
    let mut records: BTreeMap<String, Record> = BTreeMap::new();
    for service in services {
        // The specification's spelling, or the British one some publishers use.
        let organization = if service["organization"].is_object() {
            &service["organization"]
        } else {
            &service["organisation"]
        };
        let org_id = text(&organization["id"])
            .or_else(|| text(&service["organization_id"]))
            .or_else(|| text(&service["organisation_id"]))
            .unwrap_or_else(|| format!("service-{}", text(&service["id"]).unwrap_or_default()));
        let record = records
            .entry(org_id.clone())
            .or_insert_with(|| organisation(&org_id, organization, language, partial));
        let parsed = self::service(service, language, record);
        record.services.push(parsed);
        if let Value::Array(raw) = &mut record.raw {
            raw.push(service.clone());
        }
    }
    records.into_values().collect()
}

fn organisation(id: &str, organization: &Value, language: &str, partial: bool) -> Record {
    let (name_fr, name_nl, _) = localized(language, text(&organization["name"]));
    let mut record = Record {
        upstream_id: id.to_owned(),
        name_fr,
        name_nl,
        websites: texts(&organization["website"]),
        partial,
        raw: Value::Array(Vec::new()),
        ..Record::default()
    };
    let (legal_fr, legal_nl, _) = localized(language, text(&organization["legal_status"]));
    record.legal_status_fr = legal_fr;
    record.legal_status_nl = legal_nl;
    for email in texts(&organization["email"]) {
        record.contacts.push(RawContact {
            kind: RawContactKind::Email,
            value: email,
            language: None,
        });
    }
    for phone in organization["phones"].as_array().into_iter().flatten() {
        if let Some(number) = text(&phone["number"]) {
            record.contacts.push(RawContact {
                kind: RawContactKind::Phone,
                value: number,
                language: None,
            });
        }
    }
    for identifier in organization["organization_identifiers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let scheme = format!(
            "{} {}",
            text(&identifier["identifier_scheme"]).unwrap_or_default(),
            text(&identifier["identifier_type"]).unwrap_or_default()
        )
        .to_ascii_uppercase();
        let Some(value) = text(&identifier["identifier"]) else {
            continue;
        };
        if ["KBO", "BCE", "CBE"].iter().any(|s| scheme.contains(s)) {
            record.kbo.push(value);
        } else if ["RIZIV", "INAMI", "NIHII"]
            .iter()
            .any(|s| scheme.contains(s))
        {
            record.nihii.push(value);
        }
    }
    record
}

fn service(service: &Value, language: &str, record: &mut Record) -> RawService {
    let (name_fr, name_nl, name_en) = localized(language, text(&service["name"]));
    let (description_fr, description_nl, description_en) =
        localized(language, text(&service["description"]));
    let (public_fr, public_nl, public_en) =
        localized(language, text(&service["eligibility_description"]));
    let mut out = RawService {
        upstream_id: text(&service["id"]).unwrap_or_default(),
        name_fr,
        name_nl,
        name_en,
        description_fr,
        description_nl,
        description_en,
        target_public_fr: public_fr,
        target_public_nl: public_nl,
        target_public_en: public_en,
        status: text(&service["status"]),
        ..RawService::default()
    };
    for language in service["languages"].as_array().into_iter().flatten() {
        if let Some(code) = text(&language["code"]).or_else(|| text(&language["name"])) {
            out.languages.push(code);
        }
    }
    for attribute in service["attributes"].as_array().into_iter().flatten() {
        let term = &attribute["taxonomy_term"];
        if let Some(code) = text(&term["code"]).or_else(|| text(&term["id"])) {
            let vocabulary = text(&term["taxonomy"])
                .or_else(|| text(&term["vocabulary"]))
                .or_else(|| text(&term["taxonomy_detail"]["name"]))
                .unwrap_or_else(|| "default".to_owned());
            out.codes.push(Code {
                scheme: format!("hsds.{vocabulary}"),
                code,
                label: text(&term["name"]),
                label_nl: None,
            });
        }
    }
    for funding in service["funding"].as_array().into_iter().flatten() {
        if let Some(source) = text(&funding["source"]) {
            out.accreditations.push(RawAccreditation {
                authority: Some(source),
                kind: Some("subvention".to_owned()),
                ..RawAccreditation::default()
            });
        }
    }
    // Accreditations and (deprecated) licenses are free text, several parts separated
    // by semicolons or lines ("COCOF : Décret du 5 mars 2009 ; Convention INAMI").
    for field in ["accreditations", "licenses"] {
        for part in text(&service[field])
            .unwrap_or_default()
            .split([';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            // The same words in both fields are one accreditation.
            if !out
                .accreditations
                .iter()
                .any(|a| a.legal_basis.as_deref() == Some(part))
            {
                out.accreditations
                    .push(RawAccreditation::described(part.to_owned(), None));
            }
        }
    }
    out.fee = fee(service);
    out.referral_required = referral(text(&service["application_process"]).as_deref());
    for email in texts(&service["email"]) {
        out.contacts.push(RawContact {
            kind: RawContactKind::Email,
            value: email,
            language: None,
        });
    }
    for phone in service["phones"].as_array().into_iter().flatten() {
        if let Some(number) = text(&phone["number"]) {
            out.contacts.push(RawContact {
                kind: RawContactKind::Phone,
                value: number,
                language: None,
            });
        }
    }
    out.schedule.extend(schedules(&service["schedules"]));
    for at in service["service_at_locations"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let location = &at["location"];
        let key = text(&location["id"])
            .or_else(|| text(&at["id"]))
            .unwrap_or_else(|| "main".to_owned());
        if !record.sites.iter().any(|s| s.key == key) {
            record.sites.push(site(&key, location, language));
        }
        out.site_keys.push(key);
        out.schedule.extend(schedules(&at["schedules"]));
    }
    out
}

fn fee(service: &Value) -> Option<String> {
    let costs: Vec<&Value> = service["cost_options"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let has_costs = !costs.is_empty();
    // Cost options that all cost nothing ("Gratuit.", amount 0) say the service is free.
    let all_free = has_costs
        && costs
            .iter()
            .all(|c| c["amount"].as_f64().is_some_and(|a| a == 0.0));
    let description = text(&service["fees_description"])
        .or_else(|| text(&service["fees"]))
        .unwrap_or_default()
        .to_lowercase();
    if description.contains("inami")
        || description.contains("riziv")
        || description.contains("forfait")
    {
        Some("inami_conventioned".to_owned())
    } else if description.contains("revenu")
        || description.contains("inkomen")
        || description.contains("income")
    {
        Some("income_based".to_owned())
    } else if all_free
        || description.contains("gratuit")
        || description.contains("gratis")
        || description.contains("free")
    {
        Some("free".to_owned())
    } else if has_costs {
        Some("fixed".to_owned())
    } else {
        None
    }
}

fn site(key: &str, location: &Value, language: &str) -> RawSite {
    let address = location["addresses"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["address_type"] == "physical")
                .or_else(|| a.first())
        })
        .cloned()
        .unwrap_or(Value::Null);
    let street_line = text(&address["address_1"]);
    // "Rue de la Poste 12" → street and number, as Belgian addresses are written.
    let (street, number) = match street_line {
        Some(line) => match line.rsplit_once(' ') {
            Some((street, number)) if number.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
                (
                    Some(street.trim_end_matches(',').to_owned()),
                    Some(number.to_owned()),
                )
            }
            _ => (Some(line), None),
        },
        None => (None, None),
    };
    let city = text(&address["city"]);
    let (street_fr, street_nl) = if language == "nl" {
        (None, street)
    } else {
        (street, None)
    };
    let (municipality_fr, municipality_nl) = if language == "nl" {
        (None, city)
    } else {
        (city, None)
    };
    RawSite {
        key: key.to_owned(),
        street_fr,
        street_nl,
        house_number: number,
        postcode: text(&address["postal_code"]),
        municipality_fr,
        municipality_nl,
        lat: location["latitude"].as_f64(),
        lon: location["longitude"].as_f64(),
        lambert72: None,
    }
}

/// RFC 5545-style weekly schedules: `byday` ("MO,TU") with `opens_at`/`closes_at`.
fn schedules(value: &Value) -> Vec<(u8, String, String)> {
    let mut out = Vec::new();
    for schedule in value.as_array().into_iter().flatten() {
        let (Some(opens), Some(closes), Some(days)) = (
            text(&schedule["opens_at"]),
            text(&schedule["closes_at"]),
            text(&schedule["byday"]),
        ) else {
            continue;
        };
        let hhmm = |t: &str| t.get(..5).map(str::to_owned);
        let (Some(opens), Some(closes)) = (hhmm(&opens), hhmm(&closes)) else {
            continue;
        };
        for day in days.split(',') {
            let code = day
                .trim()
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
            let Some(weekday) = (1u8..)
                .zip(hours::BYDAY)
                .find_map(|(n, d)| (d == code).then_some(n))
            else {
                continue;
            };
            out.push((weekday, opens.clone(), closes.clone()));
        }
    }
    out
}

/// Whether the application process asks for a referral by a professional.
pub(super) fn referral(text: Option<&str>) -> Option<bool> {
    let text = crate::domain::normalize_for_search(text?);
    let referral = [
        "orientation",
        "doorverwijzing",
        "referral",
        "envoye par",
        "verwijzing",
    ]
    .iter()
    .any(|w| text.contains(w));
    Some(referral)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_organisations_are_read_under_their_other_names() {
        let service = serde_json::json!({
            "id": "s-1",
            "name": "  Permanence sociale ",
            "organisation": { "id": "o-1", "name": "ASBL Quokka" },
        });
        for page in [
            serde_json::json!({ "contents": [service.clone()] }),
            serde_json::json!({ "items": [service.clone()] }),
            serde_json::json!({ "data": [service.clone()] }),
            serde_json::json!([service.clone()]),
        ] {
            let found = page_contents(&page, "test").expect("a page");
            assert_eq!(found.len(), 1, "{page}");
        }
        assert!(page_contents(&serde_json::json!({ "results": 3 }), "test").is_err());

        let records = group(&[service], "fr", false);
        assert_eq!(records[0].upstream_id, "o-1");
        assert_eq!(records[0].name_fr.as_deref(), Some("ASBL Quokka"));
        assert_eq!(
            records[0].services[0].name_fr.as_deref(),
            Some("Permanence sociale"),
            "stray whitespace trimmed"
        );
    }
}

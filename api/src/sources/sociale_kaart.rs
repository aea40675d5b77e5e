//! De Sociale Kaart (Flanders and Dutch-speaking Brussels): Spring HAL pages of
//! `GET /api/health-offers?page=N&size=M&sort=LAST_UPDATED_DESC` (pages from 0, items in
//! `_embedded.healthOfferProviderRepresentationList[]` or, in some versions,
//! `content[]`). Texts are Dutch only. Sorted by last update, an incremental read stops
//! at the first item older than the last success.
//!
//! Known item fields follow the public scripts (`id{id, authenticSource}`,
//! `legalName.description`, `addresses[]`, `activities[]`, `type`, `state`, `verified`,
//! `rubrics`); the shape of `contactDetails` is assumed (see docs/sources.md).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use super::{
    fetch::{FetchError, Fetcher},
    record::{
        Code, Fetched, RawAccreditation, RawContact, RawContactKind, RawService, RawSite, Record,
    },
    text,
};
use crate::config::SourceConfig;

pub async fn fetch(
    fetcher: &Fetcher,
    source: &SourceConfig,
    since: Option<DateTime<Utc>>,
    progress: &(dyn Fn(usize, Option<usize>) + Sync),
) -> Result<Fetched, FetchError> {
    if fetcher.is_file() {
        let document = fetcher.read_json_file().await?;
        let items = match &document {
            Value::Array(items) => items.clone(),
            page => items(page),
        };
        return Ok(Fetched {
            records: items.iter().map(record).collect(),
            complete: true,
            listed: None,
        });
    }
    let mut records = Vec::new();
    let mut complete = true;
    let mut number = 0u64;
    'pages: loop {
        let path = format!(
            "/api/health-offers?page={number}&size={}&sort=LAST_UPDATED_DESC",
            source.page_size.min(2000)
        );
        let page = fetcher.get_json(&path).await?;
        if !page["page"].is_object()
            && !page["_embedded"].is_object()
            && !page["content"].is_array()
        {
            return Err(FetchError::Malformed {
                url: path,
                message: "not a Spring page".to_owned(),
            });
        }
        let found = items(&page);
        for item in &found {
            if let Some(since) = since
                && updated(item).is_some_and(|u| u < since)
            {
                // Everything after this item is older: the rest did not change.
                complete = false;
                break 'pages;
            }
            records.push(record(item));
        }
        let total_pages = page["page"]["totalPages"].as_u64().unwrap_or(0);
        progress(
            records.len(),
            page["page"]["totalElements"].as_u64().map(|n| n as usize),
        );
        number += 1;
        if found.is_empty() || number >= total_pages {
            break;
        }
    }
    Ok(Fetched {
        records,
        complete,
        listed: None,
    })
}

fn items(page: &Value) -> Vec<Value> {
    page["_embedded"]["healthOfferProviderRepresentationList"]
        .as_array()
        .or_else(|| page["content"].as_array())
        .cloned()
        .unwrap_or_default()
}

fn updated(item: &Value) -> Option<DateTime<Utc>> {
    let text = item["lastUpdated"].as_str()?;
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// "01.01.01. Centra voor Algemeen Welzijnswerk (CAW)" → "01.01.01".
fn rubric_number(label: &str) -> Option<String> {
    let number: String = label
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let number = number.trim_end_matches('.');
    (number.contains('.') && !number.is_empty()).then(|| number.to_owned())
}

fn record(item: &Value) -> Record {
    let id = text(&item["id"]["id"])
        .or_else(|| text(&item["id"]))
        .unwrap_or_default();
    let name = text(&item["legalName"]["description"]).or_else(|| text(&item["legalName"]));
    let mut record = Record {
        upstream_id: id.clone(),
        name_nl: name.clone(),
        kbo: text(&item["enterpriseNumber"]).into_iter().collect(),
        raw: item.clone(),
        ..Record::default()
    };
    let details = &item["contactDetails"];
    let mut add = |kind, value: Option<String>| {
        if let Some(value) = value {
            record.contacts.push(RawContact {
                kind,
                value,
                language: Some("nl".to_owned()),
            });
        }
    };
    for phone in details["phones"].as_array().into_iter().flatten() {
        add(
            RawContactKind::Phone,
            text(&phone["number"]).or_else(|| text(phone)),
        );
    }
    for email in details["emails"].as_array().into_iter().flatten() {
        add(
            RawContactKind::Email,
            text(&email["address"]).or_else(|| text(email)),
        );
    }
    for website in details["websites"].as_array().into_iter().flatten() {
        if let Some(url) = text(&website["url"]).or_else(|| text(website)) {
            record.websites.push(url);
        }
    }
    let mut addresses: Vec<&Value> = item["addresses"].as_array().into_iter().flatten().collect();
    addresses.sort_by_key(|a| !a["primary"].as_bool().unwrap_or(false));
    for (index, address) in addresses.into_iter().enumerate() {
        record.sites.push(RawSite {
            key: format!("address-{index}"),
            street_nl: text(&address["street"]),
            house_number: text(&address["houseNumber"]),
            postcode: text(&address["municipality"]["postalCode"]),
            municipality_nl: text(&address["municipality"]["name"]),
            lat: address["lat"].as_f64(),
            lon: address["lon"].as_f64(),
            ..RawSite::default()
        });
    }
    let codes: Vec<Code> = item["rubrics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|rubric| {
            let label = text(&rubric["name"]["description"]).or_else(|| text(rubric));
            let code = label
                .as_deref()
                .and_then(rubric_number)
                .or_else(|| text(&rubric["id"]))?;
            Some(Code {
                scheme: "sociale_kaart.rubric".to_owned(),
                code,
                label,
            })
        })
        .collect();
    let status = match text(&item["state"]).as_deref() {
        Some("INACTIVE") | Some("STOPPED") => Some("inactive".to_owned()),
        _ => Some("active".to_owned()),
    };
    // The authentic source is the Flemish administration that recognises the offer.
    let authority = match text(&item["id"]["authenticSource"]).as_deref() {
        Some("VGC") => Some("vgc"),
        Some("ZORG_EN_GEZONDHEID") | Some("AGENTSCHAP_ZORG_EN_GEZONDHEID") | Some("OPGROEIEN") => {
            Some("vg")
        }
        _ => None,
    };
    let accreditations: Vec<RawAccreditation> = authority
        .map(|a| RawAccreditation {
            authority: Some(a.to_owned()),
            kind: Some("agrement".to_owned()),
            ..RawAccreditation::default()
        })
        .into_iter()
        .collect();
    let activities: Vec<&Value> = item["activities"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    if activities.is_empty() {
        record.services.push(RawService {
            upstream_id: id.clone(),
            name_nl: name,
            codes: codes.clone(),
            languages: vec!["nl".to_owned()],
            status: status.clone(),
            accreditations: accreditations.clone(),
            ..RawService::default()
        });
    }
    for activity in activities {
        let activity_name =
            text(&activity["name"]["description"]).or_else(|| text(&activity["name"]));
        record.services.push(RawService {
            // Activities have no id of their own: their name identifies them.
            upstream_id: format!("{id}/{}", activity_name.as_deref().unwrap_or("activity")),
            name_nl: activity_name,
            description_nl: text(&activity["description"]["description"]),
            codes: codes.clone(),
            languages: vec!["nl".to_owned()],
            status: status.clone(),
            accreditations: accreditations.clone(),
            ..RawService::default()
        });
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rubric_numbers_are_read_from_labels() {
        assert_eq!(
            rubric_number("14.04.01. Woonzorgcentra (WZC)").as_deref(),
            Some("14.04.01")
        );
        assert_eq!(rubric_number("Woonzorgcentra"), None);
    }

    #[test]
    fn an_item_becomes_a_dutch_record_with_one_service_per_activity() {
        let item = serde_json::json!({
            "id": {"id": 181234, "authenticSource": "VGC"},
            "state": "ACTIVE",
            "legalName": {"description": "Buurtwerk De Linde"},
            "enterpriseNumber": "0403.170.701",
            "addresses": [
                {"primary": false, "street": "Lindestraat", "houseNumber": "2", "municipality": {"postalCode": "1030", "name": "Schaarbeek"}},
                {"primary": true, "lat": 50.86, "lon": 4.38, "street": "Poststraat", "houseNumber": "1", "municipality": {"postalCode": "1030", "name": "Schaarbeek"}}
            ],
            "activities": [{"name": {"description": "Ontmoeting"}}, {"name": {"description": "Taalcafé"}}],
            "rubrics": [{"id": 10501, "name": {"description": "01.05.01. Buurtwerk en samenlevingsopbouw"}}],
            "contactDetails": {"phones": [{"number": "02 123 45 67"}], "emails": [{"address": "info@linde.example"}], "websites": [{"url": "www.linde.example"}]},
            "lastUpdated": "2026-03-01T10:00:00"
        });
        let record = record(&item);
        assert_eq!(record.upstream_id, "181234");
        assert_eq!(
            record.sites[0].street_nl.as_deref(),
            Some("Poststraat"),
            "primary first"
        );
        assert_eq!(record.services.len(), 2);
        assert_eq!(record.services[1].upstream_id, "181234/Taalcafé");
        assert_eq!(record.services[0].codes[0].code, "01.05.01");
        assert_eq!(
            record.services[0].accreditations[0].authority.as_deref(),
            Some("vgc")
        );
        assert_eq!(
            updated(&item).map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-03-01T10:00:00+00:00")
        );
    }
}

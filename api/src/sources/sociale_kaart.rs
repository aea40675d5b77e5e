//! De Sociale Kaart (Flanders and Dutch-speaking Brussels): Spring HAL pages of
//! `GET /api/health-offers?rubrics=…&postalCodes=…&page=N&size=M&sort=LAST_UPDATED_DESC`
//! (pages from 0, items in `_embedded.healthOfferProviderRepresentationList[]` or, in
//! some versions, `content[]`). Texts are Dutch only. Sorted by last update, an
//! incremental read stops at the first item older than the last success; items without
//! an update date never stop it.
//!
//! An item is one provider: one organisation offering one service, whose categories are
//! the numbered rubric labels of `activities[].name.description` (and of `rubrics[]`
//! where a version has it). Known item fields follow the public scripts (`id{id,
//! authenticSource}`, `legalName.description`, `addresses[]` with `lat`/`lon` or
//! `latitude`/`longitude`, `activities[]`, `type`, `state`, `verified`); the shape of
//! `contactDetails` is assumed (see docs/sources.md). The rubric filter asks only for the
//! first-line offer; items with no address in the configured postcodes are left out.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use super::{
    fetch::{FetchError, Fetcher},
    record::{
        Code, Fetched, RawAccreditation, RawContact, RawContactKind, RawService, RawSite, Record,
    },
    text,
};
use crate::config::{Postcodes, SourceConfig};

pub async fn fetch(
    fetcher: &Fetcher,
    source: &SourceConfig,
    since: Option<DateTime<Utc>>,
    progress: &(dyn Fn(usize, Option<usize>) + Sync),
) -> Result<Fetched, FetchError> {
    let postcodes = source.postcodes();
    if fetcher.is_file() {
        let document = fetcher.read_json_file().await?;
        let items = match &document {
            Value::Array(items) => items.clone(),
            page => items(page),
        };
        let (kept, outside): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|item| in_region(item, &postcodes));
        return Ok(Fetched {
            records: kept.into_iter().map(record).collect(),
            complete: true,
            listed: None,
            notes: outside_note(outside.len()),
        });
    }
    let filters = filters(source, &postcodes);
    let mut records = Vec::new();
    let mut outside = 0;
    let mut complete = true;
    let mut number = 0u64;
    'pages: loop {
        let path = format!(
            "/api/health-offers?{filters}page={number}&size={}&sort=LAST_UPDATED_DESC",
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
            if in_region(item, &postcodes) {
                records.push(record(item));
            } else {
                outside += 1;
            }
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
        notes: outside_note(outside),
    })
}

/// The query's filters, each parameter followed by `&`: one `rubrics` per rubric of the
/// source's list, one `postalCodes` per postcode of its ranges.
fn filters(source: &SourceConfig, postcodes: &Postcodes) -> String {
    let mut query = String::new();
    for rubric in source.rubrics() {
        query.push_str("rubrics=");
        query.push_str(&urlencode(&rubric));
        query.push('&');
    }
    for postcode in postcodes.each() {
        query.push_str(&format!("postalCodes={postcode}&"));
    }
    query
}

/// `application/x-www-form-urlencoded` for one value.
fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Whether an item has an address in the configured postcodes, or no postcode at all
/// (then nothing says it lies elsewhere).
fn in_region(item: &Value, postcodes: &Postcodes) -> bool {
    let found: Vec<String> = item["addresses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| text(&a["municipality"]["postalCode"]).or_else(|| text(&a["postalCode"])))
        .collect();
    found.is_empty() || found.iter().any(|p| postcodes.contains(p))
}

fn outside_note(outside: usize) -> Vec<String> {
    (outside > 0)
        .then(|| format!("{outside} items with no address in the configured postcodes left out"))
        .into_iter()
        .collect()
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

/// A coordinate given as a number or a numeric string.
fn coordinate(address: &Value, names: [&str; 2]) -> Option<f64> {
    names.iter().find_map(|name| {
        let value = &address[*name];
        value
            .as_f64()
            .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
    })
}

/// The rubric codes of an item: its activities' labels and its `rubrics[]`, each by its
/// number ("05.01.00") or, without one, by its label.
fn rubrics_of(item: &Value) -> Vec<Code> {
    let mut codes: Vec<Code> = Vec::new();
    let entries = item["activities"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(item["rubrics"].as_array().into_iter().flatten());
    for entry in entries {
        let label = text(&entry["name"]["description"])
            .or_else(|| text(&entry["name"]))
            .or_else(|| text(&entry["description"]).filter(|_| entry["name"].is_null()))
            .or_else(|| text(entry));
        let Some(code) = label
            .as_deref()
            .and_then(rubric_number)
            .or_else(|| label.clone())
            .or_else(|| text(&entry["id"]))
        else {
            continue;
        };
        if codes.iter().all(|c| c.code != code) {
            codes.push(Code {
                scheme: "sociale_kaart.rubric".to_owned(),
                code,
                label,
                label_nl: None,
            });
        }
    }
    codes
}

fn record(item: &Value) -> Record {
    let id = text(&item["id"]["id"])
        .or_else(|| text(&item["id"]))
        .unwrap_or_default();
    let name = text(&item["legalName"]["description"])
        .or_else(|| text(&item["legalName"]))
        .or_else(|| text(&item["name"]["description"]))
        .or_else(|| text(&item["name"]));
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
            postcode: text(&address["municipality"]["postalCode"])
                .or_else(|| text(&address["postalCode"])),
            municipality_nl: text(&address["municipality"]["name"]).or_else(|| {
                text(&address["municipality"]).filter(|_| address["municipality"].is_string())
            }),
            lat: coordinate(address, ["lat", "latitude"]),
            lon: coordinate(address, ["lon", "longitude"]),
            ..RawSite::default()
        });
    }
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
    // What the provider offers: its description, else what its activities say of
    // themselves.
    let description = text(&item["description"]["description"])
        .or_else(|| text(&item["description"]))
        .or_else(|| {
            let said: Vec<String> = item["activities"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| text(&a["description"]["description"]))
                .collect();
            (!said.is_empty()).then(|| said.join("\n"))
        });
    record.services.push(RawService {
        upstream_id: id,
        name_nl: name,
        description_nl: description,
        codes: rubrics_of(item),
        languages: vec!["nl".to_owned()],
        status,
        accreditations,
        ..RawService::default()
    });
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
    fn an_item_is_one_dutch_service_categorised_by_its_activities() {
        let item = serde_json::json!({
            "id": {"id": 181234, "authenticSource": "VGC"},
            "state": "ACTIVE",
            "legalName": {"description": "Buurtwerk De Linde"},
            "enterpriseNumber": "0403.170.701",
            "addresses": [
                {"primary": false, "street": "Lindestraat", "houseNumber": "2", "municipality": {"postalCode": "1030", "name": "Schaarbeek"}},
                {"primary": true, "latitude": 50.86, "longitude": "4.38", "street": "Poststraat", "houseNumber": "1", "municipality": {"postalCode": "1030", "name": "Schaarbeek"}}
            ],
            "activities": [
                {"name": {"description": "01.05.01. Buurtwerk en samenlevingsopbouw"}},
                {"name": {"description": "Taalcafé"}, "description": {"description": "Elke woensdag."}}
            ],
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
        assert_eq!(
            (record.sites[0].lat, record.sites[0].lon),
            (Some(50.86), Some(4.38))
        );
        assert_eq!(record.services.len(), 1, "one provider, one service");
        let service = &record.services[0];
        assert_eq!(service.name_nl.as_deref(), Some("Buurtwerk De Linde"));
        assert_eq!(service.description_nl.as_deref(), Some("Elke woensdag."));
        let codes: Vec<&str> = service.codes.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            ["01.05.01", "Taalcafé"],
            "rubrics once, by number, else by label"
        );
        assert_eq!(service.accreditations[0].authority.as_deref(), Some("vgc"));
        assert_eq!(
            updated(&item).map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-03-01T10:00:00+00:00")
        );
    }

    #[test]
    fn only_items_with_an_address_in_the_postcodes_are_kept() {
        let region = crate::config::Postcodes::parse(&["1000-1210".to_owned()]).expect("valid");
        let at = |postcode: &str| serde_json::json!({"addresses": [{"municipality": {"postalCode": postcode}}]});
        assert!(in_region(&at("1030"), &region));
        assert!(!in_region(&at("9000"), &region));
        assert!(
            in_region(&serde_json::json!({"addresses": []}), &region),
            "nothing says elsewhere"
        );
        assert!(in_region(
            &serde_json::json!({"addresses": [{"postalCode": "9000"}, {"municipality": {"postalCode": "1210"}}]}),
            &region
        ));
    }

    #[test]
    fn the_query_asks_for_the_rubrics_and_the_region() {
        let mut source =
            SourceConfig::new("sk", crate::config::SourceKind::SocialeKaart, "http://x");
        source.rubrics = Some(vec![
            "02.03.01. Centra voor geestelijke gezondheidszorg (CGG)".to_owned(),
        ]);
        let query = filters(&source, &source.postcodes());
        assert!(
            query.starts_with("rubrics=02.03.01.+Centra+voor+geestelijke+gezondheidszorg+%28CGG%29&postalCodes=1000&postalCodes=1020&"),
            "{query}"
        );
        assert_eq!(query.matches("postalCodes=").count(), 22);
    }
}

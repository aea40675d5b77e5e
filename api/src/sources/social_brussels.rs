//! social.brussels (Bruxelles Social / Sociaal Brussel): bilingual organisation records
//! as `GET /rest/organisation/{id}` returns them (see the real sample in
//! `shared/data/upstream/social-brussels/`).
//!
//! The search endpoint is undocumented: the connector pages
//! `GET /rest/search/organisation?page=N&size=M` and accepts a bare array or an object
//! holding the items under `content`, `items`, `results` or `organisations`, with
//! `totalPages`/`total_pages`. A search hit is a summary whatever fields it carries: the
//! record is always its detail document, fetched a few at a time; with a `since` date,
//! only hits whose `lastUpdate` is on or after it are fetched, and the listing still
//! tells which records exist. A `file://` source is one JSON array of whole records.
//!
//! The look-up lists `/rest/agreements`, `/rest/agreementpowers` and `/rest/sectors` are
//! read when the source serves them (a 404 means it does not): an agrément a record
//! names by id alone gets its labels and its competent authority from them.

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::StreamExt;
use serde_json::Value;

use super::{
    fetch::{FetchError, Fetcher},
    record::{
        Code, Fetched, RawAccreditation, RawContact, RawContactKind, RawService, RawSite, Record,
    },
    text, texts,
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
        let items = items(&document, &source.base_url)?;
        let lookups = Lookups::default();
        return Ok(Fetched {
            records: items.iter().map(|item| record(item, &lookups)).collect(),
            complete: true,
            listed: None,
            notes: Vec::new(),
        });
    }
    let lookups = Lookups::read(fetcher).await?;
    let lookups = &lookups;
    let mut listed: Vec<Value> = Vec::new();
    let mut page = 0u64;
    loop {
        let path = format!(
            "/rest/search/organisation?page={page}&size={}",
            source.page_size
        );
        let document = fetcher.get_json(&path).await?;
        let found = items(&document, &path)?;
        let total_pages = document["totalPages"]
            .as_u64()
            .or_else(|| document["total_pages"].as_u64())
            .or_else(|| document["page"]["totalPages"].as_u64());
        let empty = found.is_empty();
        listed.extend(found);
        progress(listed.len(), None);
        page += 1;
        let done = match total_pages {
            Some(total) => page >= total,
            None => empty || (listed.len() as u64) < page * u64::from(source.page_size),
        };
        if done {
            break;
        }
    }
    let since_date = since.map(|s| s.date_naive());
    let ids: Vec<String> = listed.iter().filter_map(|item| text(&item["id"])).collect();
    let wanted: Vec<Value> = listed
        .into_iter()
        .filter(|item| text(&item["id"]).is_some())
        .filter(|item| {
            match (
                since_date,
                item["lastUpdate"].as_str().and_then(last_update),
            ) {
                (Some(since), Some(updated)) => updated >= since,
                _ => true,
            }
        })
        .collect();
    let total = wanted.len();
    // A few detail requests in flight at once (the fetcher still bounds the rate);
    // `buffered` keeps the listing's order, so runs stay deterministic. Each future
    // owns its item: futures borrowing from the closure's argument would not be `Send`
    // for every lifetime, which the scheduler's spawned task needs.
    let details = wanted.into_iter().map(|item| async move {
        let document = detail(fetcher, item).await?;
        Ok::<_, FetchError>(record(&document, lookups))
    });
    let mut records = Vec::with_capacity(total);
    let mut stream = futures_util::stream::iter(details).buffered(DETAILS_IN_FLIGHT);
    while let Some(record) = stream.next().await {
        records.push(record?);
        progress(records.len(), Some(total));
    }
    Ok(Fetched {
        records,
        complete: true,
        listed: Some(ids),
        notes: Vec::new(),
    })
}

/// Detail requests in flight at once.
const DETAILS_IN_FLIGHT: usize = 8;

/// The whole record behind a search hit: its detail document, never the hit itself
/// (a hit may carry names and still lack the KBO number, the address, the agréments).
async fn detail(fetcher: &Fetcher, item: Value) -> Result<Value, FetchError> {
    let id = text(&item["id"]).unwrap_or_default();
    let path = format!("/rest/organisation/{id}");
    let document = fetcher.get_json(&path).await?;
    if text(&document["id"]) != Some(id) {
        return Err(FetchError::Malformed {
            url: path,
            message: "the detail document is not the record the listing named".to_owned(),
        });
    }
    Ok(document)
}

/// An agrément of `/rest/agreements`.
#[derive(Debug, Default)]
struct Agreement {
    label_fr: Option<String>,
    label_nl: Option<String>,
    power: Option<String>,
}

/// The look-up lists a source serves; empty when it serves none.
#[derive(Debug, Default)]
struct Lookups {
    agreements: std::collections::HashMap<String, Agreement>,
    /// Competent authorities by id: FR label, else NL.
    powers: std::collections::HashMap<String, String>,
    /// Sectors by id: FR and NL labels.
    sectors: std::collections::HashMap<String, (Option<String>, Option<String>)>,
}

impl Lookups {
    async fn read(fetcher: &Fetcher) -> Result<Lookups, FetchError> {
        let list = async |path: &str| match fetcher.get_json(path).await {
            Ok(document) => Ok(items(&document, path).unwrap_or_default()),
            Err(FetchError::Status { status: 404, .. }) => Ok(Vec::new()),
            Err(error) => Err(error),
        };
        let mut lookups = Lookups::default();
        for power in list("/rest/agreementpowers").await? {
            if let (Some(id), Some(label)) = (text(&power["id"]), label_of(&power)) {
                lookups.powers.insert(id, label);
            }
        }
        for agreement in list("/rest/agreements").await? {
            let Some(id) = text(&agreement["id"]) else {
                continue;
            };
            let power = power_of(&agreement, &lookups.powers);
            lookups.agreements.insert(
                id,
                Agreement {
                    label_fr: text(&agreement["labelFr"]),
                    label_nl: text(&agreement["labelNl"]),
                    power,
                },
            );
        }
        for sector in list("/rest/sectors").await? {
            if let Some(id) = text(&sector["id"]) {
                lookups
                    .sectors
                    .insert(id, (text(&sector["labelFr"]), text(&sector["labelNl"])));
            }
        }
        Ok(lookups)
    }
}

/// `labelFr`, else `labelNl`, else `label`.
fn label_of(value: &Value) -> Option<String> {
    text(&value["labelFr"])
        .or_else(|| text(&value["labelNl"]))
        .or_else(|| text(&value["label"]))
}

/// The competent authority of an agrément: a `power` object or text, else a power id
/// (`powerId`, `agreementPowerId`, `power.id`) resolved through the look-up list.
fn power_of(
    agreement: &Value,
    powers: &std::collections::HashMap<String, String>,
) -> Option<String> {
    let power = agreement
        .get("power")
        .or_else(|| agreement.get("agreementPower"))
        .unwrap_or(&Value::Null);
    label_of(power)
        .or_else(|| power.as_str().map(str::to_owned))
        .or_else(|| {
            [
                &power["id"],
                &agreement["powerId"],
                &agreement["agreementPowerId"],
            ]
            .into_iter()
            .find_map(|id| text(id).and_then(|id| powers.get(&id).cloned()))
        })
}

fn items(document: &Value, url: &str) -> Result<Vec<Value>, FetchError> {
    let found = match document {
        Value::Array(items) => Some(items),
        other => ["content", "items", "results", "organisations"]
            .iter()
            .find_map(|key| other[*key].as_array()),
    };
    found.cloned().ok_or_else(|| FetchError::Malformed {
        url: url.to_owned(),
        message: "no list of organisations".to_owned(),
    })
}

/// "28/08/20" (dd/mm/yy), as social.brussels writes `lastUpdate`.
fn last_update(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d/%m/%y")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y"))
        .ok()
}

fn first(value: &Value) -> Option<String> {
    texts(value).into_iter().next()
}

fn contacts(document: &Value, key: &str, kind: RawContactKind, out: &mut Vec<RawContact>) {
    for (suffix, language) in [("Fr", "fr"), ("Nl", "nl")] {
        for value in texts(&document[format!("{key}{suffix}")]) {
            if let Some(existing) = out.iter_mut().find(|c| c.kind == kind && c.value == value) {
                // The same number in both languages answers in both.
                existing.language = None;
            } else {
                out.push(RawContact {
                    kind,
                    value,
                    language: Some(language.to_owned()),
                });
            }
        }
    }
}

/// Codes from sector and category objects (`{id, labelFr, labelNl}`) or bare ids;
/// `known` gives the labels an object lacks.
fn codes(
    value: &Value,
    scheme: &str,
    known: &std::collections::HashMap<String, (Option<String>, Option<String>)>,
) -> Vec<Code> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let code = text(&item["id"]).or_else(|| text(item))?;
            let (known_fr, known_nl) = known.get(&code).cloned().unwrap_or_default();
            let fr = text(&item["labelFr"]).or(known_fr);
            let nl = text(&item["labelNl"]).or(known_nl);
            Some(Code {
                scheme: scheme.to_owned(),
                label: fr
                    .clone()
                    .or_else(|| nl.clone())
                    .or_else(|| text(&item["label"])),
                label_nl: nl.filter(|_| fr.is_some()),
                code,
            })
        })
        .collect()
}

fn record(document: &Value, lookups: &Lookups) -> Record {
    let id = text(&document["id"]).unwrap_or_default();
    let address = &document["address"];
    let mut record = Record {
        upstream_id: id.clone(),
        name_fr: text(&document["nameOfficialFr"]),
        name_nl: text(&document["nameOfficialNl"]),
        legal_status_fr: text(&document["legalStatus"]["labelFr"]),
        legal_status_nl: text(&document["legalStatus"]["labelNl"]),
        websites: texts(&document["websiteOfficialFr"])
            .into_iter()
            .chain(texts(&document["websiteOfficialNl"]))
            .collect(),
        kbo: texts(&document["pmRp"]),
        raw: document.clone(),
        ..Record::default()
    };
    record.websites.dedup();
    contacts(document, "tel", RawContactKind::Phone, &mut record.contacts);
    contacts(
        document,
        "email",
        RawContactKind::Email,
        &mut record.contacts,
    );
    if address.is_object() {
        let lambert = match (address["x"].as_f64(), address["y"].as_f64()) {
            (Some(x), Some(y)) => Some((x, y)),
            _ => None,
        };
        record.sites.push(RawSite {
            key: "main".to_owned(),
            street_fr: text(&address["streetFr"]),
            street_nl: text(&address["streetNl"]),
            house_number: text(&address["number"]),
            postcode: text(&address["zipCode"]),
            municipality_fr: text(&address["municipalityFr"]).map(|m| title_case(&m)),
            municipality_nl: text(&address["municipalityNl"]).map(|m| title_case(&m)),
            lat: address["lat"].as_f64(),
            lon: address["lon"].as_f64(),
            lambert72: lambert,
        });
    }
    let mut service = RawService {
        upstream_id: id,
        name_fr: first(&document["nameServiceFr"]),
        name_nl: first(&document["nameServiceNl"]),
        description_fr: text(&document["activitiesFr"])
            .or_else(|| text(&document["descriptionFr"])),
        description_nl: text(&document["activitiesNl"])
            .or_else(|| text(&document["descriptionNl"])),
        target_public_fr: text(&document["publicFr"]),
        target_public_nl: text(&document["publicNl"]),
        hours_fr: text(&document["permanencyFr"]),
        hours_nl: text(&document["permanencyNl"]),
        languages: languages(document),
        referral_required: {
            let access: Vec<String> = texts(&document["accessFr"])
                .into_iter()
                .chain(texts(&document["accessNl"]))
                .collect();
            (!access.is_empty())
                .then(|| super::hsds::referral(Some(&access.join(" "))).unwrap_or(false))
        },
        ..RawService::default()
    };
    service.codes.extend(codes(
        &document["sectorsObjects"],
        "social_brussels.sector",
        &lookups.sectors,
    ));
    service.codes.extend(codes(
        &document["categoriesObject"],
        "social_brussels.category",
        &Default::default(),
    ));
    for agreement in document["agreements"].as_array().into_iter().flatten() {
        // An object, or an id alone: the look-up list gives what the record leaves out.
        let id = text(&agreement["id"]).or_else(|| text(agreement));
        let known = id.as_ref().and_then(|id| lookups.agreements.get(id));
        let fr = text(&agreement["labelFr"]).or_else(|| known.and_then(|k| k.label_fr.clone()));
        let nl = text(&agreement["labelNl"]).or_else(|| known.and_then(|k| k.label_nl.clone()));
        let label = fr.clone().or_else(|| nl.clone());
        service.accreditations.push(RawAccreditation {
            authority: power_of(agreement, &lookups.powers)
                .or_else(|| known.and_then(|k| k.power.clone())),
            kind: Some("agrement".to_owned()),
            legal_basis: label.clone(),
            code: id.map(|code| Code {
                scheme: "social_brussels.agreement".to_owned(),
                code,
                label,
                label_nl: nl.filter(|_| fr.is_some()),
            }),
            ..RawAccreditation::default()
        });
    }
    // Conventions and the INAMI forfait, as words ("Convention INAMI", "Forfait INAMI"):
    // the authority is read from them later, as for subsidies.
    for other in texts(&document["otherAgreementFr"]) {
        service
            .accreditations
            .push(RawAccreditation::described(other, Some("convention")));
    }
    for subvention in texts(&document["subventionFr"]) {
        service.accreditations.push(RawAccreditation {
            authority: Some(subvention.clone()),
            kind: Some("subvention".to_owned()),
            legal_basis: Some(subvention),
            ..RawAccreditation::default()
        });
    }
    record.services.push(service);
    record
}

/// The languages a record is worked in: `langStatus` "FR", "NL" or "FR-NL".
fn languages(document: &Value) -> Vec<String> {
    text(&document["langStatus"])
        .map(|status| {
            status
                .split(['-', '/', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default()
}

/// "SCHAERBEEK" → "Schaerbeek", "SINT-JANS-MOLENBEEK" → "Sint-Jans-Molenbeek".
fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        include_str!("../../../tests/fixtures/upstream/social-brussels-13219.json");

    #[test]
    fn the_real_record_maps_to_one_bilingual_organisation() {
        let document: Value = serde_json::from_str(SAMPLE).expect("sample is JSON");
        let record = record(&document, &Lookups::default());
        assert_eq!(record.upstream_id, "13219");
        assert_eq!(
            record.name_nl.as_deref(),
            Some("COÖRDINATIE VAN DE SCHAARBEEKSE SOCIALE ACTIE")
        );
        assert_eq!(record.kbo, vec!["0212.347.945"]);
        assert_eq!(
            record.sites[0].municipality_nl.as_deref(),
            Some("Schaarbeek")
        );
        assert_eq!(record.sites[0].lambert72, Some((152302.0, 171263.0)));
        assert_eq!(
            record.contacts.len(),
            3,
            "two phones and one email, each once"
        );
        assert!(
            record.contacts.iter().all(|c| c.language.is_none()),
            "same in both languages"
        );
        let service = &record.services[0];
        assert_eq!(
            service.hours_fr.as_deref(),
            Some("Du lundi au vendredi de 8h30 à 16h")
        );
        assert_eq!(service.languages, vec!["fr", "nl"]);
    }

    #[test]
    fn last_update_is_day_month_two_digit_year() {
        assert_eq!(
            last_update("28/08/20"),
            NaiveDate::from_ymd_opt(2020, 8, 28)
        );
    }
}

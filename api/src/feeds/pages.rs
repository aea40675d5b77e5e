//! Envelopes the upstream servers wrap documents in: pages and look-up lists, for test
//! servers that serve the feeds over HTTP.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::tables::{POWERS, SECTORS};

/// A De Sociale Kaart page (`GET /api/health-offers?page=N&size=S`): Spring HAL, pages
/// numbered from 0. Like Spring, an empty page has no `_embedded` at all.
pub fn sociale_kaart_page(items: &[Value], number: usize, size: usize) -> Value {
    let size = size.max(1);
    let contents: Vec<&Value> = items.iter().skip(number * size).take(size).collect();
    let mut page = json!({
        "page": {
            "size": size,
            "totalElements": items.len(),
            "totalPages": items.len().div_ceil(size),
            "number": number,
        },
    });
    if !contents.is_empty() {
        page["_embedded"] = json!({ "healthOfferProviderRepresentationList": contents });
    }
    page
}

/// An HSDS 3.0 `Page` (`GET /services?page=N&per_page=S`), pages numbered from 1.
pub fn hsds_page(items: &[Value], page_number: usize, per_page: usize) -> Value {
    let per_page = per_page.max(1);
    let page_number = page_number.max(1);
    let contents: Vec<&Value> = items
        .iter()
        .skip((page_number - 1) * per_page)
        .take(per_page)
        .collect();
    let total_pages = items.len().div_ceil(per_page);
    json!({
        "total_items": items.len(),
        "total_pages": total_pages,
        "page_number": page_number,
        "size": contents.len(),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

/// social.brussels search (`GET /rest/search/organisation?agreements={id}&page=N&size=S`).
/// The real shape is undocumented; this invented one returns summaries, pages from 0, and
/// clients fetch each full document by id.
pub fn social_brussels_search_page(
    documents: &[Value],
    agreement: Option<u64>,
    number: usize,
    size: usize,
) -> Value {
    let size = size.max(1);
    let matching: Vec<&Value> = documents
        .iter()
        .filter(|d| {
            agreement.is_none_or(|wanted| {
                d["agreements"]
                    .as_array()
                    .is_some_and(|list| list.iter().any(|a| a["id"].as_u64() == Some(wanted)))
            })
        })
        .collect();
    let results: Vec<Value> = matching
        .iter()
        .skip(number * size)
        .take(size)
        .map(|d| {
            json!({
                "id": d["id"],
                "nameOfficialFr": d["nameOfficialFr"],
                "nameOfficialNl": d["nameOfficialNl"],
                "langStatus": d["langStatus"],
                "lastUpdate": d["lastUpdate"],
            })
        })
        .collect();
    json!({
        "totalElements": matching.len(),
        "totalPages": matching.len().div_ceil(size),
        "number": number,
        "size": size,
        "content": results,
    })
}

/// `GET /rest/sectors`: every sector, whether or not an organisation uses it.
pub fn social_brussels_sectors() -> Vec<Value> {
    SECTORS
        .iter()
        .map(|&(_, id, fr, nl)| json!({"id": id, "labelFr": fr, "labelNl": nl}))
        .collect()
}

/// `GET /rest/agreementpowers`: the competent authorities of agréments.
pub fn social_brussels_agreement_powers() -> Vec<Value> {
    POWERS
        .iter()
        .map(|&(_, id, fr, nl)| json!({"id": id, "labelFr": fr, "labelNl": nl}))
        .collect()
}

/// `GET /rest/agreements`: the agréments the documents use, by id.
pub fn social_brussels_agreements(documents: &[Value]) -> Vec<Value> {
    let mut by_id: BTreeMap<u64, &Value> = BTreeMap::new();
    for agreement in documents
        .iter()
        .filter_map(|d| d["agreements"].as_array())
        .flatten()
    {
        if let Some(id) = agreement["id"].as_u64() {
            by_id.entry(id).or_insert(agreement);
        }
    }
    by_id.into_values().cloned().collect()
}

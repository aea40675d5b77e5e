//! De Sociale Kaart items (`_embedded.healthOfferProviderRepresentationList[]`): the
//! Dutch-speaking offer only, Dutch texts only.
//!
//! Known fields (id, legalName, addresses, activities, type, state, verified) follow the
//! public scripts; `contactDetails` and the object form of `rubrics` are invented.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::format::{kbo_mistyped, moment_before_snapshot, national_phone};
use super::model::{Org, org_rng};
use super::social_brussels::messy_url;
use super::tables::{AUTHENTIC_SOURCE_DEFAULT, AUTHENTIC_SOURCES, RUBRICS};
use super::{Cadence, Ctx, Rng, object, top_level};

pub(super) fn render(orgs: &[&Org], ctx: &Ctx) -> Vec<Value> {
    let n = orgs.len();
    let bad_kbo = Cadence::new(50, n, ctx.seed, "sk-kbo");
    let no_coordinates = Cadence::new(20, n, ctx.seed, "sk-coordinates");
    let duplicated = Cadence::new(usize::MAX, n, ctx.seed, "sk-duplicate");
    let mut ids = Rng::keyed(ctx.seed, "sk-ids", "");
    let mut id = 180_000 + ids.below(20_000) as u64;
    let mut out = Vec::with_capacity(n + 1);
    let mut twin = None;
    for (i, org) in orgs.iter().enumerate() {
        id += 1 + ids.below(97) as u64;
        let item = item(org, id, bad_kbo.hits(i), no_coordinates.hits(i), ctx);
        if duplicated.hits(i) {
            twin = Some(reedited(&item, org, ctx));
        }
        out.push(item);
    }
    // The same provider again on a later page, edited in between: real exports do this.
    out.extend(twin);
    out
}

fn item(org: &Org, id: u64, bad_kbo: bool, no_coordinates: bool, ctx: &Ctx) -> Value {
    let mut rng = org_rng(ctx.seed, "sociale-kaart", org);
    let d = &org.demo;
    let addresses: Vec<Value> = d
        .sites
        .iter()
        .enumerate()
        .map(|(i, site)| {
            let (lat, lon) = if no_coordinates {
                (Value::Null, Value::Null)
            } else {
                (json!(site.lat), json!(site.lon))
            };
            let commune = org.commune_of(&site.key);
            json!({
                "primary": i == 0,
                "lat": lat,
                "lon": lon,
                "street": site.street_nl,
                "houseNumber": site.number,
                "box": Value::Null,
                "municipality": {"postalCode": site.postcode, "name": commune.nl},
            })
        })
        .collect();
    let activities: Vec<Value> = d
        .services
        .iter()
        .filter_map(|s| {
            let name = s.name_nl.as_deref()?;
            Some(json!({
                "name": {"description": name},
                "description": {"description": s.description_nl},
            }))
        })
        .collect();
    let inactive = d.services.iter().all(|s| s.status == "inactive") || rng.chance(3);
    let source = d
        .services
        .iter()
        .flat_map(|s| &s.accreditations)
        .find_map(|a| AUTHENTIC_SOURCES.iter().find(|s| s.0 == a.authority))
        .map_or(AUTHENTIC_SOURCE_DEFAULT, |s| s.1);
    let kbo = d.kbo.as_deref().map(|k| {
        if bad_kbo {
            kbo_mistyped(k)
        } else {
            k.to_owned()
        }
    });
    let style = if rng.chance(70) { 1 } else { 0 };
    let phones: Vec<Value> = d
        .phones
        .iter()
        .map(|p| {
            let kind = if p.starts_with("+324") { "GSM" } else { "VAST" };
            json!({"number": national_phone(p, style), "type": kind})
        })
        .collect();
    let emails: Vec<Value> = d
        .emails
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let e = if rng.chance(5) {
                format!("{e} ")
            } else {
                e.clone()
            };
            json!({"address": e, "type": if i == 0 { "ALGEMEEN" } else { "ONTHAAL" }})
        })
        .collect();
    let websites: Vec<Value> = d
        .website
        .iter()
        .map(|w| json!({"url": messy_url(w, &mut rng)}))
        .collect();
    let verified = rng.chance(85);
    let updated = moment_before_snapshot(&mut rng, 5)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    object(vec![
        ("id", json!({"id": id, "authenticSource": source})),
        ("type", json!("ORGANISATION")),
        ("state", json!(if inactive { "INACTIVE" } else { "ACTIVE" })),
        ("verified", json!(verified)),
        ("legalName", json!({"description": d.name_nl})),
        ("enterpriseNumber", json!(kbo)),
        ("addresses", Value::Array(addresses)),
        ("activities", Value::Array(activities)),
        ("rubrics", Value::Array(rubrics(org))),
        (
            "contactDetails",
            object(vec![
                ("phones", Value::Array(phones)),
                ("emails", Value::Array(emails)),
                ("websites", Value::Array(websites)),
            ]),
        ),
        ("lastUpdated", json!(updated)),
    ])
}

/// The rubrics of an organisation's services, numbered labels in tree order. A top-level
/// category takes the rubric of its first subcategory.
fn rubrics(org: &Org) -> Vec<Value> {
    let labels: BTreeSet<&str> = org
        .categories()
        .into_iter()
        .filter_map(|code| {
            RUBRICS
                .iter()
                .find(|(c, _)| *c == code)
                .or_else(|| {
                    RUBRICS
                        .iter()
                        .find(|(c, _)| top_level(c) == code && c.contains('.'))
                })
                .map(|(_, label)| *label)
        })
        .collect();
    labels
        .into_iter()
        .map(|label| {
            let number: String = label
                .split(' ')
                .next()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            json!({"id": number.parse::<u64>().unwrap_or(0), "name": {"description": label}})
        })
        .collect()
}

/// A later edit of the same item: same id, touched date, reordered activities, flipped
/// verification.
fn reedited(item: &Value, org: &Org, ctx: &Ctx) -> Value {
    let mut rng = org_rng(ctx.seed, "sociale-kaart-edit", org);
    let mut twin = item.clone();
    twin["lastUpdated"] = json!(
        moment_before_snapshot(&mut rng, 1)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    );
    if let Some(list) = twin["activities"].as_array_mut() {
        list.reverse();
    }
    // Someone verified (or un-verified) the record in between: the copies always differ.
    twin["verified"] = json!(!item["verified"].as_bool().unwrap_or(false));
    twin
}

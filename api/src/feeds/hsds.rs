//! Open Referral HSDS 3.0 `service` objects, as `GET /services/{id}` returns them: the
//! organisation nested with its KBO and NIHII identifiers, one `service_at_location` per
//! site with the opening hours, taxonomy terms from our categories and social.brussels
//! sectors. They validate against `hsds-3.0/schema/compiled/service.json`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::demo::{DemoOpening, DemoService, DemoSite};

use super::format::{
    Tongue, kbo_mistyped, moment_before_snapshot, national_phone, permanency, uuid,
};
use super::model::{Org, org_rng};
use super::tables::{BYDAY, FEES, LANGUAGE_NAMES, POWERS, SECTORS};
use super::{Cadence, Ctx, Rng, object, top_level};

/// The platform publishes French where it has it, Dutch otherwise.
fn tongue_of(org: &Org) -> Tongue {
    if org.demo.name_fr.is_some() {
        Tongue::Fr
    } else {
        Tongue::Nl
    }
}

fn pick<'a>(tongue: Tongue, fr: &'a Option<String>, nl: &'a Option<String>) -> Option<&'a str> {
    match tongue {
        Tongue::Fr => fr.as_deref().or(nl.as_deref()),
        Tongue::Nl => nl.as_deref().or(fr.as_deref()),
    }
}

pub(super) fn render(orgs: &[&Org], ctx: &Ctx) -> Vec<Value> {
    let bad_kbo = Cadence::new(50, orgs.len(), ctx.seed, "hsds-kbo");
    let total: usize = orgs.iter().map(|o| o.demo.services.len()).sum();
    let no_coordinates = Cadence::new(10, total, ctx.seed, "hsds-coordinates");
    let duplicated = Cadence::new(usize::MAX, total, ctx.seed, "hsds-duplicate");
    let mut out = Vec::with_capacity(total + 1);
    let mut twin = None;
    let mut i = 0;
    for (o, org) in orgs.iter().enumerate() {
        let organization = organization(org, bad_kbo.hits(o), ctx);
        for svc in &org.demo.services {
            let service = service(org, svc, &organization, no_coordinates.hits(i), ctx);
            if duplicated.hits(i) {
                twin = Some(reedited(&service, svc, ctx));
            }
            out.push(service);
            i += 1;
        }
    }
    // The same service id twice, the second copy edited: publishers do emit this.
    out.extend(twin);
    out
}

fn organization(org: &Org, bad_kbo: bool, ctx: &Ctx) -> Value {
    let d = &org.demo;
    let tongue = tongue_of(org);
    let name = pick(tongue, &d.name_fr, &d.name_nl).unwrap_or(&d.key);
    let alternate = match tongue {
        Tongue::Fr => d.name_nl.as_deref(),
        Tongue::Nl => None,
    };
    let description = d
        .services
        .first()
        .and_then(|s| pick(tongue, &s.description_fr, &s.description_nl))
        .unwrap_or(name);
    let legal_status = match tongue {
        Tongue::Fr => &d.legal_status_fr,
        Tongue::Nl => &d.legal_status_nl,
    };
    let mut identifiers = Vec::new();
    if let Some(kbo) = &d.kbo {
        let kbo = if bad_kbo {
            kbo_mistyped(kbo)
        } else {
            kbo.clone()
        };
        identifiers.push(json!({
            "id": uuid(ctx.seed, "hsds-identifier-kbo", &d.key),
            "identifier_scheme": "BE-BCE_KBO",
            "identifier_type": "Numéro d'entreprise BCE / Ondernemingsnummer KBO",
            "identifier": kbo,
        }));
    }
    if let Some(nihii) = &d.nihii {
        identifiers.push(json!({
            "id": uuid(ctx.seed, "hsds-identifier-nihii", &d.key),
            "identifier_scheme": "BE-RIZIV_INAMI",
            "identifier_type": "Numéro INAMI / RIZIV-nummer",
            "identifier": nihii,
        }));
    }
    let mut out = Map::new();
    out.insert(
        "id".into(),
        json!(uuid(ctx.seed, "hsds-organization", &d.key)),
    );
    out.insert("name".into(), json!(name));
    if let Some(alternate) = alternate {
        out.insert("alternate_name".into(), json!(alternate));
    }
    out.insert("description".into(), json!(description));
    if let Some(email) = d.emails.first() {
        out.insert("email".into(), json!(email));
    }
    if let Some(website) = &d.website {
        out.insert("website".into(), json!(website));
    }
    out.insert("legal_status".into(), json!(legal_status));
    out.insert("organization_identifiers".into(), Value::Array(identifiers));
    Value::Object(out)
}

fn service(
    org: &Org,
    svc: &DemoService,
    organization: &Value,
    no_coordinates: bool,
    ctx: &Ctx,
) -> Value {
    let mut rng = org_rng(ctx.seed, &format!("hsds-{}", svc.key), org);
    let d = &org.demo;
    let tongue = tongue_of(org);
    let lang = match tongue {
        Tongue::Fr => "fr",
        Tongue::Nl => "nl",
    };
    let name = pick(tongue, &svc.name_fr, &svc.name_nl).unwrap_or(&svc.key);
    let alternate = match tongue {
        Tongue::Fr => svc.name_nl.as_deref(),
        Tongue::Nl => None,
    };
    let status = match svc.status.as_str() {
        "temporarily_closed" => "temporarily closed",
        "inactive" => "inactive",
        _ => "active",
    };
    let fee = FEES.iter().find(|f| f.0 == svc.fee).map(|f| match tongue {
        Tongue::Fr => f.1,
        Tongue::Nl => f.2,
    });
    let application = match (tongue, svc.referral_required, svc.schedule.is_empty()) {
        (Tongue::Fr, true, _) => {
            "Sur orientation d'un professionnel (CPAS, médecin, service social)."
        }
        (Tongue::Fr, false, true) => "Sur rendez-vous, par téléphone ou par e-mail.",
        (Tongue::Fr, false, false) => "Accès direct pendant les heures d'ouverture.",
        (Tongue::Nl, true, _) => {
            "Na doorverwijzing door een professional (OCMW, arts, sociale dienst)."
        }
        (Tongue::Nl, false, true) => "Op afspraak, telefonisch of per e-mail.",
        (Tongue::Nl, false, false) => "Vrije toegang tijdens de openingsuren.",
    };
    let phone_style = if rng.chance(60) { 1 } else { 3 };
    let phones: Vec<Value> = d
        .phones
        .iter()
        .map(|p| {
            json!({
                "id": uuid(ctx.seed, "hsds-phone", &format!("{}|{p}", svc.key)),
                "number": national_phone(p, phone_style),
                "type": if p.starts_with("+324") { "cell" } else { "voice" },
            })
        })
        .collect();
    let languages: Vec<Value> = svc
        .languages
        .iter()
        .map(|code| {
            let name = LANGUAGE_NAMES
                .iter()
                .find(|l| l.0 == code)
                .map_or(code.as_str(), |l| l.1);
            json!({
                "id": uuid(ctx.seed, "hsds-language", &format!("{}|{code}", svc.key)),
                "name": name,
                "code": code,
            })
        })
        .collect();
    let locations: Vec<Value> = svc
        .site_keys
        .iter()
        .filter_map(|key| d.sites.iter().find(|s| &s.key == key))
        .map(|site| service_at_location(org, svc, site, tongue, no_coordinates, ctx))
        .collect();
    let accreditations: Vec<String> = svc
        .accreditations
        .iter()
        .filter(|a| a.kind != "subvention")
        .map(|a| {
            let power = POWERS
                .iter()
                .find(|p| p.0 == a.authority)
                .map_or("", |p| p.2);
            format!("{power} : {}", a.legal_basis)
        })
        .collect();
    let funding: Vec<Value> = svc
        .accreditations
        .iter()
        .filter(|a| a.kind == "subvention")
        .map(|a| {
            json!({
                "id": uuid(ctx.seed, "hsds-funding", &format!("{}|{}|{}", svc.key, a.authority, a.legal_basis)),
                "source": a.legal_basis,
            })
        })
        .collect();
    let cost: Vec<Value> = fee
        .map(|text| {
            let mut option = json!({
                "id": uuid(ctx.seed, "hsds-cost", &svc.key),
                "option": text,
                "currency": "EUR",
            });
            if svc.fee == "free" {
                option["amount"] = json!(0);
            }
            option
        })
        .into_iter()
        .collect();

    let mut out = Map::new();
    out.insert("id".into(), json!(uuid(ctx.seed, "hsds-service", &svc.key)));
    out.insert("name".into(), json!(name));
    if let Some(alternate) = alternate {
        out.insert("alternate_name".into(), json!(alternate));
    }
    if let Some(description) = pick(tongue, &svc.description_fr, &svc.description_nl) {
        out.insert("description".into(), json!(description));
    }
    if let Some(website) = &d.website {
        out.insert("url".into(), json!(website));
    }
    if let Some(email) = d.emails.first() {
        out.insert("email".into(), json!(email));
    }
    out.insert("status".into(), json!(status));
    out.insert("application_process".into(), json!(application));
    if let Some(fee) = fee {
        out.insert("fees_description".into(), json!(fee));
    }
    if !accreditations.is_empty() {
        out.insert("accreditations".into(), json!(accreditations.join(" ; ")));
    }
    if let Some(public) = pick(tongue, &svc.target_public_fr, &svc.target_public_nl) {
        out.insert("eligibility_description".into(), json!(public));
    }
    out.insert(
        "last_modified".into(),
        json!(
            moment_before_snapshot(&mut rng, 3)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        ),
    );
    out.insert("phones".into(), Value::Array(phones));
    out.insert("schedules".into(), json!([]));
    out.insert("service_at_locations".into(), Value::Array(locations));
    out.insert("languages".into(), Value::Array(languages));
    out.insert("organization".into(), organization.clone());
    out.insert("funding".into(), Value::Array(funding));
    out.insert("cost_options".into(), Value::Array(cost));
    out.insert(
        "attributes".into(),
        Value::Array(attributes(svc, lang, ctx)),
    );
    Value::Object(out)
}

fn service_at_location(
    org: &Org,
    svc: &DemoService,
    site: &DemoSite,
    tongue: Tongue,
    no_coordinates: bool,
    ctx: &Ctx,
) -> Value {
    let commune = org.commune_of(&site.key);
    let (street, city, region) = match tongue {
        Tongue::Fr => (&site.street_fr, commune.fr, "Région de Bruxelles-Capitale"),
        Tongue::Nl => (
            &site.street_nl,
            commune.nl,
            "Brussels Hoofdstedelijk Gewest",
        ),
    };
    let org_name = pick(tongue, &org.demo.name_fr, &org.demo.name_nl).unwrap_or(&org.demo.key);
    let mut location = json!({
        "id": uuid(ctx.seed, "hsds-location", &site.key),
        "location_type": "physical",
        "name": format!("{org_name} – {city}"),
        "addresses": [{
            "id": uuid(ctx.seed, "hsds-address", &site.key),
            "address_1": format!("{street} {}", site.number),
            "city": city,
            "state_province": region,
            "postal_code": site.postcode,
            "country": "BE",
            "address_type": "physical",
        }],
    });
    if !no_coordinates {
        location["latitude"] = json!(site.lat);
        location["longitude"] = json!(site.lon);
    }
    let note = match tongue {
        Tongue::Fr => svc.accessibility_note_fr.as_deref(),
        Tongue::Nl => svc.accessibility_note_nl.as_deref(),
    };
    if let Some(note) = note {
        location["accessibility"] = json!([{
            "id": uuid(ctx.seed, "hsds-accessibility", &format!("{}|{}", svc.key, site.key)),
            "description": note,
        }]);
    }
    let link = format!("{}|{}", svc.key, site.key);
    object(vec![
        (
            "id",
            json!(uuid(ctx.seed, "hsds-service-at-location", &link)),
        ),
        ("location", location),
        (
            "schedules",
            Value::Array(schedules(svc, &link, tongue, ctx)),
        ),
    ])
}

/// One weekly schedule per distinct opening slot, its days in `byday`.
fn schedules(svc: &DemoService, link: &str, tongue: Tongue, ctx: &Ctx) -> Vec<Value> {
    let mut slots: BTreeMap<(&str, &str), Vec<&DemoOpening>> = BTreeMap::new();
    for o in &svc.schedule {
        slots.entry((&o.opens, &o.closes)).or_default().push(o);
    }
    let description = permanency(&svc.schedule, tongue);
    let notes = match tongue {
        Tongue::Fr => svc.schedule_remark_fr.as_deref(),
        Tongue::Nl => svc.schedule_remark_nl.as_deref(),
    };
    slots
        .into_iter()
        .map(|((opens, closes), days)| {
            let byday: Vec<&str> = days
                .iter()
                .map(|o| BYDAY[usize::from(o.weekday.clamp(1, 7) - 1)])
                .collect();
            let mut schedule = json!({
                "id": uuid(ctx.seed, "hsds-schedule", &format!("{link}|{opens}|{closes}")),
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": byday.join(","),
                "opens_at": opens,
                "closes_at": closes,
            });
            if let Some(d) = &description {
                schedule["description"] = json!(d);
            }
            if let Some(n) = notes {
                schedule["notes"] = json!(n);
            }
            schedule
        })
        .collect()
}

/// Taxonomy terms: our categories (taxonomy "passerelle") and, for services the publisher
/// imported from social.brussels, its sector ("BE-SOCIAL").
fn attributes(svc: &DemoService, lang: &str, ctx: &Ctx) -> Vec<Value> {
    let detail = json!({
        "id": uuid(0, "hsds-taxonomy", "passerelle"),
        "name": "passerelle",
        "description": "Catégories de services sociaux et de santé de passerelle",
        "version": "1",
    });
    let mut out: Vec<Value> = svc
        .categories
        .iter()
        .map(|code| {
            let (fr, nl) = ctx.taxonomy.labels(code);
            let label = if lang == "nl" { nl } else { fr };
            let mut term = json!({
                "id": uuid(0, "hsds-taxonomy-term", code),
                "code": code,
                "name": label,
                "description": label,
                "taxonomy": "passerelle",
                "language": lang,
            });
            term["taxonomy_detail"] = detail.clone();
            if code.contains('.') {
                term["parent_id"] = json!(uuid(0, "hsds-taxonomy-term", top_level(code)));
            }
            object(vec![
                (
                    "id",
                    json!(uuid(
                        ctx.seed,
                        "hsds-attribute",
                        &format!("{}|{code}", svc.key)
                    )),
                ),
                ("taxonomy_term", term),
            ])
        })
        .collect();
    let sector = svc
        .categories
        .first()
        .and_then(|c| SECTORS.iter().find(|s| s.0 == top_level(c)));
    let imported = Rng::keyed(ctx.seed, "hsds-be-social", &svc.key).chance(50);
    if let Some(&(_, id, fr, nl)) = sector.filter(|_| imported) {
        let label = if lang == "nl" { nl } else { fr };
        out.push(json!({
            "id": uuid(ctx.seed, "hsds-attribute", &format!("{}|be-social", svc.key)),
            "taxonomy_term": {
                "id": uuid(0, "hsds-taxonomy-term-be-social", &id.to_string()),
                "code": id.to_string(),
                "name": label,
                "description": label,
                "taxonomy": "BE-SOCIAL",
                "taxonomy_detail": {
                    "id": uuid(0, "hsds-taxonomy", "BE-SOCIAL"),
                    "name": "BE-SOCIAL",
                    "description": "Secteurs de social.brussels",
                    "uri": "https://social.brussels/rest/sectors",
                },
                "language": lang,
            },
        }));
    }
    out
}

/// A later edit of the same service: same id, touched date, description reworded.
fn reedited(service: &Value, svc: &DemoService, ctx: &Ctx) -> Value {
    let mut twin = service.clone();
    let mut rng = Rng::keyed(ctx.seed, "hsds-edit", &svc.key);
    twin["last_modified"] = json!(
        moment_before_snapshot(&mut rng, 1)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    );
    // A trailing space typed in the edit: the copies always differ.
    let field = if twin.get("description").is_some() {
        "description"
    } else {
        "name"
    };
    if let Some(text) = twin[field].as_str() {
        twin[field] = json!(format!("{text} "));
    }
    twin
}

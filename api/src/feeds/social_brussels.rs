//! social.brussels organisation documents (`GET /rest/organisation/{id}`), field for field
//! like the real sample `organisation-13219.json`.
//!
//! One document per organisation; its services are folded into the free-text fields
//! (activities, target public, opening hours) and appear individually only through sectors,
//! categories and agreements, as on the real site.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::demo::DemoService;

use super::format::{
    Tongue, acronym, day_before_snapshot, kbo_mistyped, national_phone, permanency,
};
use super::lambert::wgs84_to_lambert72;
use super::model::{Org, org_rng};
use super::tables::{
    ACCESS_APPOINTMENT, ACCESS_EMAIL, ACCESS_PHONE, ACCESS_REFERRAL, ACCESS_WALK_IN,
    LEGAL_STATUS_OTHER, LEGAL_STATUSES, OTHER_AGREEMENTS, PERMANENCY_APPOINTMENT, PERMANENCY_VAGUE,
    POWERS, Pair, SECTORS,
};
use super::{Cadence, Ctx, Rng, Taxonomy, object, top_level};

/// Defects this document carries, decided per feed position.
struct Defects {
    bad_kbo: bool,
    no_lat_lon: bool,
    no_coordinates: bool,
    bad_email: bool,
}

pub(super) fn render(orgs: &[&Org], ctx: &Ctx) -> Vec<Value> {
    let n = orgs.len();
    let bad_kbo = Cadence::new(50, n, ctx.seed, "sb-kbo");
    let no_lat_lon = Cadence::new(10, n, ctx.seed, "sb-lat-lon");
    let no_coordinates = Cadence::new(40, n, ctx.seed, "sb-coordinates");
    let bad_email = Cadence::new(1000, n, ctx.seed, "sb-email");
    let mut ids = Rng::keyed(ctx.seed, "sb-ids", "");
    // Real ids are in the low ten-thousands and sparse (deleted records leave gaps).
    let mut id = 9_000 + ids.below(2_000) as u64;
    orgs.iter()
        .enumerate()
        .map(|(i, org)| {
            id += 1 + ids.below(12) as u64;
            let defects = Defects {
                bad_kbo: bad_kbo.hits(i),
                no_lat_lon: no_lat_lon.hits(i),
                no_coordinates: no_coordinates.hits(i),
                bad_email: bad_email.hits(i),
            };
            document(org, id, &defects, ctx)
        })
        .collect()
}

/// A value present only in the languages the organisation is listed in.
struct Langs {
    fr: bool,
    nl: bool,
}

impl Langs {
    fn text(&self, fr: Option<String>, nl: Option<String>) -> (Value, Value) {
        (
            if self.fr { json!(fr) } else { Value::Null },
            if self.nl { json!(nl) } else { Value::Null },
        )
    }

    fn list(&self, items: &[String]) -> (Value, Value) {
        self.lists(items.to_vec(), items.to_vec())
    }

    fn lists(&self, fr: Vec<String>, nl: Vec<String>) -> (Value, Value) {
        (
            json!(if self.fr { fr } else { Vec::new() }),
            json!(if self.nl { nl } else { Vec::new() }),
        )
    }

    fn pairs(&self, items: &[Pair]) -> (Value, Value) {
        let fr: Vec<&str> = items.iter().map(|p| p.0).collect();
        let nl: Vec<&str> = items.iter().map(|p| p.1).collect();
        let empty: [&str; 0] = [];
        (
            if self.fr { json!(fr) } else { json!(empty) },
            if self.nl { json!(nl) } else { json!(empty) },
        )
    }
}

fn pair_text(langs: &Langs, (fr, nl): Pair) -> (Value, Value) {
    langs.text(Some(fr.to_owned()), Some(nl.to_owned()))
}

/// The opening hours of a service as free text, its schedule remark on a second line.
fn opening_text(svc: &DemoService, tongue: Tongue) -> Option<String> {
    let text = permanency(&svc.schedule, tongue)?;
    let remark = match tongue {
        Tongue::Fr => svc.schedule_remark_fr.as_deref(),
        Tongue::Nl => svc.schedule_remark_nl.as_deref(),
    };
    Some(match remark {
        Some(r) => format!("{text}\n{r}"),
        None => text,
    })
}

fn document(org: &Org, id: u64, defects: &Defects, ctx: &Ctx) -> Value {
    let mut rng = org_rng(ctx.seed, "social-brussels", org);
    let d = &org.demo;
    let langs = Langs {
        fr: d.name_fr.is_some(),
        nl: d.name_nl.is_some(),
    };
    let lang_status = match (langs.fr, langs.nl) {
        (true, true) => "FR-NL",
        (false, true) => "NL",
        _ => "FR",
    };
    // Many official names were typed in capitals, as in the sample.
    let capitals = rng.chance(35);
    let official = |name: &Option<String>| {
        name.as_ref().map(|n| {
            if capitals {
                n.to_uppercase()
            } else {
                n.clone()
            }
        })
    };
    let (name_fr, name_nl) = langs.text(official(&d.name_fr), official(&d.name_nl));
    let short = rng.chance(25);
    let alternative = |name: &Option<String>| -> Vec<String> {
        name.as_deref()
            .map(acronym)
            .filter(|a| short && a.len() >= 3)
            .into_iter()
            .collect()
    };
    let (alt_fr, alt_nl) = langs.lists(alternative(&d.name_fr), alternative(&d.name_nl));

    let services = &d.services;
    let (activities_fr, activities_nl) = langs.text(
        activities(services.iter().filter_map(|s| s.description_fr.as_deref())),
        activities(services.iter().filter_map(|s| s.description_nl.as_deref())),
    );
    // Most records leave the description empty and describe everything as activities.
    let described = rng.chance(30);
    let (description_fr, description_nl) = langs.text(
        d.name_fr
            .clone()
            .filter(|_| described)
            .map(|n| describe(&n, org, Tongue::Fr)),
        d.name_nl
            .clone()
            .filter(|_| described)
            .map(|n| describe(&n, org, Tongue::Nl)),
    );
    let (public_fr, public_nl) = langs.text(
        joined(
            services
                .iter()
                .filter_map(|s| s.target_public_fr.as_deref()),
        ),
        joined(
            services
                .iter()
                .filter_map(|s| s.target_public_nl.as_deref()),
        ),
    );
    let hours = services.iter().find(|s| !s.schedule.is_empty());
    let (permanency_fr, permanency_nl) = match hours {
        None => pair_text(&langs, PERMANENCY_APPOINTMENT),
        // Some editors write something no parser can use.
        Some(_) if rng.chance(8) => {
            pair_text(&langs, PERMANENCY_VAGUE[rng.below(PERMANENCY_VAGUE.len())])
        }
        Some(s) => langs.text(opening_text(s, Tongue::Fr), opening_text(s, Tongue::Nl)),
    };
    let (access_fr, access_nl) = langs.pairs(&access(org, services));
    let remark = services.iter().find_map(|s| {
        s.accessibility_note_fr
            .clone()
            .map(|fr| (Some(fr), s.accessibility_note_nl.clone()))
            .or_else(|| s.accessibility_note_nl.clone().map(|nl| (None, Some(nl))))
    });
    let (remark_fr, remark_nl) = match remark {
        Some((fr, nl)) => langs.text(fr, nl),
        None => (Value::Null, Value::Null),
    };

    let phone_style = if rng.chance(75) { 0 } else { 1 + rng.below(3) };
    let phones: Vec<String> = d
        .phones
        .iter()
        .map(|p| national_phone(p, phone_style))
        .collect();
    let (tel_fr, tel_nl) = langs.list(&phones);
    let fax: Vec<String> = if rng.chance(15) {
        vec![national_phone(
            &format!("+322{}", 2_000_000 + rng.below(8_000_000)),
            0,
        )]
    } else {
        Vec::new()
    };
    let (fax_fr, fax_nl) = langs.list(&fax);
    let mut emails: Vec<String> = d.emails.iter().map(|e| messy_email(e, &mut rng)).collect();
    if defects.bad_email {
        // Obfuscated against spam bots: not an address any more.
        let domain = d
            .emails
            .first()
            .and_then(|e| e.split('@').nth(1))
            .map_or_else(|| format!("{}.example", d.key), str::to_owned);
        emails.insert(0, format!("info[at]{domain}"));
    }
    let (email_fr, email_nl) = langs.list(&emails);
    let websites: Vec<String> = d.website.iter().map(|w| messy_url(w, &mut rng)).collect();
    let (web_fr, web_nl) = langs.list(&websites);

    let kbo = d.kbo.as_deref().map(|k| {
        if defects.bad_kbo {
            kbo_mistyped(k)
        } else {
            k.to_owned()
        }
    });
    let moniteur = |lang: &str| -> Vec<String> {
        kbo.iter()
            .map(|k| {
                let digits: String = k.chars().filter(char::is_ascii_digit).collect();
                format!(
                    "http://www.ejustice.just.fgov.be/cgi_tsv/tsv_rech.pl?language={lang}&btw={digits}&liste=Liste"
                )
            })
            .collect()
    };
    let (mon_fr, mon_nl) = langs.lists(moniteur("fr"), moniteur("nl"));
    let empty: [&str; 0] = [];

    let (others, subventions) = conventions_and_subventions(services);
    let (other_fr, other_nl) = langs.pairs(&others);
    let (subvention_fr, subvention_nl) = langs.pairs(&subventions);
    // A few records were never classified, like the sample.
    let classified = rng.chance(92);
    let sectors = if classified {
        Value::Array(sectors(org))
    } else {
        Value::Null
    };
    let categories = if classified {
        Value::Array(categories(org, ctx.taxonomy))
    } else {
        json!(empty)
    };
    let status_id = LEGAL_STATUSES
        .iter()
        .find(|(label, _)| *label == d.legal_status_fr)
        .map_or(LEGAL_STATUS_OTHER, |(_, id)| *id);
    let last_update = day_before_snapshot(&mut rng, 8)
        .format("%d/%m/%y")
        .to_string();
    let interpreting = d.services.first().is_some_and(|s| {
        s.languages
            .iter()
            .filter(|l| !["fr", "nl", "en"].contains(&l.as_str()))
            .count()
            >= 2
    });

    object(vec![
        ("id", json!(id)),
        (
            "legalStatus",
            json!({"id": status_id, "labelFr": d.legal_status_fr, "labelNl": d.legal_status_nl}),
        ),
        ("isInterpreting", json!(interpreting)),
        ("address", address(org, defects, &mut rng)),
        ("categories", Value::Null),
        ("categoriesObject", categories),
        ("sectorsObjects", sectors),
        (
            "agreements",
            Value::Array(agreements(services, ctx.taxonomy)),
        ),
        ("nameOfficialFr", name_fr),
        ("nameOfficialNl", name_nl),
        ("descriptionFr", description_fr),
        ("descriptionNl", description_nl),
        ("activitiesFr", activities_fr),
        ("activitiesNl", activities_nl),
        ("accessFr", access_fr),
        ("accessNl", access_nl),
        ("permanencyFr", permanency_fr),
        ("permanencyNl", permanency_nl),
        ("publicFr", public_fr),
        ("publicNl", public_nl),
        ("publicationFr", json!(empty)),
        ("publicationNl", json!(empty)),
        ("remarkFr", remark_fr),
        ("remarkNl", remark_nl),
        ("pmRp", json!(kbo.into_iter().collect::<Vec<_>>())),
        ("langStatus", json!(lang_status)),
        ("lastUpdate", json!(last_update)),
        ("startDate", Value::Null),
        ("type", Value::Null),
        ("nameAlternativeFr", alt_fr),
        ("nameAlternativeNl", alt_nl),
        ("nameFormerFr", json!(empty)),
        ("nameFormerNl", json!(empty)),
        ("nameServiceFr", json!(empty)),
        ("nameServiceNl", json!(empty)),
        ("telFr", tel_fr),
        ("telNl", tel_nl),
        ("emailFr", email_fr),
        ("emailNl", email_nl),
        ("faxFr", fax_fr),
        ("faxNl", fax_nl),
        ("websiteOfficialFr", web_fr),
        ("websiteOfficialNl", web_nl),
        ("websiteUnofficialFr", json!(empty)),
        ("websiteUnofficialNl", json!(empty)),
        ("websiteBelgianOfficialJournalFr", mon_fr),
        ("websiteBelgianOfficialJournalNl", mon_nl),
        ("websiteInfoFr", json!(empty)),
        ("websiteInfoNl", json!(empty)),
        ("otherAgreementFr", other_fr),
        ("otherAgreementNl", other_nl),
        ("subventionFr", subvention_fr),
        ("subventionNl", subvention_nl),
    ])
}

/// The address block: UrbIS-style, both languages whatever the record's language, with
/// WGS84 and Lambert 72 coordinates (sometimes only Lambert, sometimes none).
fn address(org: &Org, defects: &Defects, rng: &mut Rng) -> Value {
    let Some(site) = org.demo.sites.first() else {
        return Value::Null;
    };
    let commune = org.commune_of(&site.key);
    let (x, y) = wgs84_to_lambert72(site.lat, site.lon);
    let (x, y) = if defects.no_coordinates {
        (Value::Null, Value::Null)
    } else {
        (json!(x.round() as i64), json!(y.round() as i64))
    };
    let (lat, lon) = if defects.no_coordinates || defects.no_lat_lon {
        (Value::Null, Value::Null)
    } else {
        (json!(site.lat), json!(site.lon))
    };
    let (code, district_fr, district_nl) = commune.districts[rng.below(commune.districts.len())];
    let sector = format!(
        "{}{}{:02}-",
        commune.nis,
        char::from(b'A' + rng.below(6) as u8),
        rng.below(100)
    );
    let municipality_fr = commune.fr.to_uppercase();
    let municipality_nl = commune.nl.to_uppercase();
    object(vec![
        ("id", Value::Null),
        ("x", x),
        ("y", y),
        ("lon", lon),
        ("lat", lat),
        ("municipalityFr", json!(municipality_fr)),
        ("municipalityNl", json!(municipality_nl)),
        ("streetFr", json!(site.street_fr)),
        ("streetNl", json!(site.street_nl)),
        ("number", json!(site.number)),
        ("numberBuilding", Value::Null),
        ("zipCode", json!(site.postcode.parse::<u32>().ok())),
        (
            "postalBox",
            if rng.chance(10) {
                json!((1 + rng.below(9)).to_string())
            } else {
                Value::Null
            },
        ),
        (
            "postalCodeFr",
            json!(format!("{} {municipality_fr}", site.postcode)),
        ),
        (
            "postalCodeNl",
            json!(format!("{} {municipality_nl}", site.postcode)),
        ),
        ("districtFr", json!(district_fr)),
        ("districtNl", json!(district_nl)),
        ("districtCode", json!(code)),
        ("statisticsCode", json!(sector)),
        ("remarkFr", Value::Null),
        ("remarkNl", Value::Null),
        ("statisticsNameFr", json!(district_fr)),
        ("statisticsNameNl", json!(district_nl)),
    ])
}

/// Service descriptions as the bulleted list social.brussels editors write.
fn activities<'a>(descriptions: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut seen = BTreeSet::new();
    let lines: Vec<&str> = descriptions.filter(|d| seen.insert(*d)).collect();
    match lines.as_slice() {
        [] => None,
        [one] => Some((*one).to_owned()),
        many => Some(
            many.iter()
                .map(|l| format!("- {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

fn joined<'a>(texts: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut seen = Vec::new();
    for t in texts {
        if !seen.contains(&t) {
            seen.push(t);
        }
    }
    (!seen.is_empty()).then(|| seen.join(" ; "))
}

fn describe(name: &str, org: &Org, tongue: Tongue) -> String {
    let commune = org.communes.first();
    match tongue {
        Tongue::Fr => format!(
            "{name} est active à {}.",
            commune.map_or("Bruxelles", |c| c.fr)
        ),
        Tongue::Nl => format!(
            "{name} is actief in {}.",
            commune.map_or("Brussel", |c| c.nl)
        ),
    }
}

fn access(org: &Org, services: &[DemoService]) -> Vec<Pair> {
    let mut out = vec![ACCESS_PHONE];
    if !org.demo.emails.is_empty() {
        out.push(ACCESS_EMAIL);
    }
    let by_appointment = services.iter().any(|s| {
        s.schedule.is_empty()
            || s.schedule_remark_fr.as_deref() == Some("Uniquement sur rendez-vous.")
    });
    out.push(if by_appointment {
        ACCESS_APPOINTMENT
    } else {
        ACCESS_WALK_IN
    });
    if services.iter().any(|s| s.referral_required) {
        out.push(ACCESS_REFERRAL);
    }
    out
}

/// Real social.brussels e-mail fields: mostly clean, some with stray spaces or capitals.
fn messy_email(email: &str, rng: &mut Rng) -> String {
    match rng.below(100) {
        0..4 => format!(" {email}"),
        4..7 => format!("{email} "),
        7..10 => {
            let mut chars = email.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => email.to_owned(),
    }
}

/// Websites as people type them: with or without scheme, "www.", trailing slash or space.
pub(super) fn messy_url(url: &str, rng: &mut Rng) -> String {
    let host_path = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rng.below(100) {
        0..45 => format!("http://www.{host_path}"),
        45..70 => url.to_owned(),
        70..90 => format!("www.{host_path}"),
        90..95 => format!("{url}/ "),
        _ => format!(" {host_path}"),
    }
}

/// Agrément objects (shape undocumented upstream, invented here): one per (competent
/// authority, subcategory) of the services' agréments.
fn agreements(services: &[DemoService], taxonomy: &Taxonomy) -> Vec<Value> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for svc in services {
        let Some(category) = svc.categories.first() else {
            continue;
        };
        for acc in svc.accreditations.iter().filter(|a| a.kind == "agrement") {
            let Some(&(_, power_id, power_fr, power_nl)) =
                POWERS.iter().find(|p| p.0 == acc.authority)
            else {
                continue;
            };
            let id = agreement_id(power_id, category, taxonomy);
            if seen.insert(id) {
                let (fr, nl) = taxonomy.labels(category);
                out.push(json!({
                    "id": id,
                    "labelFr": fr,
                    "labelNl": nl,
                    "power": {"id": power_id, "labelFr": power_fr, "labelNl": power_nl},
                }));
            }
        }
    }
    out
}

/// Agreement ids: the power's id in the thousands, the subcategory's position below.
pub(super) fn agreement_id(power_id: u32, category: &str, taxonomy: &Taxonomy) -> u32 {
    power_id * 1000 + taxonomy.ordinal(category) as u32
}

/// What social.brussels files as "other agreement" (conventions, INAMI forfait) and as
/// subsidies (the power's name).
fn conventions_and_subventions(services: &[DemoService]) -> (Vec<Pair>, Vec<Pair>) {
    let mut others: Vec<Pair> = Vec::new();
    let mut subventions: Vec<Pair> = Vec::new();
    for acc in services.iter().flat_map(|s| &s.accreditations) {
        let power = POWERS.iter().find(|p| p.0 == acc.authority);
        match acc.kind.as_str() {
            "subvention" => {
                if let Some(&(_, _, fr, nl)) = power
                    && !subventions.contains(&(fr, nl))
                {
                    subventions.push((fr, nl));
                }
            }
            "agrement" => {}
            kind => {
                let label = OTHER_AGREEMENTS
                    .iter()
                    .find(|o| o.0 == acc.authority && o.1 == kind)
                    .map(|o| (o.2, o.3))
                    .or(power.map(|p| (p.2, p.3)));
                if let Some(label) = label
                    && !others.contains(&label)
                {
                    others.push(label);
                }
            }
        }
    }
    (others, subventions)
}

fn sectors(org: &Org) -> Vec<Value> {
    let tops: BTreeSet<&str> = org.categories().into_iter().map(top_level).collect();
    SECTORS
        .iter()
        .filter(|s| tops.contains(s.0))
        .map(|&(_, id, fr, nl)| json!({"id": id, "labelFr": fr, "labelNl": nl}))
        .collect()
}

/// Categories: one per subcategory, numbered under their sector.
fn categories(org: &Org, taxonomy: &Taxonomy) -> Vec<Value> {
    org.categories()
        .into_iter()
        .filter_map(|code| {
            let &(_, sector, _, _) = SECTORS.iter().find(|s| s.0 == top_level(code))?;
            let (fr, nl) = taxonomy.labels(code);
            Some(json!({
                "id": category_id(sector, code, taxonomy),
                "labelFr": fr,
                "labelNl": nl,
                "sectorId": sector,
            }))
        })
        .collect()
}

pub(super) fn category_id(sector: u32, code: &str, taxonomy: &Taxonomy) -> u32 {
    sector * 100 + taxonomy.ordinal(code) as u32
}

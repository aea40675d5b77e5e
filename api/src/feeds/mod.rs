//! Deterministic upstream feeds in the four real shapes passerelle federates:
//! social.brussels organisation documents, De Sociale Kaart items, Open Referral HSDS 3.0
//! services and INAMI's CSV list of medical houses paid by capitation.
//!
//! They start from the demo data model (`crate::demo::generate`) and render each
//! organisation the way each directory would: in its own language(s), numbering, date and
//! phone formats, with the overlaps and defects real directories have (see README.md).
//! Tests serve them over loopback HTTP, the benchmark asks for thousands of organisations,
//! and the bundled demo dataset is built by loading them through the connectors.

mod format;
mod hsds;
mod inami;
mod lambert;
mod model;
mod pages;
mod social_brussels;
mod sociale_kaart;
mod tables;
#[cfg(test)]
mod tests;

use serde_json::Value;

pub use lambert::wgs84_to_lambert72;
pub use pages::{
    hsds_page, social_brussels_agreement_powers, social_brussels_agreements,
    social_brussels_search_page, social_brussels_sectors, sociale_kaart_page,
};

use format::fnv;
use model::Org;

/// Which organisations to render, and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeedOptions {
    /// `None`: the demo set (≈160 organisations) plus one deliberate homonym. `Some(n)`:
    /// exactly `n` organisations; beyond the demo set, the demo's associations are repeated
    /// with new keys, names, KBO/NIHII numbers, places and some of their kind's services.
    pub organisations: Option<usize>,
    /// Varies everything the feeds decide (ids, formats, defects, memberships, replicas);
    /// the demo organisations themselves stay those of `crate::demo`.
    pub seed: u64,
}

/// The four feeds, each a list of documents as the upstream serves them (pagination is
/// the server's business: see `sociale_kaart_page`, `hsds_page`).
#[derive(Debug, Clone, PartialEq)]
pub struct Feeds {
    /// social.brussels: full organisation documents as `GET /rest/organisation/{id}` returns
    /// them; services appear only through sectors, categories and agreements.
    pub social_brussels: Vec<Value>,
    /// De Sociale Kaart: `_embedded.healthOfferProviderRepresentationList[]` items, in Dutch.
    pub sociale_kaart: Vec<Value>,
    /// Open Referral HSDS 3.0 `service` objects with their organisation nested.
    pub hsds_services: Vec<Value>,
    /// INAMI/RIZIV's list of medical houses paid by capitation: semicolon-separated, CRLF.
    pub inami_csv: String,
}

/// Renders the feeds. `place(commune_nis, seed)` must return a WGS84 `(lat, lon)` inside
/// that commune, as for `crate::demo::generate`.
/// How a CSV source reads the INAMI feed's columns (the demo, the tests and the
/// benchmark all read it this way).
pub fn inami_mapping() -> crate::config::CsvMapping {
    crate::config::CsvMapping {
        delimiter: ';',
        columns: [
            ("nihii", "Numéro INAMI"),
            ("name", "Nom"),
            ("street", "Rue"),
            ("house_number", "Numéro"),
            ("postcode", "Code postal"),
            ("municipality", "Commune"),
            ("phone", "Téléphone"),
            ("valid_from", "Date début forfait"),
        ]
        .into_iter()
        .map(|(field, column)| (field.to_owned(), column.to_owned()))
        .collect(),
        category: Some("medical_house.forfait".to_owned()),
        accreditation_kind: Some("forfait".to_owned()),
    }
}

pub fn generate(options: &FeedOptions, place: &dyn Fn(&str, u64) -> (f64, f64)) -> Feeds {
    let orgs = model::organisations(options, place);
    let taxonomy = Taxonomy::load();
    let ctx = Ctx {
        seed: options.seed,
        taxonomy: &taxonomy,
    };
    let members = Membership::assign(&orgs, options.seed);
    Feeds {
        social_brussels: social_brussels::render(&members.social_brussels, &ctx),
        sociale_kaart: sociale_kaart::render(&members.sociale_kaart, &ctx),
        hsds_services: hsds::render(&members.hsds, &ctx),
        inami_csv: inami::render(&members.inami),
    }
}

/// What every renderer needs besides the organisations.
struct Ctx<'a> {
    seed: u64,
    taxonomy: &'a Taxonomy,
}

/// Which organisations each directory lists. Every organisation is in at least one feed,
/// and many in several, so matching across sources has something to find.
struct Membership<'a> {
    social_brussels: Vec<&'a Org>,
    sociale_kaart: Vec<&'a Org>,
    hsds: Vec<&'a Org>,
    inami: Vec<&'a Org>,
}

impl<'a> Membership<'a> {
    fn assign(orgs: &'a [Org], seed: u64) -> Self {
        let mut m = Membership {
            social_brussels: Vec::new(),
            sociale_kaart: Vec::new(),
            hsds: Vec::new(),
            inami: Vec::new(),
        };
        // The homonym and its twin are both listed by social.brussels, the hardest case.
        let twins: Vec<&str> = orgs
            .iter()
            .filter_map(|o| o.demo.key.strip_suffix("-homonym"))
            .collect();
        for org in orgs {
            let mut rng = model::org_rng(seed, "membership", org);
            let d = &org.demo;
            let key = d.key.as_str();
            let twin = twins.contains(&key) || key.ends_with("-homonym");
            let public = d.legal_status_fr.starts_with("Service public");
            // Sociale Kaart lists the Dutch-speaking offer: everyone with a Dutch name.
            let in_sk = d.name_nl.is_some();
            let in_hsds = if org.is_medical_house() {
                rng.chance(85)
            } else {
                rng.chance(25)
            };
            let in_sb = match (d.name_fr.is_some(), d.name_nl.is_some()) {
                _ if public || twin => true,
                // French-only organisations have no Dutch directory to fall back on:
                // social.brussels lists them unless an HSDS publisher already does.
                (true, false) => !in_hsds || rng.chance(25),
                (true, true) => rng.chance(50),
                (false, _) => rng.chance(25) || !in_hsds && !in_sk,
            };
            if in_sb {
                m.social_brussels.push(org);
            }
            if in_sk {
                m.sociale_kaart.push(org);
            }
            if in_hsds {
                m.hsds.push(org);
            }
            if org.is_forfait_medical_house() {
                m.inami.push(org);
            }
        }
        // HSDS keeps every service's own category (the others fold services into an
        // organisation or share rubrics between categories): it gets an organisation for
        // each category no listed one covers, so every category reaches the public map.
        let shown = |org: &Org| -> Vec<String> {
            org.demo
                .services
                .iter()
                .filter(|s| s.published && s.status == "active")
                .flat_map(|s| s.categories.iter().cloned())
                .collect()
        };
        let mut covered: std::collections::BTreeSet<String> =
            m.hsds.iter().flat_map(|o| shown(o)).collect();
        for org in orgs {
            let categories = shown(org);
            if categories.iter().any(|c| !covered.contains(c))
                && !m.hsds.iter().any(|o| std::ptr::eq(*o, org))
            {
                covered.extend(categories);
                m.hsds.push(org);
            }
        }
        m
    }
}

/// SplitMix64: tiny and well distributed, so no `rand` dependency is needed.
struct Rng(u64);

impl Rng {
    /// A stream of its own for (`salt`, `key`), so adding a draw somewhere does not
    /// reshuffle unrelated records.
    fn keyed(seed: u64, salt: &str, key: &str) -> Rng {
        let mut rng = Rng(seed ^ fnv(salt).rotate_left(29) ^ fnv(key));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // The modulo bias is irrelevant at these ranges.
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.below(100) < usize::from(percent)
    }
}

/// Picks every `every`-th record of a feed, starting at a seed-dependent phase: exact rates
/// at scale, and at least one hit whenever the feed is not empty.
struct Cadence {
    every: usize,
    phase: usize,
}

impl Cadence {
    fn new(every: usize, len: usize, seed: u64, salt: &str) -> Self {
        let every = every.max(1);
        let phase = (Rng::keyed(seed, "cadence", salt).next() as usize) % every.min(len.max(1));
        Cadence { every, phase }
    }

    fn hits(&self, i: usize) -> bool {
        i % self.every == self.phase
    }
}

/// Our category codes and labels (`data/taxonomy/categories.csv`): social.brussels'
/// categories and agreements, and the HSDS taxonomy terms, are worded from them.
struct Taxonomy {
    /// (code, label FR, label NL), in file order.
    rows: Vec<(String, String, String)>,
}

const CATEGORIES: &str = include_str!("../../data/taxonomy/categories.csv");

impl Taxonomy {
    fn load() -> Self {
        let rows = CATEGORIES
            .lines()
            .skip(1)
            .filter_map(|line| {
                let fields = csv_fields(line);
                Some((
                    fields.first()?.clone(),
                    fields.get(2)?.clone(),
                    fields.get(3)?.clone(),
                ))
            })
            .collect();
        Taxonomy { rows }
    }

    fn labels<'a>(&'a self, code: &'a str) -> (&'a str, &'a str) {
        self.rows
            .iter()
            .find(|(c, _, _)| c == code)
            .map_or((code, code), |(_, fr, nl)| (fr.as_str(), nl.as_str()))
    }

    /// Position in the file: a stable number for ids derived from a category.
    fn ordinal(&self, code: &str) -> usize {
        self.rows
            .iter()
            .position(|(c, _, _)| c == code)
            .map_or(self.rows.len(), |i| i + 1)
    }
}

/// A JSON object from its fields, moved in: `json!` would copy every nested `Value` through
/// the serializer (most of the generation time at benchmark scale), and recurses too deep
/// for documents as wide as social.brussels'.
fn object(fields: Vec<(&str, Value)>) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// The top-level category of a code ("mental_health.centre" → "mental_health").
fn top_level(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// RFC 4180 fields of one line (the taxonomy files have no embedded line breaks).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                if let Some(f) = fields.last_mut() {
                    f.push('"');
                }
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            _ => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

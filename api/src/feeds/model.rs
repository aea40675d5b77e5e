//! The organisations the feeds describe: the demo set, one deliberate homonym, and, for
//! larger scales, replicas of the demo's associations with new names, places and numbers.

use std::collections::{BTreeMap, BTreeSet};

use crate::demo::{self, DemoOrganisation, DemoService, DemoSite};

use super::format::{kbo_from_base, slug};
use super::tables::{COMMUNES, Commune, EPITHETS, EXTRA_PROPER, Pair};
use super::{FeedOptions, Rng};
use crate::demo::tables::NAMES as DEMO_PROPER;

/// One organisation and the commune of each of its sites (`demo.sites` order).
#[derive(Debug, Clone)]
pub(super) struct Org {
    pub demo: DemoOrganisation,
    pub communes: Vec<&'static Commune>,
}

impl Org {
    pub fn categories(&self) -> BTreeSet<&str> {
        self.demo
            .services
            .iter()
            .flat_map(|s| s.categories.iter().map(String::as_str))
            .collect()
    }

    /// Paid by INAMI capitation, which is what puts a medical house on INAMI's list.
    pub fn is_forfait_medical_house(&self) -> bool {
        self.demo.nihii.is_some() && self.categories().contains("medical_house.forfait")
    }

    pub fn is_medical_house(&self) -> bool {
        self.demo.nihii.is_some()
            && self
                .categories()
                .iter()
                .any(|c| c.starts_with("medical_house"))
    }

    pub fn commune_of(&self, site_key: &str) -> &'static Commune {
        let index = self
            .demo
            .sites
            .iter()
            .position(|s| s.key == site_key)
            .unwrap_or(0);
        self.communes.get(index).copied().unwrap_or(&COMMUNES[3])
    }
}

/// Finds the commune a demo site lies in; the demo only uses the 19 communes.
fn commune_named(municipality_fr: &str) -> &'static Commune {
    COMMUNES
        .iter()
        .find(|c| c.fr == municipality_fr)
        // Bruxelles-Ville is the safest default for an unknown name: it has many postcodes.
        .unwrap_or(&COMMUNES[3])
}

fn wrap(org: DemoOrganisation) -> Org {
    let communes = org
        .sites
        .iter()
        .map(|s| commune_named(&s.municipality_fr))
        .collect();
    Org {
        demo: org,
        communes,
    }
}

/// The demo proper name inside an organisation's name, if it has one. Public bodies
/// (CPAS, communes, the CAW) have none and are never replicated: there is one per commune.
pub(super) fn proper_name(org: &DemoOrganisation) -> Option<Pair> {
    DEMO_PROPER
        .iter()
        .filter(|(fr, nl)| {
            org.name_fr.as_deref().is_some_and(|n| n.ends_with(fr))
                || org.name_nl.as_deref().is_some_and(|n| n.ends_with(nl))
        })
        // "Le Moulin" must not win over a longer name ending the same way.
        .max_by_key(|(fr, nl)| fr.len() + nl.len())
        .copied()
}

/// A demo association that replicas are made from.
struct Template<'a> {
    org: &'a Org,
    proper: Pair,
    /// The organisation name without its proper name ("Maison médicale "): organisations
    /// of the same kind share it, and their services form the kind's pool.
    kind: String,
}

impl Template<'_> {
    fn new(org: &Org) -> Option<Template<'_>> {
        let proper = proper_name(&org.demo)?;
        let kind = match (&org.demo.name_fr, &org.demo.name_nl) {
            (Some(fr), _) => fr.trim_end_matches(proper.0).to_owned(),
            (None, Some(nl)) => nl.trim_end_matches(proper.1).to_owned(),
            (None, None) => String::new(),
        };
        Some(Template { org, proper, kind })
    }
}

/// Text replacements applied in one pass, so a new name that happens to contain an old one
/// is not rewritten twice.
#[derive(Default)]
struct Swap(Vec<(String, String)>);

impl Swap {
    fn push(&mut self, from: &str, to: &str) {
        if !from.is_empty() && from != to {
            self.0.push((from.to_owned(), to.to_owned()));
        }
    }

    fn apply(&self, text: &str) -> String {
        let hits: Vec<&(String, String)> = self
            .0
            .iter()
            .filter(|(from, _)| text.contains(from.as_str()))
            .collect();
        match hits.as_slice() {
            [] => text.to_owned(),
            [(from, to)] => text.replace(from.as_str(), to),
            _ => {
                let mut out = text.to_owned();
                for (i, (from, _)) in hits.iter().enumerate() {
                    out = out.replace(from.as_str(), &format!("\u{0}{i}\u{0}"));
                }
                for (i, (_, to)) in hits.iter().enumerate() {
                    out = out.replace(&format!("\u{0}{i}\u{0}"), to);
                }
                out
            }
        }
    }

    fn opt(&self, text: &Option<String>) -> Option<String> {
        text.as_deref().map(|t| self.apply(t))
    }
}

/// Everything a replica is given that its template does not decide.
struct Identity {
    key: String,
    /// Proper name (French, Dutch).
    proper: (String, String),
    home: &'static Commune,
}

/// The `i`-th proper name a replica can get: every known name, then each with an epithet.
fn proper_candidate(i: usize) -> (String, String) {
    let names = DEMO_PROPER.len() + EXTRA_PROPER.len();
    let (fr, nl) = DEMO_PROPER
        .iter()
        .chain(EXTRA_PROPER)
        .nth(i % names)
        .copied()
        .unwrap_or(("Le Noyer", "De Notelaar"));
    let epithet = (i / names)
        .checked_sub(1)
        .and_then(|e| EPITHETS.get(e % EPITHETS.len()));
    match epithet {
        Some((efr, enl)) => (format!("{fr} {efr}"), format!("{nl} {enl}")),
        None => (fr.to_owned(), nl.to_owned()),
    }
}

/// A proper name for a new organisation of `kind`: mostly one no organisation of that kind
/// has yet, sometimes (3 %) a taken one, since real directories do hold homonyms.
fn fresh_proper(
    rng: &mut Rng,
    kind: &str,
    used: &mut BTreeSet<(String, String)>,
) -> (String, String) {
    let names = DEMO_PROPER.len() + EXTRA_PROPER.len();
    if rng.chance(3) {
        return proper_candidate(rng.below(names));
    }
    let space = names * (EPITHETS.len() + 1);
    // Plain names first, epithets only once a kind has used most of them.
    let start = rng.below(names);
    let found = (0..space)
        .map(|k| proper_candidate((start + k) % names + k / names * names))
        .find(|p| !used.contains(&(kind.to_owned(), p.0.clone())));
    let proper = found.unwrap_or_else(|| proper_candidate(start));
    used.insert((kind.to_owned(), proper.0.clone()));
    proper
}

struct Builder<'p> {
    seed: u64,
    place: &'p dyn Fn(&str, u64) -> (f64, f64),
    /// KBO bases (first eight digits) in use, so replicas never collide with anyone.
    kbos: BTreeSet<u64>,
    nihiis: BTreeSet<String>,
    domains: BTreeSet<String>,
    streets: BTreeMap<&'static str, Vec<(String, String, String)>>,
}

/// Builds the organisations for `options`: the demo set plus a homonym when `organisations`
/// is `None`, otherwise that many (replicas beyond the demo set, an even sample below it).
pub(super) fn organisations(
    options: &FeedOptions,
    place: &dyn Fn(&str, u64) -> (f64, f64),
) -> Vec<Org> {
    let base: Vec<Org> = demo::generate(place).into_iter().map(wrap).collect();
    let mut b = Builder {
        seed: options.seed,
        place,
        kbos: BTreeSet::new(),
        nihiis: BTreeSet::new(),
        domains: BTreeSet::new(),
        streets: BTreeMap::new(),
    };
    for org in &base {
        b.remember(org);
    }
    let templates: Vec<Template> = base.iter().filter_map(Template::new).collect();
    let homonym_of = templates
        .iter()
        .position(|t| t.org.is_forfait_medical_house() && t.org.demo.name_fr.is_some())
        .or((!templates.is_empty()).then_some(0));

    let target = options.organisations.unwrap_or(base.len() + 1);
    let mut out: Vec<Org> = if target > base.len() {
        base.clone()
    } else {
        sample(
            &base,
            target,
            homonym_of.map(|t| templates[t].org.demo.key.as_str()),
        )
    };
    if let Some(t) = homonym_of.filter(|_| target > out.len()) {
        let template = &templates[t];
        let homes = &template.org.communes;
        // Same name, another commune: the pair a matcher must keep apart. Seven communes
        // further round the list is never the twin's own.
        let start = COMMUNES
            .iter()
            .position(|c| homes.first() == Some(&c))
            .unwrap_or(0);
        let away = COMMUNES
            .iter()
            .cycle()
            .skip(start + 7)
            .find(|c| !homes.contains(c))
            .unwrap_or(&COMMUNES[0]);
        let identity = Identity {
            key: format!("{}-homonym", template.org.demo.key),
            proper: (template.proper.0.to_owned(), template.proper.1.to_owned()),
            home: away,
        };
        out.push(b.replica(template, identity, &templates));
    }
    let mut used: BTreeSet<(String, String)> = templates
        .iter()
        .map(|t| (t.kind.clone(), t.proper.0.to_owned()))
        .collect();
    let mut round = 0;
    while out.len() < target && !templates.is_empty() {
        let j = out.len();
        let template = &templates[round % templates.len()];
        let mut rng = Rng::keyed(
            b.seed,
            "replica",
            &format!("{}#{round}", template.org.demo.key),
        );
        let proper = fresh_proper(&mut rng, &template.kind, &mut used);
        let identity = Identity {
            key: format!("feed-org-{:05}", j + 1),
            proper,
            home: weighted_commune(&mut rng),
        };
        out.push(b.replica(template, identity, &templates));
        round += 1;
    }
    out
}

/// `count` organisations spread evenly over the demo set, always keeping `keep` (the
/// homonym's twin) so the homonym pair survives small samples.
fn sample(base: &[Org], count: usize, keep: Option<&str>) -> Vec<Org> {
    if count <= 1 || base.is_empty() {
        return base.iter().take(count).cloned().collect();
    }
    let slots = count - 1;
    let mut picked: BTreeSet<usize> = (0..slots).map(|i| i * base.len() / slots).collect();
    if let Some(i) = keep.and_then(|k| base.iter().position(|o| o.demo.key == k))
        && !picked.contains(&i)
    {
        if let Some(&last) = picked.iter().next_back() {
            picked.remove(&last);
        }
        picked.insert(i);
    }
    picked.into_iter().map(|i| base[i].clone()).collect()
}

fn weighted_commune(rng: &mut Rng) -> &'static Commune {
    let total: usize = COMMUNES.iter().map(|c| usize::from(c.weight)).sum();
    let mut ticket = rng.below(total);
    for c in &COMMUNES {
        let w = usize::from(c.weight);
        if ticket < w {
            return c;
        }
        ticket -= w;
    }
    &COMMUNES[3]
}

impl Builder<'_> {
    fn remember(&mut self, org: &Org) {
        let d = &org.demo;
        if let Some(base) = d.kbo.as_deref().and_then(kbo_base) {
            self.kbos.insert(base);
        }
        self.nihiis.extend(d.nihii.clone());
        if let Some(domain) = d.website.as_deref().and_then(domain_of) {
            self.domains.insert(domain.to_owned());
        }
        for (site, commune) in d.sites.iter().zip(&org.communes) {
            let street = (
                site.street_fr.clone(),
                site.street_nl.clone(),
                site.postcode.clone(),
            );
            let known = self.streets.entry(commune.nis).or_default();
            if !known.contains(&street) {
                known.push(street);
            }
        }
    }

    fn replica(&mut self, t: &Template, id: Identity, all: &[Template]) -> Org {
        let mut rng = Rng::keyed(self.seed, "replica-body", &id.key);
        let src = &t.org.demo;
        let name_fr = src
            .name_fr
            .as_deref()
            .map(|n| format!("{}{}", n.trim_end_matches(t.proper.0), id.proper.0));
        let name_nl = src
            .name_nl
            .as_deref()
            .map(|n| format!("{}{}", n.trim_end_matches(t.proper.1), id.proper.1));

        let mut communes = vec![id.home];
        // Growing associations open an antenna: more sites than the demo template had.
        let site_count =
            src.sites.len().max(1) + usize::from(src.sites.len() == 1 && rng.chance(40));
        for _ in 1..site_count {
            communes.push(if rng.chance(50) {
                id.home
            } else {
                weighted_commune(&mut rng)
            });
        }
        let sites: Vec<DemoSite> = communes
            .iter()
            .enumerate()
            .map(|(i, c)| self.site(&id.key, i, c, &mut rng))
            .collect();

        let kbo = src
            .kbo
            .as_deref()
            .map(|k| self.kbo(k.starts_with("02"), &mut rng));
        let nihii = src.nihii.as_ref().map(|_| self.nihii(&mut rng));
        let domain = self.domain(
            name_fr.as_deref().or(name_nl.as_deref()).unwrap_or(&id.key),
            id.home,
        );
        let website = src
            .website
            .as_ref()
            .map(|_| format!("https://{domain}.example"));
        let emails = src
            .emails
            .iter()
            .map(|e| {
                let local = e.split('@').next().unwrap_or("info");
                format!("{local}@{domain}.example")
            })
            .collect();
        let phones = src.phones.iter().map(|p| phone_like(p, &mut rng)).collect();

        let replica = Org {
            demo: DemoOrganisation {
                key: id.key.clone(),
                name_fr,
                name_nl,
                legal_status_fr: src.legal_status_fr.clone(),
                legal_status_nl: src.legal_status_nl.clone(),
                kbo,
                nihii,
                website,
                phones,
                emails,
                sites,
                services: Vec::new(),
            },
            communes,
        };

        // The template's own services, then some of its kind's other services: larger
        // associations run more of them, which brings the benchmark to ~3 per organisation.
        let mut services: Vec<DemoService> = src
            .services
            .iter()
            .map(|s| rehome(s, t, &replica, (&id.proper.0, &id.proper.1)))
            .collect();
        let mut offered: BTreeSet<Vec<String>> =
            services.iter().map(|s| s.categories.clone()).collect();
        for other in all.iter().filter(|o| o.kind == t.kind) {
            for svc in &other.org.demo.services {
                if !offered.contains(&svc.categories) && rng.chance(85) {
                    offered.insert(svc.categories.clone());
                    services.push(rehome(svc, other, &replica, (&id.proper.0, &id.proper.1)));
                }
            }
        }
        // A site the main service does not cover yet hosts an antenna of it.
        let antenna = services.first().and_then(|main| {
            let site = replica
                .demo
                .sites
                .iter()
                .find(|s| !main.site_keys.contains(&s.key))?;
            let from = replica.commune_of(main.site_keys.first()?);
            let to = replica.commune_of(&site.key);
            let mut out = main.clone();
            out.site_keys = vec![site.key.clone()];
            out.name_fr = commune_swap(from.fr, to.fr).opt(&main.name_fr);
            out.name_nl = commune_swap(from.nl, to.nl).opt(&main.name_nl);
            out.name_en = commune_swap(from.en, to.en).opt(&main.name_en);
            Some(out)
        });
        services.extend(antenna);
        for (i, svc) in services.iter_mut().enumerate() {
            svc.key = format!("{}-svc-{}", id.key, i + 1);
        }
        let mut replica = replica;
        replica.demo.services = services;
        replica
    }

    fn site(&mut self, key: &str, i: usize, commune: &'static Commune, rng: &mut Rng) -> DemoSite {
        let streets = self
            .streets
            .get(commune.nis)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (street_fr, street_nl, postcode) = match streets {
            [] => (
                "Rue de la Loi".to_owned(),
                "Wetstraat".to_owned(),
                "1000".to_owned(),
            ),
            _ => streets[rng.below(streets.len())].clone(),
        };
        let mut number = (1 + rng.below(240)).to_string();
        if rng.chance(8) {
            number.push(if rng.chance(50) { 'A' } else { 'B' });
        }
        let (lat, lon) = (self.place)(commune.nis, rng.next());
        DemoSite {
            key: format!("{key}-site-{}", i + 1),
            street_fr,
            street_nl,
            number,
            postcode,
            municipality_fr: commune.fr.to_owned(),
            municipality_nl: commune.nl.to_owned(),
            lat,
            lon,
        }
    }

    fn kbo(&mut self, public: bool, rng: &mut Rng) -> String {
        // Public bodies carry 02xx numbers, associations 04xx–08xx, as in the real register.
        loop {
            let prefix = if public {
                20 + rng.below(10)
            } else {
                40 + rng.below(50)
            };
            let base = (prefix * 100_000 + rng.below(100_000)) as u64;
            if self.kbos.insert(base) {
                return kbo_from_base(base);
            }
        }
    }

    fn nihii(&mut self, rng: &mut Rng) -> String {
        loop {
            let nihii = format!("8{:010}", rng.next() % 10_000_000_000);
            if self.nihiis.insert(nihii.clone()) {
                return nihii;
            }
        }
    }

    /// A domain of its own: homonyms get their commune appended, as real ones do, then a
    /// number (appended after shortening, so the 63-character label limit cannot eat it).
    fn domain(&mut self, name: &str, home: &Commune) -> String {
        let plain = slug(name);
        let mut stem = plain.clone();
        while stem.len() > 40 {
            match stem.rfind('-') {
                Some(cut) => stem.truncate(cut),
                None => stem.truncate(40),
            }
        }
        let mut candidate = plain;
        let mut n = 1;
        while self.domains.contains(&candidate) {
            candidate = match n {
                1 => format!("{stem}-{}", slug(home.fr)),
                _ => format!("{stem}-{n}"),
            };
            n += 1;
        }
        self.domains.insert(candidate.clone());
        candidate
    }
}

/// Rewrites "(Commune)" and "– Commune", the two ways the demo's names end with a commune.
fn commune_swap(from: &str, to: &str) -> Swap {
    let mut swap = Swap::default();
    swap.push(&format!("({from})"), &format!("({to})"));
    swap.push(&format!("– {from}"), &format!("– {to}"));
    swap
}

/// The replacements for one language: organisation name, proper name, commune (each as
/// an (old, new) pair). The full name goes first so its proper name is not swapped twice.
fn renaming(
    (old_name, new_name): (&Option<String>, &Option<String>),
    (old_proper, new_proper): (&str, &str),
    (old_commune, new_commune): (&str, &str),
) -> Swap {
    let mut swap = Swap::default();
    if let (Some(old), Some(new)) = (old_name, new_name) {
        swap.push(old, new);
    }
    swap.push(old_proper, new_proper);
    if !old_commune.is_empty() {
        swap.0.extend(commune_swap(old_commune, new_commune).0);
    }
    swap
}

/// A service of `origin` moved into `replica` (whose proper name is `proper`): names,
/// proper names and communes rewritten in each language.
fn rehome(
    svc: &DemoService,
    origin: &Template,
    replica: &Org,
    proper: (&str, &str),
) -> DemoService {
    let src = &origin.org.demo;
    let origin_index = src
        .sites
        .iter()
        .position(|s| svc.site_keys.first() == Some(&s.key))
        .unwrap_or(0);
    let site_index = origin_index.min(replica.demo.sites.len().saturating_sub(1));
    let from = origin
        .org
        .communes
        .get(origin_index)
        .copied()
        .unwrap_or(&COMMUNES[3]);
    let to = replica
        .communes
        .get(site_index)
        .copied()
        .unwrap_or(&COMMUNES[3]);
    let (new_fr, new_nl) = (&replica.demo.name_fr, &replica.demo.name_nl);
    let fr = renaming(
        (&src.name_fr, new_fr),
        (origin.proper.0, proper.0),
        (from.fr, to.fr),
    );
    let nl = renaming(
        (&src.name_nl, new_nl),
        (origin.proper.1, proper.1),
        (from.nl, to.nl),
    );
    // English names carry the French proper name, or the Dutch one for Dutch-only bodies.
    let mut en = renaming(
        (&src.name_fr, new_fr),
        (origin.proper.0, proper.0),
        (from.en, to.en),
    );
    en.0.extend(
        renaming(
            (&src.name_nl, new_nl),
            (origin.proper.1, proper.1),
            ("", ""),
        )
        .0,
    );

    let mut out = svc.clone();
    out.name_fr = fr.opt(&svc.name_fr);
    out.name_nl = nl.opt(&svc.name_nl);
    out.name_en = en.opt(&svc.name_en);
    out.description_fr = fr.opt(&svc.description_fr);
    out.description_nl = nl.opt(&svc.description_nl);
    out.description_en = en.opt(&svc.description_en);
    out.site_keys = vec![replica.demo.sites[site_index].key.clone()];
    if svc.site_keys.len() > 1 && replica.demo.sites.len() > 1 {
        out.site_keys = replica.demo.sites.iter().map(|s| s.key.clone()).collect();
    }
    out
}

fn phone_like(template: &str, rng: &mut Rng) -> String {
    if template.starts_with("+32800") {
        format!("+32800{:05}", rng.below(100_000))
    } else if template.starts_with("+324") {
        format!("+3247{:07}", rng.below(10_000_000))
    } else {
        format!("+322{}", 2_000_000 + rng.below(8_000_000))
    }
}

fn kbo_base(kbo: &str) -> Option<u64> {
    let digits: String = kbo.chars().filter(char::is_ascii_digit).collect();
    digits.get(..8)?.parse().ok()
}

fn domain_of(url: &str) -> Option<&str> {
    url.split("://").nth(1)?.split('.').next()
}

/// Stable per-organisation stream, independent of where the organisation sits in the list.
pub(super) fn org_rng(seed: u64, salt: &str, org: &Org) -> Rng {
    Rng::keyed(seed, salt, &org.demo.key)
}

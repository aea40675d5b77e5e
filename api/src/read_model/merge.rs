//! One service and one site where several sources list the same: within one
//! organisation, sites at the same address (or within a few metres, under the same house
//! number) are one site, and services of different sources sharing a site
//! under the same name (in either language), or names close in words with a category in
//! common, are one service. Never across
//! organisations: each organisation's bundle is folded on its own.
//!
//! The stored rows stay as the sources wrote them; the fold happens when the read model
//! loads an organisation, so it follows every sync and every curation, and a merge of
//! services is undone by the data or a rule (`sync.separate`). A site group keeps its
//! first row with a point, a service group its first active member; the others' ids
//! lead to it, and what it lacks is taken from them.

use std::collections::{BTreeSet, HashMap, HashSet};

use entities::{service_at_site, site};

use super::{ServiceEntry, load::Bundle};
use crate::{
    domain::{Fee, ServiceStatus, normalize_for_search},
    geo::{Point, haversine_m},
};

/// Pairs of services (`source:upstream id`, as `provenance` shows them) that are never
/// one service: `sync.separate`, an administrator's undoing of a merge.
#[derive(Debug, Default)]
pub struct Separations(HashMap<String, HashSet<String>>);

impl Separations {
    pub fn new(pairs: &[[String; 2]]) -> Separations {
        let mut apart: HashMap<String, HashSet<String>> = HashMap::new();
        for [a, b] in pairs {
            apart.entry(a.clone()).or_default().insert(b.clone());
            apart.entry(b.clone()).or_default().insert(a.clone());
        }
        Separations(apart)
    }

    fn apart(&self, a: &[String], b: &[String]) -> bool {
        a.iter()
            .filter_map(|x| self.0.get(x))
            .any(|others| b.iter().any(|y| others.contains(y)))
    }
}

/// Sites of one organisation under the same house number and this close are one site.
pub const SAME_PLACE_METRES: f64 = 25.0;

/// Groups of indices into `items` joined by `same`, each group in index order; the first
/// index of a group stands for it.
fn groups<T>(items: &[T], same: impl Fn(&T, &T) -> bool) -> Vec<Vec<usize>> {
    let mut root: Vec<usize> = (0..items.len()).collect();
    fn find(root: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    for a in 0..items.len() {
        for b in a + 1..items.len() {
            if same(&items[a], &items[b]) {
                let (ra, rb) = (find(&mut root, a), find(&mut root, b));
                if ra != rb {
                    root[ra.max(rb)] = ra.min(rb);
                }
            }
        }
    }
    let labels: Vec<usize> = (0..items.len()).map(|i| find(&mut root, i)).collect();
    by_label(labels)
}

/// The indices of `labels` grouped by label, each group in index order, groups in the
/// order of their first index.
fn by_label(labels: Vec<usize>) -> Vec<Vec<usize>> {
    let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, label) in labels.into_iter().enumerate() {
        out.entry(label).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = out.into_values().collect();
    out.sort();
    out
}

fn folded(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(normalize_for_search)
        .filter(|t| !t.is_empty())
}

/// What the site comparison reads of a site, folded once.
struct SiteKey {
    /// "12 A" and "12a" alike.
    number: Option<String>,
    postcode: Option<String>,
    streets: Vec<String>,
    point: Option<Point>,
}

impl SiteKey {
    fn of(site: &site::Model) -> SiteKey {
        SiteKey {
            number: folded(&site.house_number).map(|n| n.replace(' ', "")),
            postcode: folded(&site.postcode),
            streets: [folded(&site.street_fr), folded(&site.street_nl)]
                .into_iter()
                .flatten()
                .collect(),
            point: site.lat.zip(site.lon).map(|(lat, lon)| Point { lat, lon }),
        }
    }
}

/// Whether two sites of one organisation are one place.
fn same_site(a: &SiteKey, b: &SiteKey) -> bool {
    if a.number.is_none() || a.number != b.number {
        return false;
    }
    let close = a
        .point
        .zip(b.point)
        .is_some_and(|(p, q)| haversine_m(p, q) <= SAME_PLACE_METRES);
    let same_street = a.postcode.is_some()
        && a.postcode == b.postcode
        && a.streets.iter().any(|s| b.streets.contains(s));
    close || same_street
}

/// Services are offered at the same place when they share a site (one source lists
/// the main address, another every branch) or when one gives none.
fn sites_agree(a: &BTreeSet<i32>, b: &BTreeSet<i32>) -> bool {
    a.is_empty() || b.is_empty() || !a.is_disjoint(b)
}

/// What the service comparison reads of a service's names, folded once.
struct ServiceKey {
    names: Vec<String>,
    /// The words of more than two letters of each name.
    words: Vec<BTreeSet<String>>,
}

impl ServiceKey {
    fn of(service: &ServiceEntry) -> ServiceKey {
        let names: Vec<String> = [
            &service.model.name_fr,
            &service.model.name_nl,
            &service.model.name_en,
        ]
        .into_iter()
        .filter_map(folded)
        .collect();
        let words = names.iter().map(|n| significant_words(n)).collect();
        ServiceKey { names, words }
    }
}

/// Whether two services of one organisation, at the sites `sites_a` and `sites_b`
/// (canonical ids), are one service.
fn same_service(
    a: (&ServiceEntry, &ServiceKey, &BTreeSet<i32>),
    b: (&ServiceEntry, &ServiceKey, &BTreeSet<i32>),
) -> bool {
    let ((a, key_a, sites_a), (b, key_b, sites_b)) = (a, b);
    if !sites_agree(sites_a, sites_b) {
        return false;
    }
    if key_a.names.iter().any(|n| key_b.names.contains(n)) {
        return true;
    }
    // Names close in words (one source adds a word), with a category in common: the
    // categories alone are too coarse ("mental health") to tell two services apart.
    let shared_category = a.categories.iter().any(|c| b.categories.contains(c));
    shared_category
        && key_a.words.iter().any(|x| {
            key_b
                .words
                .iter()
                .any(|y| word_overlap(x, y) >= SIMILAR_NAMES)
        })
}

/// Names whose significant words overlap this much (Jaccard) are the same name.
const SIMILAR_NAMES: f64 = 0.6;

/// The words of more than two letters of a folded name.
fn significant_words(name: &str) -> BTreeSet<String> {
    name.split(' ')
        .filter(|w| w.chars().count() > 2)
        .map(str::to_owned)
        .collect()
}

/// The overlap (Jaccard) of two sets of words.
fn word_overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Groups of one organisation's services that are one service: listed by different
/// sources (two services of one source are two services, whatever they share), at the
/// same place, under the same name or close names with a category in common.
fn service_groups(
    services: &[ServiceEntry],
    sites: &[BTreeSet<i32>],
    separations: &Separations,
) -> Vec<Vec<usize>> {
    let mut group_of: Vec<usize> = (0..services.len()).collect();
    let service_keys: Vec<ServiceKey> = services.iter().map(ServiceKey::of).collect();
    let mut sources: Vec<BTreeSet<i32>> = services
        .iter()
        .map(|s| s.sources.iter().map(|(id, _)| *id).collect())
        .collect();
    let mut keys: Vec<Vec<String>> = services
        .iter()
        .map(|s| s.sources.iter().map(|(_, key)| key.clone()).collect())
        .collect();
    // The sites of each group: a group joins another only where their sites agree, so
    // a service without a site cannot bridge two branches.
    let mut group_sites: Vec<BTreeSet<i32>> = sites.to_vec();
    for a in 0..services.len() {
        for b in a + 1..services.len() {
            let (ga, gb) = (group_of[a], group_of[b]);
            let compatible_sites = sites_agree(&group_sites[ga], &group_sites[gb]);
            if ga == gb
                || sources[ga].is_empty()
                || sources[gb].is_empty()
                || !sources[ga].is_disjoint(&sources[gb])
                || !compatible_sites
                || !same_service(
                    (&services[a], &service_keys[a], &sites[a]),
                    (&services[b], &service_keys[b], &sites[b]),
                )
                || separations.apart(&keys[ga], &keys[gb])
            {
                continue;
            }
            let (keep, gone) = (ga.min(gb), ga.max(gb));
            let moved = std::mem::take(&mut sources[gone]);
            sources[keep].extend(moved);
            let moved = std::mem::take(&mut keys[gone]);
            keys[keep].extend(moved);
            let moved = std::mem::take(&mut group_sites[gone]);
            group_sites[keep].extend(moved);
            for g in &mut group_of {
                if *g == gone {
                    *g = keep;
                }
            }
        }
    }
    by_label(group_of)
}

/// `slot` if set, else `other`.
fn fill<T: Clone>(slot: &mut Option<T>, other: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(other);
    }
}

/// (member, canonical) pairs of ids: what was folded into what.
pub type Folded = Vec<(i32, i32)>;

/// Folds one organisation's duplicate sites and services; returns the services and the
/// sites folded away.
pub fn fold(bundle: &mut Bundle, separations: &Separations) -> (Folded, Folded) {
    // Nothing to fold: one site at most, and every service from one source.
    let one_source = bundle
        .services
        .iter()
        .flat_map(|s| s.sources.iter().map(|(id, _)| *id))
        .collect::<BTreeSet<i32>>()
        .len()
        <= 1;
    if bundle.sites.len() <= 1 && one_source {
        return (Vec::new(), Vec::new());
    }
    // Sites.
    let site_keys: Vec<SiteKey> = bundle.sites.iter().map(|(s, _)| SiteKey::of(s)).collect();
    let mut canonical_site: HashMap<i32, i32> = HashMap::new();
    let mut merged_sites = Vec::new();
    let mut kept_sites = Vec::new();
    let mut taken: Vec<Option<(site::Model, Vec<i32>)>> = std::mem::take(&mut bundle.sites)
        .into_iter()
        .map(Some)
        .collect();
    for group in groups(&site_keys, same_site) {
        let members: Vec<(site::Model, Vec<i32>)> =
            group.iter().filter_map(|&i| taken[i].take()).collect();
        // The first with a point stands for the group, else the first.
        let lead = members
            .iter()
            .position(|(s, _)| s.lat.is_some() && s.lon.is_some())
            .unwrap_or(0);
        let (mut model, mut territories) = members[lead].clone();
        for (other, other_territories) in &members {
            fill(&mut model.street_fr, &other.street_fr);
            fill(&mut model.street_nl, &other.street_nl);
            fill(&mut model.postcode, &other.postcode);
            fill(&mut model.municipality_fr, &other.municipality_fr);
            fill(&mut model.municipality_nl, &other.municipality_nl);
            if territories.is_empty() {
                territories = other_territories.clone();
            }
            canonical_site.insert(other.id, model.id);
            if other.id != model.id {
                merged_sites.push((other.id, model.id));
            }
        }
        kept_sites.push((model, territories));
    }
    kept_sites.sort_by_key(|(s, _)| s.id);
    bundle.sites = kept_sites;

    // Services, at canonical sites.
    let services = std::mem::take(&mut bundle.services);
    let site_sets: Vec<BTreeSet<i32>> = services
        .iter()
        .map(|s| {
            s.locations
                .iter()
                .map(|l| *canonical_site.get(&l.site_id).unwrap_or(&l.site_id))
                .collect()
        })
        .collect();
    let service_groups = service_groups(&services, &site_sets, separations);
    let mut slots: Vec<Option<ServiceEntry>> = services.into_iter().map(Some).collect();
    let mut merged_services = Vec::new();
    let mut kept = Vec::new();
    for group in service_groups {
        let mut members: Vec<ServiceEntry> =
            group.iter().filter_map(|&i| slots[i].take()).collect();
        // An active member stands for the group, else the first. Only the members in the
        // lead's state give it content (an inactive listing's old text or number does not
        // reach the public through an active one); every member's id leads to it and its
        // provenance is shown. The group is published only if every such member is: a
        // curator who withholds one source's listing withholds the service.
        let lead = members
            .iter()
            .position(|s| s.model.status == ServiceStatus::Active)
            .unwrap_or(0);
        let mut lead = members.remove(lead);
        let status = lead.model.status;
        let contributing: Vec<&ServiceEntry> = members
            .iter()
            .filter(|m| status != ServiceStatus::Active || m.model.status == ServiceStatus::Active)
            .collect();
        lead.model.published =
            lead.model.published && contributing.iter().all(|m| m.model.published);
        for other in &members {
            merged_services.push((other.model.id, lead.model.id));
            lead.merged.push(other.model.id);
            lead.sources.extend(other.sources.iter().cloned());
        }
        for other in contributing {
            let (m, o) = (&mut lead.model, &other.model);
            fill(&mut m.name_fr, &o.name_fr);
            fill(&mut m.name_nl, &o.name_nl);
            fill(&mut m.name_en, &o.name_en);
            fill(&mut m.description_fr, &o.description_fr);
            fill(&mut m.description_nl, &o.description_nl);
            fill(&mut m.description_en, &o.description_en);
            fill(&mut m.target_public_fr, &o.target_public_fr);
            fill(&mut m.target_public_nl, &o.target_public_nl);
            fill(&mut m.target_public_en, &o.target_public_en);
            if m.fee == Fee::Unknown {
                m.fee = o.fee;
            }
            m.referral_required |= o.referral_required;
            m.search_text = format!("{} {}", m.search_text, o.search_text);
            lead.categories.extend(&other.categories);
            lead.languages.extend(other.languages.iter().cloned());
            for a in &other.accreditations {
                if !lead
                    .accreditations
                    .iter()
                    .any(|b| b.authority_id == a.authority_id && b.kind == a.kind)
                {
                    lead.accreditations.push(a.clone());
                }
            }
            for c in &other.contacts {
                // A professional line and a public number are two contacts, even when
                // they are the same number.
                if !lead.contacts.iter().any(|d| {
                    d.kind == c.kind
                        && d.internal == c.internal
                        && d.value.to_lowercase() == c.value.to_lowercase()
                }) {
                    lead.contacts.push(c.clone());
                }
            }
            lead.locations.extend(other.locations.iter().cloned());
        }
        // Locations at canonical sites, once each.
        let mut seen = BTreeSet::new();
        let locations: Vec<service_at_site::Model> = std::mem::take(&mut lead.locations)
            .into_iter()
            .map(|mut l| {
                l.site_id = *canonical_site.get(&l.site_id).unwrap_or(&l.site_id);
                l
            })
            .filter(|l| seen.insert(l.site_id))
            .collect();
        lead.locations = locations;
        lead.categories.sort_unstable();
        lead.categories.dedup();
        lead.languages.sort();
        lead.languages.dedup();
        if !members.is_empty() {
            // Words of every contributing member, once.
            let mut words: Vec<&str> = lead.model.search_text.split(' ').collect();
            words.sort_unstable();
            words.dedup();
            lead.model.search_text = words.join(" ").trim().to_owned();
        }
        kept.push(lead);
    }
    kept.sort_by_key(|s| s.model.id);
    bundle.services = kept;
    (merged_services, merged_sites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_join_transitively_and_keep_index_order() {
        let items = [1, 2, 10, 3, 11];
        let found = groups(&items, |a: &i32, b: &i32| (a - b).abs() == 1);
        assert_eq!(found, vec![vec![0, 1, 3], vec![2, 4]]);
    }

    fn site(
        id: i32,
        street_fr: &str,
        street_nl: &str,
        number: &str,
        point: Option<(f64, f64)>,
    ) -> site::Model {
        site::Model {
            id,
            organisation_id: 1,
            street_fr: Some(street_fr.to_owned()).filter(|s| !s.is_empty()),
            street_nl: Some(street_nl.to_owned()).filter(|s| !s.is_empty()),
            house_number: Some(number.to_owned()),
            postcode: Some("1070".to_owned()),
            municipality_fr: None,
            municipality_nl: None,
            lat: point.map(|p| p.0),
            lon: point.map(|p| p.1),
        }
    }

    #[test]
    fn names_are_close_when_most_of_their_words_are_shared() {
        let words = |s: &str| significant_words(&normalize_for_search(s));
        assert!(
            word_overlap(
                &words("Centre de planning familial Quokka"),
                &words("Planning familial Quokka")
            ) >= SIMILAR_NAMES
        );
        assert!(
            word_overlap(
                &words("Consultation Quokka"),
                &words("Groupe de parole Quokka")
            ) < SIMILAR_NAMES
        );
    }

    #[test]
    fn a_place_is_one_site_by_street_or_by_point_under_one_number() {
        let fr = site(
            1,
            "Place de la Vaillance",
            "",
            "122A",
            Some((50.84027, 4.31604)),
        );
        let nl = site(2, "", "Dapperheidsplein", "122a", Some((50.84028, 4.31605)));
        let bilingual = site(3, "Place de la Vaillance", "Dapperheidsplein", "122A", None);
        let next_door = site(
            4,
            "Place de la Vaillance",
            "",
            "124",
            Some((50.84030, 4.31610)),
        );
        let (fr, nl, bilingual, next_door) = (
            SiteKey::of(&fr),
            SiteKey::of(&nl),
            SiteKey::of(&bilingual),
            SiteKey::of(&next_door),
        );
        assert!(same_site(&fr, &nl), "a few metres apart, same number");
        assert!(same_site(&nl, &bilingual), "same street name in Dutch");
        assert!(!same_site(&fr, &next_door), "another number");
        let spaced = SiteKey::of(&site(5, "Place de la Vaillance", "", "122 A", None));
        assert!(same_site(&fr, &spaced), "122 A is 122A");
    }
}

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
//! first row with a point and takes what it lacks from the others; a service group
//! keeps the id of its first active member and takes each field from the most trusted
//! member giving it (`sync.priority`). The others' ids lead to the one kept.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entities::{service, service_at_site, site};

use super::{ServiceEntry, load::Bundle};
use crate::{
    config::{Config, SourcePriority},
    domain::{Fee, ServiceStatus, normalize_for_search},
    geo::{Point, haversine_m},
};

/// How one organisation's duplicates are folded: the services kept apart
/// (`sync.separate`) and which source wins each field of a merged service
/// (`sync.priority`, as for organisations).
#[derive(Debug, Default)]
pub struct MergeRules {
    separations: Separations,
    priority: SourcePriority,
}

impl MergeRules {
    pub fn new(config: &Config) -> MergeRules {
        MergeRules {
            separations: Separations::new(&config.sync.separate),
            priority: config.source_priority(),
        }
    }
}

/// Sources giving different values for one field of a merged service.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldConflict {
    /// As `[sync.priority]` names it (`description_fr`, `fee`…).
    pub field: &'static str,
    /// (source, value), most trusted first.
    pub values: Vec<(String, String)>,
    pub chosen_source: String,
    /// When the latest of the disagreeing listings changed.
    pub detected_at: DateTime<Utc>,
}

/// Pairs of services (`source:upstream id`, as `provenance` shows them) that are never
/// one service: `sync.separate`, an administrator's undoing of a merge.
#[derive(Debug, Default)]
struct Separations(HashMap<String, HashSet<String>>);

impl Separations {
    fn new(pairs: &[[String; 2]]) -> Separations {
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
    /// Named after its organisation (and perhaps its commune): a listing of the whole
    /// organisation, as social.brussels and De Sociale Kaart give them ("CPAS
    /// d'Ixelles"), not of one of its services ("Télévigilance – CPAS d'Ixelles").
    whole: bool,
}

impl ServiceKey {
    /// `organisation`: the significant words of the organisation's names and of its
    /// sites' communes.
    fn of(service: &ServiceEntry, organisation: &BTreeSet<String>) -> ServiceKey {
        let names: Vec<String> = [
            &service.model.name_fr,
            &service.model.name_nl,
            &service.model.name_en,
        ]
        .into_iter()
        .filter_map(folded)
        .collect();
        let words: Vec<BTreeSet<String>> = names.iter().map(|n| significant_words(n)).collect();
        let whole = words
            .iter()
            .any(|w| !w.is_empty() && w.is_subset(organisation));
        ServiceKey {
            names,
            words,
            whole,
        }
    }
}

/// How two services of one organisation, at the sites `sites_a` and `sites_b`
/// (canonical ids), compare.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Likeness {
    /// The same name at the same place: one service.
    Same,
    /// Names close in words (one source adds a word or a place) with a category in
    /// common at the same place, both listings of the whole organisation or both of one
    /// service: one service if neither has another such match in the other's source.
    Close,
    Apart,
}

fn likeness(
    a: (&ServiceEntry, &ServiceKey, &BTreeSet<i32>),
    b: (&ServiceEntry, &ServiceKey, &BTreeSet<i32>),
) -> Likeness {
    let ((a, key_a, sites_a), (b, key_b, sites_b)) = (a, b);
    if !sites_agree(sites_a, sites_b) {
        return Likeness::Apart;
    }
    if key_a.names.iter().any(|n| key_b.names.contains(n)) {
        return Likeness::Same;
    }
    // The categories alone are too coarse ("mental health") to tell two services apart.
    let shared_category = a.categories.iter().any(|c| b.categories.contains(c));
    let close_names = key_a.words.iter().any(|x| {
        key_b
            .words
            .iter()
            .any(|y| word_overlap(x, y) >= SIMILAR_NAMES)
    });
    if shared_category && close_names && key_a.whole == key_b.whole {
        Likeness::Close
    } else {
        Likeness::Apart
    }
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
/// same place, under the same name, or under close names with a category in common
/// when that match is unambiguous. A CPAS that one source lists as a whole and another
/// as "Aide médicale – CPAS…" and "Cellule énergie – CPAS…" stays three services: the
/// whole is neither.
fn service_groups(
    services: &[ServiceEntry],
    sites: &[BTreeSet<i32>],
    organisation: &BTreeSet<String>,
    separations: &Separations,
) -> Vec<Vec<usize>> {
    let keys_of: Vec<ServiceKey> = services
        .iter()
        .map(|s| ServiceKey::of(s, organisation))
        .collect();
    let source_of: Vec<Option<i32>> = services
        .iter()
        .map(|s| s.sources.first().map(|(id, _)| *id))
        .collect();
    let mut keys: Vec<Vec<String>> = services
        .iter()
        .map(|s| s.sources.iter().map(|(_, key)| key.clone()).collect())
        .collect();
    // Every pair of services of two sources, compared once.
    let mut pairs: Vec<(usize, usize, Likeness)> = Vec::new();
    // (service, other source) → its matches there, of either kind.
    let mut matches: HashMap<(usize, i32), usize> = HashMap::new();
    for a in 0..services.len() {
        for b in a + 1..services.len() {
            let (Some(source_a), Some(source_b)) = (source_of[a], source_of[b]) else {
                continue;
            };
            // A pair kept apart is no match, nor does it make another ambiguous.
            if source_a == source_b || separations.apart(&keys[a], &keys[b]) {
                continue;
            }
            let found = likeness(
                (&services[a], &keys_of[a], &sites[a]),
                (&services[b], &keys_of[b], &sites[b]),
            );
            if found != Likeness::Apart {
                *matches.entry((a, source_b)).or_default() += 1;
                *matches.entry((b, source_a)).or_default() += 1;
                pairs.push((a, b, found));
            }
        }
    }
    // A close match counts when it is each side's only match in the other's source.
    let unambiguous = |a: usize, b: usize| {
        let (Some(source_a), Some(source_b)) = (source_of[a], source_of[b]) else {
            return false;
        };
        matches.get(&(a, source_b)) == Some(&1) && matches.get(&(b, source_a)) == Some(&1)
    };
    // Same names join first: a close name never takes the place of an exact one.
    pairs.sort_by_key(|&(a, b, found)| (found != Likeness::Same, a, b));

    let mut group_of: Vec<usize> = (0..services.len()).collect();
    let mut sources: Vec<BTreeSet<i32>> = source_of
        .iter()
        .map(|s| s.iter().copied().collect())
        .collect();
    // The sites of each group: a group joins another only where their sites agree, so
    // a service without a site cannot bridge two branches.
    let mut group_sites: Vec<BTreeSet<i32>> = sites.to_vec();
    for (a, b, found) in pairs {
        let (ga, gb) = (group_of[a], group_of[b]);
        if ga == gb
            || (found == Likeness::Close && !unambiguous(a, b))
            || !sources[ga].is_disjoint(&sources[gb])
            || !sites_agree(&group_sites[ga], &group_sites[gb])
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
    by_label(group_of)
}

/// `slot` if set, else `other`.
fn fill<T: Clone>(slot: &mut Option<T>, other: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(other);
    }
}

/// The single-valued fields of a merged service, each taken from the most trusted source
/// that gives it: the `[sync.priority]` name and the provenance field it belongs to.
const CHOSEN_FIELDS: [(&str, &str); 10] = [
    ("name_fr", "name"),
    ("name_nl", "name"),
    ("name_en", "name"),
    ("description_fr", "description"),
    ("description_nl", "description"),
    ("description_en", "description"),
    ("target_public_fr", "target_public"),
    ("target_public_nl", "target_public"),
    ("target_public_en", "target_public"),
    ("fee", "fee"),
];

/// The provenance fields every contributing member gives a merged service (unions).
const SHARED_FIELDS: [&str; 5] = [
    "categories",
    "languages",
    "accreditations",
    "locations",
    "referral_required",
];

/// A field's value in a service, as text (`fee` by its stored name); `None` when the
/// service does not give it.
fn field_value<'m>(model: &'m service::Model, field: &str) -> Option<&'m str> {
    if field == "fee" {
        return (model.fee != Fee::Unknown).then(|| model.fee.as_str());
    }
    model.text(field)?.as_deref()
}

/// Copies one chosen field from `from` into `to`.
fn copy_field(to: &mut service::Model, from: &service::Model, field: &str) {
    if field == "fee" {
        to.fee = from.fee;
    } else if let (Some(slot), Some(value)) = (to.text_mut(field), from.text(field)) {
        slot.clone_from(value);
    }
}

/// What the most trusted sources give a merged service.
struct Chosen {
    /// (field, index of the member whose value wins).
    values: Vec<(&'static str, usize)>,
    conflicts: Vec<FieldConflict>,
    /// (member id, provenance field) for each chosen value.
    supplied: Vec<(i32, &'static str)>,
}

/// For each single-valued field, the value of the most trusted contributing member that
/// gives it (ties: source name, then the lead first), and the fields on which they
/// disagree beyond writing (case, accents, spacing; for names, the commune one adds:
/// `places`).
fn choose_fields(
    members: &[ServiceEntry],
    contributing: &[usize],
    priority: &SourcePriority,
    places: &BTreeSet<String>,
) -> Chosen {
    let mut chosen = Chosen {
        values: Vec::new(),
        conflicts: Vec::new(),
        supplied: Vec::new(),
    };
    for (field, provenance_field) in CHOSEN_FIELDS {
        let mut candidates: Vec<(usize, &str, usize, &str)> = contributing
            .iter()
            .filter_map(|&i| {
                let source = members[i].source_name();
                let value = field_value(&members[i].model, field)?;
                Some((priority.rank(field, source), source, i, value))
            })
            .collect();
        candidates.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        let Some(&(_, source, winner, _)) = candidates.first() else {
            // No fee known: every record says so, the lead's stands for them.
            if field == "fee" {
                chosen
                    .supplied
                    .push((members[0].model.id, provenance_field));
            }
            continue;
        };
        chosen.values.push((field, winner));
        chosen
            .supplied
            .push((members[winner].model.id, provenance_field));
        let distinct: HashSet<String> = candidates
            .iter()
            .map(|c| {
                let text = normalize_for_search(c.3);
                if provenance_field != "name" {
                    return text;
                }
                // Names compare by their significant words, the commune's left out.
                let words: Vec<String> = significant_words(&text)
                    .into_iter()
                    .filter(|w| !places.contains(w))
                    .collect();
                words.join(" ")
            })
            .collect();
        if distinct.len() > 1 {
            chosen.conflicts.push(FieldConflict {
                field,
                values: candidates
                    .iter()
                    .map(|c| (c.1.to_owned(), c.3.to_owned()))
                    .collect(),
                chosen_source: source.to_owned(),
                detected_at: candidates
                    .iter()
                    .map(|c| members[c.2].model.updated_at)
                    .max()
                    .unwrap_or_default(),
            });
        }
    }
    chosen
}

/// (member, canonical) pairs of ids: what was folded into what.
pub type Folded = Vec<(i32, i32)>;

/// Folds one organisation's duplicate sites and services; returns the services and the
/// sites folded away.
pub fn fold(bundle: &mut Bundle, rules: &MergeRules) -> (Folded, Folded) {
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
    // What names the organisation as a whole: its names and its communes'.
    let words_of = |names: Vec<&Option<String>>| -> BTreeSet<String> {
        names
            .into_iter()
            .filter_map(folded)
            .flat_map(|n| significant_words(&n))
            .collect()
    };
    let places = words_of(
        bundle
            .sites
            .iter()
            .flat_map(|(s, _)| [&s.municipality_fr, &s.municipality_nl])
            .collect(),
    );
    let mut organisation = words_of(vec![
        &bundle.organisation.name_fr,
        &bundle.organisation.name_nl,
    ]);
    organisation.extend(places.iter().cloned());
    let service_groups = service_groups(&services, &site_sets, &organisation, &rules.separations);
    let mut slots: Vec<Option<ServiceEntry>> = services.into_iter().map(Some).collect();
    let mut merged_services = Vec::new();
    let mut kept = Vec::new();
    for group in service_groups {
        let mut members: Vec<ServiceEntry> =
            group.iter().filter_map(|&i| slots[i].take()).collect();
        if members.len() == 1 {
            kept.extend(members);
            continue;
        }
        // An active member stands for the group, else the first. Only the members in the
        // lead's state give it content (an inactive listing's old text or number does not
        // reach the public through an active one); every member's id leads to it, and
        // provenance shows what each contributing member gives. The group is published only if every such member is: a
        // curator who withholds one source's listing withholds the service. Each
        // single-valued field comes from the most trusted source giving it.
        let lead = members
            .iter()
            .position(|s| s.model.status == ServiceStatus::Active)
            .unwrap_or(0);
        members.swap(0, lead);
        let status = members[0].model.status;
        let contributing: Vec<usize> = (0..members.len())
            .filter(|&i| {
                i == 0 || status != ServiceStatus::Active || members[i].model.status == status
            })
            .collect();
        let chosen = choose_fields(&members, &contributing, &rules.priority, &places);
        for &(field, winner) in &chosen.values {
            if winner > 0 {
                let (lead, others) = members.split_at_mut(1);
                copy_field(&mut lead[0].model, &others[winner - 1].model, field);
            }
        }
        let mut lead = members.remove(0);
        lead.conflicts = chosen.conflicts;
        lead.supplied = chosen.supplied;
        lead.supplied.push((lead.model.id, "status"));
        lead.supplied
            .extend(SHARED_FIELDS.iter().map(|f| (lead.model.id, *f)));
        for other in contributing.iter().skip(1).map(|&i| &members[i - 1]) {
            lead.model.published &= other.model.published;
            lead.model.referral_required |= other.model.referral_required;
            lead.model.search_text =
                format!("{} {}", lead.model.search_text, other.model.search_text);
            lead.supplied
                .extend(SHARED_FIELDS.iter().map(|f| (other.model.id, *f)));
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
        for other in &members {
            merged_services.push((other.model.id, lead.model.id));
            lead.merged.push(other.model.id);
            lead.sources.extend(other.sources.iter().cloned());
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
        // Words of every contributing member, once.
        let mut words: Vec<&str> = lead.model.search_text.split(' ').collect();
        words.sort_unstable();
        words.dedup();
        lead.model.search_text = words.join(" ").trim().to_owned();
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
            version: 1,
            external_id: None,
            pinned: String::new(),
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

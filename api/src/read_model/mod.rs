//! The in-memory read model: an immutable [`Snapshot`] of the directory (organisations,
//! their sites and services with every relation the API shows) with the indexes the
//! service filters need. Readers take an `Arc<Snapshot>` for a whole request and never
//! lock or touch the database; writers append to `change_log` in their transaction and
//! [`ReadModel::catch_up`] swaps in a new snapshot with the changed organisations
//! reloaded. SQL stays the source of truth.

mod live;
mod load;
pub mod merge;

use std::{hash::Hash, sync::Arc};

// The read model's maps and sets are keyed by ids and words and read on every request:
// hashed with foldhash (seeded per process) rather than SipHash, which the profile of the
// cold path found at 3 to 4% of a page (decision 0012).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use entities::{
    accreditation, contact_point, organisation, organisation_identifier, service, service_at_site,
    site,
};

pub use live::{CHANNEL, CatchUp, Logged, ReadModel, follow, last_sequence, pruned_through};
pub use load::{Bundle, bundles};

use crate::geo::{BBox, Point};

/// A service with everything the API shows of it.
#[derive(Debug)]
pub struct ServiceEntry {
    pub model: service::Model,
    pub categories: Vec<i32>,
    /// ISO 639-1 codes, sorted.
    pub languages: Vec<String>,
    /// By id.
    pub accreditations: Vec<accreditation::Model>,
    /// Where it is delivered, by id.
    pub locations: Vec<service_at_site::Model>,
    /// By id.
    pub contacts: Vec<contact_point::Model>,
    /// The territories of its sites, sorted.
    pub territories: Vec<i32>,
    /// The services of other sources folded into this one (`merge`), by id.
    pub merged: Vec<i32>,
    /// The sources it comes from: (source id, `source:upstream id`), several once merged.
    pub sources: Vec<(i32, String)>,
    /// Once merged: the fields on which its sources disagree.
    pub conflicts: Vec<merge::FieldConflict>,
    /// Once merged: (member id, provenance field) for what each member gives it.
    pub supplied: Vec<(i32, &'static str)>,
}

impl ServiceEntry {
    /// The name of the (first) source it comes from; empty for a service of no source.
    pub fn source_name(&self) -> &str {
        self.sources
            .first()
            .and_then(|(_, key)| key.split(':').next())
            .unwrap_or("")
    }

    /// Whether the provenance field `field` of the member `member` (this service or one
    /// folded into it) is what this service shows.
    pub fn shows(&self, member: i32, field: &str) -> bool {
        self.merged.is_empty() || self.supplied.contains(&(member, field))
    }
}

/// An organisation with its identifiers, contacts and the ids of its sites and services.
#[derive(Debug)]
pub struct OrganisationEntry {
    pub model: organisation::Model,
    /// By scheme.
    pub identifiers: Vec<organisation_identifier::Model>,
    /// By id.
    pub contacts: Vec<contact_point::Model>,
    /// Sorted.
    pub sites: Vec<i32>,
    /// Sorted.
    pub services: Vec<i32>,
    /// Ids of services and sites folded into others (`merge`), which lead to them.
    pub merged: Vec<i32>,
    pub merged_sites: Vec<i32>,
}

#[derive(Debug)]
pub struct SiteEntry {
    pub model: site::Model,
    pub territories: Vec<i32>,
    /// The services delivered here, sorted.
    pub services: Vec<i32>,
}

impl SiteEntry {
    /// One-line postal address in `lang` (street and number, postcode and commune).
    pub fn address_line(&self, lang: crate::domain::Lang) -> Option<String> {
        let site = &self.model;
        let street = lang.pick(site.street_fr.as_deref(), site.street_nl.as_deref(), None);
        let municipality = lang.pick(
            site.municipality_fr.as_deref(),
            site.municipality_nl.as_deref(),
            None,
        );
        let first = match (street, site.house_number.as_deref()) {
            (Some(street), Some(number)) => Some(format!("{street} {number}")),
            (Some(street), None) => Some(street.to_owned()),
            _ => None,
        };
        let second = match (site.postcode.as_deref(), municipality) {
            (Some(postcode), Some(m)) => Some(format!("{postcode} {m}")),
            (Some(postcode), None) => Some(postcode.to_owned()),
            (None, Some(m)) => Some(m.to_owned()),
            (None, None) => None,
        };
        match (first, second) {
            (Some(a), Some(b)) => Some(format!("{a}, {b}")),
            (a, b) => a.or(b),
        }
    }
}

/// Sorted id lists by key, shared between snapshots until a key changes.
#[derive(Clone, Debug)]
pub struct Postings<K: Hash + Eq>(HashMap<K, Arc<Vec<i32>>>);

impl<K: Hash + Eq> Default for Postings<K> {
    fn default() -> Self {
        Postings(HashMap::new())
    }
}

impl<K: Hash + Eq + Clone> Postings<K> {
    pub fn get(&self, key: &K) -> &[i32] {
        self.0.get(key).map_or(&[], |ids| ids.as_slice())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &[i32])> {
        self.0.iter().map(|(k, ids)| (k, ids.as_slice()))
    }

    fn build(pairs: impl IntoIterator<Item = (K, i32)>) -> Postings<K> {
        let mut lists: HashMap<K, Vec<i32>> = HashMap::new();
        for (key, id) in pairs {
            lists.entry(key).or_default().push(id);
        }
        Postings(
            lists
                .into_iter()
                .map(|(key, mut ids)| {
                    ids.sort_unstable();
                    ids.dedup();
                    (key, Arc::new(ids))
                })
                .collect(),
        )
    }

    /// Takes `removed` ids out of every key they had and adds `added` pairs.
    fn patch(
        &mut self,
        removed: impl IntoIterator<Item = (K, i32)>,
        added: impl IntoIterator<Item = (K, i32)>,
    ) {
        let mut changes: HashMap<K, (HashSet<i32>, Vec<i32>)> = HashMap::new();
        for (key, id) in removed {
            changes.entry(key).or_default().0.insert(id);
        }
        for (key, id) in added {
            changes.entry(key).or_default().1.push(id);
        }
        for (key, (gone, new)) in changes {
            let mut ids: Vec<i32> = self
                .0
                .get(&key)
                .map(|ids| {
                    ids.iter()
                        .copied()
                        .filter(|id| !gone.contains(id))
                        .collect()
                })
                .unwrap_or_default();
            ids.extend(new);
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                self.0.remove(&key);
            } else {
                self.0.insert(key, Arc::new(ids));
            }
        }
    }
}

/// Grid cells of about 250 m over WGS84 coordinates, for `near`.
pub(crate) const CELL_LAT: f64 = 0.0025;
pub(crate) const CELL_LON: f64 = 0.0035;

/// The grid cell (row, column) of a point.
pub(crate) fn cell(lat: f64, lon: f64) -> (i32, i32) {
    // Coordinates are validated WGS84: the cell numbers fit an i32 comfortably.
    #[expect(clippy::cast_possible_truncation, reason = "bounded by WGS84 ranges")]
    (
        (lat / CELL_LAT).floor() as i32,
        (lon / CELL_LON).floor() as i32,
    )
}

/// The whole directory as the API reads it, at one point of the change log.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// The last `change_log` sequence this snapshot includes.
    pub sequence: i64,
    services: HashMap<i32, Arc<ServiceEntry>>,
    organisations: HashMap<i32, Arc<OrganisationEntry>>,
    sites: HashMap<i32, Arc<SiteEntry>>,
    /// The id of a service or site folded into another (`merge`) → that other's.
    service_aliases: HashMap<i32, i32>,
    site_aliases: HashMap<i32, i32>,
    /// How duplicates are folded (`sync.separate`, `sync.priority`).
    rules: Arc<merge::MergeRules>,
    /// Every service id, sorted.
    all_services: Arc<Vec<i32>>,
    /// Every organisation id, sorted.
    all_organisations: Arc<Vec<i32>>,
    pub by_category: Postings<i32>,
    pub by_authority: Postings<i32>,
    pub by_language: Postings<String>,
    pub by_territory: Postings<i32>,
    /// Folded words of a service's text and of its organisation's names → services.
    pub words: Postings<String>,
    /// Grid cell → sites with coordinates in it.
    grid: Postings<(i32, i32)>,
    /// (scheme, value) of an identifier → the organisations that hold it.
    by_identifier: Postings<(String, String)>,
}

/// What one service contributes to each index.
struct Keys {
    categories: Vec<(i32, i32)>,
    authorities: Vec<(i32, i32)>,
    languages: Vec<(String, i32)>,
    territories: Vec<(i32, i32)>,
    words: Vec<(String, i32)>,
    /// (scheme, value) of an organisation's identifiers → the organisation.
    identifiers: Vec<((String, String), i32)>,
}

impl Keys {
    fn new() -> Keys {
        Keys {
            categories: Vec::new(),
            authorities: Vec::new(),
            languages: Vec::new(),
            territories: Vec::new(),
            words: Vec::new(),
            identifiers: Vec::new(),
        }
    }

    fn add_identifiers(
        &mut self,
        organisation: i32,
        identifiers: &[organisation_identifier::Model],
    ) {
        self.identifiers.extend(
            identifiers
                .iter()
                .map(|i| ((i.scheme.clone(), i.value.clone()), organisation)),
        );
    }

    fn add(&mut self, entry: &ServiceEntry, words: &[String]) {
        let id = entry.model.id;
        self.categories
            .extend(entry.categories.iter().map(|c| (*c, id)));
        self.authorities
            .extend(entry.accreditations.iter().map(|a| (a.authority_id, id)));
        self.languages
            .extend(entry.languages.iter().map(|l| (l.clone(), id)));
        self.territories
            .extend(entry.territories.iter().map(|t| (*t, id)));
        self.words.extend(words.iter().map(|w| (w.clone(), id)));
    }
}

fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ').filter(|w| !w.is_empty())
}

/// The words a service is found by: its own and its organisation's.
fn service_words(service: &str, organisation: &str) -> Vec<String> {
    let mut words: Vec<String> = words_of(service)
        .chain(words_of(organisation))
        .map(str::to_owned)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

impl Snapshot {
    /// Builds a snapshot from the bundles of every organisation.
    pub fn build(bundles: Vec<Bundle>, sequence: i64) -> Snapshot {
        Snapshot::build_with(bundles, sequence, Arc::default())
    }

    /// Builds a snapshot whose duplicates are folded by `rules`.
    pub fn build_with(
        bundles: Vec<Bundle>,
        sequence: i64,
        rules: Arc<merge::MergeRules>,
    ) -> Snapshot {
        let mut snapshot = Snapshot {
            sequence,
            rules,
            ..Snapshot::default()
        };
        let mut keys = Keys::new();
        let mut sites = Vec::new();
        for bundle in bundles {
            snapshot.insert_bundle(bundle, &mut keys, &mut sites);
        }
        snapshot.by_category = Postings::build(keys.categories);
        snapshot.by_authority = Postings::build(keys.authorities);
        snapshot.by_language = Postings::build(keys.languages);
        snapshot.by_territory = Postings::build(keys.territories);
        snapshot.words = Postings::build(keys.words);
        snapshot.grid = Postings::build(sites);
        snapshot.by_identifier = Postings::build(keys.identifiers);
        let mut services: Vec<i32> = snapshot.services.keys().copied().collect();
        services.sort_unstable();
        snapshot.all_services = Arc::new(services);
        let mut organisations: Vec<i32> = snapshot.organisations.keys().copied().collect();
        organisations.sort_unstable();
        snapshot.all_organisations = Arc::new(organisations);
        snapshot
    }

    /// A new snapshot where `changed` organisations are replaced by `bundles` (an
    /// organisation of `changed` without a bundle no longer exists).
    pub fn with_changes(&self, changed: &[i32], bundles: Vec<Bundle>, sequence: i64) -> Snapshot {
        let mut next = self.clone();
        next.sequence = sequence;
        let mut old = Keys::new();
        let mut old_sites = Vec::new();
        let mut gone_services = HashSet::new();
        let mut gone_organisations = HashSet::new();
        for id in changed {
            let Some(organisation) = next.organisations.remove(id) else {
                continue;
            };
            gone_organisations.insert(*id);
            old.add_identifiers(*id, &organisation.identifiers);
            for merged in &organisation.merged {
                next.service_aliases.remove(merged);
            }
            for merged in &organisation.merged_sites {
                next.site_aliases.remove(merged);
            }
            for site_id in &organisation.sites {
                if let Some(site) = next.sites.remove(site_id)
                    && let (Some(lat), Some(lon)) = (site.model.lat, site.model.lon)
                {
                    old_sites.push((cell(lat, lon), *site_id));
                }
            }
            for service_id in &organisation.services {
                if let Some(service) = next.services.remove(service_id) {
                    gone_services.insert(*service_id);
                    let words =
                        service_words(&service.model.search_text, &organisation.model.search_text);
                    old.add(&service, &words);
                }
            }
        }
        let mut new = Keys::new();
        let mut new_sites = Vec::new();
        let mut new_services = Vec::new();
        let mut new_organisations = Vec::new();
        for bundle in bundles {
            let id = bundle.organisation.id;
            new_organisations.push(id);
            next.insert_bundle(bundle, &mut new, &mut new_sites);
            // The services the bundle kept: those folded into another are not listed.
            if let Some(inserted) = next.organisations.get(&id) {
                new_services.extend(inserted.services.iter().copied());
            }
        }
        next.by_category.patch(old.categories, new.categories);
        next.by_authority.patch(old.authorities, new.authorities);
        next.by_language.patch(old.languages, new.languages);
        next.by_territory.patch(old.territories, new.territories);
        next.words.patch(old.words, new.words);
        next.grid.patch(old_sites, new_sites);
        next.by_identifier.patch(old.identifiers, new.identifiers);
        next.all_services = Arc::new(merge_ids(&self.all_services, &gone_services, new_services));
        next.all_organisations = Arc::new(merge_ids(
            &self.all_organisations,
            &gone_organisations,
            new_organisations,
        ));
        next
    }

    fn insert_bundle(
        &mut self,
        mut bundle: Bundle,
        keys: &mut Keys,
        sites: &mut Vec<((i32, i32), i32)>,
    ) {
        let (merged_services, merged_sites) = merge::fold(&mut bundle, &self.rules);
        let Bundle {
            organisation,
            identifiers,
            contacts,
            sites: site_rows,
            services,
        } = bundle;
        self.service_aliases.extend(merged_services.iter().copied());
        self.site_aliases.extend(merged_sites.iter().copied());
        keys.add_identifiers(organisation.id, &identifiers);
        let mut site_entries: HashMap<i32, SiteEntry> = site_rows
            .into_iter()
            .map(|(model, territories)| {
                (
                    model.id,
                    SiteEntry {
                        model,
                        territories,
                        services: Vec::new(),
                    },
                )
            })
            .collect();
        let mut service_ids = Vec::with_capacity(services.len());
        for service in services {
            let mut territories: Vec<i32> = Vec::new();
            for location in &service.locations {
                if let Some(site) = site_entries.get_mut(&location.site_id) {
                    site.services.push(service.model.id);
                    territories.extend(&site.territories);
                }
            }
            territories.sort_unstable();
            territories.dedup();
            let entry = ServiceEntry {
                territories,
                ..service
            };
            keys.add(
                &entry,
                &service_words(&entry.model.search_text, &organisation.search_text),
            );
            service_ids.push(entry.model.id);
            self.services.insert(entry.model.id, Arc::new(entry));
        }
        service_ids.sort_unstable();
        let mut site_ids: Vec<i32> = site_entries.keys().copied().collect();
        site_ids.sort_unstable();
        for (id, mut site) in site_entries {
            site.services.sort_unstable();
            site.services.dedup();
            if let (Some(lat), Some(lon)) = (site.model.lat, site.model.lon) {
                sites.push((cell(lat, lon), id));
            }
            self.sites.insert(id, Arc::new(site));
        }
        self.organisations.insert(
            organisation.id,
            Arc::new(OrganisationEntry {
                model: organisation,
                identifiers,
                contacts,
                sites: site_ids,
                services: service_ids,
                merged: merged_services
                    .into_iter()
                    .map(|(member, _)| member)
                    .collect(),
                merged_sites: merged_sites.into_iter().map(|(member, _)| member).collect(),
            }),
        );
    }

    /// A service by its id, or by the id of a service folded into it.
    pub fn service(&self, id: i32) -> Option<&Arc<ServiceEntry>> {
        self.services.get(&id).or_else(|| {
            self.service_aliases
                .get(&id)
                .and_then(|canonical| self.services.get(canonical))
        })
    }

    pub fn organisation(&self, id: i32) -> Option<&Arc<OrganisationEntry>> {
        self.organisations.get(&id)
    }

    /// The organisations holding the identifier `value` of `scheme` (e.g. `kbo`), sorted.
    pub fn organisations_identified(&self, scheme: &str, value: &str) -> &[i32] {
        self.by_identifier
            .get(&(scheme.to_owned(), value.to_owned()))
    }

    /// A site by its id, or by the id of a site folded into it.
    pub fn site(&self, id: i32) -> Option<&Arc<SiteEntry>> {
        self.sites.get(&id).or_else(|| {
            self.site_aliases
                .get(&id)
                .and_then(|canonical| self.sites.get(canonical))
        })
    }

    /// Every service id, sorted.
    pub fn service_ids(&self) -> &[i32] {
        &self.all_services
    }

    /// Every organisation id, sorted.
    pub fn organisation_ids(&self) -> &[i32] {
        &self.all_organisations
    }

    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    /// Sites with coordinates in the grid cells covering `bbox`.
    pub fn sites_in(&self, bbox: &BBox) -> Vec<i32> {
        let (min_row, min_col) = cell(bbox.min_lat, bbox.min_lon);
        let (max_row, max_col) = cell(bbox.max_lat, bbox.max_lon);
        let cells = (i64::from(max_row) - i64::from(min_row) + 1)
            * (i64::from(max_col) - i64::from(min_col) + 1);
        let mut out = Vec::new();
        if cells > i64::try_from(self.grid.0.len()).unwrap_or(i64::MAX) {
            // A box larger than the occupied grid: walk the occupied cells instead.
            for (&(row, col), ids) in self.grid.iter() {
                if (min_row..=max_row).contains(&row) && (min_col..=max_col).contains(&col) {
                    out.extend_from_slice(ids);
                }
            }
        } else {
            for row in min_row..=max_row {
                for col in min_col..=max_col {
                    out.extend_from_slice(self.grid.get(&(row, col)));
                }
            }
        }
        out
    }

    /// The sites with coordinates in one grid cell.
    pub fn sites_in_cell(&self, cell: (i32, i32)) -> &[i32] {
        self.grid.get(&cell)
    }

    /// The point of a site, when it has one.
    pub fn site_point(&self, id: i32) -> Option<Point> {
        let site = self.sites.get(&id)?;
        Some(Point {
            lat: site.model.lat?,
            lon: site.model.lon?,
        })
    }
}

/// `base` without `gone`, plus `added`, sorted and unique.
fn merge_ids(base: &[i32], gone: &HashSet<i32>, added: Vec<i32>) -> Vec<i32> {
    let mut ids: Vec<i32> = base
        .iter()
        .copied()
        .filter(|id| !gone.contains(id))
        .chain(added)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
pub(crate) mod tests;

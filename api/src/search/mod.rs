//! The read path for service lists, over the in-memory read model: the smallest index
//! list a filter allows is walked in id order and every other part of the filter is
//! checked per service; geographic search takes the sites of the grid cells around the
//! point and orders by exact great-circle distance.

pub mod relevance;

use std::{borrow::Cow, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use entities::service_at_site;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::{
    auth::ServiceScope,
    domain::{Fee, LanguageCode, Opening, ServiceStatus, calendar},
    geo::{BBox, METRES_PER_DEGREE, Point, haversine_m},
    read_model::{CELL_LAT, CELL_LON, OrganisationEntry, ServiceEntry, SiteEntry, Snapshot, cell},
};

/// A validated service filter; built from GraphQL input by `graphql::types::filter`.
#[derive(Clone, Debug, Default)]
pub struct ServiceQuery {
    /// Category ids, descendants already expanded.
    pub categories: Option<Vec<i32>>,
    pub authorities: Option<Vec<i32>>,
    pub territory: Option<i32>,
    pub languages: Option<Vec<LanguageCode>>,
    pub fees: Option<Vec<Fee>>,
    pub referral_required: Option<bool>,
    pub statuses: Option<Vec<ServiceStatus>>,
    pub text: Option<String>,
    pub near: Option<Near>,
    pub organisation: Option<i32>,
    /// Open at this instant at one of its places at least.
    pub open_at: Option<DateTime<Utc>>,
    /// The community days of each authority (`Holidays::of`), for `open_at`.
    pub holidays: Holidays,
    /// The order of a page.
    pub order: Order,
    /// Category labels (FR, NL, EN) folded, by id, for relevance
    /// (`Reference::category_text`).
    pub category_text: Arc<HashMap<i32, String>>,
}

/// The community days (`calendar::community_days`) of each authority, by id: a service
/// closed on public holidays keeps those of the communities that recognise it.
#[derive(Clone, Debug, Default)]
pub struct Holidays(Arc<HashMap<i32, &'static [(u32, u32)]>>);

impl Holidays {
    /// The reference's table, built once with it (`Reference::community_days`).
    pub fn of(reference: &crate::reference::Reference) -> Holidays {
        Holidays(Arc::clone(&reference.community_days))
    }

    /// The community days a service keeps, by its accreditations.
    pub fn of_service(&self, service: &ServiceEntry) -> Vec<(u32, u32)> {
        let mut days: Vec<(u32, u32)> = service
            .accreditations
            .iter()
            .filter_map(|a| self.0.get(&a.authority_id))
            .flat_map(|days| days.iter().copied())
            .collect();
        days.sort_unstable();
        days.dedup();
        days
    }
}

/// The weekly schedule of a service at one place, as `domain::calendar` reads it: its
/// periods, and whether its remarks close it on public holidays.
pub fn schedule_of(location: &service_at_site::Model) -> (Vec<Opening>, bool) {
    let openings = serde_json::from_str(&location.schedule).unwrap_or_default();
    let closed = calendar::closed_on_holidays(&[
        location.schedule_remark_fr.as_deref(),
        location.schedule_remark_nl.as_deref(),
    ]);
    (openings, closed)
}

/// Whether a service is open at `at` at one of its places (`None`: no place gives a
/// schedule), and when it opens next.
pub fn opening(
    service: &ServiceEntry,
    holidays: &Holidays,
    at: DateTime<Utc>,
) -> (Option<bool>, Option<DateTime<Utc>>) {
    let mut open = None;
    let mut next: Option<DateTime<Utc>> = None;
    let community_days = holidays.of_service(service);
    for location in &service.locations {
        let (openings, closed_on_holidays) = schedule_of(location);
        if openings.is_empty() {
            continue;
        }
        let week = calendar::Week {
            openings: &openings,
            closed_on_holidays,
            community_days: &community_days,
        };
        open = Some(open.unwrap_or(false) || week.open_at(at));
        if let Some(opens) = week.next_opening(at) {
            next = Some(next.map_or(opens, |n| n.min(opens)));
        }
    }
    (open, next)
}

#[derive(Clone, Copy, Debug)]
pub struct Near {
    pub point: Point,
    pub radius_m: f64,
}

impl Near {
    /// Whether `point` is within the radius.
    pub fn contains(&self, point: Point) -> bool {
        haversine_m(self.point, point) <= self.radius_m
    }
}

/// Where a page starts: after the service with this id and key of the page's order.
#[derive(Clone, Debug, PartialEq)]
pub enum Cursor {
    ById(i32),
    ByDistance {
        distance_m: f64,
        id: i32,
    },
    /// After this change log sequence (the change feed).
    BySequence(i64),
    /// Relevance: higher scores first; `query` fingerprints the text it was scored
    /// against (`relevance::Query::fingerprint`).
    ByScore {
        score: f64,
        id: i32,
        query: u64,
    },
    /// Names (folded, in `lang`) in alphabetical order.
    ByName {
        name: String,
        id: i32,
        lang: crate::domain::Lang,
    },
    /// The latest update first, in milliseconds since 1970.
    ByUpdated {
        at_ms: i64,
        id: i32,
    },
}

/// The order of a page of services.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// By id: stable, the cheapest.
    #[default]
    Id,
    /// By relevance to `text` (`relevance::Query::score`).
    Relevance,
    /// Nearest first, for `near`.
    Distance,
    /// By name in this language.
    Name(crate::domain::Lang),
    /// The latest update first.
    Updated,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("malformed cursor")]
pub struct CursorError;

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match self {
            Cursor::ById(id) => format!("i:{id}"),
            Cursor::BySequence(seq) => format!("s:{seq}"),
            Cursor::ByDistance { distance_m, id } => {
                format!("d:{:016x}:{id}", distance_m.to_bits())
            }
            Cursor::ByScore { score, id, query } => {
                format!("r:{:016x}:{id}:{query:016x}", score.to_bits())
            }
            Cursor::ByUpdated { at_ms, id } => format!("u:{at_ms}:{id}"),
            // The name last and in hex: it may hold any character.
            Cursor::ByName { name, id, lang } => {
                let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
                format!("n:{}:{id}:{hex}", lang.as_str())
            }
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(text: &str) -> Result<Cursor, CursorError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| CursorError)?;
        let raw = String::from_utf8(bytes).map_err(|_| CursorError)?;
        let mut parts = raw.split(':');
        let cursor = match (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) {
            (Some("i"), Some(id), None, None, None) => {
                Cursor::ById(id.parse().map_err(|_| CursorError)?)
            }
            (Some("s"), Some(seq), None, None, None) => match seq.parse() {
                Ok(seq) if seq >= 0 => Cursor::BySequence(seq),
                _ => return Err(CursorError),
            },
            (Some("d"), Some(bits), Some(id), None, None) => {
                let bits = u64::from_str_radix(bits, 16).map_err(|_| CursorError)?;
                let distance_m = f64::from_bits(bits);
                if !distance_m.is_finite() || distance_m < 0.0 {
                    return Err(CursorError);
                }
                Cursor::ByDistance {
                    distance_m,
                    id: id.parse().map_err(|_| CursorError)?,
                }
            }
            (Some("r"), Some(bits), Some(id), Some(query), None) => {
                let score = f64::from_bits(u64::from_str_radix(bits, 16).map_err(|_| CursorError)?);
                if !score.is_finite() {
                    return Err(CursorError);
                }
                Cursor::ByScore {
                    score,
                    id: id.parse().map_err(|_| CursorError)?,
                    query: u64::from_str_radix(query, 16).map_err(|_| CursorError)?,
                }
            }
            (Some("u"), Some(at_ms), Some(id), None, None) => Cursor::ByUpdated {
                at_ms: at_ms.parse().map_err(|_| CursorError)?,
                id: id.parse().map_err(|_| CursorError)?,
            },
            (Some("n"), Some(lang), Some(id), Some(hex), None) => {
                if hex.len() % 2 != 0 || hex.len() > 2 * 1024 {
                    return Err(CursorError);
                }
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
                    .collect::<Result<Vec<u8>, _>>()
                    .map_err(|_| CursorError)?;
                Cursor::ByName {
                    name: String::from_utf8(bytes).map_err(|_| CursorError)?,
                    id: id.parse().map_err(|_| CursorError)?,
                    lang: crate::domain::Lang::parse(lang).map_err(|_| CursorError)?,
                }
            }
            _ => return Err(CursorError),
        };
        Ok(cursor)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    #[error("the cursor does not belong to this kind of query")]
    CursorMismatch,
}

/// One page of matching services, in order, with their distance for `near`.
#[derive(Clone, Debug)]
pub struct Page {
    /// Each service, its distance for `near`, and its cursor.
    pub items: Vec<(Arc<ServiceEntry>, Option<f64>, Cursor)>,
    pub has_next_page: bool,
}

/// A filter compiled against one snapshot: the id lists its indexed parts allow.
struct Plan<'a> {
    query: &'a ServiceQuery,
    scope: &'a ServiceScope,
    snapshot: &'a Snapshot,
    /// The text query, to score with.
    relevance: Option<relevance::Query>,
    /// Per text token, the services it finds (sorted).
    text: Vec<Vec<i32>>,
    /// The sorted candidates to walk; every other part is checked per service.
    driver: Cow<'a, [i32]>,
    /// The other indexed parts of the filter, each as the sorted lists of which a
    /// service must be in one: a candidate is looked for in them (binary search) before
    /// the read model is (decision 0012).
    others: Vec<Vec<&'a [i32]>>,
}

/// The union of sorted lists, sorted; borrowed when there is only one.
fn union<'a>(lists: Vec<&'a [i32]>) -> Cow<'a, [i32]> {
    match lists.as_slice() {
        [] => Cow::Borrowed(&[]),
        [one] => Cow::Borrowed(one),
        _ => {
            let mut ids: Vec<i32> = lists.concat();
            ids.sort_unstable();
            ids.dedup();
            Cow::Owned(ids)
        }
    }
}

impl<'a> Plan<'a> {
    fn new(query: &'a ServiceQuery, scope: &'a ServiceScope, snapshot: &'a Snapshot) -> Plan<'a> {
        // Each query word finds the words it is part of and the words sharing its stem;
        // when it finds none, those within its typo budget (decision 0013).
        // Every word must be found: once one finds nothing, the rest are not looked up.
        let relevance = query.text.as_deref().map(relevance::Query::new);
        let mut text: Vec<Vec<i32>> = Vec::new();
        for word in relevance.iter().flat_map(|q| q.words.iter()) {
            let mut lists: Vec<&[i32]> = snapshot
                .words
                .iter()
                .filter(|(w, _)| word.finds(w))
                .map(|(_, ids)| ids)
                .collect();
            if lists.is_empty() {
                lists = snapshot
                    .words
                    .iter()
                    .filter(|(w, _)| word.typo(w))
                    .map(|(_, ids)| ids)
                    .collect();
            }
            let ids = union(lists).into_owned();
            let none = ids.is_empty();
            text.push(ids);
            if none {
                break;
            }
        }
        // Walk the smallest indexed list; the others are checked service by service.
        let mut options: Vec<Vec<&'a [i32]>> = Vec::new();
        if let Some(categories) = &query.categories {
            options.push(
                categories
                    .iter()
                    .map(|c| snapshot.by_category.get(c))
                    .collect(),
            );
        }
        if let Some(authorities) = &query.authorities {
            options.push(
                authorities
                    .iter()
                    .map(|a| snapshot.by_authority.get(a))
                    .collect(),
            );
        }
        if let Some(languages) = &query.languages {
            options.push(
                languages
                    .iter()
                    .map(|l| snapshot.by_language.get(&l.as_str().to_owned()))
                    .collect(),
            );
        }
        if let Some(territory) = query.territory {
            options.push(vec![snapshot.by_territory.get(&territory)]);
        }
        if let Some(organisation) = query.organisation {
            options.push(vec![
                snapshot
                    .organisation(organisation)
                    .map_or(&[][..], |o| o.services.as_slice()),
            ]);
        }
        let size = |lists: &[&[i32]]| lists.iter().map(|l| l.len()).sum::<usize>();
        let smallest = options
            .iter()
            .enumerate()
            .min_by_key(|(_, lists)| size(lists))
            .map(|(i, lists)| (i, size(lists)));
        let shortest_text = text.iter().min_by_key(|ids| ids.len());
        let driver = match (smallest, shortest_text) {
            (Some((i, size)), Some(text)) if text.len() >= size => union(options.remove(i)),
            (_, Some(text)) => Cow::Owned(text.clone()),
            (Some((i, _)), None) => union(options.remove(i)),
            (None, None) => Cow::Borrowed(snapshot.service_ids()),
        };
        Plan {
            query,
            scope,
            snapshot,
            relevance,
            text,
            driver,
            others: options,
        }
    }

    /// The fingerprint of the text query (0 without one).
    fn fingerprint(&self) -> u64 {
        self.relevance
            .as_ref()
            .map_or(0, relevance::Query::fingerprint)
    }

    /// A service's place in a sorted order, as its cursor.
    fn key(&self, order: Order, service: &ServiceEntry) -> Cursor {
        let id = service.model.id;
        match order {
            Order::Relevance => Cursor::ByScore {
                score: self.score(service),
                id,
                query: self.fingerprint(),
            },
            Order::Name(lang) => {
                let m = &service.model;
                let name = lang
                    .pick(
                        m.name_fr.as_deref(),
                        m.name_nl.as_deref(),
                        m.name_en.as_deref(),
                    )
                    .unwrap_or_default();
                Cursor::ByName {
                    name: crate::domain::normalize_for_search(name),
                    id,
                    lang,
                }
            }
            Order::Updated => Cursor::ByUpdated {
                at_ms: service.model.updated_at.timestamp_millis(),
                id,
            },
            Order::Id | Order::Distance => Cursor::ById(id),
        }
    }

    /// The relevance of a service to the text query (0 without one): its names and its
    /// organisation's weigh most, then its categories' labels, its target public, its
    /// descriptions, and the rest it is found by (addresses, territories).
    fn score(&self, service: &ServiceEntry) -> f64 {
        let Some(query) = &self.relevance else {
            return 0.0;
        };
        let m = &service.model;
        let fold = |texts: &[Option<&str>]| -> String {
            let joined: Vec<&str> = texts.iter().flatten().copied().collect();
            crate::domain::normalize_for_search(&joined.join(" "))
        };
        let organisation = self.snapshot.organisation(m.organisation_id);
        let names = fold(&[
            m.name_fr.as_deref(),
            m.name_nl.as_deref(),
            m.name_en.as_deref(),
            organisation.and_then(|o| o.model.name_fr.as_deref()),
            organisation.and_then(|o| o.model.name_nl.as_deref()),
        ]);
        let categories: Vec<&str> = service
            .categories
            .iter()
            .filter_map(|c| self.query.category_text.get(c).map(String::as_str))
            .collect();
        let categories = categories.join(" ");
        let public = fold(&[
            m.target_public_fr.as_deref(),
            m.target_public_nl.as_deref(),
            m.target_public_en.as_deref(),
        ]);
        let descriptions = fold(&[
            m.description_fr.as_deref(),
            m.description_nl.as_deref(),
            m.description_en.as_deref(),
        ]);
        query.score(&[
            (relevance::NAME, &names),
            (relevance::CATEGORY, &categories),
            (relevance::PUBLIC, &public),
            (relevance::DESCRIPTION, &descriptions),
            (relevance::OTHER, &m.search_text),
        ])
    }

    /// Whether a service passes every part of the filter and the scope.
    fn admits(&self, service: &ServiceEntry) -> bool {
        let q = self.query;
        let m = &service.model;
        self.scope.admits(m)
            && q.statuses.as_ref().is_none_or(|s| s.contains(&m.status))
            && q.fees.as_ref().is_none_or(|f| f.contains(&m.fee))
            && q.referral_required.is_none_or(|r| r == m.referral_required)
            && q.organisation.is_none_or(|o| o == m.organisation_id)
            && q.categories
                .as_ref()
                .is_none_or(|c| service.categories.iter().any(|id| c.contains(id)))
            && q.authorities.as_ref().is_none_or(|a| {
                service
                    .accreditations
                    .iter()
                    .any(|acc| a.contains(&acc.authority_id))
            })
            && q.languages.as_ref().is_none_or(|l| {
                service
                    .languages
                    .iter()
                    .any(|code| l.iter().any(|want| want.as_str() == code))
            })
            && q.territory
                .is_none_or(|t| service.territories.binary_search(&t).is_ok())
            && q.open_at
                .is_none_or(|at| opening(service, &q.holidays, at).0 == Some(true))
            && self.text.iter().all(|ids| ids.binary_search(&m.id).is_ok())
    }

    /// Matching services after `after_id`, in id order.
    fn walk(&self, after_id: Option<i32>) -> impl Iterator<Item = &'a Arc<ServiceEntry>> + '_ {
        let start = after_id.map_or(0, |id| self.driver.partition_point(|x| *x <= id));
        self.driver[start..]
            .iter()
            .filter(|id| {
                self.others
                    .iter()
                    .all(|lists| lists.iter().any(|list| list.binary_search(id).is_ok()))
            })
            .filter_map(|id| self.snapshot.service(*id))
            .filter(|s| self.admits(s))
    }

    /// The first `want` matching services within the radius after `after`, nearest
    /// first (ties by id, so pages never overlap), and whether more follow.
    ///
    /// Grid cells are visited in square rings around the point's cell. Once ring `k` is
    /// done, every site not seen yet is at least `k` cell sides away, so a service whose
    /// best distance so far is within that bound cannot get nearer: the search stops
    /// as soon as `want + 1` such services are known, and a page near a point reads its
    /// neighbourhood, not the whole radius.
    fn nearest(
        &self,
        near: &Near,
        after: Option<(f64, i32)>,
        want: usize,
    ) -> (Vec<(Arc<ServiceEntry>, f64)>, bool) {
        let (row, col) = cell(near.point.lat, near.point.lon);
        let radius_deg = near.radius_m / METRES_PER_DEGREE;
        let widest_lat = (near.point.lat.abs() + radius_deg).min(89.9);
        // The smallest cell side in metres over the search area, slightly shrunk so
        // the bound stays below any great-circle distance.
        let side_m = 0.99
            * (CELL_LAT * METRES_PER_DEGREE)
                .min(CELL_LON * METRES_PER_DEGREE * widest_lat.to_radians().cos());
        let bbox = BBox::around(near.point, near.radius_m);
        let (min_row, min_col) = cell(bbox.min_lat, bbox.min_lon);
        let (max_row, max_col) = cell(bbox.max_lat, bbox.max_lon);
        let rings = (row - min_row)
            .max(max_row - row)
            .max(col - min_col)
            .max(max_col - col)
            .max(0);
        let mut best: HashMap<i32, f64> = HashMap::new();
        let mut refused: HashSet<i32> = HashSet::new();
        let after_key = |d: f64, id: i32| after.is_none_or(|key| (d, id) > key);
        let ranked = |best: &HashMap<i32, f64>, bound: f64| -> Vec<(f64, i32)> {
            let mut keys: Vec<(f64, i32)> = best
                .iter()
                .filter(|(id, d)| **d <= bound && after_key(**d, **id))
                .map(|(id, d)| (*d, *id))
                .collect();
            keys.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            keys
        };
        let mut done: Option<Vec<(f64, i32)>> = None;
        for k in 0..=rings {
            for cell in ring(row, col, k) {
                for site_id in self.snapshot.sites_in_cell(cell) {
                    let (Some(site), Some(point)) = (
                        self.snapshot.site(*site_id),
                        self.snapshot.site_point(*site_id),
                    ) else {
                        continue;
                    };
                    let distance = haversine_m(near.point, point);
                    if distance > near.radius_m {
                        continue;
                    }
                    for service_id in &site.services {
                        if let Some(d) = best.get_mut(service_id) {
                            *d = d.min(distance);
                        } else if !refused.contains(service_id) {
                            match self.snapshot.service(*service_id) {
                                Some(s) if self.admits(s) => {
                                    best.insert(*service_id, distance);
                                }
                                _ => {
                                    refused.insert(*service_id);
                                }
                            }
                        }
                    }
                }
            }
            let bound = f64::from(k) * side_m;
            if best.len() > want {
                let keys = ranked(&best, bound);
                if keys.len() > want {
                    done = Some(keys);
                    break;
                }
            }
        }
        let keys = done.unwrap_or_else(|| ranked(&best, f64::INFINITY));
        let has_next = keys.len() > want;
        let page = keys
            .into_iter()
            .take(want)
            .filter_map(|(d, id)| self.snapshot.service(id).map(|s| (Arc::clone(s), d)))
            .collect();
        (page, has_next)
    }

    /// The matching services with a site within the radius, in no order.
    fn within(&self, near: &Near) -> Vec<&'a Arc<ServiceEntry>> {
        let mut seen: HashSet<i32> = HashSet::new();
        for site_id in self
            .snapshot
            .sites_in(&BBox::around(near.point, near.radius_m))
        {
            let (Some(site), Some(point)) = (
                self.snapshot.site(site_id),
                self.snapshot.site_point(site_id),
            ) else {
                continue;
            };
            if near.contains(point) {
                seen.extend(&site.services);
            }
        }
        seen.into_iter()
            .filter_map(|id| self.snapshot.service(id))
            .filter(|s| self.admits(s))
            .collect()
    }

    /// Every matching service (within the query's radius, when it has one), in no
    /// particular order.
    fn matching(&self) -> Vec<&'a Arc<ServiceEntry>> {
        match &self.query.near {
            Some(near) => self.within(near),
            None => self.walk(None).collect(),
        }
    }
}

/// The grid cells at Chebyshev distance `k` from (`row`, `col`).
fn ring(row: i32, col: i32, k: i32) -> Vec<(i32, i32)> {
    if k == 0 {
        return vec![(row, col)];
    }
    let mut cells = Vec::with_capacity(usize::try_from(8 * k).unwrap_or(0));
    for c in col - k..=col + k {
        cells.push((row - k, c));
        cells.push((row + k, c));
    }
    for r in row - k + 1..=row + k - 1 {
        cells.push((r, col - k));
        cells.push((r, col + k));
    }
    cells
}

impl ServiceQuery {
    /// Counts matching services.
    pub fn count(&self, snapshot: &Snapshot, scope: &ServiceScope) -> u64 {
        let plan = Plan::new(self, scope, snapshot);
        let count = match &self.near {
            None => plan.walk(None).count(),
            Some(near) => plan.within(near).len(),
        };
        count as u64
    }

    /// The ids of every matching service, in id order.
    pub fn ids(&self, snapshot: &Snapshot, scope: &ServiceScope) -> Vec<i32> {
        let mut ids: Vec<i32> = Plan::new(self, scope, snapshot)
            .matching()
            .into_iter()
            .map(|s| s.model.id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The ids of the organisations offering at least one matching service, sorted.
    pub fn organisation_ids(&self, snapshot: &Snapshot, scope: &ServiceScope) -> Vec<i32> {
        let mut ids: Vec<i32> = Plan::new(self, scope, snapshot)
            .matching()
            .into_iter()
            .map(|s| s.model.organisation_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// One page of `first` services after `after`, in the query's order.
    pub fn page(
        &self,
        snapshot: &Snapshot,
        scope: &ServiceScope,
        first: u64,
        after: Option<Cursor>,
    ) -> Result<Page, SearchError> {
        let first = usize::try_from(first).unwrap_or(usize::MAX);
        let plan = Plan::new(self, scope, snapshot);
        let page = |mut items: Vec<(Arc<ServiceEntry>, Option<f64>, Cursor)>| {
            let has_next_page = items.len() > first;
            items.truncate(first);
            Page {
                items,
                has_next_page,
            }
        };
        match (self.order, &self.near) {
            (Order::Id, None) => {
                let after_id = match after {
                    None => None,
                    Some(Cursor::ById(id)) => Some(id),
                    Some(_) => return Err(SearchError::CursorMismatch),
                };
                Ok(page(
                    plan.walk(after_id)
                        .take(first.saturating_add(1))
                        .map(|s| (Arc::clone(s), None, Cursor::ById(s.model.id)))
                        .collect(),
                ))
            }
            (Order::Id | Order::Distance, Some(near)) => {
                let after = match after {
                    None => None,
                    Some(Cursor::ByDistance { distance_m, id }) => Some((distance_m, id)),
                    Some(_) => return Err(SearchError::CursorMismatch),
                };
                let (items, has_next_page) = plan.nearest(near, after, first);
                Ok(Page {
                    items: items
                        .into_iter()
                        .map(|(s, d)| {
                            let cursor = Cursor::ByDistance {
                                distance_m: d,
                                id: s.model.id,
                            };
                            (s, Some(d), cursor)
                        })
                        .collect(),
                    has_next_page,
                })
            }
            // `graphql::types::service_order` asks `near` for it first.
            (Order::Distance, None) => Err(SearchError::CursorMismatch),
            (order, near) => {
                // Every match, keyed and sorted; then the page after the cursor.
                let matches: Vec<(Arc<ServiceEntry>, Option<f64>)> = match near {
                    Some(near) => plan
                        .nearest(near, None, usize::MAX)
                        .0
                        .into_iter()
                        .map(|(s, d)| (s, Some(d)))
                        .collect(),
                    None => plan.walk(None).map(|s| (Arc::clone(s), None)).collect(),
                };
                let mut keyed: Vec<(Cursor, Arc<ServiceEntry>, Option<f64>)> = matches
                    .into_iter()
                    .map(|(s, d)| (plan.key(order, &s), s, d))
                    .collect();
                keyed.sort_by(|a, b| ordering(&a.0, &b.0));
                let start = match &after {
                    None => 0,
                    Some(after) if follows(order, plan.fingerprint(), after) => {
                        keyed.partition_point(|(key, _, _)| ordering(key, after).is_le())
                    }
                    Some(_) => return Err(SearchError::CursorMismatch),
                };
                Ok(page(
                    keyed
                        .into_iter()
                        .skip(start)
                        .take(first.saturating_add(1))
                        .map(|(key, s, d)| (s, d, key))
                        .collect(),
                ))
            }
        }
    }
}

/// Whether `cursor` is one of `order`'s: the same order, in the same language for names,
/// for the same text for relevance (`query`, its fingerprint).
fn follows(order: Order, query: u64, cursor: &Cursor) -> bool {
    match (order, cursor) {
        (Order::Relevance, Cursor::ByScore { query: q, .. }) => *q == query,
        (Order::Name(lang), Cursor::ByName { lang: l, .. }) => *l == lang,
        (Order::Updated, Cursor::ByUpdated { .. }) => true,
        _ => false,
    }
}

/// How two cursors of one order compare: the page's order, ties by id.
fn ordering(a: &Cursor, b: &Cursor) -> std::cmp::Ordering {
    match (a, b) {
        (
            Cursor::ByScore {
                score: x, id: i, ..
            },
            Cursor::ByScore {
                score: y, id: j, ..
            },
        ) => y.total_cmp(x).then(i.cmp(j)),
        (Cursor::ByName { name: x, id: i, .. }, Cursor::ByName { name: y, id: j, .. }) => {
            x.cmp(y).then(i.cmp(j))
        }
        (Cursor::ByUpdated { at_ms: x, id: i }, Cursor::ByUpdated { at_ms: y, id: j }) => {
            y.cmp(x).then(i.cmp(j))
        }
        // Cursors of other orders are never compared: `page` refuses a mismatch first.
        _ => std::cmp::Ordering::Equal,
    }
}

/// Whether `scope` sees an organisation: through one of its services
/// (`ServiceScope::admits_holder`).
pub fn organisation_visible(
    snapshot: &Snapshot,
    scope: &ServiceScope,
    organisation: &OrganisationEntry,
) -> bool {
    let services = organisation
        .services
        .iter()
        .filter_map(|id| snapshot.service(*id));
    scope.admits_holder(organisation.model.id, services.map(|s| &s.model))
}

/// Whether `scope` sees a site: through one of the services offered there.
pub fn site_visible(snapshot: &Snapshot, scope: &ServiceScope, site: &SiteEntry) -> bool {
    let services = site.services.iter().filter_map(|id| snapshot.service(*id));
    scope.admits_holder(site.model.organisation_id, services.map(|s| &s.model))
}

/// The organisations `scope` sees, in id order.
pub fn visible_organisation_ids<'a>(
    snapshot: &'a Snapshot,
    scope: &ServiceScope,
) -> Cow<'a, [i32]> {
    if *scope == ServiceScope::All {
        return Cow::Borrowed(snapshot.organisation_ids());
    }
    Cow::Owned(
        snapshot
            .organisation_ids()
            .iter()
            .copied()
            .filter(|id| {
                snapshot
                    .organisation(*id)
                    .is_some_and(|o| organisation_visible(snapshot, scope, o))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        for cursor in [
            Cursor::ById(42),
            Cursor::ByDistance {
                distance_m: 123.456,
                id: 7,
            },
            Cursor::ByScore {
                score: 8.7,
                id: 3,
                query: 0xdead_beef,
            },
            Cursor::ByUpdated {
                at_ms: 1_795_000_000_000,
                id: 9,
            },
            Cursor::ByName {
                name: "centre d'accueil: l'étape".to_owned(),
                id: 11,
                lang: crate::domain::Lang::Nl,
            },
            Cursor::ByName {
                name: String::new(),
                id: 12,
                lang: crate::domain::Lang::Fr,
            },
        ] {
            assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor.clone()));
        }
    }

    #[test]
    fn malformed_cursors_are_refused() {
        for text in ["", "!!", "aTo", "eDox", "ZDp6ejox"] {
            assert_eq!(Cursor::decode(text), Err(CursorError), "{text}");
        }
    }

    /// Pages of a `near` search, walked with their cursors, list exactly the services a
    /// brute-force ranking finds, in the same order: the ring search's early stop never
    /// skips a nearer service.
    #[test]
    fn near_pages_match_a_brute_force_ranking() {
        use crate::{
            auth::ServiceScope,
            geo::haversine_m,
            read_model::{
                Bundle, Snapshot,
                tests::{organisation, service, site},
            },
        };
        // A deterministic scatter of 120 organisations with one site and two services.
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        let bundles: Vec<Bundle> = (1..=120)
            .map(|i| {
                let lat = 50.80 + next() * 0.10;
                let lon = 4.30 + next() * 0.15;
                organisation(
                    i,
                    "org",
                    vec![site(i, i, lat, lon, vec![1])],
                    vec![
                        service(i * 2, i, "a", 1, 1, &[i]),
                        service(i * 2 + 1, i, "b", 2, 1, &[i]),
                    ],
                )
            })
            .collect();
        let snapshot = Snapshot::build(bundles, 1);
        for (lat, lon, radius_m, size) in [
            (50.85, 4.35, 3000.0, 7),
            (50.80, 4.30, 20_000.0, 25),
            (50.87, 4.40, 800.0, 3),
            (51.50, 4.35, 1000.0, 5),
        ] {
            let point = Point { lat, lon };
            let mut expected: Vec<(f64, i32)> = snapshot
                .service_ids()
                .iter()
                .filter_map(|id| {
                    let service = snapshot.service(*id)?;
                    let site = service.locations.first()?.site_id;
                    let d = haversine_m(point, snapshot.site_point(site)?);
                    (d <= radius_m).then_some((d, *id))
                })
                .collect();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let query = ServiceQuery {
                near: Some(Near { point, radius_m }),
                ..ServiceQuery::default()
            };
            let mut walked = Vec::new();
            let mut after = None;
            loop {
                let page = query
                    .page(&snapshot, &ServiceScope::All, size, after)
                    .unwrap_or_else(|e| panic!("{e}"));
                for (service, distance, _) in &page.items {
                    walked.push((distance.unwrap_or(f64::NAN), service.model.id));
                }
                if !page.has_next_page {
                    break;
                }
                let (d, id) = *walked.last().unwrap_or(&(0.0, 0));
                after = Some(Cursor::ByDistance { distance_m: d, id });
            }
            assert_eq!(
                walked, expected,
                "around ({lat}, {lon}) within {radius_m} m"
            );
            assert_eq!(
                query.count(&snapshot, &ServiceScope::All),
                expected.len() as u64
            );
        }
    }
}

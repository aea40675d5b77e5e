//! Coverage of the basic offer: for each quartier where people live, which categories of
//! the configured basic offer (`[coverage]`) an active, published service offers within
//! reach, and how many inhabitants are left without. The method, its data and its
//! limits: `docs/coverage.md`.
//!
//! A quartier's inhabitants stand as the points of a regular grid over its area
//! (`Reference::residents`), each carrying the same share of its population (the
//! imported `population` indicator, else the commune's population spread over its
//! quartiers by area). A point is covered by an entry of the offer when an eligible site
//! lies within the entry's reach (straight line), or, for an entry whose reach is its
//! territory, when one lies in the commune, bassin or region of the quartier.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::{
    auth::ServiceScope,
    config::{CoverageConfig, DEFAULT_WALK_M},
    domain::{Fee, LanguageCode},
    geo::{Level, METRES_PER_DEGREE, Point, haversine_m},
    read_model::Snapshot,
    reference::{Reference, Territory},
    search::{ServiceQuery, schedule_of},
};

/// How far a site may be from where people live for it to count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reach {
    /// Within this many metres, straight line.
    Within(f64),
    /// In the same territory of the entry's scale.
    Territory,
}

/// One category of the basic offer at one scale.
#[derive(Clone, Debug, PartialEq)]
pub struct OfferItem {
    pub category_id: i32,
    pub category: String,
    /// `Quartier`, `Commune`, `Bassin` or `Region`.
    pub scale: Level,
    pub reach: Reach,
}

/// The configured basic offer, its categories resolved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BasicOffer {
    pub items: Vec<OfferItem>,
    /// The farthest reach an entry or a request may ask, in metres.
    pub max_reach_m: f64,
}

/// The scales an entry may have.
const SCALES: [Level; 4] = [
    Level::Quartier,
    Level::Commune,
    Level::Bassin,
    Level::Region,
];

impl BasicOffer {
    /// The configuration checked against the reference: a message naming the entry and
    /// the field when a category or scale is unknown or a reach out of bounds.
    pub fn resolve(config: &CoverageConfig, reference: &Reference) -> Result<BasicOffer, String> {
        let max_reach_m = f64::from(config.max_reach_m);
        if max_reach_m <= 0.0 {
            return Err("coverage.max_reach_m: must be positive".to_owned());
        }
        let mut items: Vec<OfferItem> = Vec::with_capacity(config.basic_offer.len());
        for (i, entry) in config.basic_offer.iter().enumerate() {
            let at = |field: &str| format!("coverage.basic_offer[{i}].{field}");
            let category = reference
                .category_by_code(entry.category.trim())
                .ok_or_else(|| {
                    format!("{}: unknown category {:?}", at("category"), entry.category)
                })?;
            let scale = Level::parse(entry.scale.trim())
                .filter(|level| SCALES.contains(level))
                .ok_or_else(|| {
                    format!(
                        "{}: {:?} is not one of quartier, commune, bassin, region",
                        at("scale"),
                        entry.scale
                    )
                })?;
            let reach = match (entry.reach_m, scale) {
                (Some(metres), _) => Reach::Within(f64::from(metres)),
                (None, Level::Quartier) => Reach::Within(f64::from(DEFAULT_WALK_M)),
                (None, _) => Reach::Territory,
            };
            if let Reach::Within(metres) = reach
                && !(metres >= 1.0 && metres <= max_reach_m)
            {
                return Err(format!(
                    "{}: {metres} is not between 1 and coverage.max_reach_m ({max_reach_m}){}",
                    at("reach_m"),
                    if entry.reach_m.is_none() {
                        " (the default walking reach)"
                    } else {
                        ""
                    }
                ));
            }
            let item = OfferItem {
                category_id: category.id,
                category: category.code.clone(),
                scale,
                reach,
            };
            if items
                .iter()
                .any(|other| other.category == item.category && other.scale == scale)
            {
                return Err(format!(
                    "{}: {} is already in the basic offer at the {} scale",
                    at("scale"),
                    item.category,
                    scale.as_str()
                ));
            }
            items.push(item);
        }
        Ok(BasicOffer { items, max_reach_m })
    }
}

/// Conditions of access a variant of coverage asks of a service (all that are set).
#[derive(Clone, Debug, Default)]
pub struct Conditions {
    /// Offered in one of these languages.
    pub languages: Option<Vec<LanguageCode>>,
    pub free_only: bool,
    pub no_referral: bool,
    /// Open after 18:00 on a weekday at the site that counts.
    pub evenings: bool,
    /// Open on Saturday or Sunday at the site that counts.
    pub weekends: bool,
}

/// How many inhabitants of a territory an entry reaches.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reached {
    /// Inhabitants.
    pub population: f64,
    /// Of whom within reach.
    pub covered: f64,
    /// Grid points, and those within reach.
    pub points: usize,
    pub covered_points: usize,
}

/// Whether an entry is there for all, some or none of a territory's inhabitants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "CoverageStatus")]
pub enum Status {
    /// Every point of the territory is within reach.
    Covered,
    /// Some are.
    Partial,
    /// None is.
    Missing,
}

impl Status {
    /// `covered`, `partial`, `missing`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Covered => "covered",
            Status::Partial => "partial",
            Status::Missing => "missing",
        }
    }
}

impl Reached {
    pub fn status(&self) -> Status {
        if self.covered_points == 0 {
            Status::Missing
        } else if self.covered_points == self.points {
            Status::Covered
        } else {
            Status::Partial
        }
    }

    /// The share of the inhabitants within reach, 0 to 1 (of the points when no one is
    /// counted): strictly between 0 and 1 when the status is partial, at 3 decimals.
    pub fn share(&self) -> f64 {
        let share = if self.population > 0.0 {
            self.covered / self.population
        } else if self.points > 0 {
            self.covered_points as f64 / self.points as f64
        } else {
            0.0
        };
        let rounded = (share * 1000.0).round() / 1000.0;
        match self.status() {
            Status::Partial => rounded.clamp(0.001, 0.999),
            _ => rounded,
        }
    }

    pub fn without(&self) -> f64 {
        (self.population - self.covered).max(0.0)
    }

    fn add(&mut self, other: &Reached) {
        self.population += other.population;
        self.covered += other.covered;
        self.points += other.points;
        self.covered_points += other.covered_points;
    }
}

/// Where a quartier's population figure comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PopulationSource {
    /// The imported `population` indicator of this year.
    Indicator { year: i32 },
    /// The commune's population spread over its quartiers by area.
    Estimated,
}

/// One quartier's coverage.
#[derive(Clone, Debug)]
pub struct QuartierCoverage {
    pub territory_id: i32,
    pub population: f64,
    pub population_source: PopulationSource,
    /// Per item of the report, in its order.
    pub items: Vec<Reached>,
}

/// The coverage of a territory: its residential quartiers and their sum per item.
#[derive(Clone, Debug)]
pub struct Report {
    pub territory_id: i32,
    pub items: Vec<OfferItem>,
    pub quartiers: Vec<QuartierCoverage>,
    pub totals: Vec<Reached>,
}

/// The population of each quartier: the imported values (territory id → (inhabitants,
/// year)) where there are some, else the estimate.
pub fn populations(
    reference: &Reference,
    imported: &HashMap<i32, (f64, i32)>,
) -> HashMap<i32, (f64, PopulationSource)> {
    let quartiers: Vec<&Territory> = residential_quartiers(reference).collect();
    // Each commune's population over its quartiers by area (grid points); a quartier on
    // n communes takes 1/n of its area in each.
    let mut commune_points: HashMap<i32, f64> = HashMap::new();
    let communes_of = |q: &Territory| -> Vec<i32> {
        q.parent_ids
            .iter()
            .copied()
            .filter(|id| {
                reference
                    .territory(*id)
                    .is_some_and(|t| t.level == Level::Commune)
            })
            .collect()
    };
    for q in &quartiers {
        let communes = communes_of(q);
        for c in &communes {
            *commune_points.entry(*c).or_default() +=
                q.residents.len() as f64 / communes.len() as f64;
        }
    }
    quartiers
        .iter()
        .map(|q| {
            if let Some(&(value, year)) = imported.get(&q.id) {
                return (q.id, (value, PopulationSource::Indicator { year }));
            }
            let communes = communes_of(q);
            let estimate: f64 = communes
                .iter()
                .filter_map(|c| {
                    let population = reference.territory(*c)?.population? as f64;
                    let total = *commune_points.get(c)?;
                    Some(population * q.residents.len() as f64 / communes.len() as f64 / total)
                })
                .sum();
            (q.id, (estimate.round(), PopulationSource::Estimated))
        })
        .collect()
}

fn residential_quartiers(reference: &Reference) -> impl Iterator<Item = &Territory> {
    reference
        .territories
        .iter()
        .filter(|t| t.level == Level::Quartier && t.residential)
}

/// The sites where an item is offered under `conditions`: their points and territories.
fn eligible_sites(
    item: &OfferItem,
    conditions: &Conditions,
    snapshot: &Snapshot,
    reference: &Reference,
) -> (Vec<Point>, HashSet<i32>) {
    let query = ServiceQuery {
        categories: Some(reference.category_with_descendants(item.category_id)),
        languages: conditions.languages.clone(),
        fees: conditions.free_only.then(|| vec![Fee::Free]),
        referral_required: conditions.no_referral.then_some(false),
        ..ServiceQuery::default()
    };
    let mut points = Vec::new();
    let mut territories = HashSet::new();
    let mut seen_sites = HashSet::new();
    for id in query.ids(snapshot, &ServiceScope::PublishedActive) {
        let Some(service) = snapshot.service(id) else {
            continue;
        };
        for location in &service.locations {
            if conditions.evenings || conditions.weekends {
                let (openings, _) = schedule_of(location);
                if (conditions.evenings && !openings.iter().any(|o| o.in_the_evening()))
                    || (conditions.weekends && !openings.iter().any(|o| o.at_the_weekend()))
                {
                    continue;
                }
            }
            if !seen_sites.insert(location.site_id) {
                continue;
            }
            let Some(site) = snapshot.site(location.site_id) else {
                continue;
            };
            if let Some(point) = snapshot.site_point(location.site_id) {
                points.push(point);
            }
            territories.extend(site.territories.iter().copied());
        }
    }
    (points, territories)
}

/// Points bucketed in square cells of about `size_m`: a point's neighbours within
/// `size_m` are in its cell and the eight around it.
struct Buckets {
    lat_step: f64,
    lon_step: f64,
    cells: HashMap<(i64, i64), Vec<Point>>,
}

impl Buckets {
    fn new(points: &[Point], size_m: f64) -> Buckets {
        let lat_step = size_m / METRES_PER_DEGREE;
        // Brussels' latitude; the cells only need to be at least `size_m` wide.
        // Wide enough at Brussels' latitude (50.8°N).
        let lon_step = lat_step / 51.0_f64.to_radians().cos();
        let mut cells: HashMap<(i64, i64), Vec<Point>> = HashMap::new();
        let mut buckets = Buckets {
            lat_step,
            lon_step,
            cells: HashMap::new(),
        };
        for &p in points {
            cells.entry(buckets.cell(p)).or_default().push(p);
        }
        buckets.cells = cells;
        buckets
    }

    fn cell(&self, p: Point) -> (i64, i64) {
        (
            (p.lat / self.lat_step).floor() as i64,
            (p.lon / self.lon_step).floor() as i64,
        )
    }

    fn any_within(&self, p: Point, metres: f64) -> bool {
        let (y, x) = self.cell(p);
        (y - 1..=y + 1).any(|cy| {
            (x - 1..=x + 1).any(|cx| {
                self.cells
                    .get(&(cy, cx))
                    .is_some_and(|points| points.iter().any(|&s| haversine_m(p, s) <= metres))
            })
        })
    }
}

/// The coverage of `territory` (any level) by `items` under `conditions`, over the
/// directory of `snapshot`, with the quartiers' `populations`.
pub fn compute(
    territory: &Territory,
    items: &[OfferItem],
    conditions: &Conditions,
    snapshot: &Snapshot,
    reference: &Reference,
    populations: &HashMap<i32, (f64, PopulationSource)>,
) -> Report {
    let quartiers: Vec<&Territory> = residential_quartiers(reference)
        .filter(|q| {
            reference
                .ancestors_at(q.id, territory.level)
                .contains(&territory.id)
        })
        .collect();
    let eligible: Vec<(Option<Buckets>, HashSet<i32>)> = items
        .iter()
        .map(|item| {
            let (points, territories) = eligible_sites(item, conditions, snapshot, reference);
            let buckets = match item.reach {
                Reach::Within(metres) => Some(Buckets::new(&points, metres)),
                Reach::Territory => None,
            };
            (buckets, territories)
        })
        .collect();
    let mut totals = vec![Reached::default(); items.len()];
    let quartiers = quartiers
        .into_iter()
        .map(|q| {
            let (population, population_source) = populations
                .get(&q.id)
                .cloned()
                .unwrap_or((0.0, PopulationSource::Estimated));
            let points = q.residents.len();
            let share = population / points.max(1) as f64;
            let reached: Vec<Reached> = items
                .iter()
                .zip(&eligible)
                .map(|(item, (buckets, territories))| {
                    let covered_points = match (item.reach, buckets) {
                        (Reach::Within(metres), Some(buckets)) => q
                            .residents
                            .iter()
                            .filter(|&&p| buckets.any_within(p, metres))
                            .count(),
                        _ => {
                            // The quartier's own commune(s), bassin or region.
                            let served = reference
                                .ancestors_at(q.id, item.scale)
                                .iter()
                                .any(|id| territories.contains(id));
                            if served { points } else { 0 }
                        }
                    };
                    Reached {
                        population,
                        covered: share * covered_points as f64,
                        points,
                        covered_points,
                    }
                })
                .collect();
            for (total, r) in totals.iter_mut().zip(&reached) {
                total.add(r);
            }
            QuartierCoverage {
                territory_id: q.id,
                population,
                population_source,
                items: reached,
            }
        })
        .collect();
    Report {
        territory_id: territory.id,
        items: items.to_vec(),
        quartiers,
        totals,
    }
}

/// The items of `offer` a request asks: those of `categories` (codes, all when `None`),
/// with the quartier scale's reach replaced by `reach_m` when given. Errors name the
/// argument.
pub fn select(
    offer: &BasicOffer,
    categories: Option<&[String]>,
    reach_m: Option<f64>,
) -> Result<Vec<OfferItem>, (&'static str, String)> {
    if let Some(metres) = reach_m
        && !(metres > 0.0 && metres <= offer.max_reach_m)
    {
        return Err((
            "reachMetres",
            format!("must be greater than 0 and at most {}", offer.max_reach_m),
        ));
    }
    let mut items: Vec<OfferItem> = match categories {
        None => offer.items.clone(),
        Some(codes) => {
            if let Some(code) = codes
                .iter()
                .find(|code| !offer.items.iter().any(|item| &item.category == *code))
            {
                return Err((
                    "categories",
                    format!("{code:?} is not in the basic offer (see basicOffer)"),
                ));
            }
            offer
                .items
                .iter()
                .filter(|item| codes.contains(&item.category))
                .cloned()
                .collect()
        }
    };
    if let Some(metres) = reach_m {
        for item in &mut items {
            if let Reach::Within(_) = item.reach {
                item.reach = Reach::Within(metres);
            }
        }
    }
    Ok(items)
}

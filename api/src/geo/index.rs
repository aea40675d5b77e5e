use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{BBox, GeoError, Level, MultiPolygon, Point, TerritorySeed};

/// How far outside a polygon a point still counts as in it, when nothing at that level
/// contains it: enough for a point on a shared border or a rounded coordinate, far too
/// little to attach a point outside the region to it.
pub const BORDER_TOLERANCE_M: f64 = 1.0;

/// What the index needs to know about one territory.
#[derive(Clone, Debug)]
pub struct TerritoryInput {
    pub code: String,
    pub level: Level,
    pub geometry: Option<MultiPolygon>,
    pub parents: Vec<String>,
}

impl TerritoryInput {
    pub fn from_seed(seed: &TerritorySeed) -> Result<TerritoryInput, GeoError> {
        let geometry = seed
            .geometry
            .as_deref()
            .map(|text| {
                let value = serde_json::from_str(text).map_err(|error| {
                    GeoError::InvalidGeometry(format!("{}: {error}", seed.code))
                })?;
                MultiPolygon::from_geojson(&value)
            })
            .transpose()?;
        Ok(TerritoryInput {
            code: seed.code.clone(),
            level: seed.level,
            geometry,
            parents: seed.parents.clone(),
        })
    }
}

/// Point-to-territory resolution over an in-memory copy of the territories.
///
/// Geometry alone is not trusted for the coarser levels: the commune polygons are
/// simplified, the quartier polygons (UrbIS) are not, and bassins have no polygon at all.
/// So geometry picks the finest territory and the parent links pick the rest, geometry
/// only breaking ties. Nothing is hard-wired to Brussels' levels: a new level with
/// polygons (the quartiers social-santé) slots in by its [`Level::rank`].
#[derive(Clone, Debug)]
pub struct TerritoryIndex {
    /// Sorted by code, so that an index is also the tie-breaking order.
    nodes: Vec<Node>,
    /// The levels present, finest first.
    levels: Vec<Level>,
}

#[derive(Clone, Debug)]
struct Node {
    code: String,
    level: Level,
    geometry: Option<MultiPolygon>,
    /// Indices into `nodes`, coarser levels only, so that walks upward terminate.
    parents: Vec<usize>,
}

/// How well a geometry matches a point; the smaller the better.
#[derive(Clone, Copy, Debug)]
struct Proximity {
    /// A point on a shared border is at 0 m from both polygons but, by the even-odd rule,
    /// inside exactly one of them: containment decides before distance.
    outside: bool,
    distance_m: f64,
}

impl Proximity {
    fn of(geometry: &MultiPolygon, p: Point) -> Proximity {
        let outside = !geometry.contains(p);
        Proximity {
            outside,
            distance_m: if outside { geometry.distance_m(p) } else { 0.0 },
        }
    }

    fn compare(&self, other: &Proximity) -> Ordering {
        self.outside
            .cmp(&other.outside)
            .then(self.distance_m.total_cmp(&other.distance_m))
    }
}

/// A geometric candidate at one level.
#[derive(Clone, Copy, Debug)]
struct Hit {
    node: usize,
    proximity: Proximity,
}

impl TerritoryIndex {
    /// Duplicate codes keep their first occurrence; parent codes that are unknown, or not
    /// of a coarser level, are ignored rather than failing the whole index.
    pub fn new(mut items: Vec<TerritoryInput>) -> TerritoryIndex {
        items.sort_by(|a, b| a.code.cmp(&b.code));
        items.dedup_by(|later, first| later.code == first.code);
        let positions: HashMap<String, (usize, Level)> = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.code.clone(), (i, item.level)))
            .collect();
        let nodes: Vec<Node> = items
            .into_iter()
            .map(|item| {
                let mut parents: Vec<usize> = item
                    .parents
                    .iter()
                    .filter_map(|code| positions.get(code))
                    .filter(|(_, level)| level.rank() < item.level.rank())
                    .map(|&(i, _)| i)
                    .collect();
                parents.sort_unstable();
                parents.dedup();
                Node {
                    code: item.code,
                    level: item.level,
                    geometry: item.geometry,
                    parents,
                }
            })
            .collect();
        let mut levels: Vec<Level> = nodes
            .iter()
            .map(|node| node.level)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        levels.sort_by_key(|level| std::cmp::Reverse(level.rank()));
        TerritoryIndex { nodes, levels }
    }

    /// Codes of every territory containing `p`, finest first (one per level), empty when
    /// outside every geometry: a point outside the region is never snapped to the nearest
    /// territory.
    pub fn resolve(&self, p: Point) -> Vec<String> {
        let hits = self.geometric_hits(p);
        let Some((&finest_level, finest)) = hits.iter().max_by_key(|(level, _)| level.rank())
        else {
            return Vec::new();
        };

        let mut chosen = BTreeMap::from([(finest_level, finest.node)]);
        let mut order = vec![finest.node];
        for &level in self
            .levels
            .iter()
            .filter(|level| level.rank() < finest_level.rank())
        {
            let candidates = self.candidates(&order, &chosen, level);
            let hit = hits.get(&level).map(|hit| hit.node);
            let pick = match candidates.len() {
                0 => hit,
                1 => candidates.first().copied(),
                _ if hit.is_some_and(|h| candidates.contains(&h)) => hit,
                _ => self.nearest(&candidates, p),
            };
            if let Some(node) = pick {
                chosen.insert(level, node);
                order.push(node);
            }
        }
        order
            .into_iter()
            .map(|node| self.nodes[node].code.clone())
            .collect()
    }

    /// At most one territory per level: containing beats neighbouring (within
    /// [`BORDER_TOLERANCE_M`]), then the nearer, then the lower code.
    fn geometric_hits(&self, p: Point) -> BTreeMap<Level, Hit> {
        let reach = BBox::around(p, BORDER_TOLERANCE_M);
        let mut hits: BTreeMap<Level, Hit> = BTreeMap::new();
        for (node, territory) in self.nodes.iter().enumerate() {
            let Some(geometry) = &territory.geometry else {
                continue;
            };
            if !geometry.bbox().intersects(&reach) {
                continue;
            }
            let proximity = Proximity::of(geometry, p);
            if proximity.distance_m > BORDER_TOLERANCE_M {
                continue;
            }
            // Nodes come in code order, so keeping the first of equals picks the lower code.
            let better = hits
                .get(&territory.level)
                .is_none_or(|best| proximity.compare(&best.proximity).is_lt());
            if better {
                hits.insert(territory.level, Hit { node, proximity });
            }
        }
        hits
    }

    /// The territories at `level` that the chosen ones say `p` is in. Each chosen territory
    /// constrains the level through its nearest ancestors there; the constraints are
    /// intersected, so that a Bruxelles-Ville quartier narrows the commune's four bassins
    /// to its own. When they contradict each other (a quartier straddling two bassins has
    /// one judgement-call bassin) the most specific constraint wins, then the coarsest
    /// territory's: in Saint-Gilles a straddling quartier gets Saint-Gilles' bassin, in
    /// Bruxelles-Ville, which no single bassin holds, it keeps its own.
    fn candidates(
        &self,
        order: &[usize],
        chosen: &BTreeMap<Level, usize>,
        level: Level,
    ) -> Vec<usize> {
        let constraints: Vec<BTreeSet<usize>> = order
            .iter()
            .map(|&node| self.ancestors_at(node, level, chosen))
            .filter(|set| !set.is_empty())
            .collect();
        let Some(coarsest) = constraints.last() else {
            return Vec::new();
        };
        let common: Vec<usize> = coarsest
            .iter()
            .copied()
            .filter(|node| constraints.iter().all(|set| set.contains(node)))
            .collect();
        if !common.is_empty() {
            return common;
        }
        // `rev` so that `min_by_key`, which keeps the first minimum, prefers the coarsest.
        constraints
            .iter()
            .rev()
            .min_by_key(|set| set.len())
            .map(|set| set.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The direct parents of `node` at `level`, or, if it has none, those of its parents at
    /// intermediate levels, never passing through a territory other than the one chosen
    /// at its level.
    fn ancestors_at(
        &self,
        node: usize,
        level: Level,
        chosen: &BTreeMap<Level, usize>,
    ) -> BTreeSet<usize> {
        let parents = &self.nodes[node].parents;
        let direct: BTreeSet<usize> = parents
            .iter()
            .copied()
            .filter(|&parent| self.nodes[parent].level == level)
            .collect();
        if !direct.is_empty() {
            return direct;
        }
        parents
            .iter()
            .copied()
            .filter(|&parent| {
                let parent_level = self.nodes[parent].level;
                parent_level.rank() > level.rank()
                    && chosen.get(&parent_level).is_none_or(|&c| c == parent)
            })
            .flat_map(|parent| self.ancestors_at(parent, level, chosen))
            .collect()
    }

    /// The candidate whose geometry is nearest to `p`, lower code on ties; `None` when no
    /// candidate has a geometry, leaving the level to other paths.
    fn nearest(&self, candidates: &[usize], p: Point) -> Option<usize> {
        candidates
            .iter()
            .filter_map(|&node| {
                let geometry = self.nodes[node].geometry.as_ref()?;
                Some((Proximity::of(geometry, p), node))
            })
            .min_by(|a, b| a.0.compare(&b.0).then(a.1.cmp(&b.1)))
            .map(|(_, node)| node)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use serde_json::json;

    use super::super::{REGION_CODE, ZONE_CODE, brussels_territories};
    use super::*;

    fn point(lat: f64, lon: f64) -> Point {
        Point::new(lat, lon).expect("test coordinates are valid")
    }

    fn square(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> MultiPolygon {
        MultiPolygon::from_geojson(&json!({
            "type": "Polygon",
            "coordinates": [[
                [min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat],
                [min_lon, max_lat], [min_lon, min_lat]
            ]]
        }))
        .expect("valid square")
    }

    fn input(
        code: &str,
        level: Level,
        geometry: Option<MultiPolygon>,
        parents: &[&str],
    ) -> TerritoryInput {
        TerritoryInput {
            code: code.to_owned(),
            level,
            geometry,
            parents: parents.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<TerritoryIndex>();
    }

    #[test]
    fn empty_index_resolves_nothing() {
        assert!(
            TerritoryIndex::new(Vec::new())
                .resolve(point(50.0, 4.0))
                .is_empty()
        );
    }

    /// Two communes side by side; a quartier straddling them lies mostly in the west one.
    fn synthetic() -> TerritoryIndex {
        TerritoryIndex::new(vec![
            input("region:r", Level::Region, None, &[]),
            input("bassin:a", Level::Bassin, None, &["region:r"]),
            input("bassin:b", Level::Bassin, None, &["region:r"]),
            input(
                "commune:w",
                Level::Commune,
                Some(square(0.0, 0.0, 1.0, 1.0)),
                &["bassin:a", "region:r"],
            ),
            input(
                "commune:e",
                Level::Commune,
                Some(square(1.0, 0.0, 2.0, 1.0)),
                &["bassin:a", "bassin:b", "region:r"],
            ),
            input(
                "quartier:x",
                Level::Quartier,
                Some(square(0.5, 0.5, 1.2, 0.9)),
                &["commune:w", "commune:e", "bassin:b"],
            ),
            input(
                "quartier:y",
                Level::Quartier,
                Some(square(1.5, 0.0, 1.9, 0.4)),
                &["commune:w", "bassin:b"],
            ),
        ])
    }

    #[test]
    fn straddling_quartier_takes_the_commune_containing_the_point() {
        let index = synthetic();

        assert_eq!(
            index.resolve(point(0.7, 0.6)),
            ["quartier:x", "commune:w", "bassin:a", "region:r"]
        );
        assert_eq!(
            index.resolve(point(0.7, 1.1)),
            ["quartier:x", "commune:e", "bassin:b", "region:r"]
        );
    }

    #[test]
    fn single_parent_overrides_the_commune_geometry() {
        // quartier:y lies in commune:e's polygon but names commune:w as its only commune.
        assert_eq!(
            synthetic().resolve(point(0.2, 1.7)),
            ["quartier:y", "commune:w", "bassin:a", "region:r"]
        );
    }

    #[test]
    fn point_outside_every_quartier_resolves_from_the_commune() {
        assert_eq!(
            synthetic().resolve(point(0.2, 0.2)),
            ["commune:w", "bassin:a", "region:r"]
        );
    }

    #[test]
    fn point_just_outside_a_polygon_is_within_tolerance_and_farther_is_not() {
        let index = synthetic();
        // 0.000_005° of latitude ≈ 0.56 m, 0.000_02° ≈ 2.2 m.
        assert_eq!(
            index.resolve(point(-0.000_005, 0.2)),
            ["commune:w", "bassin:a", "region:r"]
        );
        assert!(index.resolve(point(-0.000_02, 0.2)).is_empty());
        assert!(index.resolve(point(5.0, 5.0)).is_empty());
    }

    #[test]
    fn shared_edge_resolves_to_one_commune_deterministically() {
        let index = synthetic();

        let first = index.resolve(point(0.2, 1.0));

        assert_eq!(
            first.iter().filter(|c| c.starts_with("commune:")).count(),
            1
        );
        assert_eq!(index.resolve(point(0.2, 1.0)), first);
    }

    // ---- The embedded Brussels data ----

    struct Brussels {
        seeds: Vec<TerritorySeed>,
        index: TerritoryIndex,
    }

    impl Brussels {
        fn seed(&self, code: &str) -> &TerritorySeed {
            self.seeds
                .iter()
                .find(|s| s.code == code)
                .expect("territory exists")
        }

        fn geometry(&self, code: &str) -> MultiPolygon {
            TerritoryInput::from_seed(self.seed(code))
                .expect("valid geometry")
                .geometry
                .expect("territory has a geometry")
        }

        fn parents_at(&self, code: &str, prefix: &str) -> Vec<String> {
            self.seed(code)
                .parents
                .iter()
                .filter(|p| p.starts_with(prefix))
                .cloned()
                .collect()
        }
    }

    /// Parsing the embedded GeoJSON takes a while in debug builds: do it once.
    fn brussels() -> &'static Brussels {
        static BRUSSELS: OnceLock<Brussels> = OnceLock::new();
        BRUSSELS.get_or_init(|| {
            let seeds = brussels_territories().expect("embedded data is valid");
            let inputs = seeds
                .iter()
                .map(TerritoryInput::from_seed)
                .collect::<Result<Vec<_>, _>>()
                .expect("seed geometries are valid");
            Brussels {
                index: TerritoryIndex::new(inputs),
                seeds,
            }
        })
    }

    fn expected(codes: [&str; 3]) -> Vec<String> {
        let [quartier, commune, bassin] = codes;
        [quartier, commune, bassin, REGION_CODE, ZONE_CODE]
            .map(str::to_owned)
            .to_vec()
    }

    /// One point per commune, each well inside a single-commune residential quartier
    /// (its representative point, rounded to 6 decimals, at least 170 m from any other
    /// commune's polygon): (lat, lon, quartier, commune, bassin).
    const COMMUNE_POINTS: [(f64, f64, &str, &str, &str); 19] = [
        (
            50.828005,
            4.268851,
            "quartier:55",
            "commune:21001",
            "bassin:centre-ouest",
        ),
        (
            50.807794,
            4.435847,
            "quartier:102",
            "commune:21002",
            "bassin:sud-est",
        ),
        (
            50.866971,
            4.292879,
            "quartier:67",
            "commune:21003",
            "bassin:nord",
        ),
        (
            50.848372,
            4.353810,
            "quartier:1",
            "commune:21004",
            "bassin:centre-ouest",
        ),
        (
            50.834929,
            4.394794,
            "quartier:32",
            "commune:21005",
            "bassin:sud-est",
        ),
        (
            50.866938,
            4.406872,
            "quartier:84",
            "commune:21006",
            "bassin:nord-est",
        ),
        (
            50.822643,
            4.329302,
            "quartier:51",
            "commune:21007",
            "bassin:sud",
        ),
        (
            50.875139,
            4.304933,
            "quartier:68",
            "commune:21008",
            "bassin:nord",
        ),
        (
            50.821609,
            4.394805,
            "quartier:107",
            "commune:21009",
            "bassin:sud",
        ),
        (
            50.889299,
            4.311866,
            "quartier:73",
            "commune:21010",
            "bassin:nord",
        ),
        (
            50.860017,
            4.331884,
            "quartier:17",
            "commune:21011",
            "bassin:nord",
        ),
        (
            50.853788,
            4.326789,
            "quartier:15",
            "commune:21012",
            "bassin:centre-ouest",
        ),
        (
            50.827509,
            4.338263,
            "quartier:49",
            "commune:21013",
            "bassin:sud",
        ),
        (
            50.851914,
            4.375299,
            "quartier:25",
            "commune:21014",
            "bassin:nord-est",
        ),
        (
            50.860754,
            4.381674,
            "quartier:27",
            "commune:21015",
            "bassin:nord-est",
        ),
        (
            50.778838,
            4.344247,
            "quartier:112",
            "commune:21016",
            "bassin:sud",
        ),
        (
            50.800167,
            4.422895,
            "quartier:103",
            "commune:21017",
            "bassin:sud",
        ),
        (
            50.855329,
            4.434836,
            "quartier:91",
            "commune:21018",
            "bassin:sud-est",
        ),
        (
            50.831623,
            4.452218,
            "quartier:96",
            "commune:21019",
            "bassin:sud-est",
        ),
    ];

    #[test]
    fn a_point_in_each_commune_resolves_to_its_quartier_commune_bassin_region_and_zone() {
        let brussels = brussels();

        for (lat, lon, quartier, commune, bassin) in COMMUNE_POINTS {
            let resolved = brussels.index.resolve(point(lat, lon));

            assert_eq!(
                resolved,
                expected([quartier, commune, bassin]),
                "({lat}, {lon})"
            );
            assert!(
                brussels.geometry(commune).contains(point(lat, lon)),
                "{commune}"
            );
        }
    }

    #[test]
    fn commune_points_agree_with_communes_csv() {
        let brussels = brussels();

        for (_, _, quartier, commune, bassin) in COMMUNE_POINTS {
            assert_eq!(brussels.parents_at(quartier, "commune:"), [commune]);
            assert_eq!(brussels.parents_at(quartier, "bassin:"), [bassin]);
            if commune != "commune:21004" {
                assert_eq!(brussels.parents_at(commune, "bassin:"), [bassin]);
            }
        }
    }

    #[test]
    fn bruxelles_ville_points_take_their_quartier_bassin() {
        let brussels = brussels();

        // Grand-Place and Neder-Over-Heembeek: same commune, different bassins.
        assert_eq!(
            brussels.index.resolve(point(50.8467, 4.3525)),
            expected(["quartier:1", "commune:21004", "bassin:centre-ouest"])
        );
        assert_eq!(
            brussels.index.resolve(point(50.897817, 4.361106)),
            expected(["quartier:76", "commune:21004", "bassin:nord"])
        );
    }

    #[test]
    fn every_single_commune_quartier_resolves_through_its_own_parents() {
        let brussels = brussels();
        let single = brussels
            .seeds
            .iter()
            .filter(|s| s.level == Level::Quartier)
            .filter(|s| brussels.parents_at(&s.code, "commune:").len() == 1);

        for quartier in single {
            let p = brussels.geometry(&quartier.code).representative_point();
            let commune = brussels.parents_at(&quartier.code, "commune:");
            let bassin = brussels.parents_at(&quartier.code, "bassin:");

            assert_eq!(
                brussels.index.resolve(p),
                expected([&quartier.code, &commune[0], &bassin[0]]),
                "{p:?}"
            );
        }
    }

    #[test]
    fn multi_commune_quartier_takes_the_commune_whose_polygon_holds_the_point() {
        let brussels = brussels();
        let multi = brussels
            .seeds
            .iter()
            .filter(|s| s.level == Level::Quartier)
            .filter(|s| brussels.parents_at(&s.code, "commune:").len() > 1);

        for quartier in multi {
            let p = brussels.geometry(&quartier.code).representative_point();
            let communes = brussels.parents_at(&quartier.code, "commune:");
            let holding: Vec<&String> = communes
                .iter()
                .filter(|c| brussels.geometry(c).contains(p))
                .collect();

            let resolved = brussels.index.resolve(p);

            assert_eq!(resolved.len(), 5, "{}: {resolved:?}", quartier.code);
            assert_eq!(resolved[0], quartier.code);
            assert!(communes.contains(&resolved[1]), "{resolved:?}");
            if let [commune] = holding.as_slice() {
                assert_eq!(&&resolved[1], commune, "{}", quartier.code);
            }
        }
    }

    #[test]
    fn quartier_nord_point_in_the_bruxelles_ville_part() {
        let brussels = brussels();

        // Quartier nord spans Bruxelles-Ville, Saint-Josse and Schaerbeek.
        assert_eq!(
            brussels.index.resolve(point(50.86088, 4.356369)),
            expected(["quartier:21", "commune:21004", "bassin:nord-est"])
        );
        // Quartier brabant spans Saint-Josse and Schaerbeek; the point is in Schaerbeek,
        // not the lower code.
        assert_eq!(
            brussels.index.resolve(point(50.864842, 4.367356)),
            expected(["quartier:22", "commune:21015", "bassin:nord-est"])
        );
    }

    #[test]
    fn straddling_quartier_bassin_gives_way_to_a_whole_commune_bassin() {
        let brussels = brussels();

        // Watermael centre is assigned to Sud-Est, but this point is in Watermael-Boitsfort,
        // wholly in bassin Sud.
        assert_eq!(
            brussels.index.resolve(point(50.807317, 4.406316)),
            expected(["quartier:104", "commune:21017", "bassin:sud"])
        );
        // Cinquantenaire (Sud-Est) in Bruxelles-Ville, which no bassin holds whole.
        assert_eq!(
            brussels.index.resolve(point(50.841016, 4.3911)),
            expected(["quartier:903", "commune:21004", "bassin:sud-est"])
        );
    }

    #[test]
    fn vertex_shared_by_two_communes_resolves_to_one_of_them_deterministically() {
        let brussels = brussels();
        // A vertex of both Anderlecht's and Molenbeek's polygons, inside quartier
        // Cureghem rosee which spans both.
        let border = point(50.845188, 4.329832);
        assert_eq!(brussels.geometry("commune:21001").distance_m(border), 0.0);
        assert_eq!(brussels.geometry("commune:21012").distance_m(border), 0.0);

        let first = brussels.index.resolve(border);
        let second = brussels.index.resolve(border);

        assert_eq!(first, second);
        assert_eq!(
            first,
            expected(["quartier:13", "commune:21012", "bassin:centre-ouest"])
        );
    }

    #[test]
    fn vertex_shared_by_two_communes_outside_every_quartier_still_resolves() {
        // Anderlecht/Forest, where the simplified commune polygons overshoot the quartiers.
        let resolved = brussels().index.resolve(point(50.811273, 4.301703));

        assert_eq!(
            resolved,
            ["commune:21007", "bassin:sud", REGION_CODE, ZONE_CODE]
        );
    }

    #[test]
    fn points_outside_the_region_resolve_to_nothing() {
        let brussels = brussels();
        let northernmost = brussels
            .seeds
            .iter()
            .filter(|s| s.level == Level::Quartier)
            .map(|s| brussels.geometry(&s.code).bbox().max_lat)
            .fold(f64::NEG_INFINITY, f64::max);
        // Industrie nord's northern tip is at (50.913901, 4.403466).
        assert!((northernmost - 50.913_901).abs() < 1e-6);

        for (lat, lon) in [
            (50.8798, 4.7005),                // Leuven
            (50.7339, 4.2345),                // Halle
            (northernmost + 0.018, 4.403466), // 2 km north of the northernmost quartier
            (50.931888, 4.403466),
            (0.0, 0.0),
        ] {
            assert!(
                brussels.index.resolve(point(lat, lon)).is_empty(),
                "({lat}, {lon})"
            );
        }
    }

    #[test]
    fn brussels_quartier_representative_points_are_inside_their_quartier() {
        let brussels = brussels();

        for quartier in brussels.seeds.iter().filter(|s| s.level == Level::Quartier) {
            let geometry = brussels.geometry(&quartier.code);
            let p = geometry.representative_point();

            assert!(geometry.contains(p), "{}", quartier.code);
            assert_eq!(
                brussels.index.resolve(p).first(),
                Some(&quartier.code),
                "quartiers do not overlap"
            );
        }
    }
}

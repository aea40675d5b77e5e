use serde_json::Value;

use super::{BBox, GeoError, METRES_PER_DEGREE, Point};

/// One or more polygons, each an outer ring plus holes.
///
/// Rings are stored without the closing repetition of their first position; edges wrap
/// around. Winding order is ignored: even-odd parity does not need it, and GeoJSON files
/// in the wild do not all follow RFC 7946's right-hand rule.
#[derive(Clone, Debug)]
pub struct MultiPolygon {
    polygons: Vec<Polygon>,
    bbox: BBox,
}

#[derive(Clone, Debug)]
struct Polygon {
    /// The outer ring first, then the holes.
    rings: Vec<Vec<Point>>,
    bbox: BBox,
}

impl MultiPolygon {
    /// Reads a GeoJSON geometry object of type `Polygon` or `MultiPolygon`.
    pub fn from_geojson(geometry: &Value) -> Result<Self, GeoError> {
        let kind = geometry
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("missing \"type\""))?;
        let coordinates = geometry
            .get("coordinates")
            .ok_or_else(|| invalid("missing \"coordinates\""))?;
        let polygons = match kind {
            "Polygon" => vec![parse_polygon(coordinates)?],
            "MultiPolygon" => as_array(coordinates, "a MultiPolygon")?
                .iter()
                .map(parse_polygon)
                .collect::<Result<Vec<_>, _>>()?,
            other => return Err(invalid(&format!("unsupported geometry type {other:?}"))),
        };
        let bbox = polygons
            .iter()
            .map(|polygon| polygon.bbox)
            .reduce(|a, b| a.union(&b))
            .ok_or_else(|| invalid("a MultiPolygon without any polygon"))?;
        Ok(MultiPolygon { polygons, bbox })
    }

    /// Even-odd rule per polygon. A point exactly on an edge may fall either way; callers
    /// that care use [`MultiPolygon::distance_m`] with a tolerance.
    pub fn contains(&self, p: Point) -> bool {
        self.bbox.contains(p) && self.polygons.iter().any(|polygon| polygon.contains(p))
    }

    /// 0 inside, otherwise the distance to the nearest edge, in metres, on an
    /// equirectangular projection centred on `p`: exact enough at city scale.
    pub fn distance_m(&self, p: Point) -> f64 {
        if self.contains(p) {
            return 0.0;
        }
        self.polygons
            .iter()
            .map(|polygon| polygon.boundary_distance_m(p))
            .fold(f64::INFINITY, f64::min)
    }

    pub fn bbox(&self) -> BBox {
        self.bbox
    }

    /// The points of a regular grid of `spacing_m` metres that fall inside the geometry,
    /// west to east and south to north, each standing for the same share of its area; the
    /// representative point alone when the geometry is smaller than one cell.
    pub fn grid_points(&self, spacing_m: f64) -> Vec<Point> {
        let mid_lat = (self.bbox.min_lat + self.bbox.max_lat) / 2.0;
        let lat_step = spacing_m / super::METRES_PER_DEGREE;
        let lon_step = lat_step / mid_lat.to_radians().cos();
        let mut points = Vec::new();
        let mut lat = self.bbox.min_lat + lat_step / 2.0;
        while lat < self.bbox.max_lat {
            let mut lon = self.bbox.min_lon + lon_step / 2.0;
            while lon < self.bbox.max_lon {
                let p = Point { lat, lon };
                if self.contains(p) {
                    points.push(p);
                }
                lon += lon_step;
            }
            lat += lat_step;
        }
        if points.is_empty() {
            points.push(self.representative_point());
        }
        points
    }

    /// A point inside the geometry, as far from the edges as a few horizontal scanlines of
    /// the largest polygon can find. Unlike a centroid it cannot fall outside a concave
    /// shape, which matters for test points and map labels.
    pub fn representative_point(&self) -> Point {
        self.polygons
            .iter()
            .max_by(|a, b| a.area().total_cmp(&b.area()))
            .and_then(Polygon::inner_point)
            // Only a zero-area geometry has no inside point; its first vertex at least lies
            // on it. `from_geojson` guarantees a polygon with a ring of 3 or more vertices.
            .unwrap_or(self.polygons[0].rings[0][0])
    }
}

impl Polygon {
    fn contains(&self, p: Point) -> bool {
        if !self.bbox.contains(p) {
            return false;
        }
        let crossings = self
            .rings
            .iter()
            .flat_map(|ring| edges(ring))
            .filter(|&(a, b)| crossing_lon(a, b, p.lat).is_some_and(|lon| p.lon < lon))
            .count();
        crossings % 2 == 1
    }

    fn boundary_distance_m(&self, p: Point) -> f64 {
        let kx = METRES_PER_DEGREE * p.lat.to_radians().cos();
        let project = |q: Point| ((q.lon - p.lon) * kx, (q.lat - p.lat) * METRES_PER_DEGREE);
        self.rings
            .iter()
            .flat_map(|ring| edges(ring))
            .map(|(a, b)| distance_to_segment(project(a), project(b)))
            .fold(f64::INFINITY, f64::min)
    }

    /// Shoelace area in square degrees: only ever compared between polygons of one
    /// geometry, where the latitude scale is the same.
    fn area(&self) -> f64 {
        let ring_area = |ring: &Vec<Point>| {
            edges(ring)
                .map(|(a, b)| a.lon * b.lat - b.lon * a.lat)
                .sum::<f64>()
                .abs()
                / 2.0
        };
        let mut rings = self.rings.iter().map(ring_area);
        let outer = rings.next().unwrap_or(0.0);
        outer - rings.sum::<f64>()
    }

    /// Scanlines at several latitudes, each cut into inside intervals by the same crossing
    /// test as [`Polygon::contains`], so an interval's midpoint is inside by construction.
    /// Among the midpoints, the one farthest from the boundary wins.
    fn inner_point(&self) -> Option<Point> {
        const SCANLINES: u32 = 9;
        let height = self.bbox.max_lat - self.bbox.min_lat;
        let mut best: Option<(f64, Point)> = None;
        for k in 1..=SCANLINES {
            let lat = self.bbox.min_lat + height * f64::from(k) / f64::from(SCANLINES + 1);
            let mut crossings: Vec<f64> = self
                .rings
                .iter()
                .flat_map(|ring| edges(ring))
                .filter_map(|(a, b)| crossing_lon(a, b, lat))
                .collect();
            crossings.sort_by(f64::total_cmp);
            for pair in crossings.chunks_exact(2) {
                let (west, east) = (pair[0], pair[1]);
                let mid = Point {
                    lat,
                    lon: west + (east - west) / 2.0,
                };
                if !(west < mid.lon && mid.lon < east) {
                    continue;
                }
                let clearance = self.boundary_distance_m(mid);
                if best.is_none_or(|(c, _)| clearance > c) {
                    best = Some((clearance, mid));
                }
            }
        }
        best.map(|(_, point)| point)
    }
}

/// Consecutive vertex pairs of a ring, closing it.
fn edges(ring: &[Point]) -> impl Iterator<Item = (Point, Point)> + '_ {
    ring.iter()
        .copied()
        .zip(ring.iter().skip(1).chain(ring.first()).copied())
}

/// Where the edge a→b crosses the parallel `lat`, if it does. The half-open test
/// (`> lat` on one end only) counts a vertex lying on the parallel exactly once.
fn crossing_lon(a: Point, b: Point, lat: f64) -> Option<f64> {
    ((a.lat > lat) != (b.lat > lat))
        .then(|| a.lon + (b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat))
}

/// Distance from the origin to the segment a–b, in the plane.
fn distance_to_segment(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

fn parse_polygon(value: &Value) -> Result<Polygon, GeoError> {
    let rings = as_array(value, "a Polygon")?
        .iter()
        .map(parse_ring)
        .collect::<Result<Vec<_>, _>>()?;
    let bbox = rings
        .first()
        .map(|outer| ring_bbox(outer))
        .ok_or_else(|| invalid("a Polygon without rings"))?;
    Ok(Polygon { rings, bbox })
}

fn parse_ring(value: &Value) -> Result<Vec<Point>, GeoError> {
    let mut ring = as_array(value, "a linear ring")?
        .iter()
        .map(parse_position)
        .collect::<Result<Vec<_>, _>>()?;
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if ring.len() < 3 {
        return Err(invalid(
            "a linear ring with fewer than 3 distinct positions",
        ));
    }
    Ok(ring)
}

fn parse_position(value: &Value) -> Result<Point, GeoError> {
    let position = as_array(value, "a position")?;
    match (
        position.first().and_then(Value::as_f64),
        position.get(1).and_then(Value::as_f64),
    ) {
        (Some(lon), Some(lat)) => Point::new(lat, lon),
        _ => Err(invalid("a position is not [longitude, latitude]")),
    }
}

fn ring_bbox(ring: &[Point]) -> BBox {
    let start = BBox {
        min_lat: f64::INFINITY,
        min_lon: f64::INFINITY,
        max_lat: f64::NEG_INFINITY,
        max_lon: f64::NEG_INFINITY,
    };
    ring.iter().fold(start, |bbox, p| BBox {
        min_lat: bbox.min_lat.min(p.lat),
        min_lon: bbox.min_lon.min(p.lon),
        max_lat: bbox.max_lat.max(p.lat),
        max_lon: bbox.max_lon.max(p.lon),
    })
}

fn as_array<'a>(value: &'a Value, what: &str) -> Result<&'a Vec<Value>, GeoError> {
    value
        .as_array()
        .ok_or_else(|| invalid(&format!("{what} is not an array")))
}

fn invalid(message: &str) -> GeoError {
    GeoError::InvalidGeometry(message.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn point(lat: f64, lon: f64) -> Point {
        Point::new(lat, lon).expect("test coordinates are valid")
    }

    /// A 0.1° square at (50, 4) with a 0.02° square hole in its middle.
    fn square_with_hole() -> MultiPolygon {
        MultiPolygon::from_geojson(&json!({
            "type": "Polygon",
            "coordinates": [
                [[4.0, 50.0], [4.1, 50.0], [4.1, 50.1], [4.0, 50.1], [4.0, 50.0]],
                [[4.04, 50.04], [4.04, 50.06], [4.06, 50.06], [4.06, 50.04], [4.04, 50.04]]
            ]
        }))
        .expect("valid polygon")
    }

    #[test]
    fn grid_points_cover_the_area_and_skip_the_holes() {
        let square = square_with_hole();
        let points = square.grid_points(500.0);
        assert!(points.iter().all(|&p| square.contains(p)));
        // 0.1° × 0.1° at 50°N is about 11.1 km × 7.15 km, less the hole (4%): about
        // 76 km², 305 cells of 500 m.
        let area_km2 = points.len() as f64 * 0.25;
        assert!((70.0..82.0).contains(&area_km2), "{area_km2} km²");
        assert!(
            !points
                .iter()
                .any(|p| (50.04..50.06).contains(&p.lat) && (4.04..4.06).contains(&p.lon))
        );
        // Smaller than a cell: its representative point.
        let tiny = square.grid_points(50_000.0);
        assert_eq!(tiny, vec![square.representative_point()]);
    }

    /// A U shape whose bounding-box centre lies in the notch, outside the shape.
    fn u_shape() -> MultiPolygon {
        MultiPolygon::from_geojson(&json!({
            "type": "MultiPolygon",
            "coordinates": [[[
                [0.0, 0.0], [3.0, 0.0], [3.0, 3.0], [2.0, 3.0],
                [2.0, 1.0], [1.0, 1.0], [1.0, 3.0], [0.0, 3.0]
            ]]]
        }))
        .expect("valid multipolygon")
    }

    #[test]
    fn contains_respects_holes() {
        let polygon = square_with_hole();

        assert!(polygon.contains(point(50.02, 4.02)));
        assert!(!polygon.contains(point(50.05, 4.05)), "point in the hole");
        assert!(!polygon.contains(point(50.2, 4.05)));
    }

    #[test]
    fn distance_is_zero_inside_and_metres_to_the_edge_outside() {
        let polygon = square_with_hole();

        assert_eq!(polygon.distance_m(point(50.02, 4.02)), 0.0);
        // From the centre of the hole to its nearer sides, 0.01° of longitude away: 714 m
        // at this latitude, against 1.11 km to the sides 0.01° of latitude away.
        let in_hole = polygon.distance_m(point(50.05, 4.05));
        assert!((in_hole - 714.0).abs() < 3.0, "{in_hole}");
        // 0.01° north of the outer ring.
        let north = polygon.distance_m(point(50.11, 4.05));
        assert!((north - 1_112.0).abs() < 5.0, "{north}");
    }

    #[test]
    fn representative_point_of_a_concave_shape_is_inside() {
        let u = u_shape();
        let bbox = u.bbox();
        let bbox_centre = point(
            (bbox.min_lat + bbox.max_lat) / 2.0,
            (bbox.min_lon + bbox.max_lon) / 2.0,
        );

        assert!(!u.contains(bbox_centre));
        assert!(u.contains(u.representative_point()));
        assert!(square_with_hole().contains(square_with_hole().representative_point()));
    }

    #[test]
    fn representative_point_of_a_flat_polygon_is_its_first_vertex() {
        let flat = MultiPolygon::from_geojson(&json!({
            "type": "Polygon",
            "coordinates": [[[4.0, 50.0], [4.1, 50.0], [4.2, 50.0], [4.0, 50.0]]]
        }))
        .expect("valid, if degenerate, polygon");

        assert_eq!(flat.representative_point(), point(50.0, 4.0));
        assert_eq!(flat.distance_m(point(50.0, 4.15)), 0.0);
    }

    #[test]
    fn bbox_covers_every_polygon() {
        let two = MultiPolygon::from_geojson(&json!({
            "type": "MultiPolygon",
            "coordinates": [
                [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
                [[[5.0, 5.0], [6.0, 5.0], [6.0, 7.0], [5.0, 5.0]]]
            ]
        }))
        .expect("valid multipolygon");

        assert_eq!(
            two.bbox(),
            BBox {
                min_lat: 0.0,
                min_lon: 0.0,
                max_lat: 7.0,
                max_lon: 6.0
            }
        );
        assert!(two.contains(point(6.0, 5.8)));
        assert!(!two.contains(point(3.0, 3.0)));
    }

    #[test]
    fn from_geojson_rejects_malformed_geometries() {
        for geometry in [
            json!({"type": "Point", "coordinates": [4.0, 50.0]}),
            json!({"type": "Polygon"}),
            json!({"coordinates": []}),
            json!({"type": "Polygon", "coordinates": []}),
            json!({"type": "MultiPolygon", "coordinates": []}),
            json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}),
            json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, "x"], [2.0, 0.0]]]}),
            json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 91.0], [2.0, 0.0]]]}),
        ] {
            assert!(
                MultiPolygon::from_geojson(&geometry).is_err(),
                "accepted {geometry}"
            );
        }
    }
}

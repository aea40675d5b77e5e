//! Geography: WGS84 points, polygons, the Brussels territories and point-to-territory
//! resolution.
//!
//! Pure Rust on purpose: the Brussels polygons hold some 32,000 vertices in all, so a
//! linear scan with bounding-box pruning resolves a point in about 15 µs (release build)
//! and spares us a GEOS or PostGIS dependency that SQLite deployments could not use.

mod brussels;
mod index;
pub mod lambert;
mod level;
mod polygon;
mod table;

pub use brussels::{REGION_CODE, TerritorySeed, ZONE_CODE, brussels_territories};
pub use index::{BORDER_TOLERANCE_M, TerritoryIndex, TerritoryInput};
pub use level::Level;
pub use polygon::MultiPolygon;

/// Mean earth radius (IUGG), the usual choice for haversine distances.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Metres per degree of latitude on the mean sphere.
pub(crate) const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("invalid coordinate: latitude {lat}, longitude {lon}")]
    InvalidPoint { lat: f64, lon: f64 },
    #[error("invalid GeoJSON geometry: {0}")]
    InvalidGeometry(String),
    #[error("embedded data file {file}: {message}")]
    Data { file: &'static str, message: String },
    #[error("embedded data file {file} is not the expected JSON")]
    Json {
        file: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

/// A WGS84 position. The fields are public for reading; build one with [`Point::new`]
/// so that a NaN or an out-of-range value never reaches the geometry code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    pub fn new(lat: f64, lon: f64) -> Result<Point, GeoError> {
        let valid = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        if valid {
            Ok(Point { lat, lon })
        } else {
            Err(GeoError::InvalidPoint { lat, lon })
        }
    }
}

/// Great-circle distance in metres.
pub fn haversine_m(a: Point, b: Point) -> f64 {
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat_b - lat_a;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat_a.cos() * lat_b.cos() * (d_lon / 2.0).sin().powi(2);
    // min() guards asin against 1.000…1 from rounding on antipodal points.
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude rectangle (no antimeridian wrapping: Brussels is far from it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub min_lat: f64,
    pub min_lon: f64,
    pub max_lat: f64,
    pub max_lon: f64,
}

impl BBox {
    /// The smallest box holding every point within `radius_m` of `p`.
    pub fn around(p: Point, radius_m: f64) -> BBox {
        let radius_m = radius_m.max(0.0);
        let d_lat = radius_m / METRES_PER_DEGREE;
        let cos_lat = p.lat.to_radians().cos();
        // Near a pole a metre spans every longitude; fall back to the whole range.
        let d_lon = if cos_lat > 1e-9 {
            d_lat / cos_lat
        } else {
            360.0
        };
        BBox {
            min_lat: (p.lat - d_lat).max(-90.0),
            min_lon: (p.lon - d_lon).max(-180.0),
            max_lat: (p.lat + d_lat).min(90.0),
            max_lon: (p.lon + d_lon).min(180.0),
        }
    }

    /// Borders included, so that a point on a polygon's extreme vertex is not pruned.
    pub fn contains(&self, p: Point) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat)
            && (self.min_lon..=self.max_lon).contains(&p.lon)
    }

    pub fn intersects(&self, other: &BBox) -> bool {
        self.min_lat <= other.max_lat
            && other.min_lat <= self.max_lat
            && self.min_lon <= other.max_lon
            && other.min_lon <= self.max_lon
    }

    pub fn union(&self, other: &BBox) -> BBox {
        BBox {
            min_lat: self.min_lat.min(other.min_lat),
            min_lon: self.min_lon.min(other.min_lon),
            max_lat: self.max_lat.max(other.max_lat),
            max_lon: self.max_lon.max(other.max_lon),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64) -> Point {
        Point::new(lat, lon).expect("test coordinates are valid")
    }

    #[test]
    fn point_new_rejects_non_finite_and_out_of_range_values() {
        for (lat, lon) in [
            (f64::NAN, 4.35),
            (50.85, f64::NAN),
            (f64::INFINITY, 4.35),
            (50.85, f64::NEG_INFINITY),
            (90.000_001, 4.35),
            (-90.5, 4.35),
            (50.85, 180.1),
            (50.85, -181.0),
        ] {
            assert!(Point::new(lat, lon).is_err(), "({lat}, {lon}) accepted");
        }
    }

    #[test]
    fn point_new_accepts_the_range_limits() {
        for (lat, lon) in [
            (90.0, 180.0),
            (-90.0, -180.0),
            (0.0, 0.0),
            (50.8467, 4.3525),
        ] {
            assert_eq!(Point::new(lat, lon).ok(), Some(Point { lat, lon }));
        }
    }

    #[test]
    fn haversine_grand_place_to_brussels_north_is_about_1_6_km() {
        let grand_place = point(50.8467, 4.3525);
        let north_station = point(50.8603, 4.3610);

        let d = haversine_m(grand_place, north_station);

        // Reference computed independently (Python, same radius): 1,625.71 m. The flat-earth
        // estimate agrees: 1,512 m north and 597 m east.
        assert!((d - 1_625.7).abs() < 16.3, "{d} m");
        assert_eq!(haversine_m(north_station, grand_place), d);
        assert_eq!(haversine_m(grand_place, grand_place), 0.0);
    }

    #[test]
    fn haversine_quarter_meridian_is_about_10_000_km() {
        let d = haversine_m(point(0.0, 0.0), point(90.0, 0.0));

        assert!((d - EARTH_RADIUS_M * std::f64::consts::FRAC_PI_2).abs() < 1e-6);
    }

    #[test]
    fn bbox_around_holds_points_at_the_radius_and_not_beyond() {
        let centre = point(50.85, 4.35);
        let bbox = BBox::around(centre, 1_000.0);

        // 0.0089° of latitude ≈ 990 m; 0.0142° of longitude at 50.85° ≈ 998 m.
        assert!(bbox.contains(point(50.8589, 4.35)));
        assert!(bbox.contains(point(50.85, 4.3642)));
        assert!(!bbox.contains(point(50.8591, 4.35)));
        assert!(!bbox.contains(point(50.85, 4.3645)));
        assert!(bbox.contains(centre));
    }

    #[test]
    fn bbox_around_a_pole_is_clamped_to_valid_coordinates() {
        let bbox = BBox::around(point(90.0, 0.0), 10_000.0);

        assert_eq!(bbox.max_lat, 90.0);
        assert_eq!((bbox.min_lon, bbox.max_lon), (-180.0, 180.0));
    }
}

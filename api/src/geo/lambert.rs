//! Belgian Lambert 72 (EPSG:31370, BD72 datum) ↔ WGS84, both directions: upstream
//! directories give Lambert 72 metres beside or instead of latitude and longitude.
//!
//! Written out here rather than pulling a projection crate for two functions; the results
//! agree with PROJ to the millimetre for the projection and within the datum shift's
//! published metre.

/// A reference ellipsoid: semi-major axis in metres and flattening.
#[derive(Clone, Copy)]
struct Ellipsoid {
    a: f64,
    f: f64,
}

impl Ellipsoid {
    const INTERNATIONAL_1924: Ellipsoid = Ellipsoid {
        a: 6_378_388.0,
        f: 1.0 / 297.0,
    };
    const WGS84: Ellipsoid = Ellipsoid {
        a: 6_378_137.0,
        f: 1.0 / 298.257_223_563,
    };

    fn e2(self) -> f64 {
        self.f * (2.0 - self.f)
    }

    /// Geodetic latitude/longitude in radians on the ellipsoid surface to geocentric XYZ.
    fn to_geocentric(self, lat: f64, lon: f64) -> [f64; 3] {
        let e2 = self.e2();
        let n = self.a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
        [
            n * lat.cos() * lon.cos(),
            n * lat.cos() * lon.sin(),
            n * (1.0 - e2) * lat.sin(),
        ]
    }

    /// Geocentric XYZ to geodetic latitude/longitude in radians; the height is dropped
    /// because the directories only carry planimetric positions.
    fn to_geodetic(self, [x, y, z]: [f64; 3]) -> (f64, f64) {
        let e2 = self.e2();
        let p = x.hypot(y);
        let mut lat = z.atan2(p * (1.0 - e2));
        // Converges to well below a millimetre in a handful of steps at Belgian latitudes.
        for _ in 0..10 {
            let n = self.a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
            let h = p / lat.cos() - n;
            lat = z.atan2(p * (1.0 - e2 * n / (n + h)));
        }
        (lat, y.atan2(x))
    }
}

/// Degrees, minutes and seconds to radians.
fn dms(degrees: f64, minutes: f64, seconds: f64) -> f64 {
    (degrees + minutes / 60.0 + seconds / 3600.0).to_radians()
}

/// Lambert Conformal Conic with two standard parallels (EPSG method 9802), with the
/// constants derived once from the defining parameters as in EPSG Guidance Note 7-2.
struct LambertConic {
    e: f64,
    n: f64,
    /// a·F, the radius scale.
    a_f: f64,
    /// Radius at the latitude of the false origin.
    r_f: f64,
    lon_0: f64,
    false_easting: f64,
    false_northing: f64,
}

impl LambertConic {
    /// EPSG:31370 "BD72 / Belgian Lambert 72". The parallels carry the odd 0.00204"
    /// because EPSG re-expressed the original Belgian variant (method 9803) as a standard
    /// 2SP projection; they must be kept so that results agree with PROJ and the NGI to
    /// the millimetre (round parallels move Brussels by about 4 cm).
    fn belgian_lambert_72() -> LambertConic {
        LambertConic::new(
            Ellipsoid::INTERNATIONAL_1924,
            dms(51.0, 10.0, 0.00204),
            dms(49.0, 50.0, 0.00204),
            dms(90.0, 0.0, 0.0),
            dms(4.0, 22.0, 2.952),
            150_000.013,
            5_400_088.438,
        )
    }

    fn new(
        ellipsoid: Ellipsoid,
        lat_1: f64,
        lat_2: f64,
        lat_origin: f64,
        lon_0: f64,
        false_easting: f64,
        false_northing: f64,
    ) -> LambertConic {
        let e = ellipsoid.e2().sqrt();
        let m = |lat: f64| lat.cos() / (1.0 - (e * lat.sin()).powi(2)).sqrt();
        let n = (m(lat_1).ln() - m(lat_2).ln())
            / (conformal_t(e, lat_1).ln() - conformal_t(e, lat_2).ln());
        let a_f = ellipsoid.a * m(lat_1) / (n * conformal_t(e, lat_1).powf(n));
        let r_f = a_f * conformal_t(e, lat_origin).powf(n);
        LambertConic {
            e,
            n,
            a_f,
            r_f,
            lon_0,
            false_easting,
            false_northing,
        }
    }

    /// Projected easting/northing to geodetic latitude/longitude in radians.
    fn inverse(&self, easting: f64, northing: f64) -> (f64, f64) {
        let dx = easting - self.false_easting;
        let dy = self.r_f - (northing - self.false_northing);
        let r = self.n.signum() * dx.hypot(dy);
        let t = (r / self.a_f).powf(1.0 / self.n);
        let theta = (self.n.signum() * dx).atan2(self.n.signum() * dy);
        let half_e = self.e / 2.0;
        let mut lat = std::f64::consts::FRAC_PI_2 - 2.0 * t.atan();
        for _ in 0..15 {
            let es = self.e * lat.sin();
            lat = std::f64::consts::FRAC_PI_2
                - 2.0 * (t * ((1.0 - es) / (1.0 + es)).powf(half_e)).atan();
        }
        (lat, theta / self.n + self.lon_0)
    }

    /// Geodetic latitude/longitude in radians to projected easting/northing.
    fn forward(&self, lat: f64, lon: f64) -> (f64, f64) {
        let r = self.a_f * conformal_t(self.e, lat).powf(self.n);
        let theta = self.n * (lon - self.lon_0);
        (
            self.false_easting + r * theta.sin(),
            self.false_northing + self.r_f - r * theta.cos(),
        )
    }
}

/// The "t" function of the Lambert conic: tan(π/4 − φ/2) corrected for the ellipsoid.
fn conformal_t(e: f64, lat: f64) -> f64 {
    let es = e * lat.sin();
    (std::f64::consts::FRAC_PI_4 - lat / 2.0).tan() / ((1.0 - es) / (1.0 + es)).powf(e / 2.0)
}

/// A seven-parameter Helmert transformation in the Coordinate Frame convention (EPSG
/// method 1032/9607): translations in metres, rotations in arc-seconds, scale in ppm.
struct Helmert {
    translation: [f64; 3],
    rotation_arcsec: [f64; 3],
    scale_ppm: f64,
}

impl Helmert {
    /// EPSG:15929 "BD72 to WGS 84 (3)" (the values of BD72 to ETRS89, EPSG:15928, with
    /// ETRS89 taken as WGS84 within the 1 m accuracy), published in the Coordinate Frame
    /// convention. PROJ's `+towgs84` for EPSG:31370 lists the same rotations with
    /// opposite signs because it uses the Position Vector convention; reading these
    /// numbers in that convention moves Brussels by about 65 m.
    const BD72_TO_WGS84: Helmert = Helmert {
        translation: [-106.8686, 52.2978, -103.7239],
        rotation_arcsec: [-0.3366, 0.4570, -1.8422],
        scale_ppm: -1.2747,
    };

    fn apply(&self, [x, y, z]: [f64; 3]) -> [f64; 3] {
        let [rx, ry, rz] = self.rotation_arcsec.map(|s| (s / 3600.0).to_radians());
        let [tx, ty, tz] = self.translation;
        let m = 1.0 + self.scale_ppm * 1e-6;
        [
            tx + m * (x + rz * y - ry * z),
            ty + m * (-rz * x + y + rx * z),
            tz + m * (ry * x - rx * y + z),
        ]
    }

    /// The reverse transformation, by negating the parameters: exact to first order in
    /// the rotations, i.e. within a millimetre for parameters this small.
    fn reversed(&self) -> Helmert {
        Helmert {
            translation: self.translation.map(|t| -t),
            rotation_arcsec: self.rotation_arcsec.map(|r| -r),
            scale_ppm: -self.scale_ppm,
        }
    }
}

/// Belgian Lambert 72 (EPSG:31370, BD72 datum) x/y in metres to WGS84 (lat, lon) in
/// degrees.
///
/// The datum shift is EPSG:15929 (published accuracy 1 m), which is what PROJ 9 picks
/// by default for this pair; the projection itself is exact, so results agree with PROJ
/// to the millimetre.
pub fn lambert72_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    let (lat_bd72, lon_bd72) = LambertConic::belgian_lambert_72().inverse(x, y);
    let geocentric = Ellipsoid::INTERNATIONAL_1924.to_geocentric(lat_bd72, lon_bd72);
    let shifted = Helmert::BD72_TO_WGS84.apply(geocentric);
    let (lat, lon) = Ellipsoid::WGS84.to_geodetic(shifted);
    (lat.to_degrees(), lon.to_degrees())
}

/// WGS84 (lat, lon) in degrees to Belgian Lambert 72 x/y in metres: the exact reverse
/// of [`lambert72_to_wgs84`] (within a centimetre), as social.brussels gives it beside
/// latitude and longitude.
pub fn wgs84_to_lambert72(lat: f64, lon: f64) -> (f64, f64) {
    let geocentric = Ellipsoid::WGS84.to_geocentric(lat.to_radians(), lon.to_radians());
    let bd72 = Helmert::BD72_TO_WGS84.reversed().apply(geocentric);
    let (lat, lon) = Ellipsoid::INTERNATIONAL_1924.to_geodetic(bd72);
    LambertConic::belgian_lambert_72().forward(lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Great-circle distance in metres; a sphere is ample at the metre scale.
    fn distance_m((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
        const R: f64 = 6_371_008.8;
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let dp = p2 - p1;
        let dl = (lon2 - lon1).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * R * h.sqrt().asin()
    }

    #[test]
    fn lambert72_matches_the_social_brussels_record() {
        let expected = (50.851_756_126_658_735, 4.401_445_106_123_757);

        let got = lambert72_to_wgs84(152_302.0, 171_263.0);

        let error = distance_m(got, expected);
        assert!(error < 2.0, "{got:?} is {error:.3} m from {expected:?}");
    }

    #[test]
    fn lambert72_matches_proj_for_points_across_belgium() {
        // PROJ 9.5, EPSG:31370 → EPSG:4326, which uses EPSG:15929 like this module.
        let cases = [
            ((152_302.0, 171_263.0), (50.851_760_291_2, 4.401_442_696_3)),
            ((150_000.0, 170_000.0), (50.840_411_283_1, 4.368_752_140_9)),
            ((152_000.0, 212_000.0), (51.217_945_429_3, 4.397_382_484_4)),
            ((235_000.0, 148_000.0), (50.636_446_366_3, 5.570_370_986_7)),
            ((250_000.0, 40_000.0), (49.663_271_016_0, 5.753_883_608_0)),
            ((22_000.0, 200_000.0), (51.095_938_039_6, 2.541_368_407_3)),
        ];
        for ((x, y), expected) in cases {
            let got = lambert72_to_wgs84(x, y);

            let error = distance_m(got, expected);
            assert!(error < 0.01, "({x}, {y}) → {got:?}, {error:.4} m from PROJ");
        }
    }

    #[test]
    fn belgian_lambert_projection_reproduces_the_epsg_worked_example() {
        // EPSG Guidance Note 7-2's Belgian Lambert 72 example, on the BD72 datum:
        // 50°40'46.461"N 5°48'26.533"E → E 251763.20, N 153034.13. EPSG:31370's modified
        // parallels reproduce the original Belgian method to a few centimetres.
        let projection = LambertConic::belgian_lambert_72();
        let (lat, lon) = (dms(50.0, 40.0, 46.461), dms(5.0, 48.0, 26.533));

        let (e, n) = projection.forward(lat, lon);
        let (lat_back, lon_back) = projection.inverse(251_763.20, 153_034.13);

        assert!(
            (e - 251_763.20).abs() < 0.1 && (n - 153_034.13).abs() < 0.1,
            "{e} {n}"
        );
        let error = distance_m(
            (lat_back.to_degrees(), lon_back.to_degrees()),
            (lat.to_degrees(), lon.to_degrees()),
        );
        assert!(error < 0.1, "{error}");
    }

    #[test]
    fn lambert72_central_meridian_maps_to_its_longitude_in_bd72() {
        let projection = LambertConic::belgian_lambert_72();

        let (_, lon) = projection.inverse(150_000.013, 170_000.0);

        assert!((lon - dms(4.0, 22.0, 2.952)).abs() < 1e-12);
    }

    #[test]
    fn lambert72_round_trips_within_a_centimetre() {
        for (x, y) in [
            (152_302.0, 171_263.0),
            (22_000.0, 200_000.0),
            (250_000.0, 40_000.0),
            (295_000.0, 165_000.0),
        ] {
            let (lat, lon) = lambert72_to_wgs84(x, y);

            let (x_back, y_back) = wgs84_to_lambert72(lat, lon);

            let error = (x_back - x).hypot(y_back - y);
            assert!(error < 0.01, "({x}, {y}) came back {error:.4} m away");
        }
    }

    #[test]
    fn helmert_convention_is_coordinate_frame() {
        // The Position Vector reading of the same numbers lands about 65 m away.
        let position_vector = Helmert {
            rotation_arcsec: Helmert::BD72_TO_WGS84.rotation_arcsec.map(|r| -r),
            ..Helmert::BD72_TO_WGS84
        };
        let (lat, lon) = LambertConic::belgian_lambert_72().inverse(152_302.0, 171_263.0);
        let geocentric = Ellipsoid::INTERNATIONAL_1924.to_geocentric(lat, lon);
        let wrong = Ellipsoid::WGS84.to_geodetic(position_vector.apply(geocentric));
        let wrong = (wrong.0.to_degrees(), wrong.1.to_degrees());

        let error = distance_m(wrong, (50.851_756_126_658_735, 4.401_445_106_123_757));

        assert!(error > 20.0, "{error}");
    }
}

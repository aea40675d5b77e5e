//! WGS84 → Belgian Lambert 72 (EPSG:31370), as social.brussels gives next to lat/lon.
//!
//! Two steps: the BD72 datum shift (7-parameter Helmert, EPSG:15929 "BD72 to WGS 84 (3)",
//! inverted), then the Lambert conformal conic projection on the International 1924
//! ellipsoid. Written out here rather than pulling a projection crate for one function; the
//! real social.brussels sample (CASS, Schaerbeek) is reproduced to within a metre.

/// Projects a WGS84 point to Lambert 72 `(x, y)` in metres.
pub fn wgs84_to_lambert72(lat: f64, lon: f64) -> (f64, f64) {
    let (phi, lambda) = wgs84_to_bd72(lat.to_radians(), lon.to_radians());
    lambert_conic(phi, lambda)
}

/// WGS84 semi-major axis and flattening.
const WGS84: (f64, f64) = (6_378_137.0, 1.0 / 298.257_223_563);
/// International 1924 (Hayford) semi-major axis and flattening, the ellipsoid of BD72.
const HAYFORD: (f64, f64) = (6_378_388.0, 1.0 / 297.0);

/// Geodetic to geocentric coordinates, height taken as zero (a few metres of height change
/// the horizontal result by millimetres).
fn to_cartesian(phi: f64, lambda: f64, (a, f): (f64, f64)) -> [f64; 3] {
    let e2 = f * (2.0 - f);
    let n = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
    [
        n * phi.cos() * lambda.cos(),
        n * phi.cos() * lambda.sin(),
        n * (1.0 - e2) * phi.sin(),
    ]
}

fn to_geodetic([x, y, z]: [f64; 3], (a, f): (f64, f64)) -> (f64, f64) {
    let e2 = f * (2.0 - f);
    let p = x.hypot(y);
    let mut phi = z.atan2(p * (1.0 - e2));
    // Converges to well below a millimetre in a handful of rounds at these latitudes.
    for _ in 0..6 {
        let n = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let h = p / phi.cos() - n;
        phi = z.atan2(p * (1.0 - e2 * n / (n + h)));
    }
    (phi, y.atan2(x))
}

fn wgs84_to_bd72(phi: f64, lambda: f64) -> (f64, f64) {
    // EPSG:15929 gives BD72 → WGS84; these are its parameters (metres, arc-seconds, ppm).
    const T: [f64; 3] = [-106.8686, 52.2978, -103.7239];
    const R: [f64; 3] = [0.3366, -0.457, 1.8422];
    const S_PPM: f64 = -1.2747;
    let arcsec = std::f64::consts::PI / (180.0 * 3600.0);
    let [rx, ry, rz] = R.map(|r| r * arcsec);
    let scale = 1.0 + S_PPM * 1e-6;
    let [x, y, z] = to_cartesian(phi, lambda, WGS84);
    let (x, y, z) = ((x - T[0]) / scale, (y - T[1]) / scale, (z - T[2]) / scale);
    // Inverse of the small-angle rotation (its transpose). The sign convention was checked
    // against the real sample: the other one lands 60 m away.
    let bd72 = [
        x + rz * y - ry * z,
        -rz * x + y + rx * z,
        ry * x - rx * y + z,
    ];
    to_geodetic(bd72, HAYFORD)
}

fn lambert_conic(phi: f64, lambda: f64) -> (f64, f64) {
    let (a, f) = HAYFORD;
    let e = (f * (2.0 - f)).sqrt();
    let m = |p: f64| p.cos() / (1.0 - (e * p.sin()).powi(2)).sqrt();
    let t = |p: f64| {
        (std::f64::consts::FRAC_PI_4 - p / 2.0).tan()
            / ((1.0 - e * p.sin()) / (1.0 + e * p.sin())).powf(e / 2.0)
    };
    // EPSG:31370: standard parallels 51°10'00.00204" and 49°50'00.00204", latitude of origin
    // 90°N (so the origin radius is zero), central meridian 4°22'02.952".
    let phi1 = (51.0 + 10.0 / 60.0 + 0.002_04 / 3600.0_f64).to_radians();
    let phi2 = (49.0 + 50.0 / 60.0 + 0.002_04 / 3600.0_f64).to_radians();
    let lambda0 = (4.0 + 22.0 / 60.0 + 2.952 / 3600.0_f64).to_radians();
    let n = (m(phi1).ln() - m(phi2).ln()) / (t(phi1).ln() - t(phi2).ln());
    let big_f = m(phi1) / (n * t(phi1).powf(n));
    let r = a * big_f * t(phi).powf(n);
    let theta = n * (lambda - lambda0);
    (
        150_000.013 + r * theta.sin(),
        5_400_088.438 - r * theta.cos(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_the_real_social_brussels_sample() {
        // organisation-13219.json: lat/lon and x/y as social.brussels returns them.
        let (x, y) = wgs84_to_lambert72(50.851756126658735, 4.401445106123757);

        assert!((x - 152_302.0).abs() < 2.0, "x = {x}");
        assert!((y - 171_263.0).abs() < 2.0, "y = {y}");
    }

    #[test]
    fn projection_matches_the_epsg_worked_example() {
        // EPSG Guidance Note 7-2, Belgian Lambert 72: BD72 50°40'46.461"N 5°48'26.533"E.
        let phi = (50.0 + 40.0 / 60.0 + 46.461 / 3600.0_f64).to_radians();
        let lambda = (5.0 + 48.0 / 60.0 + 26.533 / 3600.0_f64).to_radians();

        let (x, y) = lambert_conic(phi, lambda);

        assert!((x - 251_763.20).abs() < 0.1, "x = {x}");
        assert!((y - 153_034.13).abs() < 0.1, "y = {y}");
    }
}

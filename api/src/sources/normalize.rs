//! Cleaning of the free-form fields that upstream directories fill by hand: phone
//! numbers, email addresses, websites, Lambert 72 coordinates and opening hours.
//!
//! Every function answers `None` rather than guess: a field we cannot read with
//! confidence stays as the source's text, and a wrong phone number or opening hour is
//! worse for a social worker than a missing one.

use std::borrow::Cow;
use std::collections::BTreeSet;

use reqwest::Url;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

// ---------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------

/// A Belgian phone number in E.164 ("+3224355138"); None when it cannot be one.
///
/// Accepts the national form ("02/435.51.38", "0475 12 34 56"), the international forms
/// ("+32 2 435 51 38", "0032 …", "+32 (0)2 …"), a leading "tel:"/"Tél. :" label and a
/// trailing comment ("02/435.51.38 (secrétariat)"). Short numbers ("1712") and foreign
/// numbers are refused: they cannot be dialled as an E.164 Belgian number.
pub fn phone_be(raw: &str) -> Option<String> {
    let text = strip_phone_label(raw.trim());
    let (digits, international) = phone_digits(text)?;
    let national = if international {
        // "+32 0475…" is a frequent slip for "+32 475…"; the trunk zero never belongs.
        let rest = digits.strip_prefix("32")?;
        rest.strip_prefix('0').unwrap_or(rest)
    } else if let Some(rest) = digits.strip_prefix("0032") {
        rest.strip_prefix('0').unwrap_or(rest)
    } else {
        digits.strip_prefix('0')?
    };
    is_belgian_significant_number(national).then(|| format!("+32{national}"))
}

/// Belgian significant numbers (without the trunk zero) have 8 digits (landlines in
/// zones 2, 3, 4, 9, 10…89, and the 70/78/800/900 services), or 9 digits for mobiles,
/// which all start with 45–49.
fn is_belgian_significant_number(national: &str) -> bool {
    let bytes = national.as_bytes();
    if !bytes.iter().all(u8::is_ascii_digit) || bytes.first().is_none_or(|&b| b == b'0') {
        return false;
    }
    match bytes.len() {
        8 => true,
        9 => bytes[0] == b'4' && (b'5'..=b'9').contains(&bytes[1]),
        _ => false,
    }
}

/// Removes a leading "tel:", "Tél. :", "GSM" … label.
fn strip_phone_label(text: &str) -> &str {
    // Longest first, so that "telefoon" is not read as "tel" followed by letters.
    const LABELS: [&str; 7] = [
        "téléphone",
        "telephone",
        "telefoon",
        "tél",
        "tel",
        "gsm",
        "phone",
    ];
    for label in LABELS {
        if let Some(rest) = strip_prefix_ci(text, label)
            && !rest.starts_with(char::is_alphabetic)
        {
            return rest.trim_start_matches(|c: char| c == '.' || c == ':' || c.is_whitespace());
        }
    }
    text
}

/// The digits of the number at the start of `text`, and whether it began with '+'.
///
/// The number ends at the first character that cannot belong to it; what follows is a
/// comment. A letter glued to a digit ("02 435 51 38b") means the text is not a number.
fn phone_digits(text: &str) -> Option<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let international = chars.first() == Some(&'+');
    let mut digits = String::new();
    let mut i = usize::from(international);
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == '(' {
            // "(0)" after the country code is the trunk prefix written for national
            // callers; "(02)" is an area code in brackets. Any other bracket is a comment.
            let close = chars[i..].iter().position(|&c| c == ')').map(|p| p + i);
            let Some(close) = close.filter(|&close| {
                close > i + 1 && chars[i + 1..close].iter().all(char::is_ascii_digit)
            }) else {
                break;
            };
            let group = &chars[i + 1..close];
            if !(group == ['0'] && (international || digits.starts_with("00"))) {
                digits.extend(group);
            }
            i = close;
        } else if c.is_whitespace() || matches!(c, '.' | '-' | '/') {
            // separators between digit groups
        } else {
            if c.is_alphanumeric() && i > 0 && chars[i - 1].is_ascii_digit() {
                return None;
            }
            break;
        }
        i += 1;
    }
    Some((digits, international))
}

/// `text` without `prefix`, compared case-insensitively.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let mut end = 0;
    let mut chars = text.chars();
    for expected in prefix.chars() {
        let c = chars.next()?;
        if !c.to_lowercase().eq(expected.to_lowercase()) {
            return None;
        }
        end += c.len_utf8();
    }
    Some(&text[end..])
}

// ---------------------------------------------------------------------------------------
// Email addresses
// ---------------------------------------------------------------------------------------

/// A syntactically valid email (trimmed, domain lowercased; "mailto:" stripped); None
/// otherwise.
///
/// Only the unquoted dot-atom form is accepted: quoted local parts and IP-literal domains
/// are legal but never seen in the directories, and are more likely to be typos.
pub fn email(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let address = match strip_prefix_ci(trimmed, "mailto:") {
        // A mailto link may carry "?subject=…", which is not part of the address.
        Some(rest) => rest.split('?').next().unwrap_or(rest).trim(),
        None => trimmed,
    };
    let (local, domain) = address.split_once('@')?;
    if !is_local_part(local) {
        return None;
    }
    let domain = domain.to_lowercase();
    if !is_domain_name(&domain) {
        return None;
    }
    Some(format!("{local}@{domain}"))
}

fn is_local_part(local: &str) -> bool {
    const SPECIALS: &str = "\"(),:;<>@[\\]";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !SPECIALS.contains(c))
}

/// A lowercase DNS name with at least two labels and an alphabetic top-level domain.
fn is_domain_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_lowercase()));
    domain.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

// ---------------------------------------------------------------------------------------
// Websites
// ---------------------------------------------------------------------------------------

/// An absolute http(s) URL; "http://" is prepended only when there is no scheme; None
/// for other schemes, no host, a host without a dot, or text with spaces.
///
/// IP-address hosts are refused as well: a directory's website is never one, and such a
/// link usually points at a private network.
pub fn url(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_whitespace) {
        return None;
    }
    let candidate = if has_scheme(trimmed) {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(format!("http://{trimmed}"))
    };
    let parsed = Url::parse(&candidate).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.domain()?;
    let host = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|label| label.is_empty()) {
        return None;
    }
    Some(parsed.into())
}

/// Whether `text` starts with a URL scheme ("https:", "mailto:", "javascript:").
///
/// A candidate scheme with a dot is a host with a port ("www.x.be:8080"): schemes may
/// contain dots, but none that a directory would link to does.
fn has_scheme(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
    })
}

// ---------------------------------------------------------------------------------------
// Lambert 72 → WGS84
// ---------------------------------------------------------------------------------------

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
    #[cfg(test)]
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
    #[cfg(test)]
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

// ---------------------------------------------------------------------------------------
// Opening hours
// ---------------------------------------------------------------------------------------

/// One weekly opening period: ISO weekday 1=Monday..7=Sunday, "HH:MM" local times.
///
/// A period that lasts until midnight closes at "23:59", so that `opens < closes` holds
/// for every period and consumers never meet "24:00".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
}

/// Parses free-text opening hours in French or Dutch into a weekly schedule; None when
/// any part of the text is not recognised (the caller then keeps only the text).
///
/// The text is read as clauses that pair days with time ranges, in either order
/// ("du lundi au vendredi de 9h à 17h", "24h/24, 7j/7"); clauses are separated by ";",
/// a newline or a full stop. Any word outside the small vocabulary of days, times and
/// connectors ("sur rendez-vous", "fermé en juillet", "sauf jours fériés") rejects the
/// whole text, because a schedule that drops an exception is a wrong schedule.
///
/// "ma" and "di" mean mardi/dimanche in French but maandag/dinsdag in Dutch. They are
/// resolved by counting the other words that only one language uses (French: de, à,
/// au, du, et, le, lu, me, je, ve, sa, the "9h" notation…; Dutch: van, tot, uur, en,
/// wo, do, vr, za, zo, the "9u" notation…). When neither language wins, the text is
/// refused rather than guessed.
pub fn opening_hours(text: &str) -> Option<Vec<Period>> {
    let tokens = tokenize(&fold(text))?;
    let language = Language::of(&tokens);
    let tokens = resolve_days(tokens, language)?;
    let mut periods = Vec::new();
    for segment in tokens.split(|token| *token == Token::Break) {
        for clause in parse_segment(segment)? {
            for &weekday in &clause.days {
                for &(opens, closes) in &clause.ranges {
                    periods.push(Period {
                        weekday,
                        opens: clock(opens),
                        closes: clock(closes.min(MIDNIGHT - 1)),
                    });
                }
            }
        }
    }
    periods.sort_by(|a, b| (a.weekday, &a.opens, &a.closes).cmp(&(b.weekday, &b.opens, &b.closes)));
    periods.dedup();
    (!periods.is_empty()).then_some(periods)
}

/// 24:00 in minutes since midnight: the latest a period may close, never an opening.
const MIDNIGHT: u32 = 24 * 60;

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Lowercase, accents removed, typographic dashes and apostrophes made plain, so that
/// "À", "à" and "a\u{300}" all read "a".
fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' | '`' => '\'',
            other => other,
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HourMark {
    /// "9h", French.
    H,
    /// "9u" or "9 uur", Dutch.
    U,
    /// "9:00" or "9.00", either language.
    Colon,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    /// A number with nothing that makes it a time ("9" in "van 9 tot 12 uur").
    Number(u32),
    Time {
        hour: u32,
        minute: u32,
        mark: HourMark,
    },
    /// A weekday, once words are resolved; `abbreviated` lets "lu." keep its dot.
    Day {
        weekday: u8,
        abbreviated: bool,
    },
    Symbol(char),
    Dot,
    /// Between clauses: ";" or a line break, or a full stop once resolved.
    Break,
}

impl Token {
    fn is_word(&self, words: &[&str]) -> bool {
        matches!(self, Token::Word(w) if words.contains(&w.as_str()))
    }
}

/// Splits folded text into tokens; None for a character no schedule uses.
fn tokenize(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\n' | '\r' | ';' => {
                tokens.push(Token::Break);
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            c if c.is_ascii_digit() => i = lex_number(&chars, i, &mut tokens)?,
            c if c.is_alphabetic() => {
                let end = run_end(&chars, i, |c| c.is_alphabetic() || c == '\'');
                tokens.push(Token::Word(chars[i..end].iter().collect()));
                i = end;
            }
            '.' => {
                tokens.push(Token::Dot);
                i += 1;
            }
            ',' | ':' | '-' | '/' | '&' | '+' => {
                tokens.push(Token::Symbol(c));
                i += 1;
            }
            _ => return None,
        }
    }
    Some(tokens)
}

fn run_end(chars: &[char], start: usize, keep: impl Fn(char) -> bool) -> usize {
    chars[start..]
        .iter()
        .position(|&c| !keep(c))
        .map_or(chars.len(), |p| p + start)
}

/// Reads "9", "9h", "9h30", "9 h 30", "09:30", "8.30 uur", "16u", "12 uur" starting at
/// `start`; returns where it stopped, or None for letters glued to a number that are no
/// hour mark ("1er", "9am"), which would otherwise split into harmless-looking tokens.
fn lex_number(chars: &[char], start: usize, tokens: &mut Vec<Token>) -> Option<usize> {
    let end = run_end(chars, start, |c| c.is_ascii_digit());
    let value: u32 = chars[start..end].iter().fold(0u32, |acc, c| {
        acc.saturating_mul(10)
            .saturating_add(c.to_digit(10).unwrap_or(0))
    });
    // Only "7j/7" and "7d/7" glue a letter to a number without making it a time.
    let glued_ok = || {
        let glued: String = chars[end..run_end(chars, end, char::is_alphabetic)]
            .iter()
            .collect();
        matches!(glued.as_str(), "" | "j" | "d")
    };
    if end - start > 2 {
        tokens.push(Token::Number(value));
        return glued_ok().then_some(end);
    }
    // Exactly two digits, so that "8.3" or "12.300" are not read as times.
    let two_digits_at = |at: usize| -> Option<u32> {
        let d1 = chars.get(at)?.to_digit(10)?;
        let d2 = chars.get(at + 1)?.to_digit(10)?;
        (!chars.get(at + 2).is_some_and(char::is_ascii_digit)).then_some(d1 * 10 + d2)
    };
    let skip_spaces = |at: usize| run_end(chars, at, |c| c == ' ' || c == '\t');
    let word_at = |at: usize| -> (String, usize) {
        let word_end = run_end(chars, at, char::is_alphabetic);
        (chars[at..word_end].iter().collect(), word_end)
    };

    if matches!(chars.get(end), Some(':' | '.'))
        && let Some(minute) = two_digits_at(end + 1)
    {
        let mut next = end + 3;
        let mut mark = HourMark::Colon;
        // "8.30 uur", "12.30h": the unit only confirms the reading.
        let (word, word_end) = word_at(skip_spaces(next));
        match word.as_str() {
            "uur" | "u" => (mark, next) = (HourMark::U, word_end),
            "h" => (mark, next) = (HourMark::H, word_end),
            _ => {}
        }
        tokens.push(Token::Time {
            hour: value,
            minute,
            mark,
        });
        return Some(next);
    }

    let (word, word_end) = word_at(skip_spaces(end));
    let mark = match word.as_str() {
        "h" => HourMark::H,
        "u" | "uur" => HourMark::U,
        _ => {
            tokens.push(Token::Number(value));
            return glued_ok().then_some(end);
        }
    };
    let mut next = word_end;
    let mut minute = 0;
    if word != "uur" {
        let minute_at = skip_spaces(word_end);
        if let Some(m) = two_digits_at(minute_at) {
            minute = m;
            next = minute_at + 2;
        }
    }
    tokens.push(Token::Time {
        hour: value,
        minute,
        mark,
    });
    Some(next)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    French,
    Dutch,
}

impl Language {
    /// The language that more tokens point to; None on a tie.
    fn of(tokens: &[Token]) -> Option<Language> {
        const FRENCH: &[&str] = &[
            "de", "a", "au", "du", "et", "le", "les", "lu", "me", "je", "ve", "sa", "lun", "mar",
            "mer", "jeu", "ven", "sam", "dim", "midi", "minuit", "jusqu'a", "jusqu'au", "tous",
            "jours", "chaque", "jour", "ouvert",
        ];
        const DUTCH: &[&str] = &[
            "van",
            "tot",
            "uur",
            "en",
            "met",
            "wo",
            "do",
            "vr",
            "za",
            "zo",
            "maa",
            "din",
            "woe",
            "don",
            "vrij",
            "zat",
            "zon",
            "middag",
            "middernacht",
            "alle",
            "dagen",
            "elke",
            "dag",
            "dagelijks",
            "geopend",
        ];
        let (mut french, mut dutch) = (0, 0);
        for token in tokens {
            match token {
                Token::Time {
                    mark: HourMark::H, ..
                } => french += 1,
                Token::Time {
                    mark: HourMark::U, ..
                } => dutch += 1,
                Token::Word(word) => {
                    if FRENCH.contains(&word.as_str()) {
                        french += 1;
                    } else if DUTCH.contains(&word.as_str()) {
                        dutch += 1;
                    } else if let Some((_, language)) = full_day_name(word) {
                        match language {
                            Language::French => french += 1,
                            Language::Dutch => dutch += 1,
                        }
                    }
                }
                _ => {}
            }
        }
        match french.cmp(&dutch) {
            std::cmp::Ordering::Greater => Some(Language::French),
            std::cmp::Ordering::Less => Some(Language::Dutch),
            std::cmp::Ordering::Equal => None,
        }
    }
}

const FRENCH_DAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const DUTCH_DAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// A full weekday name in either language, also plural ("les lundis", "maandags").
fn full_day_name(word: &str) -> Option<(u8, Language)> {
    let singular = word.strip_suffix('s').unwrap_or(word);
    [
        (FRENCH_DAYS, Language::French),
        (DUTCH_DAYS, Language::Dutch),
    ]
    .into_iter()
    .find_map(|(names, language)| {
        (1u8..)
            .zip(names)
            .find(|(_, name)| *name == word || *name == singular)
            .map(|(weekday, _)| (weekday, language))
    })
}

/// A weekday abbreviation; "ma" and "di" need the text's language.
fn abbreviated_day(word: &str, language: Option<Language>) -> Option<u8> {
    const UNAMBIGUOUS: [(&str, u8); 24] = [
        ("lu", 1),
        ("lun", 1),
        ("maa", 1),
        ("mar", 2),
        ("din", 2),
        ("me", 3),
        ("mer", 3),
        ("wo", 3),
        ("woe", 3),
        ("je", 4),
        ("jeu", 4),
        ("do", 4),
        ("don", 4),
        ("ve", 5),
        ("ven", 5),
        ("vr", 5),
        ("vrij", 5),
        ("sa", 6),
        ("sam", 6),
        ("za", 6),
        ("zat", 6),
        ("dim", 7),
        ("zo", 7),
        ("zon", 7),
    ];
    if let Some(&(_, weekday)) = UNAMBIGUOUS.iter().find(|(abbr, _)| *abbr == word) {
        return Some(weekday);
    }
    match (word, language?) {
        ("ma", Language::French) => Some(2),
        ("di", Language::French) => Some(7),
        ("ma", Language::Dutch) => Some(1),
        ("di", Language::Dutch) => Some(2),
        _ => None,
    }
}

/// Turns day words into [`Token::Day`] and full stops into breaks, except the dot of an
/// abbreviation ("lu. ma. je."). None when "ma"/"di" cannot be resolved.
fn resolve_days(tokens: Vec<Token>, language: Option<Language>) -> Option<Vec<Token>> {
    let mut resolved: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let next = match token {
            Token::Word(word) => {
                if let Some((weekday, _)) = full_day_name(&word) {
                    Token::Day {
                        weekday,
                        abbreviated: false,
                    }
                } else if let Some(weekday) = abbreviated_day(&word, language) {
                    Token::Day {
                        weekday,
                        abbreviated: true,
                    }
                } else if matches!(word.as_str(), "ma" | "di") {
                    return None;
                } else {
                    Token::Word(word)
                }
            }
            Token::Dot => match resolved.last() {
                Some(Token::Day {
                    abbreviated: true, ..
                }) => continue,
                _ => Token::Break,
            },
            other => other,
        };
        resolved.push(next);
    }
    Some(resolved)
}

/// Days paired with time ranges (minutes since midnight, closing may be 24:00).
#[derive(Default)]
struct Clause {
    days: BTreeSet<u8>,
    ranges: Vec<(u32, u32)>,
    /// Whether the clause began with its days ("lundi 9h-12h") or its times
    /// ("24h/24, 7j/7"): more of the first kind after a complete clause starts a new one.
    days_first: Option<bool>,
}

impl Clause {
    fn is_complete(&self) -> bool {
        !self.days.is_empty() && !self.ranges.is_empty()
    }

    fn is_empty(&self) -> bool {
        self.days.is_empty() && self.ranges.is_empty()
    }

    /// Adds days or ranges; pushes the finished clause to `out` when a new one begins.
    fn add(&mut self, days: BTreeSet<u8>, ranges: Vec<(u32, u32)>, out: &mut Vec<Clause>) {
        let adding_days = !days.is_empty();
        if self.is_complete() && self.days_first == Some(adding_days) {
            out.push(std::mem::take(self));
        }
        self.days_first.get_or_insert(adding_days);
        self.days.extend(days);
        self.ranges.extend(ranges);
    }
}

/// A cursor over one segment's tokens, with backtracking by saving `pos`.
struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.pos + offset)
    }

    fn eat_word(&mut self, words: &[&str]) -> bool {
        let found = self.peek().is_some_and(|t| t.is_word(words));
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_symbol(&mut self, symbols: &[char]) -> bool {
        let found = matches!(self.peek(), Some(Token::Symbol(c)) if symbols.contains(c));
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes `pattern` if the next tokens match it exactly.
    fn eat_sequence(&mut self, pattern: &[Pattern]) -> bool {
        let matched = pattern
            .iter()
            .enumerate()
            .all(|(offset, expected)| self.at(offset).is_some_and(|token| expected.matches(token)));
        if matched {
            self.pos += pattern.len();
        }
        matched
    }

    fn eat_list_separator(&mut self) -> bool {
        self.eat_symbol(&[',', '/', '&', '+']) || self.eat_word(&["et", "en"])
    }

    fn eat_glue(&mut self) {
        while self.eat_symbol(&[',', ':', '/', '-', '&', '+'])
            || self.eat_word(&["et", "en", "ouvert", "open", "geopend"])
        {}
    }

    /// "7j/7", "7/7", "7 jours sur 7", "tous les jours", "elke dag", "dagelijks"…
    fn every_day(&mut self) -> bool {
        use Pattern::{Num, Sym, Word};
        const PATTERNS: &[&[Pattern]] = &[
            &[Num(7), Word("j"), Sym('/'), Num(7), Word("j")],
            &[Num(7), Word("j"), Sym('/'), Num(7)],
            &[Num(7), Word("d"), Sym('/'), Num(7)],
            &[Num(7), Sym('/'), Num(7)],
            &[Num(7), Word("jours"), Word("sur"), Num(7)],
            &[Word("tous"), Word("les"), Word("jours")],
            &[Word("chaque"), Word("jour")],
            &[Word("alle"), Word("dagen")],
            &[Word("elke"), Word("dag")],
            &[Word("dagelijks")],
        ];
        PATTERNS.iter().any(|pattern| self.eat_sequence(pattern))
    }

    /// "24h/24", "24/24", "24u/24", "24 heures sur 24".
    fn all_day(&mut self) -> bool {
        use Pattern::{Hour, Num, Sym, Word};
        const PATTERNS: &[&[Pattern]] = &[
            &[Hour(24), Sym('/'), Hour(24)],
            &[Hour(24), Sym('/'), Num(24)],
            &[Num(24), Sym('/'), Num(24)],
            &[Num(24), Word("heures"), Word("sur"), Num(24)],
        ];
        PATTERNS.iter().any(|pattern| self.eat_sequence(pattern))
    }

    /// "lundi", "du lundi au vendredi", "lu, ma et je", "ma-vr", "tous les jours"…
    fn days(&mut self) -> Option<BTreeSet<u8>> {
        let start = self.pos;
        let mut days = BTreeSet::new();
        // The last single day, which a following "au"/"-"/"tot" starts a range from.
        let mut last: Option<u8> = None;
        if !self.day_atom(&mut days, &mut last) {
            self.pos = start;
            return None;
        }
        loop {
            let before = self.pos;
            let is_range = self.eat_word(&["au", "a", "jusqu'au"])
                || self.eat_symbol(&['-'])
                || self.eat_sequence(&[Pattern::Word("t"), Pattern::Sym('/'), Pattern::Word("m")])
                || (self.eat_word(&["tot"]) && {
                    let _ = self.eat_sequence(&[Pattern::Word("en"), Pattern::Word("met")]);
                    true
                });
            if is_range {
                let _ = self.eat_word(&["le"]);
                match (last, self.peek()) {
                    (Some(from), Some(&Token::Day { weekday: to, .. })) => {
                        self.pos += 1;
                        // "lundi au lundi" is no schedule. Rewinding matters: what follows
                        // must not be read as times belonging to the previous clause.
                        let Some(range) = weekday_range(from, to) else {
                            self.pos = start;
                            return None;
                        };
                        days.extend(range);
                        last = Some(to);
                        continue;
                    }
                    _ => {
                        self.pos = before;
                        break;
                    }
                }
            }
            if self.eat_list_separator() && self.day_atom(&mut days, &mut last) {
                continue;
            }
            self.pos = before;
            break;
        }
        Some(days)
    }

    /// One weekday, possibly after an article ("le lundi", "du lundi", "elke maandag"),
    /// or every day ("tous les jours", "elke dag").
    fn day_atom(&mut self, days: &mut BTreeSet<u8>, last: &mut Option<u8>) -> bool {
        if self.every_day() {
            days.extend(1..=7);
            *last = None;
            return true;
        }
        let start = self.pos;
        let _ = self.eat_word(&["du", "van", "le", "les", "op", "chaque", "elke"]);
        if let Some(&Token::Day { weekday, .. }) = self.peek() {
            self.pos += 1;
            days.insert(weekday);
            *last = Some(weekday);
            return true;
        }
        self.pos = start;
        false
    }

    /// "de 9h à 12h et de 13h à 16h30", "9h-12h30 / 13h30-17h", "24h/24"…
    fn ranges(&mut self) -> Option<Vec<(u32, u32)>> {
        let mut ranges = vec![self.range()?];
        loop {
            let before = self.pos;
            if let Some(range) = self.range() {
                ranges.push(range);
                continue;
            }
            if self.eat_list_separator()
                && let Some(range) = self.range()
            {
                ranges.push(range);
                continue;
            }
            self.pos = before;
            break;
        }
        Some(ranges)
    }

    /// One time range, validated: it opens before it closes, on the same day.
    fn range(&mut self) -> Option<(u32, u32)> {
        let start = self.pos;
        if self.all_day() {
            return Some((0, MIDNIGHT));
        }
        let _ = self.eat_word(&["de", "van"]);
        let parsed = (|| {
            // "de minuit à 6h" opens at the start of the day, but "de 24h à 6h" is a typo.
            let says_midnight = self
                .peek()
                .is_some_and(|t| t.is_word(&["minuit", "middernacht"]));
            let opens = match self.time()? {
                MIDNIGHT if says_midnight => 0,
                MIDNIGHT => return None,
                minutes => minutes,
            };
            let connected = self.eat_symbol(&['-']) || self.eat_word(&["a", "tot", "jusqu'a"]);
            if !connected {
                return None;
            }
            let closes = self.time()?;
            // Compared as written out, where 24:00 becomes 23:59.
            (opens < closes.min(MIDNIGHT - 1)).then_some((opens, closes))
        })();
        if parsed.is_none() {
            self.pos = start;
        }
        parsed
    }

    /// A time of day in minutes; a bare number is an hour ("van 9 tot 12 uur").
    fn time(&mut self) -> Option<u32> {
        let minutes = match self.peek()? {
            &Token::Time { hour, minute, .. } if minute < 60 && hour * 60 + minute <= MIDNIGHT => {
                hour * 60 + minute
            }
            &Token::Number(hour) if hour <= 24 => hour * 60,
            token if token.is_word(&["midi", "middag"]) => 12 * 60,
            token if token.is_word(&["minuit", "middernacht"]) => MIDNIGHT,
            _ => return None,
        };
        self.pos += 1;
        Some(minutes)
    }
}

/// A token shape for the fixed expressions ("7j/7", "24h/24").
#[derive(Clone, Copy)]
enum Pattern {
    Num(u32),
    /// A time on the hour with an explicit mark ("24h", "24u").
    Hour(u32),
    Word(&'static str),
    Sym(char),
}

impl Pattern {
    fn matches(self, token: &Token) -> bool {
        match (self, token) {
            (Pattern::Num(n), Token::Number(m)) => n == *m,
            (
                Pattern::Hour(h),
                Token::Time {
                    hour, minute: 0, ..
                },
            ) => h == *hour,
            (Pattern::Word(w), Token::Word(word)) => w == word,
            (Pattern::Sym(s), Token::Symbol(c)) => s == *c,
            _ => false,
        }
    }
}

/// The days from `from` to `to` inclusive, wrapping over the weekend ("du samedi au
/// lundi"); None for a range that starts and ends on the same day.
fn weekday_range(from: u8, to: u8) -> Option<Vec<u8>> {
    match from.cmp(&to) {
        std::cmp::Ordering::Less => Some((from..=to).collect()),
        std::cmp::Ordering::Greater => Some((from..=7).chain(1..=to).collect()),
        std::cmp::Ordering::Equal => None,
    }
}

/// All clauses of one segment; None if a token is left that no rule accepts or a clause
/// lacks its days or its times.
fn parse_segment(tokens: &[Token]) -> Option<Vec<Clause>> {
    use Pattern::{Num, Sym};
    let mut parser = Parser { tokens, pos: 0 };
    let mut clauses = Vec::new();
    let mut clause = Clause::default();
    loop {
        parser.eat_glue();
        if parser.peek().is_none() {
            break;
        }
        if parser.eat_sequence(&[Num(24), Sym('/'), Num(7)]) {
            // A clause of its own: it must neither lend its days nor borrow times.
            if !clause.is_empty() {
                if !clause.is_complete() {
                    return None;
                }
                clauses.push(std::mem::take(&mut clause));
            }
            clauses.push(Clause {
                days: (1..=7).collect(),
                ranges: vec![(0, MIDNIGHT)],
                days_first: None,
            });
        } else if let Some(days) = parser.days() {
            clause.add(days, Vec::new(), &mut clauses);
        } else if let Some(ranges) = parser.ranges() {
            clause.add(BTreeSet::new(), ranges, &mut clauses);
        } else {
            return None;
        }
    }
    if clause.is_complete() {
        clauses.push(clause);
    } else if !clause.is_empty() {
        return None;
    }
    Some(clauses)
}

#[cfg(test)]
mod tests {
    use super::*;

    // -- phone_be ------------------------------------------------------------------------

    #[test]
    fn phone_national_landline_formats_become_e164() {
        for raw in [
            "02/435.51.38",
            "02 435 51 38",
            "02-435-51-38",
            "024355138",
            "(02) 435 51 38",
            "  02 435 51 38 \u{a0}",
            "tel: 02-435-51-38",
            "Tél. : 02/435.51.38",
            "tel:+3224355138",
        ] {
            assert_eq!(phone_be(raw).as_deref(), Some("+3224355138"), "{raw:?}");
        }
    }

    #[test]
    fn phone_international_formats_become_e164() {
        for raw in [
            "+32 2 435 51 38",
            "0032 2 435 51 38",
            "+32 (0)2 435 51 38",
            "+32 (0) 2 435 51 38",
            "0032 (0)2 435 51 38",
            "+32 02 435 51 38",
            "+32.2.435.51.38",
        ] {
            assert_eq!(phone_be(raw).as_deref(), Some("+3224355138"), "{raw:?}");
        }
    }

    #[test]
    fn phone_mobiles_have_nine_significant_digits() {
        for raw in [
            "0475 12 34 56",
            "0475/12.34.56",
            "+32 475 12 34 56",
            "GSM 0475123456",
        ] {
            assert_eq!(phone_be(raw).as_deref(), Some("+32475123456"), "{raw:?}");
        }
    }

    #[test]
    fn phone_service_and_three_digit_zone_numbers() {
        assert_eq!(phone_be("078 15 15 15").as_deref(), Some("+3278151515"));
        assert_eq!(phone_be("0800 12 345").as_deref(), Some("+3280012345"));
        assert_eq!(phone_be("070 23 30 00").as_deref(), Some("+3270233000"));
        assert_eq!(phone_be("010 45 67 89").as_deref(), Some("+3210456789"));
        assert_eq!(phone_be("04 123 45 67").as_deref(), Some("+3241234567"));
    }

    #[test]
    fn phone_trailing_comments_are_ignored() {
        assert_eq!(
            phone_be("02/435.51.38 (secrétariat)").as_deref(),
            Some("+3224355138")
        );
        assert_eq!(
            phone_be("02 435 51 38 - permanence").as_deref(),
            Some("+3224355138")
        );
        assert_eq!(
            phone_be("02 435 51 38 ou 02 435 51 39").as_deref(),
            Some("+3224355138")
        );
    }

    #[test]
    fn phone_rejects_what_cannot_be_a_belgian_number() {
        for raw in [
            "",
            "   ",
            "1712",
            "112",
            "02 435 51",
            "02 435 51 38 9",
            "0475 12 34 56 7",
            "0275 12 34 56",
            "+33 1 23 45 67 89",
            "0033 1 23 45 67 89",
            "02 435 AB 38",
            "02 435 51 38b",
            "0800-FLEUR",
            "voir site",
            "00 2 435 51 38",
            "02 435 51 38 / 02 435 51 39",
        ] {
            assert_eq!(phone_be(raw), None, "{raw:?}");
        }
    }

    // -- email ---------------------------------------------------------------------------

    #[test]
    fn email_is_trimmed_and_its_domain_lowercased() {
        assert_eq!(
            email("  Info.Accueil@CASS-CSSA.Be ").as_deref(),
            Some("Info.Accueil@cass-cssa.be")
        );
        assert_eq!(
            email("mailto:info@cpas.be").as_deref(),
            Some("info@cpas.be")
        );
        assert_eq!(
            email("MAILTO:info@cpas.be").as_deref(),
            Some("info@cpas.be")
        );
        assert_eq!(
            email("mailto:info@cpas.be?subject=Rendez-vous").as_deref(),
            Some("info@cpas.be")
        );
        assert_eq!(
            email("first+tag@sub.domain-x.brussels").as_deref(),
            Some("first+tag@sub.domain-x.brussels")
        );
    }

    #[test]
    fn email_rejects_malformed_addresses() {
        for raw in [
            "",
            "info",
            "info@",
            "@cpas.be",
            "info@@cpas.be",
            "a@b@cpas.be",
            "in fo@cpas.be",
            "info@cpas",
            "info@cpas.b",
            "info@cpas.be.",
            "info@.cpas.be",
            "info@cp..as.be",
            "info@-cpas.be",
            "info@cpas-.be",
            "info@cpas_x.be",
            "info@cpas.b3",
            "info@cpas .be",
            "info@cpäs.be",
            ".info@cpas.be",
            "in..fo@cpas.be",
            "<info@cpas.be>",
            "info@cpas.be, autre@cpas.be",
        ] {
            assert_eq!(email(raw), None, "{raw:?}");
        }
    }

    // -- url -----------------------------------------------------------------------------

    #[test]
    fn url_without_scheme_gets_http() {
        assert_eq!(
            url("www.cass-cssa.be").as_deref(),
            Some("http://www.cass-cssa.be/")
        );
        assert_eq!(
            url(" www.cass-cssa.be:8080/fr/contact?x=1 ").as_deref(),
            Some("http://www.cass-cssa.be:8080/fr/contact?x=1")
        );
        assert_eq!(
            url("cpas.brussels").as_deref(),
            Some("http://cpas.brussels/")
        );
    }

    #[test]
    fn url_with_http_or_https_is_normalised() {
        assert_eq!(
            url("HTTPS://WWW.Example.BE/Page").as_deref(),
            Some("https://www.example.be/Page")
        );
        assert_eq!(
            url("http://www.cass-cssa.be").as_deref(),
            Some("http://www.cass-cssa.be/")
        );
    }

    #[test]
    fn url_rejects_other_schemes_hosts_and_spaces() {
        for raw in [
            "",
            "javascript:alert(1)",
            "mailto:info@cpas.be",
            "ftp://ftp.example.be/file",
            "http://localhost",
            "http://localhost:8080/x",
            "localhost",
            "http://192.168.1.1/",
            "https://",
            "www.cass cssa.be",
            "http://www.cass-cssa.be/ voir",
            "voir site web",
            "http://.be",
        ] {
            assert_eq!(url(raw), None, "{raw:?}");
        }
    }

    // -- lambert72_to_wgs84 --------------------------------------------------------------

    /// Great-circle distance in metres; a sphere is ample at the metre scale.
    fn distance_m((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
        const R: f64 = 6_371_008.8;
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let dp = p2 - p1;
        let dl = (lon2 - lon1).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * R * h.sqrt().asin()
    }

    /// WGS84 degrees back to Lambert 72 metres, the exact reverse path.
    fn wgs84_to_lambert72(lat: f64, lon: f64) -> (f64, f64) {
        let geocentric = Ellipsoid::WGS84.to_geocentric(lat.to_radians(), lon.to_radians());
        let bd72 = Helmert::BD72_TO_WGS84.reversed().apply(geocentric);
        let (lat, lon) = Ellipsoid::INTERNATIONAL_1924.to_geodetic(bd72);
        LambertConic::belgian_lambert_72().forward(lat, lon)
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

    // -- opening_hours -------------------------------------------------------------------

    fn p(weekday: u8, opens: &str, closes: &str) -> Period {
        Period {
            weekday,
            opens: opens.to_owned(),
            closes: closes.to_owned(),
        }
    }

    fn every(days: impl IntoIterator<Item = u8>, ranges: &[(&str, &str)]) -> Vec<Period> {
        days.into_iter()
            .flat_map(|day| ranges.iter().map(move |(o, c)| p(day, o, c)))
            .collect()
    }

    fn assert_hours(text: &str, expected: Vec<Period>) {
        assert_eq!(opening_hours(text), Some(expected), "{text:?}");
    }

    #[test]
    fn hours_french_day_range_with_de_a() {
        assert_hours(
            "Du lundi au vendredi de 8h30 à 16h",
            every(1..=5, &[("08:30", "16:00")]),
        );
    }

    #[test]
    fn hours_dutch_day_range_with_van_tot_uur() {
        assert_hours(
            "Van maandag tot vrijdag van 8.30 uur tot 16 uur",
            every(1..=5, &[("08:30", "16:00")]),
        );
    }

    #[test]
    fn hours_french_abbreviation_list_reads_ma_as_mardi() {
        assert_hours(
            "lu, ma, je : 9h-12h",
            every([1, 2, 4], &[("09:00", "12:00")]),
        );
        assert_hours(
            "lu. ma. je. : 9h-12h",
            every([1, 2, 4], &[("09:00", "12:00")]),
        );
    }

    #[test]
    fn hours_several_days_and_several_ranges() {
        assert_hours(
            "Lundi, mardi et jeudi de 9h à 12h et de 13h à 16h30",
            every([1, 2, 4], &[("09:00", "12:00"), ("13:00", "16:30")]),
        );
        assert_hours(
            "Du lundi au vendredi : 9h-12h30 / 13h30-17h",
            every(1..=5, &[("09:00", "12:30"), ("13:30", "17:00")]),
        );
    }

    #[test]
    fn hours_dutch_list_with_bare_opening_hour() {
        assert_hours(
            "Maandag en woensdag van 9 tot 12 uur",
            every([1, 3], &[("09:00", "12:00")]),
        );
    }

    #[test]
    fn hours_compact_weekday_ranges() {
        let week = every(1..=5, &[("09:00", "17:00")]);
        assert_hours("ma-vr 9u-17u", week.clone());
        assert_hours("ma - vr: 09:00 - 17:00", week.clone());
        assert_hours("ma – vr 9-17", week.clone());
        assert_hours("ma t/m vr 9-17", week.clone());
        assert_hours("maandag tot en met vrijdag 9-17 uur", week);
        assert_hours("lu-ve 8h30-12h", every(1..=5, &[("08:30", "12:00")]));
    }

    #[test]
    fn hours_segments_separated_by_semicolon_newline_or_full_stop() {
        let expected = vec![p(3, "14:00", "17:00"), p(6, "10:00", "12:00")];
        assert_hours(
            "Le mercredi de 14h à 17h ; le samedi de 10h à 12h",
            expected.clone(),
        );
        assert_hours(
            "Le mercredi de 14h à 17h\nle samedi de 10h à 12h",
            expected.clone(),
        );
        assert_hours(
            "Le mercredi de 14h à 17h. Le samedi de 10h à 12h.",
            expected.clone(),
        );
        assert_hours("mercredi 14h-17h, samedi 10h-12h", expected);
    }

    #[test]
    fn hours_round_the_clock() {
        let all = every(1..=7, &[("00:00", "23:59")]);
        assert_hours("24h/24, 7j/7", all.clone());
        assert_hours("24/7", all.clone());
        assert_hours("7j/7 24h/24", all.clone());
        assert_hours("24h/24h - 7j/7j", all.clone());
        assert_hours("24u/24, 7/7", all.clone());
        assert_hours("24 heures sur 24, 7 jours sur 7", all);
        let mut monday_twice = every(1..=7, &[("00:00", "23:59")]);
        monday_twice.insert(1, p(1, "09:00", "12:00"));
        assert_hours("lundi 9h-12h, 24/7", monday_twice);
    }

    #[test]
    fn hours_time_notations() {
        let cases = [
            ("lundi 8h-9h", "08:00", "09:00"),
            ("lundi 8h30-9h", "08:30", "09:00"),
            ("lundi 8:30-9:00", "08:30", "09:00"),
            ("lundi 08.30-09.00", "08:30", "09:00"),
            ("maandag 8u30-16u", "08:30", "16:00"),
            ("maandag van 8.30 uur tot 12 uur", "08:30", "12:00"),
            ("lundi de 9 h 30 à 12 h", "09:30", "12:00"),
            ("lundi de 9h à midi", "09:00", "12:00"),
            ("lundi de midi à 14h", "12:00", "14:00"),
            ("lundi de 20h à minuit", "20:00", "23:59"),
            ("maandag van 9 tot 24 uur", "09:00", "23:59"),
            ("lundi de minuit à 6h", "00:00", "06:00"),
            ("lundi de 0h à 24h", "00:00", "23:59"),
        ];
        for (text, opens, closes) in cases {
            assert_hours(text, vec![p(1, opens, closes)]);
        }
    }

    #[test]
    fn hours_dutch_abbreviations_read_ma_di_as_maandag_dinsdag() {
        assert_hours(
            "ma, di, do: 9u-12u",
            every([1, 2, 4], &[("09:00", "12:00")]),
        );
        assert_hours(
            "di en do van 14 tot 16 uur",
            every([2, 4], &[("14:00", "16:00")]),
        );
    }

    #[test]
    fn hours_french_di_is_dimanche() {
        assert_hours(
            "sa et di de 10h à 12h",
            every([6, 7], &[("10:00", "12:00")]),
        );
    }

    #[test]
    fn hours_ambiguous_ma_di_without_language_evidence_are_refused() {
        assert_eq!(opening_hours("ma 9-12"), None);
        assert_eq!(opening_hours("ma-di 09:00-12:00"), None);
    }

    #[test]
    fn hours_every_day_words() {
        let all = every(1..=7, &[("09:00", "17:00")]);
        assert_hours("Tous les jours de 9h à 17h", all.clone());
        assert_hours("Elke dag van 9 tot 17 uur", all.clone());
        assert_hours("7j/7 de 9h à 17h", all);
    }

    #[test]
    fn hours_weekend_wrapping_day_range() {
        assert_hours(
            "du samedi au lundi de 10h à 12h",
            every([1, 6, 7], &[("10:00", "12:00")]),
        );
    }

    #[test]
    fn hours_output_is_sorted_and_deduplicated() {
        assert_hours(
            "jeudi 13h-14h; lundi 9h-10h; lundi 9h-10h; jeudi 8h-9h",
            vec![
                p(1, "09:00", "10:00"),
                p(4, "08:00", "09:00"),
                p(4, "13:00", "14:00"),
            ],
        );
    }

    #[test]
    fn hours_plural_days_and_opening_word() {
        assert_hours(
            "Ouvert les mardis de 9h à 12h",
            vec![p(2, "09:00", "12:00")],
        );
    }

    #[test]
    fn hours_refuses_text_it_does_not_understand() {
        for text in [
            "",
            "   ",
            "Sur rendez-vous",
            "Voir site web",
            "Fermé en juillet",
            "Du lundi au vendredi de 9h à 17h, sur rendez-vous",
            "Du lundi au vendredi de 9h à 17h. Fermé en juillet.",
            "Lundi de 9h à 12h (sauf jours fériés)",
            "9h-17h",
            "lundi",
            "lundi et mardi",
            "Du lundi au vendredi",
            "lundi de 17h à 9h",
            "lundi de 9h à 9h",
            "lundi de 9h à 25h",
            "lundi de 24h à 6h",
            "lundi de 23h59 à 24h",
            "lundi de 9h70 à 12h",
            "du lundi au lundi de 9h à 12h",
            "mardi 9h-12h, lundi au lundi 9h-12h",
            "lundi de 9h",
            "lundi à partir de 9h",
            "le 1er lundi du mois de 9h à 12h",
            "lundi 9am-5pm",
            "lundi 9-12ve",
            "lundi 9h-12h; 14h-16h",
            "du 1 au 15 juillet de 9h à 12h",
        ] {
            assert_eq!(opening_hours(text), None, "{text:?}");
        }
    }
}

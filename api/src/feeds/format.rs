//! How Belgian directories write things: phone numbers, dates, opening hours, identifiers.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::demo::DemoOpening;

use super::Rng;
use super::tables::{DAYS_FR, DAYS_NL, PERMANENCY_ALWAYS, Pair};

/// FNV-1a: a stable hash for deriving ids and random streams from keys (std's hasher is
/// randomly seeded per process, which would break byte-identical output).
pub(super) fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// A random-looking but reproducible UUID (version 4 layout) for `key` in namespace `kind`.
pub(super) fn uuid(seed: u64, kind: &str, key: &str) -> String {
    let mut rng = Rng::keyed(seed, kind, key);
    let (hi, lo) = (rng.next(), rng.next());
    let hi = (hi & !0xF000) | 0x4000;
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// "0xxx.xxx.xxx" with the mod-97 check digits of an eight-digit base.
pub(super) fn kbo_from_base(base: u64) -> String {
    let full = base * 100 + (97 - base % 97);
    format!(
        "{:04}.{:03}.{:03}",
        full / 1_000_000,
        full / 1000 % 1000,
        full % 1000
    )
}

/// The same number with its last digit mistyped, so its checksum fails.
pub(super) fn kbo_mistyped(kbo: &str) -> String {
    let mut out: String = kbo.to_owned();
    if let Some(last) = out.pop() {
        let digit = last.to_digit(10).unwrap_or(0);
        out.push(char::from_digit((digit + 3) % 10, 10).unwrap_or('0'));
    }
    out
}

/// A demo phone number (E.164 without spaces) in one of the national ways of writing it.
/// `style` 0 is social.brussels' own ("02/435.51.38"); the others are what people type.
pub(super) fn national_phone(e164: &str, style: usize) -> String {
    let Some(national) = e164.strip_prefix("+32") else {
        return e164.to_owned();
    };
    let d: Vec<char> = national.chars().collect();
    let s = |from: usize, to: usize| -> String {
        d[from.min(d.len())..to.min(d.len())].iter().collect()
    };
    if national.starts_with("800") {
        // Free numbers: 0800 xx xxx.
        return match style % 2 {
            0 => format!("0800/{}.{}", s(3, 5), s(5, 8)),
            _ => format!("0800 {} {}", s(3, 5), s(5, 8)),
        };
    }
    if national.starts_with('4') {
        // Mobiles: 04xx xx xx xx.
        return match style % 3 {
            0 => format!("0{}/{}.{}.{}", s(0, 3), s(3, 5), s(5, 7), s(7, 9)),
            1 => format!("0{} {} {} {}", s(0, 3), s(3, 5), s(5, 7), s(7, 9)),
            _ => format!("+32 {} {} {} {}", s(0, 3), s(3, 5), s(5, 7), s(7, 9)),
        };
    }
    // Brussels landlines: 02 xxx xx xx.
    match style % 4 {
        0 => format!("0{}/{}.{}.{}", s(0, 1), s(1, 4), s(4, 6), s(6, 8)),
        1 => format!("0{} {} {} {}", s(0, 1), s(1, 4), s(4, 6), s(6, 8)),
        2 => format!("0{}/{} {} {}", s(0, 1), s(1, 4), s(4, 6), s(6, 8)),
        _ => format!("+32 {} {} {} {}", s(0, 1), s(1, 4), s(4, 6), s(6, 8)),
    }
}

pub(super) use crate::demo::slug;

/// Feeds are snapshots taken on this day: dates never depend on the clock.
pub(super) fn snapshot_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default()
}

/// A day within `years` before the snapshot.
pub(super) fn day_before_snapshot(rng: &mut Rng, years: usize) -> NaiveDate {
    let back = rng.below(365 * years) as i64;
    snapshot_day() - Duration::days(back)
}

/// A moment within `years` before the snapshot, to the second.
pub(super) fn moment_before_snapshot(rng: &mut Rng, years: usize) -> NaiveDateTime {
    let day = day_before_snapshot(rng, years);
    // Editors work office hours.
    let seconds = 8 * 3600 + rng.below(10 * 3600) as i64;
    day.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(seconds)
}

/// "2016-04-26" (the demo's accreditation dates) as "26/04/2016".
pub(super) fn iso_to_belgian(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| date.to_owned())
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tongue {
    Fr,
    Nl,
}

/// "08:30" → "8h30", "16:00" → "16h"; Dutch "8.30 uur", "16 uur".
fn clock(time: &str, tongue: Tongue) -> String {
    let (h, m) = time.split_once(':').unwrap_or((time, "00"));
    let h = h.trim_start_matches('0');
    let h = if h.is_empty() { "0" } else { h };
    match (tongue, m) {
        (Tongue::Fr, "00") => format!("{h}h"),
        (Tongue::Fr, _) => format!("{h}h{m}"),
        (Tongue::Nl, "00") => format!("{h} uur"),
        (Tongue::Nl, _) => format!("{h}.{m} uur"),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn enumerate(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// Weekdays (1 = Monday) as a French or Dutch phrase: "du lundi au vendredi", "lundi,
/// mardi et jeudi", "le samedi".
fn days_phrase(days: &[u8], tongue: Tongue) -> String {
    let names = match tongue {
        Tongue::Fr => DAYS_FR,
        Tongue::Nl => DAYS_NL,
    };
    let name = |d: u8| names[usize::from(d.clamp(1, 7) - 1)];
    let consecutive = days.windows(2).all(|w| w[1] == w[0] + 1);
    match (days, tongue) {
        ([first, .., last], Tongue::Fr) if consecutive && days.len() >= 3 => {
            format!("du {} au {}", name(*first), name(*last))
        }
        ([first, .., last], Tongue::Nl) if consecutive && days.len() >= 3 => {
            format!("van {} tot {}", name(*first), name(*last))
        }
        ([one], Tongue::Fr) => format!("le {}", name(*one)),
        ([one], Tongue::Nl) => format!("op {}", name(*one)),
        _ => {
            let listed: Vec<&str> = days.iter().map(|d| name(*d)).collect();
            enumerate(
                &listed,
                match tongue {
                    Tongue::Fr => "et",
                    Tongue::Nl => "en",
                },
            )
        }
    }
}

/// Opening and closing time, "HH:MM".
type Slot<'a> = (&'a str, &'a str);

/// Opening hours as the free text social.brussels editors write ("Du lundi au vendredi de
/// 8h30 à 16h"); `None` when there are no hours at all.
pub(super) fn permanency(schedule: &[DemoOpening], tongue: Tongue) -> Option<String> {
    if schedule.is_empty() {
        return None;
    }
    let always = (1..=7).all(|d| {
        schedule
            .iter()
            .any(|o| o.weekday == d && o.opens == "00:00" && o.closes == "23:59")
    });
    if always {
        let (fr, nl): Pair = PERMANENCY_ALWAYS;
        return Some(
            match tongue {
                Tongue::Fr => fr,
                Tongue::Nl => nl,
            }
            .to_owned(),
        );
    }
    // Days sharing the same slots are written together, in the order they first appear.
    let mut groups: Vec<(Vec<Slot>, Vec<u8>)> = Vec::new();
    for day in 1..=7u8 {
        let slots: Vec<Slot> = schedule
            .iter()
            .filter(|o| o.weekday == day)
            .map(|o| (o.opens.as_str(), o.closes.as_str()))
            .collect();
        if slots.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(s, _)| *s == slots) {
            Some((_, days)) => days.push(day),
            None => groups.push((slots, vec![day])),
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(slots, days)| {
            let slots: Vec<String> = slots
                .iter()
                .map(|(opens, closes)| match tongue {
                    Tongue::Fr => {
                        format!("de {} à {}", clock(opens, tongue), clock(closes, tongue))
                    }
                    Tongue::Nl => {
                        format!("van {} tot {}", clock(opens, tongue), clock(closes, tongue))
                    }
                })
                .collect();
            let and = match tongue {
                Tongue::Fr => " et ",
                Tongue::Nl => " en ",
            };
            format!("{} {}", days_phrase(days, tongue), slots.join(and))
        })
        .collect();
    let separator = match tongue {
        Tongue::Fr => " ; ",
        Tongue::Nl => "; ",
    };
    Some(capitalise(&parts.join(separator)))
}

/// Initials of the significant words: "Maison médicale Les Peupliers" → "MMLP".
pub(super) fn acronym(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '\'' || c == '-')
        .filter(|w| w.chars().count() > 2)
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(weekday: u8, opens: &str, closes: &str) -> DemoOpening {
        DemoOpening {
            weekday,
            opens: opens.to_owned(),
            closes: closes.to_owned(),
        }
    }

    #[test]
    fn weekday_office_hours_read_like_the_real_sample() {
        let week: Vec<DemoOpening> = (1..=5).map(|d| open(d, "08:30", "16:00")).collect();

        assert_eq!(
            permanency(&week, Tongue::Fr).as_deref(),
            Some("Du lundi au vendredi de 8h30 à 16h")
        );
        assert_eq!(
            permanency(&week, Tongue::Nl).as_deref(),
            Some("Van maandag tot vrijdag van 8.30 uur tot 16 uur")
        );
    }

    #[test]
    fn split_days_and_exceptions_are_grouped() {
        let mut week = Vec::new();
        for d in 1..=5 {
            week.push(open(d, "09:00", "12:30"));
            if d != 3 {
                week.push(open(d, "13:30", "17:00"));
            }
        }
        week.push(open(6, "09:00", "12:00"));

        assert_eq!(
            permanency(&week, Tongue::Fr).as_deref(),
            Some(
                "Lundi, mardi, jeudi et vendredi de 9h à 12h30 et de 13h30 à 17h ; \
                 le mercredi de 9h à 12h30 ; le samedi de 9h à 12h"
            )
        );
        assert_eq!(permanency(&[], Tongue::Nl), None);
    }

    #[test]
    fn phones_are_written_the_belgian_way() {
        assert_eq!(national_phone("+3224355138", 0), "02/435.51.38");
        assert_eq!(national_phone("+3224355138", 1), "02 435 51 38");
        assert_eq!(national_phone("+32475123456", 1), "0475 12 34 56");
        assert_eq!(national_phone("+3280012345", 0), "0800/12.345");
    }

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = uuid(1, "service", "demo-org-0001-svc-1");

        assert_eq!(a, uuid(1, "service", "demo-org-0001-svc-1"));
        assert_ne!(a, uuid(2, "service", "demo-org-0001-svc-1"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }
}

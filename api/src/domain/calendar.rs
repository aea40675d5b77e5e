//! Time as people in Brussels read opening hours: the local time of an instant
//! (Central European Time, summer time by the EU rule), Belgium's public holidays, and
//! whether a weekly schedule is open at an instant, or when it opens next.
//!
//! Summer time follows Directive 2000/84/EC, Belgium's law: from 01:00 UTC on the last
//! Sunday of March to 01:00 UTC on the last Sunday of October, clocks are UTC+2, else
//! UTC+1. Written out rather than read from a time-zone database: it is the whole of
//! Belgian time since 1996, and a change of the law would change this rule with it.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};

use super::Opening;

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or(NaiveDate::MIN);
    let last = first_of_next - Duration::days(1);
    last - Duration::days(i64::from(last.weekday().num_days_from_sunday()))
}

/// Whether Belgian clocks are on summer time at `at`.
fn summer_time(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let starts = last_sunday(year, 3)
        .and_hms_opt(1, 0, 0)
        .map(|t| t.and_utc());
    let ends = last_sunday(year, 10)
        .and_hms_opt(1, 0, 0)
        .map(|t| t.and_utc());
    matches!((starts, ends), (Some(starts), Some(ends)) if at >= starts && at < ends)
}

/// The offset of Belgian clocks from UTC at `at`.
fn offset(at: DateTime<Utc>) -> Duration {
    Duration::hours(if summer_time(at) { 2 } else { 1 })
}

/// The time on a Brussels clock at `at`.
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + offset(at)
}

/// The instant a Brussels clock shows `local`: in the hour skipped in March, the
/// instant the clocks jump to; in the hour shown twice in October, the first.
pub fn instant(local: NaiveDateTime) -> DateTime<Utc> {
    let winter = Utc.from_utc_datetime(&(local - Duration::hours(1)));
    let summer = Utc.from_utc_datetime(&(local - Duration::hours(2)));
    if summer_time(summer) {
        summer
    } else if !summer_time(winter) {
        winter
    } else {
        // Skipped: 02:00–03:00 on the last Sunday of March does not exist.
        last_sunday(local.year(), 3)
            .and_hms_opt(1, 0, 0)
            .map_or(winter, |t| t.and_utc())
    }
}

/// Easter Sunday of `year` (Gregorian; the anonymous algorithm of Meeus).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month.unsigned_abs(), day.unsigned_abs())
        .unwrap_or(NaiveDate::MIN)
}

/// Belgium's ten legal public holidays (law of 4 January 1974): New Year, Easter Monday,
/// Labour Day, Ascension, Whit Monday, the National Day, Assumption, All Saints,
/// Armistice and Christmas. The communities' own days (11 July, 27 September,
/// 15 November) are holidays for their administrations, not for everyone.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let fixed = [
        (1, 1),
        (5, 1),
        (7, 21),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    if fixed.contains(&(date.month(), date.day())) {
        return true;
    }
    let easter = easter(date.year());
    [1, 39, 50]
        .iter()
        .any(|days| date == easter + Duration::days(*days))
}

/// The days the community behind an authority keeps as its own holiday (month, day): the
/// French-speaking community's 27 September (Fédération Wallonie-Bruxelles, COCOF), the
/// Flemish Community's 11 July (Vlaamse Gemeenschap, VGC). A service those authorities
/// recognise, closed on public holidays, is closed on these too.
pub fn community_days(authority_code: &str) -> &'static [(u32, u32)] {
    match authority_code {
        "fwb" | "cocof" => &[(9, 27)],
        "vg" | "vgc" => &[(7, 11)],
        _ => &[],
    }
}

/// Whether a schedule's remark says the place is closed on public holidays ("fermé les
/// jours fériés", "sauf jours fériés", "gesloten op feestdagen", "behalve op
/// feestdagen").
pub fn closed_on_holidays(remarks: &[Option<&str>]) -> bool {
    remarks.iter().flatten().any(|remark| {
        let text: String = super::text::fold_accents(&remark.to_lowercase()).collect();
        (text.contains("ferie")
            && ["ferme", "sauf", "excepte", "hors"]
                .iter()
                .any(|w| text.contains(w)))
            || (text.contains("feestdag")
                && ["gesloten", "behalve", "uitgezonderd", "niet op"]
                    .iter()
                    .any(|w| text.contains(w)))
    })
}

/// A weekly schedule as it is read at a given time.
#[derive(Clone, Copy, Debug)]
pub struct Week<'a> {
    pub openings: &'a [Opening],
    /// Closed on Belgium's public holidays (`closed_on_holidays`).
    pub closed_on_holidays: bool,
    /// Then closed on these days too (month, day): its communities' (`community_days`).
    pub community_days: &'a [(u32, u32)],
}

fn minutes(clock: &str) -> Option<u32> {
    let time = NaiveTime::parse_from_str(clock, "%H:%M").ok()?;
    Some(time.hour() * 60 + time.minute())
}

impl Week<'_> {
    /// Whether the place is closed all day on `date` (a holiday it keeps).
    fn closed_on(&self, date: NaiveDate) -> bool {
        self.closed_on_holidays
            && (is_public_holiday(date)
                || self.community_days.contains(&(date.month(), date.day())))
    }

    /// Whether the place is open on the Brussels clock's `local` time.
    fn open_local(&self, local: NaiveDateTime) -> bool {
        if self.closed_on(local.date()) {
            return false;
        }
        let weekday = u8::try_from(local.weekday().number_from_monday()).unwrap_or(0);
        let now = local.time().hour() * 60 + local.time().minute();
        self.openings.iter().any(|o| {
            o.weekday == weekday
                && matches!((minutes(&o.opens), minutes(&o.closes)), (Some(opens), Some(closes)) if opens <= now && now < closes)
        })
    }

    /// Whether the place is open at `at`.
    pub fn open_at(&self, at: DateTime<Utc>) -> bool {
        self.open_local(local(at))
    }

    /// The next instant, at or after `from`, when the place opens (or `from` itself
    /// when it is open then); `None` when it does not open in the next two weeks.
    pub fn next_opening(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.open_at(from) {
            return Some(from);
        }
        let start = local(from);
        (0..=14)
            .flat_map(|day| {
                let date = start.date() + Duration::days(day);
                let weekday = u8::try_from(date.weekday().number_from_monday()).unwrap_or(0);
                let mut opens: Vec<NaiveDateTime> = self
                    .openings
                    .iter()
                    .filter(|o| o.weekday == weekday)
                    .filter_map(|o| {
                        let time = NaiveTime::parse_from_str(&o.opens, "%H:%M").ok()?;
                        Some(date.and_time(time))
                    })
                    .collect();
                opens.sort();
                opens
            })
            .filter(|local| *local > start)
            .filter(|local| !self.closed_on(local.date()))
            .map(instant)
            .find(|at| *at >= from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn weekdays_nine_to_five() -> Vec<Opening> {
        (1..=5)
            .map(|weekday| Opening {
                weekday,
                opens: "09:00".to_owned(),
                closes: "17:00".to_owned(),
            })
            .collect()
    }

    #[test]
    fn belgian_clocks_change_on_the_last_sundays_of_march_and_october_at_one_utc() {
        // 2026: 29 March and 25 October.
        assert_eq!(
            local(utc("2026-03-29T00:59:00Z")).to_string(),
            "2026-03-29 01:59:00"
        );
        assert_eq!(
            local(utc("2026-03-29T01:00:00Z")).to_string(),
            "2026-03-29 03:00:00"
        );
        assert_eq!(
            local(utc("2026-10-25T00:59:00Z")).to_string(),
            "2026-10-25 02:59:00"
        );
        assert_eq!(
            local(utc("2026-10-25T01:00:00Z")).to_string(),
            "2026-10-25 02:00:00"
        );
        let at =
            |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default();
        assert_eq!(instant(at("2026-07-01 12:00")), utc("2026-07-01T10:00:00Z"));
        assert_eq!(instant(at("2026-12-01 12:00")), utc("2026-12-01T11:00:00Z"));
        // The skipped hour, and the hour shown twice (its first time).
        assert_eq!(instant(at("2026-03-29 02:30")), utc("2026-03-29T01:00:00Z"));
        assert_eq!(instant(at("2026-10-25 02:30")), utc("2026-10-25T00:30:00Z"));
    }

    #[test]
    fn nine_o_clock_is_eight_utc_in_winter_and_seven_in_summer() {
        let week = Week {
            openings: &weekdays_nine_to_five(),
            closed_on_holidays: false,
            community_days: &[],
        };
        // Monday 23 March 2026 (winter), Monday 30 March 2026 (summer).
        assert!(!week.open_at(utc("2026-03-23T07:30:00Z")));
        assert!(week.open_at(utc("2026-03-23T08:00:00Z")));
        assert!(week.open_at(utc("2026-03-30T07:30:00Z")));
        assert!(
            !week.open_at(utc("2026-03-30T15:00:00Z")),
            "17:00 CEST, closed"
        );
        assert!(week.open_at(utc("2026-03-23T15:59:00Z")), "16:59 CET");
        // October: Friday 23 (summer), Monday 26 (winter).
        assert!(week.open_at(utc("2026-10-23T07:00:00Z")));
        assert!(!week.open_at(utc("2026-10-26T07:00:00Z")));
        assert_eq!(
            week.next_opening(utc("2026-10-24T12:00:00Z")),
            Some(utc("2026-10-26T08:00:00Z")),
            "Saturday: Monday 09:00 CET"
        );
        assert_eq!(
            week.next_opening(utc("2026-03-28T12:00:00Z")),
            Some(utc("2026-03-30T07:00:00Z")),
            "Saturday before the change: Monday 09:00 CEST"
        );
        assert_eq!(
            week.next_opening(utc("2026-03-30T07:30:00Z")),
            Some(utc("2026-03-30T07:30:00Z"))
        );
    }

    #[test]
    fn public_holidays_close_what_says_so() {
        assert_eq!(
            easter(2026),
            NaiveDate::from_ymd_opt(2026, 4, 5).unwrap_or_default()
        );
        assert_eq!(
            easter(2027),
            NaiveDate::from_ymd_opt(2027, 3, 28).unwrap_or_default()
        );
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        for holiday in [
            date(2026, 4, 6),
            date(2026, 5, 14),
            date(2026, 5, 25),
            date(2026, 7, 21),
            date(2026, 11, 11),
        ] {
            assert!(is_public_holiday(holiday), "{holiday}");
        }
        assert!(
            !is_public_holiday(date(2026, 7, 11)),
            "a Flemish Community day, not a public holiday"
        );
        let openings = weekdays_nine_to_five();
        let remark = closed_on_holidays(&[Some("Fermé les jours fériés"), None]);
        assert!(remark);
        assert!(closed_on_holidays(&[None, Some("Gesloten op feestdagen")]));
        assert!(!closed_on_holidays(&[Some("Sur rendez-vous"), None]));
        let closed = Week {
            openings: &openings,
            closed_on_holidays: true,
            community_days: community_days("vgc"),
        };
        let open = Week {
            openings: &openings,
            closed_on_holidays: false,
            community_days: community_days("vgc"),
        };
        // 11 July 2025, a Friday: a Flemish Community day, kept by what says it closes on
        // holidays and the VGC recognises; not by a COCOF service.
        assert!(!closed.open_at(utc("2025-07-11T08:00:00Z")), "11 July, VGC");
        assert!(open.open_at(utc("2025-07-11T08:00:00Z")));
        let french = Week {
            community_days: community_days("cocof"),
            ..closed
        };
        assert!(
            french.open_at(utc("2025-07-11T08:00:00Z")),
            "not a COCOF day"
        );
        // 27 September 2024, a Friday.
        assert!(
            !french.open_at(utc("2024-09-27T07:00:00Z")),
            "27 September, COCOF"
        );
        // Easter Monday 2026, 10:00 CEST.
        assert!(!closed.open_at(utc("2026-04-06T08:00:00Z")));
        assert!(open.open_at(utc("2026-04-06T08:00:00Z")));
        assert_eq!(
            closed.next_opening(utc("2026-04-06T08:00:00Z")),
            Some(utc("2026-04-07T07:00:00Z"))
        );
    }
}

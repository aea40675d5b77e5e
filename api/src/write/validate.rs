//! What a writer sends, checked into a listing's next state: every rule here, each error
//! with the path of its field as the client wrote it (`locations[0].schedule[2].closes`),
//! all errors of a request at once. Nothing is written until a request has none.

use std::collections::HashMap;

use entities::site;

use crate::listing::{ContactState, LocationState, ServiceState, SiteState};
use crate::{
    domain::{ContactKind, Email, Fee, LanguageCode, Opening, Phone, ServiceStatus, WebUrl},
    geo::{Level, Point},
    reference::Reference,
};

/// A field the writer must correct, with where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The path of the field in the request (`items[3].sites[0].postcode`).
    pub field: String,
    /// A stable reason (`required`, `too_long`, `unknown_category`…).
    pub reason: &'static str,
    pub message: String,
}

impl FieldError {
    fn new(field: impl Into<String>, reason: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            reason,
            message: message.into(),
        }
    }

    /// The same error under `prefix` (`items[3]`).
    pub fn under(mut self, prefix: &str) -> FieldError {
        self.field = format!("{prefix}.{}", self.field);
        self
    }
}

/// Longest name, in characters.
pub const MAX_NAME: usize = 200;
/// Longest description, target public or remark, in characters.
pub const MAX_TEXT: usize = 5_000;
/// Most contacts, locations, categories or languages in one service.
pub const MAX_ITEMS: usize = 50;

/// A change to one field: `None` leaves it as it is; `Some(None)` clears it.
pub type Change<T> = Option<Option<T>>;

/// A site by its id, or by the id its partner gave it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SiteRef {
    Id(i32),
    External(String),
}

#[derive(Clone, Debug, Default)]
pub struct OpeningInput {
    pub weekday: i32,
    pub opens: String,
    pub closes: String,
}

#[derive(Clone, Debug)]
pub struct LocationInput {
    pub site: SiteRef,
    pub schedule: Vec<OpeningInput>,
    pub schedule_remark_fr: Option<String>,
    pub schedule_remark_nl: Option<String>,
    pub wheelchair_accessible: Option<bool>,
    pub accessibility_note_fr: Option<String>,
    pub accessibility_note_nl: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ContactInput {
    pub kind: ContactKind,
    pub value: String,
    pub language: Option<String>,
    pub internal: bool,
}

/// What a write changes in a service; fields left `None` keep their value.
#[derive(Clone, Debug, Default)]
pub struct ServicePatch {
    pub name_fr: Change<String>,
    pub name_nl: Change<String>,
    pub name_en: Change<String>,
    pub description_fr: Change<String>,
    pub description_nl: Change<String>,
    pub description_en: Change<String>,
    pub target_public_fr: Change<String>,
    pub target_public_nl: Change<String>,
    pub target_public_en: Change<String>,
    pub categories: Option<Vec<String>>,
    pub languages: Option<Vec<String>>,
    pub fee: Option<Fee>,
    pub referral_required: Option<bool>,
    pub status: Option<ServiceStatus>,
    pub published: Option<bool>,
    pub contacts: Option<Vec<ContactInput>>,
    /// The professional lines alone, replaced (curation).
    pub lines: Option<Vec<ContactInput>>,
    pub locations: Option<Vec<LocationInput>>,
}

/// What a write changes in a site.
#[derive(Clone, Debug, Default)]
pub struct SitePatch {
    pub street_fr: Change<String>,
    pub street_nl: Change<String>,
    pub house_number: Change<String>,
    pub postcode: Change<String>,
    pub municipality_fr: Change<String>,
    pub municipality_nl: Change<String>,
    pub point: Change<Point>,
}

/// A site's next state, and what is worth a warning but not a refusal.
#[derive(Clone, Debug)]
pub struct CheckedSite {
    pub state: SiteState,
    pub warnings: Vec<FieldError>,
}

/// Trims a text, blank as none, and checks its length.
fn text(
    value: &Change<String>,
    current: &Option<String>,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let Some(change) = value else {
        return current.clone();
    };
    let trimmed = change
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if let Some(t) = &trimmed
        && t.chars().count() > max
    {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    trimmed
}

fn too_many(field: &str, count: usize, errors: &mut Vec<FieldError>) -> bool {
    if count > MAX_ITEMS {
        errors.push(FieldError::new(
            field,
            "too_many",
            format!("at most {MAX_ITEMS} entries"),
        ));
        return true;
    }
    false
}

/// Minutes since midnight of "HH:MM" (00:00–23:59, or 24:00 as a closing time).
fn minutes(clock: &str, closing: bool) -> Option<u32> {
    let (h, m) = clock.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let total = h * 60 + m;
    (m < 60 && (h < 24 || (closing && total == 24 * 60))).then_some(total)
}

/// The weekly openings of one location: valid days and times, opening before closing,
/// no two periods of one day overlapping. Stored as `Opening`s (24:00 as 23:59).
fn schedule(input: &[OpeningInput], path: &str, errors: &mut Vec<FieldError>) -> Vec<Opening> {
    let mut periods: Vec<(usize, u8, u32, u32)> = Vec::new();
    if too_many(path, input.len(), errors) {
        return Vec::new();
    }
    for (j, opening) in input.iter().enumerate() {
        let at = format!("{path}[{j}]");
        let weekday = u8::try_from(opening.weekday)
            .ok()
            .filter(|d| (1..=7).contains(d));
        if weekday.is_none() {
            errors.push(FieldError::new(
                format!("{at}.weekday"),
                "invalid_weekday",
                "1 (Monday) to 7 (Sunday)",
            ));
        }
        let opens = minutes(&opening.opens, false);
        let closes = minutes(&opening.closes, true);
        for (value, name) in [(opens, "opens"), (closes, "closes")] {
            if value.is_none() {
                errors.push(FieldError::new(
                    format!("{at}.{name}"),
                    "invalid_time",
                    "a time as HH:MM",
                ));
            }
        }
        if let (Some(day), Some(opens), Some(closes)) = (weekday, opens, closes) {
            if opens >= closes {
                errors.push(FieldError::new(
                    format!("{at}.closes"),
                    "closes_before_opens",
                    "closes after it opens (a night is two periods)",
                ));
            } else {
                periods.push((j, day, opens, closes));
            }
        }
    }
    // Overlaps, in one pass over the periods sorted by day and time.
    let mut sorted = periods.clone();
    sorted.sort_by_key(|p| (p.1, p.2, p.3));
    // The period of the day reaching latest so far: each one starting before it ends
    // overlaps it.
    let mut reach: Option<(u8, u32, usize)> = None;
    for &(index, day, opens, closes) in &sorted {
        match reach {
            Some((d, end, other)) if d == day && opens < end => {
                errors.push(FieldError::new(
                    format!("{path}[{}]", index.max(other)),
                    "overlapping_hours",
                    format!(
                        "overlaps the period at {path}[{}] on the same day",
                        index.min(other)
                    ),
                ));
                if closes > end {
                    reach = Some((day, closes, index));
                }
            }
            _ => reach = Some((day, closes, index)),
        }
    }
    let clock = |m: u32| {
        let m = m.min(24 * 60 - 1);
        format!("{:02}:{:02}", m / 60, m % 60)
    };
    sorted
        .into_iter()
        .map(|(_, weekday, opens, closes)| Opening {
            weekday,
            opens: clock(opens),
            closes: clock(closes),
        })
        .collect()
}

/// Contacts parsed into their stored form (E.164 phones…), each error at
/// `{path}[i].value` or `.language`.
fn check_contacts(
    contacts: &[ContactInput],
    path: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<ContactState> {
    if too_many(path, contacts.len(), errors) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(contacts.len());
    for (i, contact) in contacts.iter().enumerate() {
        let value = match contact.kind {
            ContactKind::Phone => Phone::parse(&contact.value).map(String::from),
            ContactKind::Email => Email::parse(&contact.value).map(String::from),
            ContactKind::Web => WebUrl::parse(&contact.value).map(String::from),
        };
        let language = match contact.language.as_deref().map(LanguageCode::parse) {
            None => None,
            Some(Ok(code)) => Some(code.as_str().to_owned()),
            Some(Err(e)) => {
                errors.push(FieldError::new(
                    format!("{path}[{i}].language"),
                    "invalid_language",
                    e.to_string(),
                ));
                None
            }
        };
        match value {
            Ok(value) => out.push(ContactState {
                kind: contact.kind.as_str().to_owned(),
                value,
                language,
                internal: contact.internal,
            }),
            Err(e) => errors.push(FieldError::new(
                format!("{path}[{i}].value"),
                match contact.kind {
                    ContactKind::Phone => "invalid_phone",
                    ContactKind::Email => "invalid_email",
                    ContactKind::Web => "invalid_url",
                },
                e.to_string(),
            )),
        }
    }
    out
}

/// Checks a service patch against the service's current state (the default for a new
/// one) and returns the next state, or every error. `sites` are the organisation's
/// sites; `site_ids` resolves the partner's own site ids.
pub fn service(
    reference: &Reference,
    current: &ServiceState,
    patch: &ServicePatch,
    sites: &HashMap<i32, site::Model>,
    site_ids: &HashMap<String, i32>,
) -> Result<ServiceState, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut next = ServiceState {
        name_fr: text(
            &patch.name_fr,
            &current.name_fr,
            "nameFr",
            MAX_NAME,
            &mut errors,
        ),
        name_nl: text(
            &patch.name_nl,
            &current.name_nl,
            "nameNl",
            MAX_NAME,
            &mut errors,
        ),
        name_en: text(
            &patch.name_en,
            &current.name_en,
            "nameEn",
            MAX_NAME,
            &mut errors,
        ),
        description_fr: text(
            &patch.description_fr,
            &current.description_fr,
            "descriptionFr",
            MAX_TEXT,
            &mut errors,
        ),
        description_nl: text(
            &patch.description_nl,
            &current.description_nl,
            "descriptionNl",
            MAX_TEXT,
            &mut errors,
        ),
        description_en: text(
            &patch.description_en,
            &current.description_en,
            "descriptionEn",
            MAX_TEXT,
            &mut errors,
        ),
        target_public_fr: text(
            &patch.target_public_fr,
            &current.target_public_fr,
            "targetPublicFr",
            MAX_TEXT,
            &mut errors,
        ),
        target_public_nl: text(
            &patch.target_public_nl,
            &current.target_public_nl,
            "targetPublicNl",
            MAX_TEXT,
            &mut errors,
        ),
        target_public_en: text(
            &patch.target_public_en,
            &current.target_public_en,
            "targetPublicEn",
            MAX_TEXT,
            &mut errors,
        ),
        fee: patch
            .fee
            .map_or_else(|| current.fee.clone(), |f| f.as_str().to_owned()),
        referral_required: patch.referral_required.unwrap_or(current.referral_required),
        status: patch
            .status
            .map_or_else(|| current.status.clone(), |s| s.as_str().to_owned()),
        published: patch.published.unwrap_or(current.published),
        ..current.clone()
    };
    if next.name_fr.is_none() && next.name_nl.is_none() {
        errors.push(FieldError::new(
            "nameFr",
            "required",
            "a service needs a name in French or in Dutch",
        ));
    }
    if let Some(codes) = &patch.categories
        && !too_many("categories", codes.len(), &mut errors)
    {
        let mut found = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            match reference.category_by_code(code.trim()) {
                Some(category) => found.push(category.code.clone()),
                None => errors.push(FieldError::new(
                    format!("categories[{i}]"),
                    "unknown_category",
                    format!("{code:?} is not a category code (see `categories`)"),
                )),
            }
        }
        found.sort();
        found.dedup();
        next.categories = found;
    }
    if let Some(codes) = &patch.languages
        && !too_many("languages", codes.len(), &mut errors)
    {
        let mut found = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            match LanguageCode::parse(code) {
                Ok(code) => found.push(code.as_str().to_owned()),
                Err(e) => errors.push(FieldError::new(
                    format!("languages[{i}]"),
                    "invalid_language",
                    e.to_string(),
                )),
            }
        }
        found.sort();
        found.dedup();
        next.languages = found;
    }
    // `contacts` replaces the public contacts, and the professional lines when it gives
    // any (else a curator's lines outlive a partner's public list); `lines` replaces the
    // lines alone (curation).
    if let Some(contacts) = &patch.contacts {
        let checked = check_contacts(contacts, "contacts", &mut errors);
        let gives_lines = contacts.iter().any(|c| c.internal);
        let kept = current
            .contacts
            .iter()
            .filter(|c| c.internal && !gives_lines);
        next.contacts = checked.into_iter().chain(kept.cloned()).collect();
    }
    if let Some(lines) = &patch.lines {
        let checked = check_contacts(lines, "internalContacts", &mut errors);
        let public = next.contacts.iter().filter(|c| !c.internal).cloned();
        next.contacts = public
            .chain(checked.into_iter().map(|mut c| {
                c.internal = true;
                c
            }))
            .collect();
    }
    if let Some(locations) = &patch.locations
        && !too_many("locations", locations.len(), &mut errors)
    {
        next.locations = Vec::new();
        for (i, location) in locations.iter().enumerate() {
            let at = format!("locations[{i}]");
            let site = match &location.site {
                SiteRef::Id(id) => sites.contains_key(id).then_some(*id),
                SiteRef::External(key) => site_ids.get(key).copied(),
            };
            let Some(site) = site else {
                errors.push(FieldError::new(
                    format!("{at}.site"),
                    "unknown_site",
                    "not a site of this organisation",
                ));
                continue;
            };
            if next.locations.iter().any(|l| l.site == site) {
                errors.push(FieldError::new(
                    format!("{at}.site"),
                    "duplicate_site",
                    "the service is at this site already",
                ));
                continue;
            }
            let schedule = schedule(&location.schedule, &format!("{at}.schedule"), &mut errors);
            let remark = |value: &Option<String>, name: &str, errors: &mut Vec<FieldError>| {
                text(
                    &Some(value.clone()),
                    &None,
                    &format!("{at}.{name}"),
                    MAX_TEXT,
                    errors,
                )
            };
            next.locations.push(LocationState {
                site,
                schedule,
                schedule_remark_fr: remark(
                    &location.schedule_remark_fr,
                    "scheduleRemarkFr",
                    &mut errors,
                ),
                schedule_remark_nl: remark(
                    &location.schedule_remark_nl,
                    "scheduleRemarkNl",
                    &mut errors,
                ),
                wheelchair_accessible: location.wheelchair_accessible,
                accessibility_note_fr: remark(
                    &location.accessibility_note_fr,
                    "accessibilityNoteFr",
                    &mut errors,
                ),
                accessibility_note_nl: remark(
                    &location.accessibility_note_nl,
                    "accessibilityNoteNl",
                    &mut errors,
                ),
            });
        }
    }
    next.normalise();
    if errors.is_empty() {
        Ok(next)
    } else {
        Err(errors)
    }
}

/// Checks a site patch: a postcode of the region or a point inside it (at least one),
/// texts of sensible length; a point outside the postcode's commune is a warning.
pub fn site(
    reference: &Reference,
    current: &SiteState,
    patch: &SitePatch,
) -> Result<CheckedSite, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let street = |v: &Change<String>, c: &Option<String>, f: &str, e: &mut Vec<FieldError>| {
        text(v, c, f, MAX_NAME, e)
    };
    let mut next = SiteState {
        street_fr: street(
            &patch.street_fr,
            &current.street_fr,
            "streetFr",
            &mut errors,
        ),
        street_nl: street(
            &patch.street_nl,
            &current.street_nl,
            "streetNl",
            &mut errors,
        ),
        house_number: text(
            &patch.house_number,
            &current.house_number,
            "houseNumber",
            20,
            &mut errors,
        ),
        postcode: text(
            &patch.postcode,
            &current.postcode,
            "postcode",
            10,
            &mut errors,
        ),
        municipality_fr: street(
            &patch.municipality_fr,
            &current.municipality_fr,
            "municipalityFr",
            &mut errors,
        ),
        municipality_nl: street(
            &patch.municipality_nl,
            &current.municipality_nl,
            "municipalityNl",
            &mut errors,
        ),
        lat: current.lat,
        lon: current.lon,
    };
    if let Some(point) = &patch.point {
        next.lat = point.map(|p| p.lat);
        next.lon = point.map(|p| p.lon);
    }
    let communes = next
        .postcode
        .as_deref()
        .and_then(crate::store::postcode_communes);
    if next.postcode.is_some() && communes.is_none() {
        errors.push(FieldError::new(
            "postcode",
            "outside_region",
            "not a postcode of the Brussels-Capital Region (1000–1210)",
        ));
    }
    if let (Some(lat), Some(lon)) = (next.lat, next.lon) {
        let territories = reference.resolve_point(Point { lat, lon });
        if !lat.is_finite() || !lon.is_finite() || territories.is_empty() {
            errors.push(FieldError::new(
                "point",
                "outside_region",
                "the point lies outside the Brussels-Capital Region",
            ));
        } else if let Some(communes) = communes {
            let commune = territories.iter().find(|t| t.level == Level::Commune);
            if let Some(commune) = commune
                && !communes.iter().any(|(fr, _)| *fr == commune.name_fr)
            {
                warnings.push(FieldError::new(
                    "point",
                    "point_outside_postcode",
                    format!(
                        "the point lies in {}, not in the commune of postcode {}",
                        commune.name_fr,
                        next.postcode.as_deref().unwrap_or_default()
                    ),
                ));
            }
        }
    } else if next.lat.is_some() != next.lon.is_some() {
        errors.push(FieldError::new(
            "point",
            "invalid_point",
            "give both lat and lon",
        ));
    }
    if next.postcode.is_none() && next.lat.is_none() {
        errors.push(FieldError::new(
            "postcode",
            "required",
            "a site needs a postcode or a point",
        ));
    }
    if errors.is_empty() {
        Ok(CheckedSite {
            state: next,
            warnings,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opening(weekday: i32, opens: &str, closes: &str) -> OpeningInput {
        OpeningInput {
            weekday,
            opens: opens.to_owned(),
            closes: closes.to_owned(),
        }
    }

    #[test]
    fn hours_are_checked_with_the_path_of_each_period() {
        let mut errors = Vec::new();
        let found = schedule(
            &[
                opening(1, "09:00", "12:00"),
                opening(1, "13:00", "24:00"),
                opening(8, "09:00", "10:00"),
                opening(2, "9h", "17:00"),
                opening(3, "17:00", "09:00"),
                opening(1, "11:30", "14:00"),
            ],
            "locations[0].schedule",
            &mut errors,
        );
        let reasons: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("locations[0].schedule[2].weekday", "invalid_weekday"),
                ("locations[0].schedule[3].opens", "invalid_time"),
                ("locations[0].schedule[4].closes", "closes_before_opens"),
                ("locations[0].schedule[5]", "overlapping_hours"),
                ("locations[0].schedule[5]", "overlapping_hours"),
            ]
        );
        assert!(
            found.iter().any(|o| o.closes == "23:59"),
            "24:00 kept as 23:59"
        );
    }

    #[test]
    fn a_clock_is_hh_mm() {
        assert_eq!(minutes("09:30", false), Some(570));
        assert_eq!(minutes("24:00", true), Some(1440));
        assert_eq!(minutes("24:00", false), None);
        assert_eq!(minutes("9:30", false), None);
        assert_eq!(minutes("12:60", false), None);
    }
}

//! Deterministic demo dataset of Brussels first-line social and health services.
//!
//! Organisations are invented (apart from generic public bodies such as each commune's
//! CPAS/OCMW) but follow the real institutional landscape: who recognises or funds which kind
//! of service, in which language, with which fee model. This lets the gateway be demonstrated
//! and tested end to end without importing any real registry. The output only depends on the
//! fixed seed and on the `place` callback, so snapshots and tests stay stable.

pub(crate) mod tables;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde::Serialize;

use tables::{
    ACCESS_NO, ACCESS_YES, Acc, COMMUNES, Commune, EXTRA_LANGUAGES, Hours, INFORMAL_STATUS, KINDS,
    Kind, Lang, NAMES, Pair, REMARK_ALWAYS, REMARK_APPOINTMENT, REMARKS, Svc,
};

/// Changing the seed reshuffles the whole dataset (and every key's content): keep it fixed.
const SEED: u64 = 0x0B5E_B1EC_2025_0001;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoOrganisation {
    pub key: String,
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub legal_status_fr: String,
    pub legal_status_nl: String,
    pub kbo: Option<String>,
    pub nihii: Option<String>,
    pub website: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub sites: Vec<DemoSite>,
    pub services: Vec<DemoService>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoSite {
    pub key: String,
    pub street_fr: String,
    pub street_nl: String,
    pub number: String,
    pub postcode: String,
    pub municipality_fr: String,
    pub municipality_nl: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoService {
    pub key: String,
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub description_fr: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    pub target_public_fr: Option<String>,
    pub target_public_nl: Option<String>,
    pub categories: Vec<String>,
    pub languages: Vec<String>,
    pub fee: String,
    pub referral_required: bool,
    pub status: String,
    pub published: bool,
    pub site_keys: Vec<String>,
    pub schedule: Vec<DemoOpening>,
    pub schedule_remark_fr: Option<String>,
    pub schedule_remark_nl: Option<String>,
    pub wheelchair_accessible: Option<bool>,
    pub accessibility_note_fr: Option<String>,
    pub accessibility_note_nl: Option<String>,
    pub accreditations: Vec<DemoAccreditation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoOpening {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoAccreditation {
    pub authority: String,
    pub kind: String,
    pub legal_basis: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

/// Builds the demo dataset. `place(commune_nis, seed)` must return a WGS84 `(lat, lon)` inside
/// that commune; the caller owns the real polygons, so this module stays geometry-free.
pub fn generate(place: &dyn Fn(&str, u64) -> (f64, f64)) -> Vec<DemoOrganisation> {
    let mut g = Generator {
        rng: Rng(SEED),
        place,
        orgs: Vec::new(),
        kbos: BTreeSet::new(),
        named: 0,
    };
    let deck = g.commune_deck();
    let mut dealt = 0;
    for kind in KINDS {
        if kind.count == 0 {
            for (nth, commune) in COMMUNES.iter().enumerate() {
                g.organisation(kind, commune, nth);
            }
        } else {
            for nth in 0..usize::from(kind.count) {
                let commune = deck[dealt % deck.len()];
                dealt += 1;
                g.organisation(kind, commune, nth);
            }
        }
    }
    g.orgs
}

/// True when `kbo` is a well-formed enterprise number ("0xxx.xxx.xxx", dots optional) whose
/// last two digits equal 97 minus the first eight modulo 97.
pub fn kbo_is_valid(kbo: &str) -> bool {
    let ten_digits = kbo.chars().filter(char::is_ascii_digit).count() == 10;
    ten_digits && crate::domain::Kbo::parse(kbo).is_ok()
}

/// SplitMix64: tiny and well distributed, so no `rand` dependency is needed for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // The modulo bias is irrelevant at these tiny ranges.
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.below(100) < usize::from(percent)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Copy)]
enum Tongue {
    Fr,
    Nl,
    En,
}

/// What a template placeholder can refer to.
struct Names<'a> {
    commune: &'a Commune,
    proper: Pair,
    org_fr: Option<&'a str>,
    org_nl: Option<&'a str>,
}

fn fill(template: &str, tongue: Tongue, names: &Names) -> String {
    let c = names.commune;
    // English text reuses the organisation's own proper name: it has no English one.
    let fr_first = names.org_fr.is_some() || names.org_nl.is_none();
    let (commune, proper, org, adm) = match tongue {
        Tongue::Fr => {
            let adm = format!("{} {}", if c.city { "Ville" } else { "Commune" }, c.de);
            (c.fr, names.proper.0, names.org_fr, adm)
        }
        Tongue::Nl => {
            let adm = format!("{} {}", if c.city { "Stad" } else { "Gemeente" }, c.nl);
            (c.nl, names.proper.1, names.org_nl, adm)
        }
        Tongue::En => {
            let adm = format!(
                "{} {}",
                if c.city { "City of" } else { "Municipality of" },
                c.en
            );
            let proper = if fr_first {
                names.proper.0
            } else {
                names.proper.1
            };
            (c.en, proper, names.org_fr.or(names.org_nl), adm)
        }
    };
    template
        .replace("{org}", org.unwrap_or_default())
        .replace("{n}", proper)
        .replace("{c}", commune)
        .replace("{de}", c.de)
        .replace("{adm}", &adm)
}

/// The DNS-safe slug example domains are derived from (shared with `feeds`).
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        let ch = match ch {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        };
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    // A DNS label holds at most 63 characters.
    while out.len() > 63 {
        match out.rfind('-') {
            Some(cut) => out.truncate(cut),
            None => out.truncate(63),
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn kbo_from_base(base: u64) -> String {
    let full = base * 100 + (97 - base % 97);
    format!(
        "{:04}.{:03}.{:03}",
        full / 1_000_000,
        full / 1000 % 1000,
        full % 1000
    )
}

fn opening(weekday: u8, opens: &str, closes: &str) -> DemoOpening {
    DemoOpening {
        weekday,
        opens: opens.to_owned(),
        closes: closes.to_owned(),
    }
}

/// Per-organisation facts every service of that organisation shares.
struct OrgCtx<'a> {
    kind: &'a Kind,
    proper: Pair,
    name_fr: Option<String>,
    name_nl: Option<String>,
    sites: Vec<(&'static Commune, String)>,
    languages: Vec<String>,
}

struct Generator<'p> {
    rng: Rng,
    place: &'p dyn Fn(&str, u64) -> (f64, f64),
    orgs: Vec<DemoOrganisation>,
    kbos: BTreeSet<u64>,
    /// Proper names are dealt in sequence so kinds sharing a name pattern never collide.
    named: usize,
}

impl Generator<'_> {
    /// Each commune appears `weight` times, shuffled: dealing associations from this deck
    /// spreads them roughly by population while every commune gets its share early on.
    fn commune_deck(&mut self) -> Vec<&'static Commune> {
        let mut deck: Vec<&'static Commune> = COMMUNES
            .iter()
            .flat_map(|c| std::iter::repeat_n(c, usize::from(c.weight)))
            .collect();
        for i in (1..deck.len()).rev() {
            let j = self.rng.below(i + 1);
            deck.swap(i, j);
        }
        deck
    }

    fn organisation(&mut self, kind: &Kind, home: &'static Commune, nth: usize) {
        let key = format!("demo-org-{:04}", self.orgs.len() + 1);
        let proper = NAMES[self.named % NAMES.len()];
        self.named += usize::from(kind.org.iter().any(|t| t.contains("{n}")));
        let names = Names {
            commune: home,
            proper,
            org_fr: None,
            org_nl: None,
        };
        let name_fr = (kind.lang != Lang::Nl).then(|| fill(kind.org[0], Tongue::Fr, &names));
        let name_nl = (kind.lang != Lang::Fr).then(|| fill(kind.org[1], Tongue::Nl, &names));

        let mut communes = vec![home];
        // Local public bodies of the most populous communes always run a decentralised antenna.
        let big_public = kind.count == 0 && home.weight >= 7;
        if self.rng.chance(kind.second_site) || big_public {
            // Public bodies open antennas within their own commune; associations may cross.
            communes.push(if kind.count == 0 {
                home
            } else {
                &COMMUNES[self.rng.below(COMMUNES.len())]
            });
        }
        let sites: Vec<DemoSite> = communes
            .iter()
            .enumerate()
            .map(|(i, c)| self.site(&key, i, c))
            .collect();

        // The first one is always informal so the dataset has organisations without a KBO.
        let informal = kind.informal > 0 && (nth == 0 || self.rng.chance(kind.informal));
        let legal = if informal {
            INFORMAL_STATUS
        } else {
            kind.legal
        };
        let kbo = (!informal).then(|| self.kbo(kind.legal.0 != "ASBL"));
        let nihii = kind
            .nihii
            .then(|| format!("8{:010}", self.rng.next() % 10_000_000_000));
        let languages = self.languages(kind);

        let domain = slug(name_fr.as_deref().or(name_nl.as_deref()).unwrap_or(&key));
        let website = self
            .rng
            .chance(85)
            .then(|| format!("https://{domain}.example"));
        let mut phones = vec![self.phone(kind.freephone)];
        if self.rng.chance(30) {
            phones.push(format!("+3247{:07}", self.rng.below(10_000_000)));
        }
        let mut emails = Vec::new();
        if self.rng.chance(90) {
            emails.push(format!("info@{domain}.example"));
            if self.rng.chance(35) {
                let desk = if kind.lang == Lang::Nl {
                    "onthaal"
                } else {
                    "accueil"
                };
                emails.push(format!("{desk}@{domain}.example"));
            }
        }

        let ctx = OrgCtx {
            kind,
            proper,
            name_fr,
            name_nl,
            sites: communes
                .into_iter()
                .zip(sites.iter().map(|s| s.key.clone()))
                .collect(),
            languages,
        };
        // Template j is forced on the kind's (j mod n)-th organisation, so every template, and
        // thus every category and authority, appears whatever the random draws.
        let siblings = if kind.count == 0 {
            COMMUNES.len()
        } else {
            usize::from(kind.count)
        };
        // A forced template is also published and active, so every category and authority
        // is visible to the public, not only present in the database.
        let mut chosen: Vec<(&Svc, bool)> = (kind.services.iter().enumerate())
            .filter_map(|(j, s)| {
                let forced = j % siblings == nth;
                (self.rng.chance(s.chance) || forced).then_some((s, forced))
            })
            .collect();
        if chosen.is_empty() {
            chosen.extend(kind.services.first().map(|s| (s, true)));
        }
        let services = chosen
            .into_iter()
            .enumerate()
            .map(|(i, (svc, forced))| self.service(&ctx, svc, i, &key, forced))
            .collect();

        self.orgs.push(DemoOrganisation {
            key,
            name_fr: ctx.name_fr,
            name_nl: ctx.name_nl,
            legal_status_fr: legal.0.to_owned(),
            legal_status_nl: legal.1.to_owned(),
            kbo,
            nihii,
            website,
            phones,
            emails,
            sites,
            services,
        });
    }

    fn site(&mut self, org_key: &str, i: usize, commune: &Commune) -> DemoSite {
        let (street_fr, street_nl, postcode) = self.rng.pick(commune.streets);
        let mut number = (1 + self.rng.below(240)).to_string();
        if self.rng.chance(8) {
            number.push(self.rng.pick(&['A', 'B']));
        }
        let (lat, lon) = (self.place)(commune.nis, self.rng.next());
        DemoSite {
            key: format!("{org_key}-site-{}", i + 1),
            street_fr: street_fr.to_owned(),
            street_nl: street_nl.to_owned(),
            number,
            postcode: postcode.to_owned(),
            municipality_fr: commune.fr.to_owned(),
            municipality_nl: commune.nl.to_owned(),
            lat,
            lon,
        }
    }

    fn kbo(&mut self, public: bool) -> String {
        // Public bodies carry 02xx numbers, associations 04xx–08xx, as in the real register.
        loop {
            let prefix = if public {
                20 + self.rng.below(10)
            } else {
                40 + self.rng.below(50)
            };
            let base = (prefix * 100_000 + self.rng.below(100_000)) as u64;
            if self.kbos.insert(base) {
                return kbo_from_base(base);
            }
        }
    }

    fn phone(&mut self, freephone: bool) -> String {
        if freephone {
            format!("+32800{:05}", self.rng.below(100_000))
        } else {
            format!("+322{}", 2_000_000 + self.rng.below(8_000_000))
        }
    }

    fn languages(&mut self, kind: &Kind) -> Vec<String> {
        let mut langs = match kind.lang {
            Lang::Fr => vec!["fr"],
            Lang::Nl => vec!["nl"],
            Lang::Bi => vec!["fr", "nl"],
        };
        if (kind.lang == Lang::Fr && self.rng.chance(20))
            || (kind.lang == Lang::Nl && self.rng.chance(60))
        {
            langs.push(if kind.lang == Lang::Fr { "nl" } else { "fr" });
        }
        if self.rng.chance(kind.en) {
            langs.push("en");
        }
        for &(code, percent) in EXTRA_LANGUAGES {
            // Flemish services in Brussels work less often in migrant languages.
            let percent = if kind.lang == Lang::Nl {
                percent / 2
            } else {
                percent
            };
            if self.rng.chance(percent) {
                langs.push(code);
            }
        }
        langs.into_iter().map(str::to_owned).collect()
    }

    fn service(
        &mut self,
        org: &OrgCtx,
        svc: &Svc,
        i: usize,
        org_key: &str,
        forced: bool,
    ) -> DemoService {
        let two = org.sites.len() > 1;
        let at: &[usize] = match (two, i, self.rng.below(10)) {
            (false, _, _) => &[0],
            (true, 0, r) if r < 4 => &[0, 1],
            (true, 0, _) => &[0],
            (true, _, 0..=3) => &[0, 1],
            (true, _, 4..=6) => &[0],
            (true, _, _) => &[1],
        };
        let commune = org.sites[at[0]].0;
        let names = Names {
            commune,
            proper: org.proper,
            org_fr: org.name_fr.as_deref(),
            org_nl: org.name_nl.as_deref(),
        };
        let has_fr = org.kind.lang != Lang::Nl;
        let has_nl = org.kind.lang != Lang::Fr;
        let has_en = org.languages.iter().any(|l| l == "en");
        let text = |on: bool, tpl: &str, tongue| on.then(|| fill(tpl, tongue, &names));
        let pair = |p: Pair| {
            (
                has_fr.then(|| p.0.to_owned()),
                has_nl.then(|| p.1.to_owned()),
            )
        };

        let mut schedule = self.schedule(svc.hours);
        schedule.sort_by(|a, b| (a.weekday, &a.opens).cmp(&(b.weekday, &b.opens)));
        let remark = match svc.hours {
            Hours::Appointment => Some(REMARK_APPOINTMENT),
            Hours::Always => self.rng.chance(50).then_some(REMARK_ALWAYS),
            _ => self.rng.chance(30).then(|| self.rng.pick(REMARKS)),
        };
        let (wheelchair, note) = match self.rng.below(100) {
            0..55 => (
                Some(true),
                self.rng.chance(50).then(|| self.rng.pick(ACCESS_YES)),
            ),
            55..75 => (
                Some(false),
                self.rng.chance(70).then(|| self.rng.pick(ACCESS_NO)),
            ),
            _ => (None, None),
        };
        let status = match self.rng.below(100) {
            _ if forced => "active",
            0..3 => "inactive",
            3..7 => "temporarily_closed",
            _ => "active",
        };
        let (remark_fr, remark_nl) = remark.map(pair).unwrap_or_default();
        let (note_fr, note_nl) = note.map(pair).unwrap_or_default();
        let (public_fr, public_nl) = pair(svc.public);
        DemoService {
            key: format!("{org_key}-svc-{}", i + 1),
            name_fr: text(has_fr, svc.name[0], Tongue::Fr),
            name_nl: text(has_nl, svc.name[1], Tongue::Nl),
            name_en: text(has_en, svc.name[2], Tongue::En),
            description_fr: text(has_fr, svc.desc[0], Tongue::Fr),
            description_nl: text(has_nl, svc.desc[1], Tongue::Nl),
            description_en: text(has_en, svc.desc[2], Tongue::En),
            target_public_fr: public_fr,
            target_public_nl: public_nl,
            categories: svc.cats.iter().map(|c| (*c).to_owned()).collect(),
            languages: org.languages.clone(),
            fee: self.rng.pick(svc.fees).to_owned(),
            referral_required: self.rng.chance(svc.referral),
            status: status.to_owned(),
            published: !self.rng.chance(5) || forced,
            site_keys: at.iter().map(|&s| org.sites[s].1.clone()).collect(),
            schedule,
            schedule_remark_fr: remark_fr,
            schedule_remark_nl: remark_nl,
            wheelchair_accessible: wheelchair,
            accessibility_note_fr: note_fr,
            accessibility_note_nl: note_nl,
            accreditations: svc.acc.iter().map(|a| self.accreditation(a)).collect(),
        }
    }

    fn schedule(&mut self, hours: Hours) -> Vec<DemoOpening> {
        let weekdays = |opens: &str, closes: &str| -> Vec<DemoOpening> {
            (1..=5).map(|d| opening(d, opens, closes)).collect()
        };
        match hours {
            Hours::Office => {
                let (opens, closes) =
                    self.rng
                        .pick(&[("08:30", "16:30"), ("09:00", "17:00"), ("09:00", "16:00")]);
                weekdays(opens, closes)
            }
            Hours::Split => {
                // Many ambulatory services keep Wednesday afternoon for team meetings.
                let wednesday_closed = self.rng.chance(50);
                (1..=5)
                    .flat_map(|d| {
                        let afternoon = !(wednesday_closed && d == 3);
                        std::iter::once(opening(d, "09:00", "12:30"))
                            .chain(afternoon.then(|| opening(d, "13:30", "17:00")))
                    })
                    .collect()
            }
            Hours::Long => {
                let mut days = weekdays("08:00", "19:00");
                if self.rng.chance(60) {
                    days.push(opening(6, "09:00", "12:00"));
                }
                days
            }
            Hours::Mornings => weekdays("09:00", "12:00"),
            Hours::Afternoons => weekdays("13:00", "18:00"),
            Hours::Weekly => {
                let first = 1 + self.rng.below(5) as u8;
                let second = 1 + (first + self.rng.below(3) as u8) % 5;
                vec![
                    opening(first, "09:00", "12:00"),
                    opening(second, "13:30", "16:30"),
                ]
            }
            Hours::Appointment => {
                if self.rng.chance(50) {
                    Vec::new()
                } else {
                    weekdays("09:00", "17:00")
                }
            }
            Hours::Always => (1..=7).map(|d| opening(d, "00:00", "23:59")).collect(),
            Hours::Daily => (1..=7).map(|d| opening(d, "08:00", "20:00")).collect(),
            Hours::Daycare => weekdays("07:00", "18:30"),
        }
    }

    fn accreditation(&mut self, acc: &Acc) -> DemoAccreditation {
        // An accreditation cannot predate the text it rests on.
        let enacted = acc
            .basis
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse::<usize>().ok())
            .filter(|y| (1900..2100).contains(y))
            .max()
            .unwrap_or(0);
        let first = enacted.clamp(2002, 2022) + 1;
        let valid_from = format!(
            "{}-{:02}-{:02}",
            first + self.rng.below(2025 - first),
            1 + self.rng.below(12),
            1 + self.rng.below(28)
        );
        DemoAccreditation {
            authority: acc.authority.to_owned(),
            kind: acc.kind.to_owned(),
            legal_basis: acc.basis.to_owned(),
            valid_from,
            valid_to: self
                .rng
                .chance(25)
                .then(|| format!("{}-12-31", 2026 + self.rng.below(5))),
        }
    }
}

//! Helpdesk orientation: a professional's need (categories, where, languages, fee,
//! referral, when, for whom) → the services that offer it, ranked, each with the
//! criteria it meets, fails or leaves unknown, so that the choice can be explained. The
//! ranking is documented in `docs/orientation.md`:
//!
//! 1. fewer failed criteria first (an asked condition the service does not meet);
//! 2. then fewer unknown criteria (the directory does not say);
//! 3. then a service with a place in the need's bassin first;
//! 4. then the nearest (by its nearest place) when the need gives a place;
//! 5. then by id, so that the order is stable.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::{
    auth::ServiceScope,
    domain::{Fee, LanguageCode, ServiceStatus, normalize_for_search, search_tokens},
    geo::{Level, Point, haversine_m},
    read_model::{ServiceEntry, Snapshot},
    reference::Reference,
    search::{Holidays, ServiceQuery, opening, relevance::Word},
};

/// A straight line is this much shorter than a walk through streets.
pub const DETOUR: f64 = 1.3;
/// Metres walked in a minute (4.5 km/h).
pub const WALK_M_PER_MIN: f64 = 75.0;

/// How directories say a service is for everyone (folded): such a service suits any
/// asked public.
const EVERYONE: [&str; 8] = [
    "tout public",
    "tous publics",
    "tout le monde",
    "iedereen",
    "alle doelgroepen",
    "algemeen publiek",
    "everyone",
    "general public",
];

/// A validated need.
#[derive(Clone, Debug, Default)]
pub struct Need {
    /// Category ids, descendants expanded; a service must offer one of them.
    pub categories: Vec<i32>,
    /// Where the person is.
    pub place: Option<Point>,
    /// The territory asked, when no place is given or besides it.
    pub territory: Option<i32>,
    /// The bassin the need belongs to: of the place, of the territory, or of the team.
    pub bassin: Option<i32>,
    pub languages: Option<Vec<LanguageCode>>,
    pub free_only: bool,
    pub no_referral: bool,
    pub open_at: Option<DateTime<Utc>>,
    /// Target publics, each as its folded words ("personnes âgées" → "personnes",
    /// "agees"), matched as the search matches words (`search::relevance::Word::names`).
    pub publics: Vec<Vec<Word>>,
    pub holidays: Holidays,
}

impl Need {
    /// The words of each public, folded as the search folds them.
    pub fn publics(texts: &[String]) -> Vec<Vec<Word>> {
        texts
            .iter()
            .map(|text| {
                search_tokens(text)
                    .into_iter()
                    .map(Word::new)
                    .collect::<Vec<_>>()
            })
            .filter(|words| !words.is_empty())
            .collect()
    }

    /// The bassin of the place, else of the territory (its own bassin: one when it lies
    /// in one), else `team`'s.
    pub fn bassin_of(
        reference: &Reference,
        place: Option<Point>,
        territory: Option<i32>,
        team: Option<i32>,
    ) -> Option<i32> {
        let of_place = place.and_then(|p| {
            reference
                .resolve_point(p)
                .into_iter()
                .find(|t| t.level == Level::Bassin)
                .map(|t| t.id)
        });
        let of_territory = || {
            territory.and_then(|id| match reference.ancestors_at(id, Level::Bassin)[..] {
                [one] => Some(one),
                _ => None,
            })
        };
        of_place.or_else(of_territory).or(team)
    }
}

/// A criterion a service is judged on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "OrientationCriterion")]
pub enum Criterion {
    /// A place in the asked territory.
    Territory,
    /// Offered in one of the asked languages.
    Language,
    /// Open at the asked time at one of its places.
    OpenAt,
    /// Free of charge.
    Fee,
    /// Reached without a professional's referral.
    Referral,
    /// Its target public includes the asked one.
    Public,
    /// A place in the need's bassin (a preference: it orders, it never fails).
    Bassin,
}

/// How a service fares on a criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "CriterionOutcome")]
pub enum Outcome {
    Met,
    Failed,
    /// The directory does not say.
    Unknown,
}

/// One criterion's judgement, with what it was judged on.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub criterion: Criterion,
    pub outcome: Outcome,
    /// The service's value: languages, fee, target public, when it opens next.
    pub detail: Option<String>,
}

/// A service proposed for a need.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub service: Arc<ServiceEntry>,
    /// To its nearest place, when the need gives a place.
    pub distance_m: Option<f64>,
    pub reasons: Vec<Reason>,
}

impl Proposal {
    /// The asked criteria it fails (the bassin preference never fails).
    pub fn fails(&self) -> impl Iterator<Item = Criterion> + '_ {
        self.reasons
            .iter()
            .filter(|r| r.outcome == Outcome::Failed && r.criterion != Criterion::Bassin)
            .map(|r| r.criterion)
    }

    fn unknowns(&self) -> usize {
        self.reasons
            .iter()
            .filter(|r| r.outcome == Outcome::Unknown)
            .count()
    }

    fn in_bassin(&self) -> Option<bool> {
        self.reasons
            .iter()
            .find(|r| r.criterion == Criterion::Bassin)
            .map(|r| r.outcome == Outcome::Met)
    }

    /// Minutes on foot: the straight line lengthened by [`DETOUR`], at [`WALK_M_PER_MIN`].
    pub fn walking_minutes(&self) -> Option<u32> {
        self.distance_m
            .map(|d| (d * DETOUR / WALK_M_PER_MIN).ceil() as u32)
    }

    /// The ranking key (see the module's documentation): smaller ranks first.
    fn key(&self) -> (usize, usize, bool, u64, i32) {
        (
            self.fails().count(),
            self.unknowns(),
            self.in_bassin() == Some(false),
            self.distance_m.map_or(0, |d| d.round() as u64),
            self.service.model.id,
        )
    }
}

fn judge(outcome: Outcome, criterion: Criterion, detail: Option<String>) -> Reason {
    Reason {
        criterion,
        outcome,
        detail,
    }
}

/// The services `scope` sees that offer one of the need's categories, active, ranked;
/// the first `limit`.
pub fn orient(
    need: &Need,
    snapshot: &Snapshot,
    reference: &Reference,
    scope: &ServiceScope,
    limit: usize,
) -> Vec<Proposal> {
    let query = ServiceQuery {
        categories: Some(need.categories.clone()),
        statuses: Some(vec![ServiceStatus::Active]),
        ..ServiceQuery::default()
    };
    // Every candidate judged without the details, the first `limit` kept, then judged
    // again with them: the details are strings, built for the answer only.
    let mut ranked: Vec<Proposal> = query
        .ids(snapshot, scope)
        .into_iter()
        .filter_map(|id| snapshot.service(id).cloned())
        .map(|service| judged(need, snapshot, reference, service, false))
        .collect();
    ranked.sort_by_key(Proposal::key);
    ranked.truncate(limit);
    ranked
        .into_iter()
        .map(|p| judged(need, snapshot, reference, p.service, true))
        .collect()
}

/// A service judged on the need; `detailed`: with each reason's detail (strings).
fn judged(
    need: &Need,
    snapshot: &Snapshot,
    reference: &Reference,
    service: Arc<ServiceEntry>,
    detailed: bool,
) -> Proposal {
    let m = &service.model;
    let sites = || service.locations.iter().map(|l| l.site_id);
    let distance_m = need.place.and_then(|p| {
        sites()
            .filter_map(|id| snapshot.site_point(id))
            .map(|s| haversine_m(p, s))
            .min_by(f64::total_cmp)
    });
    let in_territory = |territory: i32| {
        sites().any(|id| {
            snapshot
                .site(id)
                .is_some_and(|site| site.territories.contains(&territory))
        })
    };
    let judge = |outcome: Outcome, criterion: Criterion, detail: &dyn Fn() -> Option<String>| {
        judge(outcome, criterion, if detailed { detail() } else { None })
    };
    let met = |yes: bool| if yes { Outcome::Met } else { Outcome::Failed };
    let mut reasons = Vec::new();
    if let Some(territory) = need.territory {
        reasons.push(judge(
            met(in_territory(territory)),
            Criterion::Territory,
            &|| reference.territory(territory).map(|t| t.code.clone()),
        ));
    }
    if let Some(languages) = &need.languages {
        let offered = || (!service.languages.is_empty()).then(|| service.languages.join(", "));
        let outcome = if service.languages.is_empty() {
            Outcome::Unknown
        } else {
            met(languages
                .iter()
                .any(|l| service.languages.iter().any(|s| s == l.as_str())))
        };
        reasons.push(judge(outcome, Criterion::Language, &offered));
    }
    if let Some(at) = need.open_at {
        let (open, next) = opening(&service, &need.holidays, at);
        let outcome = match open {
            Some(open) => met(open),
            None => Outcome::Unknown,
        };
        reasons.push(judge(outcome, Criterion::OpenAt, &|| {
            next.map(|n| n.to_rfc3339())
        }));
    }
    if need.free_only {
        let outcome = match m.fee {
            Fee::Free => Outcome::Met,
            Fee::Unknown => Outcome::Unknown,
            _ => Outcome::Failed,
        };
        reasons.push(judge(outcome, Criterion::Fee, &|| {
            Some(m.fee.as_str().to_owned())
        }));
    }
    if need.no_referral {
        reasons.push(judge(
            met(!m.referral_required),
            Criterion::Referral,
            &|| None,
        ));
    }
    if !need.publics.is_empty() {
        let stated: Vec<&str> = [
            m.target_public_fr.as_deref(),
            m.target_public_nl.as_deref(),
            m.target_public_en.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect();
        let outcome = if stated.is_empty() {
            Outcome::Unknown
        } else {
            let folded: Vec<String> = stated.iter().map(|t| normalize_for_search(t)).collect();
            let words: Vec<&str> = folded.iter().flat_map(|t| t.split(' ')).collect();
            // A service whose stated public opens with "for everyone", or one naming every
            // word of an asked public (itself, a longer form, the same stem).
            let everyone = folded
                .iter()
                .any(|t| EVERYONE.iter().any(|all| t.starts_with(all)));
            met(everyone
                || need.publics.iter().any(|public| {
                    public
                        .iter()
                        .all(|asked| words.iter().any(|w| asked.names(w)))
                }))
        };
        reasons.push(judge(outcome, Criterion::Public, &|| {
            stated.first().map(|t| (*t).to_owned())
        }));
    }
    if let Some(bassin) = need.bassin {
        reasons.push(judge(met(in_territory(bassin)), Criterion::Bassin, &|| {
            reference.territory(bassin).map(|t| t.code.clone())
        }));
    }
    Proposal {
        service,
        distance_m,
        reasons,
    }
}

//! Helpdesk orientation (`crate::orientation`) as GraphQL types.

use async_graphql::{InputObject, Object};

use crate::{
    domain::Lang,
    geo::Point,
    graphql::{ApiError, ApiResult, cost},
    orientation::{Criterion, Need, Outcome, Proposal, Reason},
    reference::Reference,
    search::Holidays,
};

use super::{
    Instant, Service,
    filter::{language_codes, non_empty, territory_id},
};

/// The most services `orient` proposes.
pub const MAX_PROPOSALS: i32 = 50;

/// A WGS84 point.
#[derive(InputObject, Clone, Copy)]
pub struct PlaceInput {
    pub lat: f64,
    pub lon: f64,
}

/// What a person needs, as a helpdesk worker describes it: the categories are required,
/// every other criterion is a wish that ranks (a service failing it comes after those that
/// meet it, with the reason).
#[derive(InputObject, Clone, Default)]
pub struct OrientationNeed {
    /// Category codes (descendants included); a service offers one of them.
    pub categories: Vec<String>,
    /// Where the person is: distances and walking times are measured from it, and its
    /// bassin is preferred.
    pub place: Option<PlaceInput>,
    /// A territory code (`quartier:87`, `commune:21015`, `bassin:nord`): services with a
    /// place in it first.
    pub territory: Option<String>,
    /// ISO 639-1 codes the person speaks.
    pub languages: Option<Vec<String>>,
    /// Only free services suit.
    pub free_only: Option<bool>,
    /// The person cannot get a professional's referral.
    pub no_referral: Option<bool>,
    /// When the person can go (RFC 3339, read on Brussels clocks).
    pub open_at: Option<Instant>,
    /// Who the person is, in words a directory uses ("jeunes", "personnes âgées",
    /// "daklozen"); matched against the services' stated target public.
    pub publics: Option<Vec<String>>,
}

impl OrientationNeed {
    /// The need checked; `team_bassin` is a basin team's own bassin, preferred when the
    /// need gives neither place nor territory. Errors name the argument.
    pub fn into_need(self, reference: &Reference, team_bassin: Option<&str>) -> ApiResult<Need> {
        if self.categories.is_empty() {
            return Err(ApiError::bad_input(
                "need.categories",
                "at least one category code",
            ));
        }
        let categories = non_empty("need.categories", Some(self.categories))?.unwrap_or_default();
        let mut ids = Vec::new();
        for code in &categories {
            let category = reference.category_by_code(code.trim()).ok_or_else(|| {
                ApiError::bad_input("need.categories", format!("unknown category code {code:?}"))
            })?;
            ids.extend(reference.category_with_descendants(category.id));
        }
        ids.sort_unstable();
        ids.dedup();
        let place = self
            .place
            .map(|p| Point::new(p.lat, p.lon).map_err(|e| ApiError::bad_input("need.place", e)))
            .transpose()?;
        let territory = self
            .territory
            .map(|code| territory_id(reference, "need.territory", &code))
            .transpose()?;
        let publics = non_empty("need.publics", self.publics)?.unwrap_or_default();
        if let Some(long) = publics.iter().find(|p| p.chars().nth(100).is_some()) {
            return Err(ApiError::bad_input(
                "need.publics",
                format!(
                    "at most 100 characters: {:?}…",
                    long.chars().take(20).collect::<String>()
                ),
            ));
        }
        let team =
            team_bassin.and_then(|key| reference.territory_by_code(&format!("bassin:{key}")));
        Ok(Need {
            categories: ids,
            place,
            territory,
            bassin: Need::bassin_of(reference, place, territory, team.map(|t| t.id)),
            languages: language_codes("need.languages", self.languages)?,
            free_only: self.free_only.unwrap_or(false),
            no_referral: self.no_referral.unwrap_or(false),
            open_at: self.open_at.map(|at| at.0),
            publics: Need::publics(&publics),
            holidays: Holidays::of(reference),
        })
    }
}

/// A service proposed for a need, with the reasons for its rank.
pub struct Orientation {
    pub rank: usize,
    pub proposal: Proposal,
    pub lang: Lang,
}

#[Object]
impl Orientation {
    /// 1 for the first.
    async fn rank(&self) -> i32 {
        self.rank as i32
    }

    async fn service(&self) -> Service {
        Service::new(std::sync::Arc::clone(&self.proposal.service), self.lang)
    }

    /// Straight-line metres from the need's place to the service's nearest place.
    async fn distance_metres(&self) -> Option<i32> {
        self.proposal.distance_m.map(|d| d.round() as i32)
    }

    /// An estimate on foot: the straight line lengthened by 30% (streets), at 4.5 km/h.
    async fn walking_minutes(&self) -> Option<i32> {
        self.proposal.walking_minutes().map(|m| m as i32)
    }

    /// Every criterion the need asked, as the service fares on it.
    #[graphql(complexity = "cost::CRITERIA * child_complexity")]
    async fn reasons(&self) -> Vec<OrientationReason> {
        self.proposal
            .reasons
            .iter()
            .map(|reason| OrientationReason {
                reason: reason.clone(),
                lang: self.lang,
            })
            .collect()
    }

    /// The asked criteria it does not meet (what to tell the person).
    #[graphql(complexity = "cost::CRITERIA * child_complexity")]
    async fn fails(&self) -> Vec<Criterion> {
        self.proposal.fails().collect()
    }
}

/// How a service fares on one criterion of a need.
pub struct OrientationReason {
    reason: Reason,
    lang: Lang,
}

#[Object]
impl OrientationReason {
    async fn criterion(&self) -> Criterion {
        self.reason.criterion
    }

    async fn outcome(&self) -> Outcome {
        self.reason.outcome
    }

    /// What it was judged on: the languages offered, the fee, the stated target public,
    /// when it opens next (RFC 3339), the territory or bassin code.
    async fn detail(&self) -> Option<&str> {
        self.reason.detail.as_deref()
    }

    /// The judgement in words, in the request's language.
    async fn explanation(&self) -> &'static str {
        explanation(self.reason.criterion, self.reason.outcome, self.lang)
    }
}

/// A sentence for a worker to read or repeat, in French, Dutch or English.
fn explanation(criterion: Criterion, outcome: Outcome, lang: Lang) -> &'static str {
    use Criterion as C;
    use Outcome as O;
    let [fr, nl, en] = match (criterion, outcome) {
        (C::Territory, O::Met) => [
            "Dans le territoire demandé",
            "In het gevraagde gebied",
            "In the asked territory",
        ],
        (C::Territory, _) => [
            "Hors du territoire demandé",
            "Buiten het gevraagde gebied",
            "Outside the asked territory",
        ],
        (C::Language, O::Met) => [
            "Dans une langue demandée",
            "In een gevraagde taal",
            "In an asked language",
        ],
        (C::Language, O::Failed) => [
            "Pas dans les langues demandées",
            "Niet in de gevraagde talen",
            "Not in the asked languages",
        ],
        (C::Language, O::Unknown) => [
            "Langues non précisées",
            "Talen niet vermeld",
            "Languages not stated",
        ],
        (C::OpenAt, O::Met) => [
            "Ouvert au moment demandé",
            "Open op het gevraagde moment",
            "Open at the asked time",
        ],
        (C::OpenAt, O::Failed) => [
            "Fermé au moment demandé",
            "Gesloten op het gevraagde moment",
            "Closed at the asked time",
        ],
        (C::OpenAt, O::Unknown) => [
            "Horaire non précisé",
            "Openingsuren niet vermeld",
            "Opening hours not stated",
        ],
        (C::Fee, O::Met) => ["Gratuit", "Gratis", "Free of charge"],
        (C::Fee, O::Failed) => ["Payant", "Betalend", "Not free of charge"],
        (C::Fee, O::Unknown) => ["Tarif non précisé", "Tarief niet vermeld", "Fee not stated"],
        (C::Referral, O::Met) => [
            "Accès sans orientation",
            "Toegankelijk zonder doorverwijzing",
            "No referral needed",
        ],
        (C::Referral, _) => [
            "Sur orientation d'un professionnel",
            "Na doorverwijzing door een professional",
            "On a professional's referral",
        ],
        (C::Public, O::Met) => ["Pour ce public", "Voor deze doelgroep", "For this public"],
        (C::Public, O::Failed) => [
            "Pour un autre public",
            "Voor een andere doelgroep",
            "For another public",
        ],
        (C::Public, O::Unknown) => [
            "Public non précisé",
            "Doelgroep niet vermeld",
            "Target public not stated",
        ],
        (C::Bassin, O::Met) => ["Dans le bassin", "In het bekken", "In the bassin"],
        (C::Bassin, _) => ["Hors du bassin", "Buiten het bekken", "Outside the bassin"],
    };
    match lang {
        Lang::Fr => fr,
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// `first` for `orient`: 10 when omitted, 1 to [`MAX_PROPOSALS`].
pub fn proposals(first: Option<i32>) -> ApiResult<usize> {
    match first {
        None => Ok(10),
        Some(n) if (1..=MAX_PROPOSALS).contains(&n) => Ok(n as usize),
        Some(_) => Err(ApiError::bad_input(
            "first",
            format!("between 1 and {MAX_PROPOSALS}"),
        )),
    }
}

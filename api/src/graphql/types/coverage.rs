//! Coverage of the basic offer (`crate::coverage`) as GraphQL types, and the one way a
//! request's filter becomes a report (shared with `GET /geojson/coverage`).

use std::sync::Arc;

use async_graphql::{InputObject, Object};

use crate::{
    coverage::{self, Conditions, OfferItem, PopulationSource, Reach, Reached, Report, Status},
    domain::Lang,
    geo::Level,
    graphql::{ApiError, ApiResult, cost},
    indicators,
    read_model::Snapshot,
    reference::Reference,
    state::AppState,
};

use super::{Category, Territory, filter::language_codes};

/// Which part of the basic offer to measure, and under which conditions of access; all
/// given conditions must hold for a service to count.
#[derive(InputObject, Default, Clone)]
pub struct CoverageFilter {
    /// Category codes of the basic offer (`basicOffer`); all its entries when omitted.
    pub categories: Option<Vec<String>>,
    /// Replaces the walking reach of the entries measured by distance, in metres (at most
    /// the configured maximum, 5,000 by default).
    pub reach_metres: Option<i32>,
    /// ISO 639-1 codes: only services offered in one of them count.
    pub languages: Option<Vec<String>>,
    /// Only services free of charge count.
    pub free_only: Option<bool>,
    /// Only services reached without a referral count.
    pub no_referral: Option<bool>,
    /// Only places open after 18:00 on a weekday count.
    pub open_evenings: Option<bool>,
    /// Only places open on Saturday or Sunday count.
    pub open_weekends: Option<bool>,
}

impl CoverageFilter {
    /// The entries to measure and the conditions, checked: errors name the argument
    /// (`filter.categories`, `filter.reachMetres`, `filter.languages`).
    pub fn into_request(
        self,
        offer: &coverage::BasicOffer,
    ) -> ApiResult<(Vec<OfferItem>, Conditions)> {
        let reach = self.reach_metres.map(f64::from);
        let categories = super::filter::non_empty("filter.categories", self.categories)?;
        let items = coverage::select(offer, categories.as_deref(), reach).map_err(
            |(argument, message)| ApiError::bad_input(format!("filter.{argument}"), message),
        )?;
        let conditions = Conditions {
            languages: language_codes("filter.languages", self.languages)?,
            free_only: self.free_only.unwrap_or(false),
            no_referral: self.no_referral.unwrap_or(false),
            evenings: self.open_evenings.unwrap_or(false),
            weekends: self.open_weekends.unwrap_or(false),
        };
        Ok((items, conditions))
    }
}

/// The coverage of `territory_id` over `snapshot`, with the population imported now: one
/// statement (the `population` indicator), then memory.
pub async fn report(
    state: &AppState,
    snapshot: &Snapshot,
    territory_id: i32,
    items: &[OfferItem],
    conditions: &Conditions,
) -> ApiResult<Report> {
    let reference = &state.reference;
    let territory = reference
        .territory(territory_id)
        .ok_or_else(|| ApiError::internal(format!("territory {territory_id} not in memory")))?;
    let imported = indicators::latest_populations(&state.db.conn)
        .await
        .map_err(ApiError::internal)?;
    let populations = coverage::populations(reference, &imported);
    let report = coverage::compute(
        territory,
        items,
        conditions,
        snapshot,
        reference,
        &populations,
    );
    if report.quartiers.is_empty() {
        return Err(ApiError::bad_input(
            "territory",
            format!(
                "{} has no residential quartier (an industrial zone, a cemetery or a green space)",
                territory.code
            ),
        ));
    }
    Ok(report)
}

/// One entry of the basic offer.
#[derive(Clone)]
pub struct BasicOfferItem {
    pub reference: Arc<Reference>,
    pub item: OfferItem,
    pub lang: Lang,
}

/// One category of the basic offer at one scale: what every quartier (`QUARTIER`), commune,
/// bassin or the region (`REGION`) should offer its inhabitants.
#[Object]
impl BasicOfferItem {
    async fn category(&self) -> Option<Category> {
        self.reference
            .category(self.item.category_id)
            .cloned()
            .map(|model| Category {
                reference: Arc::clone(&self.reference),
                model,
                lang: self.lang,
            })
    }

    /// The territory that answers for it.
    async fn scale(&self) -> Level {
        self.item.scale
    }

    /// How far from where people live a site may be, straight line; `null` when a site in
    /// the same commune, bassin or region (the scale) is what counts.
    async fn reach_metres(&self) -> Option<i32> {
        match self.item.reach {
            Reach::Within(metres) => Some(metres.round() as i32),
            Reach::Territory => None,
        }
    }
}

/// How one entry of the basic offer reaches the inhabitants of a territory.
pub struct CategoryCoverage {
    pub offer: BasicOfferItem,
    pub reached: Reached,
}

impl CategoryCoverage {
    pub fn new(reference: &Arc<Reference>, item: OfferItem, reached: Reached, lang: Lang) -> Self {
        CategoryCoverage {
            offer: BasicOfferItem {
                reference: Arc::clone(reference),
                item,
                lang,
            },
            reached,
        }
    }
}

#[Object]
impl CategoryCoverage {
    async fn offer(&self) -> &BasicOfferItem {
        &self.offer
    }

    /// `COVERED` when every inhabited point is within reach, `MISSING` when none is.
    async fn status(&self) -> Status {
        self.reached.status()
    }

    /// The share of the territory's inhabitants within reach, 0 to 1, at 3 decimals
    /// (strictly between 0 and 1 when `PARTIAL`).
    async fn covered_share(&self) -> f64 {
        self.reached.share()
    }

    /// Inhabitants of the territory (its residential quartiers).
    async fn population(&self) -> i64 {
        self.reached.population.round() as i64
    }

    /// Inhabitants with no eligible service within reach.
    async fn population_without(&self) -> i64 {
        self.reached.without().round() as i64
    }
}

/// The coverage of one residential quartier.
pub struct QuartierCoverage {
    reference: Arc<Reference>,
    lang: Lang,
    items: Arc<Vec<OfferItem>>,
    quartier: coverage::QuartierCoverage,
}

impl QuartierCoverage {
    fn entries(&self) -> impl Iterator<Item = CategoryCoverage> + '_ {
        self.items
            .iter()
            .zip(&self.quartier.items)
            .map(|(item, reached)| {
                CategoryCoverage::new(&self.reference, item.clone(), *reached, self.lang)
            })
    }
}

#[Object]
impl QuartierCoverage {
    async fn quartier(&self) -> Territory {
        Territory {
            reference: Arc::clone(&self.reference),
            id: self.quartier.territory_id,
            lang: self.lang,
        }
    }

    /// Inhabitants: the imported `population` indicator, else an estimate
    /// (`populationYear` is then `null`).
    async fn population(&self) -> i64 {
        self.quartier.population.round() as i64
    }

    /// The year of the imported population; `null` when it is estimated from the
    /// commune's population spread over its quartiers by area.
    async fn population_year(&self) -> Option<i32> {
        match self.quartier.population_source {
            PopulationSource::Indicator { year } => Some(year),
            PopulationSource::Estimated => None,
        }
    }

    /// Every entry measured, in the basic offer's order.
    #[graphql(complexity = "cost::OFFER_ITEMS * child_complexity")]
    async fn categories(&self) -> Vec<CategoryCoverage> {
        self.entries().collect()
    }

    /// The entries no inhabited point of the quartier has within reach.
    #[graphql(complexity = "cost::OFFER_ITEMS * child_complexity")]
    async fn missing(&self) -> Vec<BasicOfferItem> {
        self.entries()
            .filter(|entry| entry.reached.status() == Status::Missing)
            .map(|entry| entry.offer)
            .collect()
    }
}

/// The coverage of the basic offer in a territory, per residential quartier and summed.
pub struct Coverage {
    pub reference: Arc<Reference>,
    pub lang: Lang,
    pub report: Report,
}

#[Object]
impl Coverage {
    async fn territory(&self) -> Territory {
        Territory {
            reference: Arc::clone(&self.reference),
            id: self.report.territory_id,
            lang: self.lang,
        }
    }

    /// Inhabitants of its residential quartiers.
    async fn population(&self) -> i64 {
        self.report
            .quartiers
            .iter()
            .map(|q| q.population)
            .sum::<f64>()
            .round() as i64
    }

    /// Each entry over the whole territory: its quartiers summed.
    #[graphql(complexity = "cost::OFFER_ITEMS * child_complexity")]
    async fn categories(&self) -> Vec<CategoryCoverage> {
        self.report
            .items
            .iter()
            .zip(&self.report.totals)
            .map(|(item, reached)| {
                CategoryCoverage::new(&self.reference, item.clone(), *reached, self.lang)
            })
            .collect()
    }

    /// Its residential quartiers (a quartier is in every commune it straddles, and in its
    /// own bassin).
    #[graphql(complexity = "cost::COVERAGE_QUARTIERS * child_complexity")]
    async fn quartiers(&self) -> Vec<QuartierCoverage> {
        let items = Arc::new(self.report.items.clone());
        self.report
            .quartiers
            .iter()
            .map(|q| QuartierCoverage {
                reference: Arc::clone(&self.reference),
                lang: self.lang,
                items: Arc::clone(&items),
                quartier: q.clone(),
            })
            .collect()
    }
}

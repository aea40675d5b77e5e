//! Helpdesk demand signals (`crate::demand`): `logDemand`, a team's own
//! `demandSignals`, and `demandSummary` for councils (small counts suppressed).

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::NaiveDate;
use entities::demand_signal;

use crate::{
    coverage::{self, Conditions, OfferItem},
    demand::{self, Cell, Outcome, Signal, Summary},
    domain::{Lang, LanguageCode},
    geo::Level,
    graphql::{
        ApiError, ApiResult, cost, ids, lang, load_error, loader,
        loaders::LatestPopulations,
        nullable, principal, require, snapshot, state,
        types::{Category, CategoryCoverage, Territory, filter_territory_id},
    },
    reference::Reference,
};

/// The most signals one page of `demandSignals` lists.
const MAX_SIGNALS: i32 = 500;
/// The most categories one signal names.
const MAX_CATEGORIES: usize = 10;
/// The longest period a list or summary covers, in days (five years).
const MAX_PERIOD_DAYS: i64 = 5 * 366;

/// What a helpdesk was asked and how it ended; nothing about the person.
#[derive(InputObject)]
pub struct DemandSignalInput {
    /// Category codes of the need (1 to 10).
    pub categories: Vec<String>,
    /// Where the person lives or is helped: a territory code of any level.
    pub territory: String,
    /// ISO 639-1 codes the person needed.
    pub languages: Option<Vec<String>>,
    /// The day it was asked, `YYYY-MM-DD`; not in the future.
    pub asked_on: String,
    pub outcome: Outcome,
    /// The service the person was oriented to; required with `ORIENTED`, refused
    /// otherwise.
    pub service: Option<ID>,
    /// Its rank in the orientation (`orient`) the worker chose it from, 1 to 50.
    pub orientation_rank: Option<i32>,
    /// A few lowercase code words (`urgent`, `logement_2025`): never a name, a phone, an
    /// e-mail or a national register number.
    pub remark: Option<String>,
}

fn date(argument: &str, text: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad_input(argument, format!("{text:?} is not a date (YYYY-MM-DD)")))
}

impl DemandSignalInput {
    fn into_signal(
        self,
        reference: &Reference,
        service_exists: impl Fn(i32) -> bool,
    ) -> ApiResult<Signal> {
        if self.categories.is_empty() || self.categories.len() > MAX_CATEGORIES {
            return Err(ApiError::bad_input(
                "input.categories",
                format!("1 to {MAX_CATEGORIES} category codes"),
            ));
        }
        let mut categories = Vec::new();
        for code in &self.categories {
            let category = reference.category_by_code(code.trim()).ok_or_else(|| {
                ApiError::bad_input(
                    "input.categories",
                    format!("unknown category code {code:?}"),
                )
            })?;
            if !categories.contains(&category.code) {
                categories.push(category.code.clone());
            }
        }
        let territory_id = filter_territory_id(reference, "input.territory", &self.territory)?;
        let languages = super::types::language_codes("input.languages", self.languages)?
            .unwrap_or_default()
            .into_iter()
            .map(|l: LanguageCode| l.as_str().to_owned())
            .collect();
        let asked_on = date("input.askedOn", &self.asked_on)?;
        let today = chrono::Utc::now().date_naive();
        if asked_on > today || asked_on < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(today) {
            return Err(ApiError::bad_input(
                "input.askedOn",
                "a day from 2000 to today",
            ));
        }
        let service_id = match (self.outcome, self.service) {
            (Outcome::Oriented, Some(id)) => {
                let id = ids::decode_as(&id, ids::Kind::Service, "input.service")?;
                if !service_exists(id) {
                    return Err(ApiError::bad_input("input.service", "no such service"));
                }
                Some(id)
            }
            (Outcome::Oriented, None) => {
                return Err(ApiError::bad_input(
                    "input.service",
                    "ORIENTED needs the service the person was oriented to",
                ));
            }
            (_, Some(_)) => {
                return Err(ApiError::bad_input(
                    "input.service",
                    "only an ORIENTED need names a service",
                ));
            }
            (_, None) => None,
        };
        let orientation_rank = match (self.orientation_rank, service_id) {
            (Some(rank), Some(_)) if (1..=crate::graphql::types::MAX_PROPOSALS).contains(&rank) => {
                Some(rank)
            }
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input(
                    "input.orientationRank",
                    format!("1 to {}", crate::graphql::types::MAX_PROPOSALS),
                ));
            }
            (Some(_), None) => {
                return Err(ApiError::bad_input(
                    "input.orientationRank",
                    "only an ORIENTED need comes from an orientation",
                ));
            }
            (None, _) => None,
        };
        let remark = match self.remark {
            None => None,
            Some(text) => {
                demand::check_remark(&text).map_err(|e| ApiError::bad_input("input.remark", e))?
            }
        };
        Ok(Signal {
            categories,
            territory_id,
            languages,
            asked_on,
            outcome: self.outcome,
            service_id,
            orientation_rank,
            remark,
        })
    }
}

/// A need a helpdesk logged.
pub struct DemandSignal {
    model: demand_signal::Model,
    reference: Arc<Reference>,
    lang: Lang,
}

#[Object]
impl DemandSignal {
    async fn id(&self) -> ID {
        ID(self.model.id.to_string())
    }

    /// The team that logged it: `bassin:nord`, `zone:bruzel`.
    async fn team(&self) -> &str {
        &self.model.team
    }

    #[graphql(complexity = "cost::SERVICE_CATEGORIES * child_complexity")]
    async fn categories(&self) -> Vec<Category> {
        self.model
            .categories
            .split(' ')
            .filter_map(|code| self.reference.category_by_code(code))
            .map(|model| Category {
                reference: Arc::clone(&self.reference),
                model: model.clone(),
                lang: self.lang,
            })
            .collect()
    }

    async fn territory(&self) -> Territory {
        Territory {
            reference: Arc::clone(&self.reference),
            id: self.model.territory_id,
            lang: self.lang,
        }
    }

    async fn languages(&self) -> Vec<&str> {
        self.model
            .languages
            .split(' ')
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// `YYYY-MM-DD`.
    async fn asked_on(&self) -> String {
        self.model.asked_on.to_string()
    }

    async fn outcome(&self) -> Option<Outcome> {
        Outcome::parse(&self.model.outcome)
    }

    /// The global id of the service it was oriented to.
    async fn service(&self) -> Option<ID> {
        self.model
            .service_id
            .map(|id| ids::encode(ids::Kind::Service, id))
    }

    /// The service's rank in the orientation it came from.
    async fn orientation_rank(&self) -> Option<i32> {
        self.model.orientation_rank
    }

    async fn remark(&self) -> Option<&str> {
        self.model.remark.as_deref()
    }
}

/// Whose signals a summary counts.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum DemandScope {
    /// The caller's team's, in full.
    Own,
    /// Every team's, counts below the configured k suppressed.
    All,
}

/// One outcome's count in a cell.
pub struct DemandCount {
    outcome: Outcome,
    count: Option<u64>,
}

#[Object]
impl DemandCount {
    async fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// `null` when suppressed.
    async fn count(&self) -> Option<i32> {
        self.count.map(|c| i32::try_from(c).unwrap_or(i32::MAX))
    }
}

/// The needs of one category in one territory and month.
pub struct DemandCell {
    cell: Cell,
    reference: Arc<Reference>,
    lang: Lang,
}

#[Object]
impl DemandCell {
    /// Its indicators and coverage are one field away.
    async fn territory(&self) -> Territory {
        Territory {
            reference: Arc::clone(&self.reference),
            id: self.cell.territory_id,
            lang: self.lang,
        }
    }

    async fn category(&self) -> Option<Category> {
        self.reference
            .category_by_code(&self.cell.category)
            .map(|model| Category {
                reference: Arc::clone(&self.reference),
                model: model.clone(),
                lang: self.lang,
            })
    }

    /// `YYYY-MM`.
    async fn month(&self) -> &str {
        &self.cell.month
    }

    /// Per outcome; a count below k is `null` outside the team that logged it.
    #[graphql(complexity = "cost::DEMAND_OUTCOMES * child_complexity")]
    async fn counts(&self) -> Vec<DemandCount> {
        Outcome::ALL
            .into_iter()
            .zip(&self.cell.counts)
            .map(|(outcome, count)| DemandCount {
                outcome,
                count: *count,
            })
            .collect()
    }

    /// Every need; `null` when a count is suppressed.
    async fn total(&self) -> Option<i32> {
        self.cell
            .total
            .map(|c| i32::try_from(c).unwrap_or(i32::MAX))
    }

    /// The needs not met (every outcome but `ORIENTED`); `null` when a count is
    /// suppressed.
    async fn unmet(&self) -> Option<i32> {
        self.cell
            .unmet
            .map(|c| i32::try_from(c).unwrap_or(i32::MAX))
    }

    /// Whether a count of this cell was suppressed.
    async fn suppressed(&self) -> bool {
        self.cell.suppressed
    }

    /// How the basic offer's entries for this category (or the category it belongs to)
    /// reach the territory's inhabitants now (`coverage`, without conditions); empty when
    /// the basic offer has no such entry or the territory no residential quartier.
    #[graphql(complexity = "cost::OFFER_ITEMS * child_complexity")]
    async fn coverage(&self, ctx: &Context<'_>) -> Option<Vec<CategoryCoverage>> {
        nullable(ctx, self.coverage_lookup(ctx).await)
    }
}

impl DemandCell {
    async fn coverage_lookup(&self, ctx: &Context<'_>) -> ApiResult<Vec<CategoryCoverage>> {
        let state = state(ctx)?;
        let reference = &state.reference;
        // The category and those it belongs to.
        let mut codes = Vec::new();
        let mut next = reference.category_by_code(&self.cell.category);
        while let Some(category) = next {
            codes.push(category.code.clone());
            next = category.parent_id.and_then(|id| reference.category(id));
        }
        let items: Vec<OfferItem> = state
            .basic_offer
            .items
            .iter()
            .filter(|item| codes.contains(&item.category))
            .cloned()
            .collect();
        let Some(territory) = reference.territory(self.cell.territory_id) else {
            return Ok(Vec::new());
        };
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let imported = loader(ctx)?
            .load_one(LatestPopulations(0))
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        let populations = coverage::populations(reference, &imported);
        let snapshot = snapshot(ctx)?;
        let report = coverage::compute(
            territory,
            &items,
            &Conditions::default(),
            &snapshot,
            reference,
            &populations,
        );
        if report.quartiers.is_empty() {
            return Ok(Vec::new());
        }
        Ok(report
            .items
            .into_iter()
            .zip(report.totals)
            .map(|(item, reached)| CategoryCoverage::new(reference, item, reached, self.lang))
            .collect())
    }
}

/// A period checked: `from` ≤ `to`, at most five years.
pub fn period(from: &str, to: &str) -> ApiResult<(NaiveDate, NaiveDate)> {
    let (from, to) = (date("from", from)?, date("to", to)?);
    if from > to {
        return Err(ApiError::bad_input("to", "before `from`"));
    }
    if (to - from).num_days() > MAX_PERIOD_DAYS {
        return Err(ApiError::bad_input("to", "at most five years after `from`"));
    }
    Ok((from, to))
}

/// The team a principal logs and reads its own signals for (`bassin:nord`,
/// `zone:bruzel`), as the policy allows.
fn own_team(principal: &crate::auth::Principal) -> ApiResult<String> {
    require(principal.own_demand())?;
    principal
        .group()
        .map(|g| g.code())
        .ok_or(ApiError::Forbidden)
}

/// The whole months a period touches: from the first day of `from`'s month to the last
/// day of `to`'s.
fn whole_months(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let first = from.with_day(1).unwrap_or(from);
    let next = if to.month() == 12 {
        NaiveDate::from_ymd_opt(to.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(to.year(), to.month() + 1, 1)
    };
    let last = next.and_then(|d| d.pred_opt()).unwrap_or(to);
    (first, last)
}

/// The cells of a summary for `principal`: its own team's signals in full, or every
/// team's with the configured k. Shared by GraphQL and the CSV export.
pub async fn summary(
    state: &crate::state::AppState,
    principal: &crate::auth::Principal,
    territory: &str,
    level: Level,
    (from, to): (NaiveDate, NaiveDate),
    scope: DemandScope,
) -> ApiResult<Vec<Cell>> {
    let viewer = principal.group().map(|g| g.code());
    let (team, k) = match scope {
        DemandScope::Own => (Some(own_team(principal)?), 0),
        DemandScope::All => {
            require(principal.demand_summaries())?;
            (None, u64::from(state.config.demand.k_anonymity))
        }
    };
    let within = filter_territory_id(&state.reference, "territory", territory)?;
    // Whole months: a period ending a day earlier would reveal that day's signals.
    let (from, to) = whole_months(from, to);
    let signals = demand::signals(&state.db.conn, team.as_deref(), (from, to), None, None)
        .await
        .map_err(ApiError::internal)?;
    Ok(Summary {
        within,
        level,
        k,
        viewer,
    }
    .cells(&signals, &state.reference))
}

#[derive(Default)]
pub struct DemandMutation;

#[Object]
impl DemandMutation {
    /// Logs a need a helpdesk was asked about and how it ended, for the caller's team
    /// (basin teams and zone partners). Refused whole, naming the field, when a field is
    /// invalid or the remark looks like personal data.
    async fn log_demand(
        &self,
        ctx: &Context<'_>,
        input: DemandSignalInput,
    ) -> Option<DemandSignal> {
        let run = async {
            let principal = principal(ctx)?;
            let team = own_team(principal)?;
            let state = state(ctx)?;
            let snapshot = snapshot(ctx)?;
            let scope = principal.service_scope();
            let signal = input.into_signal(&state.reference, |id| {
                snapshot.service(id).is_some_and(|s| scope.admits(&s.model))
            })?;
            let author = principal.subject.clone().unwrap_or_default();
            let model = demand::log(&state.db.conn, &team, &author, &signal)
                .await
                .map_err(ApiError::internal)?;
            Ok(DemandSignal {
                model,
                reference: Arc::clone(&state.reference),
                lang: lang(ctx, None),
            })
        };
        nullable(ctx, run.await)
    }
}

#[derive(Default)]
pub struct DemandRoot;

#[Object]
#[expect(
    clippy::too_many_arguments,
    reason = "a resolver's parameters are its GraphQL arguments"
)]
impl DemandRoot {
    /// The caller's team's own signals asked from `from` to `to` (`YYYY-MM-DD`,
    /// inclusive, at most five years), in full, by id: the `first` (20 by default, at
    /// most 500) after the signal `after`.
    #[graphql(complexity = "cost::page_cost(first, child_complexity)")]
    async fn demand_signals(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: String,
        first: Option<i32>,
        after: Option<ID>,
        lang: Option<Lang>,
    ) -> Option<Vec<DemandSignal>> {
        let run = async {
            crate::graphql::volatile(ctx);
            let principal = principal(ctx)?;
            let team = own_team(principal)?;
            let (from, to) = period(&from, &to)?;
            let state = state(ctx)?;
            let lang = self::lang(ctx, lang);
            let first = first.unwrap_or(cost::DEFAULT_PAGE_COST_ITEMS as i32);
            if !(1..=MAX_SIGNALS).contains(&first) {
                return Err(ApiError::bad_input("first", format!("1 to {MAX_SIGNALS}")));
            }
            let after = after
                .map(|id| {
                    id.parse::<i32>()
                        .map_err(|_| ApiError::bad_input("after", "not a signal id"))
                })
                .transpose()?;
            let rows = demand::signals(
                &state.db.conn,
                Some(&team),
                (from, to),
                after,
                Some(u64::try_from(first).unwrap_or(0)),
            )
            .await
            .map_err(ApiError::internal)?;
            Ok(rows
                .into_iter()
                .map(|model| DemandSignal {
                    model,
                    reference: Arc::clone(&state.reference),
                    lang,
                })
                .collect())
        };
        nullable(ctx, run.await)
    }

    /// Needs per category, month and territory of `level` (default `QUARTIER`) within
    /// `territory`, by outcome, from `from` to `to`: the caller's team's in full
    /// (`OWN`), or every team's (`ALL`, the default) with counts below the configured k
    /// (5) suppressed. The same as `GET /exports/demand.csv` and `.geojson`.
    #[graphql(complexity = "cost::DEMAND_ROWS * child_complexity")]
    async fn demand_summary(
        &self,
        ctx: &Context<'_>,
        territory: String,
        #[graphql(default_with = "Level::Quartier")] level: Level,
        from: String,
        to: String,
        #[graphql(default_with = "DemandScope::All")] scope: DemandScope,
        lang: Option<Lang>,
    ) -> Option<Vec<DemandCell>> {
        let run = async {
            crate::graphql::volatile(ctx);
            let principal = principal(ctx)?;
            let state = state(ctx)?;
            let lang = self::lang(ctx, lang);
            let cells = summary(
                state,
                principal,
                &territory,
                level,
                period(&from, &to)?,
                scope,
            )
            .await?;
            Ok(cells
                .into_iter()
                .map(|cell| DemandCell {
                    cell,
                    reference: Arc::clone(&state.reference),
                    lang,
                })
                .collect())
        };
        nullable(ctx, run.await)
    }
}

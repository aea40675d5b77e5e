//! Helpdesk demand signals ("hot data"): basin teams and zone partners log what they were
//! asked (need categories, territory, languages, date) and how it ended (oriented to a
//! service, or why not), never anything about the person helped; councils read them
//! summed, with small counts suppressed outside the team that logged them (k-anonymity).
//! `docs/demand.md`.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use entities::demand_signal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};

use crate::{geo::Level, reference::Reference};

/// How a need ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, async_graphql::Enum)]
#[graphql(name = "DemandOutcome")]
pub enum Outcome {
    /// Oriented to a service (`service` says which).
    Oriented,
    /// No service offers it.
    NoService,
    /// A service offers it, too far away.
    TooFar,
    /// A service offers it, with a waiting list.
    WaitingList,
    /// No service offers it in the person's language.
    Language,
    /// No service the person can afford.
    Cost,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Oriented,
        Outcome::NoService,
        Outcome::TooFar,
        Outcome::WaitingList,
        Outcome::Language,
        Outcome::Cost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Oriented => "oriented",
            Outcome::NoService => "no_service",
            Outcome::TooFar => "too_far",
            Outcome::WaitingList => "waiting_list",
            Outcome::Language => "language",
            Outcome::Cost => "cost",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// A need left unmet: every outcome but `Oriented`.
    pub fn unmet(self) -> bool {
        self != Outcome::Oriented
    }
}

/// A signal as checked, ready to be written.
#[derive(Clone, Debug)]
pub struct Signal {
    pub categories: Vec<String>,
    pub territory_id: i32,
    pub languages: Vec<String>,
    pub asked_on: NaiveDate,
    pub outcome: Outcome,
    pub service_id: Option<i32>,
    /// The service's rank in the orientation it came from.
    pub orientation_rank: Option<i32>,
    pub remark: Option<String>,
}

/// The most characters and words of a remark.
pub const REMARK_MAX_CHARS: usize = 60;
pub const REMARK_MAX_WORDS: usize = 6;

/// Why a remark is refused: what it looks like. Checked in time linear in its length.
pub fn personal_data(remark: &str) -> Option<&'static str> {
    if remark.contains('@') {
        return Some("looks like an e-mail address");
    }
    // Every digit of the remark, whatever separates them: a number written with spaces,
    // dots, underscores or a no-break space is still a number.
    let digits = remark.chars().filter(char::is_ascii_digit).count();
    if digits == 11 {
        return Some("looks like a national register number");
    }
    if digits >= 8 {
        return Some("looks like a phone number");
    }
    if digits > 4 {
        return Some("holds more than 4 digits");
    }
    if remark.chars().any(char::is_uppercase) {
        return Some("has capitals: a name? a remark is lowercase code words");
    }
    None
}

/// A remark checked: lowercase code words (letters, digits, `_`, `-`), at most
/// [`REMARK_MAX_WORDS`] and [`REMARK_MAX_CHARS`], and nothing that looks personal.
pub fn check_remark(remark: &str) -> Result<Option<String>, String> {
    let remark = remark.trim();
    if remark.is_empty() {
        return Ok(None);
    }
    if remark.chars().nth(REMARK_MAX_CHARS).is_some() {
        return Err(format!("at most {REMARK_MAX_CHARS} characters"));
    }
    if let Some(why) = personal_data(remark) {
        return Err(format!("{why}: no personal data in a demand signal"));
    }
    let words: Vec<&str> = remark.split_whitespace().collect();
    if words.len() > REMARK_MAX_WORDS {
        return Err(format!("at most {REMARK_MAX_WORDS} code words"));
    }
    if let Some(word) = words.iter().find(|w| {
        !w.chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    }) {
        return Err(format!(
            "{word:?} is not a code word (lowercase letters, digits, _ and -)"
        ));
    }
    Ok(Some(words.join(" ")))
}

/// Writes a checked signal for `team` (`bassin:nord`, `zone:bruzel`) by `author`.
pub async fn log<C: ConnectionTrait>(
    db: &C,
    team: &str,
    author: &str,
    signal: &Signal,
) -> Result<demand_signal::Model, DbErr> {
    demand_signal::ActiveModel {
        id: NotSet,
        team: Set(team.to_owned()),
        author: Set(author.to_owned()),
        categories: Set(signal.categories.join(" ")),
        territory_id: Set(signal.territory_id),
        languages: Set(signal.languages.join(" ")),
        asked_on: Set(signal.asked_on),
        outcome: Set(signal.outcome.as_str().to_owned()),
        service_id: Set(signal.service_id),
        orientation_rank: Set(signal.orientation_rank),
        remark: Set(signal.remark.clone()),
        logged_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// The signals of `team` (all teams when `None`) asked from `from` to `to` (inclusive),
/// by id after `after`, at most `limit` (all when `None`).
pub async fn signals<C: ConnectionTrait>(
    db: &C,
    team: Option<&str>,
    (from, to): (NaiveDate, NaiveDate),
    after: Option<i32>,
    limit: Option<u64>,
) -> Result<Vec<demand_signal::Model>, DbErr> {
    use sea_orm::QuerySelect;
    let mut query = demand_signal::Entity::find()
        .filter(demand_signal::Column::AskedOn.gte(from))
        .filter(demand_signal::Column::AskedOn.lte(to));
    if let Some(team) = team {
        query = query.filter(demand_signal::Column::Team.eq(team));
    }
    if let Some(after) = after {
        query = query.filter(demand_signal::Column::Id.gt(after));
    }
    query
        .order_by_asc(demand_signal::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// One cell of a summary: the needs of one category in one territory and month, by
/// outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub territory_id: i32,
    pub category: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Per outcome, in [`Outcome::ALL`]'s order; `None` when suppressed.
    pub counts: Vec<Option<u64>>,
    /// All outcomes; `None` when suppressed.
    pub total: Option<u64>,
    /// The unmet needs (every outcome but oriented); `None` when suppressed.
    pub unmet: Option<u64>,
    /// Whether a count was suppressed (fewer than k signals).
    pub suppressed: bool,
}

/// How a summary counts: per category, month and territory of `level` within
/// `within`; a count below `k` is suppressed, unless `k` is 0 (a team reading its own
/// signals). A viewer with a team (`viewer`) also has a count suppressed when the other
/// teams' share of it is below `k`: its own signals, which it sees in full, would reveal
/// it by subtraction.
#[derive(Clone, Debug)]
pub struct Summary {
    pub within: i32,
    pub level: Level,
    pub k: u64,
    pub viewer: Option<String>,
}

impl Summary {
    /// The cells of `signals`, by territory code, category and month. A signal logged
    /// for a territory coarser than `level` counts in a cell of its own territory; one
    /// logged outside `within` is left out. Each suppressed count hides the cell's total
    /// and unmet too, so that no count can be found by subtraction.
    pub fn cells(&self, signals: &[demand_signal::Model], reference: &Reference) -> Vec<Cell> {
        // (territory code, category, month) → its territory, every team's counts and the
        // viewer's own.
        type Counts = (i32, [u64; 6], [u64; 6]);
        let mut raw: BTreeMap<(String, String, String), Counts> = BTreeMap::new();
        for signal in signals {
            let Some(at) = self.place(signal.territory_id, reference) else {
                continue;
            };
            let Some(outcome) = Outcome::parse(&signal.outcome) else {
                continue;
            };
            let index = Outcome::ALL.iter().position(|o| *o == outcome).unwrap_or(0);
            let month = signal.asked_on.format("%Y-%m").to_string();
            let code = reference
                .territory(at)
                .map(|t| t.code.clone())
                .unwrap_or_default();
            let own = self.viewer.as_deref() == Some(signal.team.as_str());
            for category in signal.categories.split(' ').filter(|c| !c.is_empty()) {
                let entry = raw
                    .entry((code.clone(), category.to_owned(), month.clone()))
                    .or_insert((at, [0; 6], [0; 6]));
                entry.1[index] += 1;
                if own {
                    entry.2[index] += 1;
                }
            }
        }
        raw.into_iter()
            .map(|((_, category, month), (territory_id, counts, own))| {
                let small = |n: u64| n > 0 && n < self.k;
                let shown =
                    |n: u64, own: u64| (self.k == 0 || !(small(n) || small(n - own))).then_some(n);
                let cells: Vec<Option<u64>> = counts
                    .iter()
                    .zip(&own)
                    .map(|(&n, &o)| shown(n, o))
                    .collect();
                let suppressed = cells.iter().any(Option::is_none);
                let total: u64 = counts.iter().sum();
                let unmet: u64 = counts[1..].iter().sum();
                let total_shown = shown(total, own.iter().sum());
                let unmet_shown = shown(unmet, own[1..].iter().sum());
                Cell {
                    territory_id,
                    category,
                    month,
                    counts: cells,
                    total: total_shown.filter(|_| !suppressed),
                    unmet: unmet_shown.filter(|_| !suppressed),
                    suppressed: suppressed || total_shown.is_none() || unmet_shown.is_none(),
                }
            })
            .collect()
    }

    /// The territory a signal counts in: its ancestor at `level` inside `within`, or
    /// itself when it is coarser than `level` but inside `within`.
    fn place(&self, territory_id: i32, reference: &Reference) -> Option<i32> {
        let territory = reference.territory(territory_id)?;
        let within = reference.territory(self.within)?;
        let inside = |id: i32| {
            reference
                .ancestors_at(id, within.level)
                .contains(&self.within)
        };
        if !inside(territory_id) {
            return None;
        }
        if territory.level.rank() >= self.level.rank() {
            reference
                .ancestors_at(territory_id, self.level)
                .into_iter()
                .find(|&id| inside(id))
        } else {
            Some(territory_id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_refused() {
        for (remark, why) in [
            ("contact jean@example.be", "e-mail"),
            ("rappeler 0475 12 34 56", "phone"),
            ("tel +32 2 435 51 38", "phone"),
            ("nrn 85.07.30-033.28", "national register"),
            ("85073003328", "national register"),
            ("dossier 123456", "more than 4 digits"),
            ("0475_12_34_56", "phone"),
            ("85_07_30_033_28", "national register"),
            ("tel\u{a0}0475\u{202f}12\t34 56", "phone"),
            ("madame Dupont", "capitals"),
            ("Jean", "capitals"),
        ] {
            let refused = check_remark(remark).expect_err(remark);
            assert!(refused.contains(why), "{remark}: {refused}");
        }
        assert_eq!(
            check_remark(" urgent  logement_2025 ")
                .expect("code words")
                .as_deref(),
            Some("urgent logement_2025")
        );
        assert_eq!(check_remark("").expect("empty"), None);
        assert!(check_remark("a b c d e f g").is_err(), "seven words");
        assert!(check_remark("rue de la loi;").is_err(), "punctuation");
        assert!(check_remark(&"x".repeat(61)).is_err());
    }
}

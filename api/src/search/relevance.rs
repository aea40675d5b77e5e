//! Relevance of a text query: which words a query word finds (as a substring, by its stem
//! in French, Dutch or English, or with a typo), and the score that ranks a service: the
//! best match of each query word, weighted by the field it is found in (decision 0013).

use crate::domain::{
    MIN_STEMMED, normalize_for_search, search_tokens, stems, typo_budget, within_edits,
};

/// How a query word matches a word of a service, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    Exact,
    Prefix,
    Stem,
    Substring,
    Typo,
}

impl Match {
    fn weight(self) -> f64 {
        match self {
            Match::Exact => 1.0,
            Match::Prefix => 0.8,
            Match::Stem => 0.7,
            Match::Substring => 0.5,
            Match::Typo => 0.4,
        }
    }
}

/// One word of a query, with what it may match.
#[derive(Clone, Debug)]
pub struct Word {
    pub text: String,
    pub stems: Vec<String>,
    pub budget: usize,
}

impl Word {
    pub fn new(text: String) -> Word {
        Word {
            stems: stems(&text),
            budget: typo_budget(text.chars().count()),
            text,
        }
    }

    /// How it matches a (folded) word of a service; `None` when it does not. The stem is
    /// computed only when cheaper tests fail.
    pub fn matches(&self, word: &str) -> Option<Match> {
        if word == self.text {
            Some(Match::Exact)
        } else if word.starts_with(self.text.as_str()) {
            Some(Match::Prefix)
        } else if word.contains(self.text.as_str()) {
            Some(Match::Substring)
        } else if self.same_stem(word) {
            Some(Match::Stem)
        } else {
            self.typo(word).then_some(Match::Typo)
        }
    }

    /// Whether it finds a word without a typo: the word contains it, or shares its stem.
    pub fn finds(&self, word: &str) -> bool {
        word.contains(self.text.as_str()) || self.same_stem(word)
    }

    /// Whether a word has one of its stems. Stems of these languages keep a word's first
    /// letters: only a word starting as this one does is stemmed, so a scan of the whole
    /// vocabulary stems a few hundred words, not all.
    fn same_stem(&self, word: &str) -> bool {
        word.as_bytes().get(..3) == self.text.as_bytes().get(..3)
            && word.chars().count() >= MIN_STEMMED
            && stems(word).iter().any(|s| self.stems.contains(s))
    }

    /// Whether it names the same thing as a word: the word itself, a longer form of it
    /// or a word of the same stem (not a word merely containing it, nor a typo).
    pub fn names(&self, word: &str) -> bool {
        matches!(
            self.matches(word),
            Some(Match::Exact | Match::Prefix | Match::Stem)
        )
    }

    /// Within the typo budget (the word is long enough to have one).
    pub fn typo(&self, word: &str) -> bool {
        self.budget > 0 && within_edits(&self.text, word, self.budget)
    }
}

/// The fields of a service a query is scored on, and their weights.
pub const NAME: f64 = 4.0;
pub const CATEGORY: f64 = 3.0;
pub const PUBLIC: f64 = 1.5;
pub const DESCRIPTION: f64 = 1.0;
/// Everything else the service is found by (addresses, territories).
pub const OTHER: f64 = 0.5;
/// When the whole query is found in a name as it was typed (its words in order).
pub const PHRASE_IN_NAME: f64 = 2.0;

/// A text query, ready to match and score.
#[derive(Clone, Debug)]
pub struct Query {
    pub words: Vec<Word>,
    phrase: String,
}

impl Query {
    pub fn new(text: &str) -> Query {
        Query {
            words: search_tokens(text).into_iter().map(Word::new).collect(),
            phrase: normalize_for_search(text),
        }
    }

    /// A fingerprint of the query as folded (FNV-1a, 64 bits): the same in every process,
    /// so that a relevance cursor names the text it ranks.
    pub fn fingerprint(&self) -> u64 {
        self.phrase
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            })
    }

    /// The score of a service whose fields are given folded, with their weights: for each
    /// query word, its best match in any field (weight × match), summed; plus
    /// [`PHRASE_IN_NAME`] when a name holds the whole query.
    pub fn score(&self, fields: &[(f64, &str)]) -> f64 {
        let mut score = 0.0;
        for word in &self.words {
            let mut best: f64 = 0.0;
            for (weight, text) in fields {
                if *weight <= best {
                    continue;
                }
                let found = text.split(' ').filter_map(|w| word.matches(w)).min();
                if let Some(found) = found {
                    best = best.max(weight * found.weight());
                }
            }
            score += best;
        }
        let in_name = fields.iter().any(|(weight, text)| {
            *weight == NAME && self.words.len() > 1 && text.contains(&self.phrase)
        });
        if in_name {
            score += PHRASE_IN_NAME;
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_match_outranks_a_description_match() {
        let q = Query::new("planning");
        let in_name = q.score(&[(NAME, "centre de planning familial"), (DESCRIPTION, "aide")]);
        let in_description = q.score(&[
            (NAME, "maison medicale"),
            (DESCRIPTION, "orientation vers un planning"),
        ]);
        assert!(in_name > in_description, "{in_name} ≤ {in_description}");
        let typo = Query::new("plannnig").score(&[(NAME, "centre de planning familial")]);
        assert!(typo > 0.0 && typo < in_name, "{typo}");
        let phrase =
            Query::new("planning familial").score(&[(NAME, "centre de planning familial")]);
        let scattered =
            Query::new("familial planning").score(&[(NAME, "centre de planning familial")]);
        assert!(phrase > scattered);
    }
}

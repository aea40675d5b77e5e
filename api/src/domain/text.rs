//! Text folding for search: case- and accent-insensitive matching in French and Dutch;
//! names written in capitals put in normal case.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// `text` lowercased and without accents (canonical decomposition, combining marks
/// dropped); punctuation and spaces are kept.
pub fn fold_accents(text: &str) -> impl Iterator<Item = char> + '_ {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
}

/// Folds `text` to lowercase ASCII-ish words separated by single spaces:
/// "Santé  Mentale – Coördinatie" becomes "sante mentale coordinatie".
pub fn normalize_for_search(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in fold_accents(text) {
        let folded: &str = match c {
            'œ' => "oe",
            'æ' => "ae",
            'ß' => "ss",
            'ø' => "o",
            'ł' => "l",
            _ => "",
        };
        if !folded.is_empty() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(folded);
        } else if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Free text a client searches with, bounded: every text argument goes through it, so no
/// request makes the server fold or match an unbounded input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at most {} characters", SearchText::MAX_CHARS)]
pub struct TextTooLong;

impl SearchText {
    pub const MAX_CHARS: usize = 200;

    /// The text, or `None` when it holds no word to look for.
    pub fn parse(raw: &str) -> Result<Option<SearchText>, TextTooLong> {
        if raw.chars().nth(SearchText::MAX_CHARS).is_some() {
            return Err(TextTooLong);
        }
        Ok((!search_tokens(raw).is_empty()).then(|| SearchText(raw.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The distinct folded words of a search query; every one must match.
pub fn search_tokens(query: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for token in normalize_for_search(query).split(' ') {
        if !token.is_empty() && !tokens.iter().any(|t| t == token) {
            tokens.push(token.to_owned());
        }
    }
    tokens
}

static STEMMERS: LazyLock<[Stemmer; 3]> = LazyLock::new(|| {
    [
        Stemmer::create(Algorithm::French),
        Stemmer::create(Algorithm::Dutch),
        Stemmer::create(Algorithm::English),
    ]
});

/// Words shorter than this are their own stem: stemming "aide" or "cpas" finds noise.
pub const MIN_STEMMED: usize = 4;

/// The distinct stems of a folded word in French, Dutch and English ("centres" →
/// "centr"; "verslaving" → "verslav"); the word itself when it is short.
pub fn stems(word: &str) -> Vec<String> {
    if word.chars().count() < MIN_STEMMED {
        return vec![word.to_owned()];
    }
    let mut stems: Vec<String> = STEMMERS
        .iter()
        .map(|stemmer| stemmer.stem(word).into_owned())
        .filter(|stem| stem.chars().count() >= 3)
        .collect();
    stems.sort_unstable();
    stems.dedup();
    if stems.is_empty() {
        stems.push(word.to_owned());
    }
    stems
}

/// How many letters a typo may change in a query word of `len` letters: none below 5,
/// one up to 8, two from 9 ("maison medicale" still finds "médicale" as "medcale").
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Whether `a` becomes `b` in at most `max` insertions, deletions, substitutions or swaps
/// of neighbouring letters (optimal string alignment), in time `len × (2·max + 1)`.
pub fn within_edits(a: &str, b: &str, max: usize) -> bool {
    // Most words of a vocabulary differ in length by more than `max`: nothing allocated.
    if a.chars().count().abs_diff(b.chars().count()) > max {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let big = max + 1;
    // Three rows of the distance table, cells outside the band kept at `big`.
    let mut before = vec![big; width];
    let mut previous: Vec<usize> = (0..width).map(|j| j.min(big)).collect();
    let mut current = vec![big; width];
    for i in 1..=a.len() {
        current.fill(big);
        current[0] = i.min(big);
        let low = i.saturating_sub(max).max(1);
        let high = (i + max).min(b.len());
        let mut best = current[0];
        for j in low..=high {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d.min(big);
            best = best.min(current[j]);
        }
        if best > max {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] <= max
}

/// Acronyms kept in capitals when a name written in capitals is put in normal case.
const ACRONYMS: [&str; 40] = [
    "AIS", "AMO", "ASBL", "AZ", "BXL", "CAW", "CGG", "CHU", "CLSS", "COCOF", "COCOM", "CPAS",
    "CPMS", "CSD", "FGC", "GGC", "HVK", "IBW", "INAMI", "ISP", "MR", "MRS", "OCMW", "ONE", "PMS",
    "RIZIV", "RVT", "SA", "SAJ", "SISP", "SPJ", "SPRL", "SRL", "SSM", "UZ", "VGC", "VZW", "WGC",
    "WZC", "ZNA",
];

/// Words kept in lower case inside a name (French and Dutch articles and prepositions).
const SMALL_WORDS: [&str; 27] = [
    "à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur",
    "aan", "bij", "der", "het", "in", "met", "op", "te", "ten", "ter", "van", "voor",
];

/// A name written all in capitals ("COORDINATION DE L'ACTION SOCIALE DE SCHAERBEEK", as
/// some directories keep official names) in normal case ("Coordination de l'Action
/// Sociale de Schaerbeek"): words capitalised, articles and prepositions in lower case,
/// known acronyms kept. A name with any lower-case letter is returned as it is.
pub fn recase(name: &str) -> String {
    let letters = name.chars().filter(|c| c.is_alphabetic());
    if letters.clone().count() < 2 || letters.clone().any(char::is_lowercase) {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len());
    let mut word = String::new();
    let mut first = true;
    let flush = |word: &mut String, out: &mut String, first: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        if ACRONYMS.contains(&word.as_str()) {
            out.push_str(word);
        } else if !*first && SMALL_WORDS.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
        *first = false;
        word.clear();
    };
    for c in name.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut first);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut first);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_counted_within_a_band() {
        assert!(within_edits("medicale", "medicale", 0));
        assert!(within_edits("medcale", "medicale", 1));
        assert!(
            within_edits("mediacle", "medicale", 1),
            "a swap is one edit"
        );
        assert!(within_edits("mdicael", "medicale", 2));
        assert!(!within_edits("medical", "mental", 1));
        assert!(!within_edits("ab", "abcd", 1));
        assert!(within_edits("", "ab", 2));
        assert!(!within_edits("schuldbemiddeling", "schuldhulp", 2));
    }

    #[test]
    fn stems_join_the_forms_of_a_word() {
        let stems_of = |w: &str| stems(w);
        let shared = |a: &str, b: &str| stems_of(a).iter().any(|s| stems_of(b).contains(s));
        assert!(shared("centres", "centre"));
        assert!(shared("medicales", "medicale"));
        assert!(shared("verslaving", "verslavingen"));
        assert!(
            shared("gezondheidscentra", "gezondheidscentrum")
                || !stems_of("gezondheidscentra").is_empty()
        );
        assert!(!shared("sante", "santiago"));
        assert_eq!(
            stems("sos"),
            vec!["sos".to_owned()],
            "short words are their own stem"
        );
    }

    #[test]
    fn names_in_capitals_are_put_in_normal_case() {
        assert_eq!(
            recase("COORDINATION DE L'ACTION SOCIALE DE SCHAERBEEK"),
            "Coordination de l'Action Sociale de Schaerbeek"
        );
        assert_eq!(
            recase("COÖRDINATIE VAN DE SCHAARBEEKSE SOCIALE ACTIE"),
            "Coördinatie van de Schaarbeekse Sociale Actie"
        );
        assert_eq!(recase("CPAS D'ANDERLECHT"), "CPAS d'Anderlecht");
        assert_eq!(
            recase("MAISON MÉDICALE LA ROSERAIE"),
            "Maison Médicale la Roseraie"
        );
        assert_eq!(recase("SSM LE MÉRIDIEN ASBL"), "SSM le Méridien ASBL");
        assert_eq!(
            recase("Maison médicale Les Glycines"),
            "Maison médicale Les Glycines"
        );
        assert_eq!(recase("WOLUWE-SAINT-PIERRE"), "Woluwe-Saint-Pierre");
        assert_eq!(recase("CAW"), "CAW");
    }

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(
            normalize_for_search("  Santé MENTALE – Coördinatie (CASS) "),
            "sante mentale coordinatie cass"
        );
        assert_eq!(normalize_for_search("Œuvre d'aide"), "oeuvre d aide");
    }

    #[test]
    fn search_text_is_bounded_and_needs_a_word() {
        assert_eq!(
            SearchText::parse("santé").map(|t| t.map(|t| t.as_str().to_owned())),
            Ok(Some("santé".to_owned()))
        );
        assert_eq!(SearchText::parse(" -- "), Ok(None));
        assert_eq!(
            SearchText::parse(&"é".repeat(200)).map(|t| t.is_some()),
            Ok(true)
        );
        assert_eq!(SearchText::parse(&"é".repeat(201)), Err(TextTooLong));
    }

    #[test]
    fn tokens_are_distinct_and_folded() {
        assert_eq!(
            search_tokens("Santé santé  mentale"),
            vec!["sante", "mentale"]
        );
        assert!(search_tokens(" -- ").is_empty());
    }
}

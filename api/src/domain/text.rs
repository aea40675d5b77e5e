//! Text folding for search: case- and accent-insensitive matching in French and Dutch;
//! names written in capitals put in normal case.

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

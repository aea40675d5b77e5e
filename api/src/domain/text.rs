//! Text folding for search: case- and accent-insensitive matching in French and Dutch.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(
            normalize_for_search("  Santé MENTALE – Coördinatie (CASS) "),
            "sante mentale coordinatie cass"
        );
        assert_eq!(normalize_for_search("Œuvre d'aide"), "oeuvre d aide");
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

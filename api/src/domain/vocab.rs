//! Closed vocabularies of the harmonised model, stored as stable lowercase strings.

use std::fmt;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{value:?} is not a valid {what}")]
pub struct VocabError {
    pub what: &'static str,
    pub value: String,
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Result<$name, VocabError> {
                match value.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(VocabError { what: $what, value: value.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// The languages labels are served in.
    Lang, "label language" {
        Fr => "fr",
        Nl => "nl",
        En => "en",
    }
}

impl Lang {
    /// The order in which label languages are tried: the one asked for, then the other
    /// official language of the region, then English.
    pub fn fallbacks(self) -> [Lang; 3] {
        match self {
            Lang::Fr => [Lang::Fr, Lang::Nl, Lang::En],
            Lang::Nl => [Lang::Nl, Lang::Fr, Lang::En],
            Lang::En => [Lang::En, Lang::Fr, Lang::Nl],
        }
    }

    /// Picks the first non-blank label in fallback order.
    pub fn pick<'a>(
        self,
        fr: Option<&'a str>,
        nl: Option<&'a str>,
        en: Option<&'a str>,
    ) -> Option<&'a str> {
        self.fallbacks().into_iter().find_map(|lang| {
            let value = match lang {
                Lang::Fr => fr,
                Lang::Nl => nl,
                Lang::En => en,
            };
            value.map(str::trim).filter(|v| !v.is_empty())
        })
    }

    /// The preferred label language of an `Accept-Language` header, if it names one.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let Ok(lang) = Lang::parse(primary) else {
                continue;
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

/// An ISO 639-1 language code in which a service can be received ("fr", "nl", "ar"…).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn parse(raw: &str) -> Result<LanguageCode, VocabError> {
        let code = raw.trim().to_ascii_lowercase();
        if code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase()) {
            Ok(LanguageCode(code))
        } else {
            Err(VocabError {
                what: "ISO 639-1 language code",
                value: raw.to_owned(),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fall_back_to_the_other_official_language_never_to_blank() {
        assert_eq!(
            Lang::Fr.pick(Some(" "), Some("Schaarbeek"), None),
            Some("Schaarbeek")
        );
        assert_eq!(
            Lang::Nl.pick(Some("Schaerbeek"), None, Some("x")),
            Some("Schaerbeek")
        );
        assert_eq!(Lang::En.pick(Some("fr"), Some("nl"), None), Some("fr"));
        assert_eq!(Lang::Fr.pick(None, None, None), None);
    }

    #[test]
    fn accept_language_takes_the_highest_known_quality() {
        assert_eq!(
            Lang::from_accept_language("nl-BE,nl;q=0.9,fr;q=0.8"),
            Some(Lang::Nl)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, fr;q=0.5, en;q=0.7"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn language_codes_are_two_letters() {
        assert_eq!(
            LanguageCode::parse(" AR ").map(|l| l.0),
            Ok("ar".to_owned())
        );
        assert!(LanguageCode::parse("ara").is_err());
    }
}

/// A service's visibility, as the change feed decides who is told of a change: shown to
/// everyone, published but not active (professionals see it), or withheld. Ordered from
/// the least seen to the most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seen {
    Hidden,
    Published,
    Public,
}

impl Seen {
    pub fn of(published: bool, status: entities::vocab::ServiceStatus) -> Seen {
        match (published, status) {
            (false, _) => Seen::Hidden,
            (true, entities::vocab::ServiceStatus::Active) => Seen::Public,
            (true, _) => Seen::Published,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Seen::Public => "public",
            Seen::Published => "published",
            Seen::Hidden => "hidden",
        }
    }

    pub fn parse(text: &str) -> Option<Seen> {
        match text {
            "public" => Some(Seen::Public),
            "published" => Some(Seen::Published),
            "hidden" => Some(Seen::Hidden),
            _ => None,
        }
    }
}

//! Official identifiers used to match organisations across sources.

use std::fmt;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdentifierError {
    #[error("a KBO/BCE number has 10 digits (0xxx.xxx.xxx), got {0:?}")]
    KboLength(String),
    #[error("KBO/BCE number {0:?} fails its check digits")]
    KboChecksum(String),
    #[error("a NIHII/INAMI/RIZIV number has 8 or 11 digits, got {0:?}")]
    NihiiLength(String),
}

fn digits(raw: &str) -> Option<String> {
    let kept: String = raw
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-' | '/'))
        .collect();
    kept.chars().all(|c| c.is_ascii_digit()).then_some(kept)
}

/// A Belgian enterprise number (KBO/BCE), stored as its 10 digits.
///
/// The last two digits are `97 - (first eight digits mod 97)`; old 9-digit numbers get
/// their leading zero back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Kbo(String);

impl Kbo {
    pub fn parse(raw: &str) -> Result<Kbo, IdentifierError> {
        let trimmed = raw.trim();
        let trimmed = trimmed
            .strip_prefix("BE")
            .or_else(|| trimmed.strip_prefix("be"))
            .unwrap_or(trimmed);
        let mut number =
            digits(trimmed).ok_or_else(|| IdentifierError::KboLength(raw.to_owned()))?;
        if number.len() == 9 {
            number.insert(0, '0');
        }
        if number.len() != 10 {
            return Err(IdentifierError::KboLength(raw.to_owned()));
        }
        let (body, check) = number.split_at(8);
        let body: u64 = body
            .parse()
            .map_err(|_| IdentifierError::KboLength(raw.to_owned()))?;
        let check: u64 = check
            .parse()
            .map_err(|_| IdentifierError::KboLength(raw.to_owned()))?;
        if 97 - body % 97 != check {
            return Err(IdentifierError::KboChecksum(raw.to_owned()));
        }
        Ok(Kbo(number))
    }

    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Kbo {
    /// The usual written form, `0212.347.945`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{}.{}.{}", &d[0..4], &d[4..7], &d[7..10])
    }
}

/// An INAMI/RIZIV (NIHII) number of a care institution or provider, digits only.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Nihii(String);

impl Nihii {
    pub fn parse(raw: &str) -> Result<Nihii, IdentifierError> {
        let number =
            digits(raw.trim()).ok_or_else(|| IdentifierError::NihiiLength(raw.to_owned()))?;
        match number.len() {
            8 | 11 => Ok(Nihii(number)),
            _ => Err(IdentifierError::NihiiLength(raw.to_owned())),
        }
    }
}

impl fmt::Display for Nihii {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kbo_accepts_the_written_form_and_validates_check_digits() {
        let kbo = Kbo::parse("0212.347.945").expect("valid KBO of CPAS Schaerbeek");
        assert_eq!(kbo.digits(), "0212347945");
        assert_eq!(kbo.to_string(), "0212.347.945");
        assert_eq!(Kbo::parse("BE 0212 347 945"), Ok(kbo.clone()));
        assert_eq!(Kbo::parse("212347945"), Ok(kbo));
    }

    #[test]
    fn kbo_rejects_wrong_check_digits_and_lengths() {
        assert!(matches!(
            Kbo::parse("0212.347.946"),
            Err(IdentifierError::KboChecksum(_))
        ));
        assert!(matches!(
            Kbo::parse("12345"),
            Err(IdentifierError::KboLength(_))
        ));
        assert!(matches!(
            Kbo::parse("0212.34A.945"),
            Err(IdentifierError::KboLength(_))
        ));
    }

    #[test]
    fn nihii_keeps_digits_only() {
        assert_eq!(
            Nihii::parse("8-12345-67-890").map(|n| n.to_string()),
            Ok("81234567890".to_owned())
        );
        assert!(Nihii::parse("123").is_err());
    }
}

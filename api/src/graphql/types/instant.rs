//! `DateTime`: the one scalar for instants, in and out.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, Utc};

/// An instant. Answers are written in UTC; what a client sends carries its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(pub DateTime<Utc>);

impl Instant {
    /// Reads an RFC 3339 date-time with its offset (`2026-03-30T09:30:00+02:00`,
    /// `2026-03-30T07:30:00Z`); surrounding spaces are ignored. The error says what is
    /// expected.
    pub fn read(text: &str) -> Result<Instant, String> {
        DateTime::parse_from_rfc3339(text.trim())
            .map(|at| Instant(at.with_timezone(&Utc)))
            .map_err(|_| {
                format!("{text:?} is not an RFC 3339 date-time (2026-03-30T09:30:00+02:00)")
            })
    }
}

impl From<DateTime<Utc>> for Instant {
    fn from(at: DateTime<Utc>) -> Instant {
        Instant(at)
    }
}

/// An instant, as an RFC 3339 date-time with its offset: `2026-03-30T09:30:00+02:00` or
/// `2026-03-30T07:30:00Z`. Answers are in UTC. A value that is not one is refused before
/// the operation runs (`GRAPHQL_VALIDATION_FAILED`, naming the argument or variable).
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for Instant {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => Instant::read(text).map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    /// Checked during validation, so that a malformed literal is a request error.
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if Instant::read(text).is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

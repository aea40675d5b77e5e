//! Connectors to the upstream directories: each reads one upstream format (over HTTP or
//! from a `file://` snapshot) and yields harmonised records for the sync engine.

pub mod csv;
pub mod fetch;
pub mod hsds;
pub mod record;
pub mod social_brussels;
pub mod sociale_kaart;

use serde_json::Value;

/// A trimmed, non-empty string from a JSON string or number.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Non-empty strings from a JSON string or array of strings.
pub(crate) fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

//! Global object ids (`node(id:)`, token claims): base64url of `Type:number`, opaque to
//! clients.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Service,
    Organisation,
    Site,
    Territory,
    Category,
    Authority,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Service,
        Kind::Organisation,
        Kind::Site,
        Kind::Territory,
        Kind::Category,
        Kind::Authority,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Service => "Service",
            Kind::Organisation => "Organisation",
            Kind::Site => "Site",
            Kind::Territory => "Territory",
            Kind::Category => "Category",
            Kind::Authority => "Authority",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a valid id")]
pub struct MalformedId;

/// An entity's id as clients see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalId {
    pub kind: Kind,
    pub id: i32,
}

impl GlobalId {
    pub fn new(kind: Kind, id: i32) -> GlobalId {
        GlobalId { kind, id }
    }

    /// Reads the written form; the number must be positive.
    pub fn parse(text: &str) -> Result<GlobalId, MalformedId> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| MalformedId)?;
        let text = String::from_utf8(bytes).map_err(|_| MalformedId)?;
        let (kind, number) = text.split_once(':').ok_or(MalformedId)?;
        let kind = Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind)
            .ok_or(MalformedId)?;
        let id: i32 = number.parse().map_err(|_| MalformedId)?;
        if id <= 0 {
            return Err(MalformedId);
        }
        Ok(GlobalId { kind, id })
    }
}

impl std::fmt::Display for GlobalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(format!("{}:{}", self.kind.as_str(), self.id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_kind() {
        let written = GlobalId::new(Kind::Service, 42).to_string();
        assert_eq!(
            GlobalId::parse(&written),
            Ok(GlobalId::new(Kind::Service, 42))
        );
    }

    #[test]
    fn malformed_ids_are_refused() {
        for raw in ["", "42", "U2VydmljZQ", "Tm9wZTox", "U2VydmljZTotMQ"] {
            assert_eq!(GlobalId::parse(raw), Err(MalformedId), "{raw}");
        }
    }
}

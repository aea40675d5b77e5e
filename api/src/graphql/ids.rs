//! Global object ids (`node(id:)`): base64url of `Type:number`, opaque to clients.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::ApiError;

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
    fn as_str(self) -> &'static str {
        match self {
            Kind::Service => "Service",
            Kind::Organisation => "Organisation",
            Kind::Site => "Site",
            Kind::Territory => "Territory",
            Kind::Category => "Category",
            Kind::Authority => "Authority",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        [
            Kind::Service,
            Kind::Organisation,
            Kind::Site,
            Kind::Territory,
            Kind::Category,
            Kind::Authority,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

pub fn encode(kind: Kind, id: i32) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.as_str())))
}

/// Decodes any global id; `argument` names the argument in the error.
pub fn decode(id: &ID, argument: &str) -> Result<(Kind, i32), ApiError> {
    let malformed = || ApiError::bad_input(argument, "not a valid id");
    let bytes = URL_SAFE_NO_PAD
        .decode(id.as_str().trim())
        .map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (kind, number) = text.split_once(':').ok_or_else(malformed)?;
    let kind = Kind::parse(kind).ok_or_else(malformed)?;
    let number: i32 = number.parse().map_err(|_| malformed())?;
    if number <= 0 {
        return Err(malformed());
    }
    Ok((kind, number))
}

/// Decodes an id that must be of `expected` kind.
pub fn decode_as(id: &ID, expected: Kind, argument: &str) -> Result<i32, ApiError> {
    match decode(id, argument)? {
        (kind, number) if kind == expected => Ok(number),
        (kind, _) => Err(ApiError::bad_input(
            argument,
            format!(
                "expected the id of a {}, got the id of a {}",
                expected.as_str(),
                kind.as_str()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_kind() {
        let id = encode(Kind::Service, 42);
        assert!(matches!(decode(&id, "id"), Ok((Kind::Service, 42))));
        assert!(decode_as(&id, Kind::Organisation, "id").is_err());
    }

    #[test]
    fn malformed_ids_are_bad_input() {
        for raw in ["", "42", "U2VydmljZQ", "Tm9wZTox", "U2VydmljZTotMQ"] {
            assert!(decode(&ID(raw.to_owned()), "id").is_err(), "{raw}");
        }
    }
}

//! Global ids at the GraphQL boundary: `domain::GlobalId` as an `ID`, and a malformed
//! or wrong-kind id as `BAD_USER_INPUT` naming the argument.

use async_graphql::ID;

use crate::domain::GlobalId;
pub use crate::domain::Kind;

use super::ApiError;

pub fn encode(kind: Kind, id: i32) -> ID {
    ID(GlobalId::new(kind, id).to_string())
}

/// Decodes any global id; `argument` names the argument in the error.
pub fn decode(id: &ID, argument: &str) -> Result<(Kind, i32), ApiError> {
    GlobalId::parse(id.as_str())
        .map(|g| (g.kind, g.id))
        .map_err(|e| ApiError::bad_input(argument, e))
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
    fn a_wrong_kind_is_bad_input() {
        let id = encode(Kind::Service, 42);
        assert!(matches!(decode(&id, "id"), Ok((Kind::Service, 42))));
        assert!(decode_as(&id, Kind::Organisation, "id").is_err());
    }
}

//! Domain newtypes: every value that crosses a boundary (GraphQL input, upstream record,
//! configuration) is parsed into one of these before service code sees it.

mod identifiers;
mod text;
mod vocab;

pub use identifiers::{IdentifierError, Kbo, Nihii};
pub use text::{escape_like, normalize_for_search, search_tokens};
pub use vocab::{AccreditationKind, Fee, Lang, LanguageCode, ServiceStatus, VocabError};

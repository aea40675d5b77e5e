//! Domain newtypes: every value that crosses a boundary (GraphQL input, upstream record,
//! configuration) is parsed into one of these before service code sees it.

pub mod calendar;
mod contact;
mod global_id;
pub mod hours;
mod identifiers;
mod text;
mod vocab;

pub use contact::{ContactError, Email, Phone, WebUrl};
pub use entities::vocab::{
    AccreditationKind, AnnotationKind, ContactKind, Fee, RunOutcome, ServiceStatus, Visibility,
};
pub use global_id::{GlobalId, Kind, MalformedId};
pub use hours::Opening;
pub use identifiers::{IdentifierError, Kbo, Nihii};
pub use text::{
    MIN_STEMMED, SearchText, TextTooLong, fold_accents, normalize_for_search, recase,
    search_tokens, stems, typo_budget, within_edits,
};
pub use vocab::{Lang, LanguageCode, Seen, VocabError};

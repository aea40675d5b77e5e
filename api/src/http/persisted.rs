//! Persisted operations: Apollo's automatic persisted queries (APQ) and a trusted-documents
//! manifest. A request names a document by its SHA-256, either as
//! `extensions.persistedQuery.sha256Hash` (APQ) or as `documentId: "sha256:<hash>"`.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use async_graphql::parser::types::ExecutableDocument;
use sha2::{Digest, Sha256};

use super::problem::Problem;
use crate::error_code::ErrorCode;

/// What the configuration asks of persisted operations.
#[derive(Debug)]
pub struct Persisted {
    apq: Option<ApqCache>,
    trusted: HashMap<String, Arc<str>>,
    trusted_only: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read the trusted documents manifest {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid trusted documents manifest {path}: {message}")]
    Invalid { path: String, message: String },
}

/// Registered texts by hash, and the hashes in the order they came.
type Entries = (HashMap<String, Arc<str>>, VecDeque<String>);

/// A bounded first-in-first-out cache of registered query texts.
#[derive(Debug)]
struct ApqCache {
    capacity: usize,
    entries: Mutex<Entries>,
}

impl ApqCache {
    fn get(&self, hash: &str) -> Option<Arc<str>> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.0.get(hash).cloned()
    }

    fn insert(&self, hash: String, query: &str) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (map, order) = &mut *entries;
        if map.contains_key(&hash) {
            return;
        }
        while map.len() >= self.capacity {
            match order.pop_front() {
                Some(oldest) => {
                    map.remove(&oldest);
                }
                None => break,
            }
        }
        map.insert(hash.clone(), Arc::from(query));
        order.push_back(hash);
    }
}

pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The document a request refers to by hash, when it does.
#[derive(Debug, PartialEq, Eq)]
pub struct DocumentRef {
    pub hash: String,
    /// Sent as APQ (which may register the text) rather than as `documentId`.
    pub apq: bool,
}

impl Persisted {
    pub fn new(
        apq_entries: usize,
        manifest: Option<&str>,
        built_in: Option<&str>,
        trusted_only: bool,
    ) -> Result<Persisted, ManifestError> {
        // Built-in documents (the web map's) are trusted beside the configured ones.
        let mut trusted = match built_in {
            Some(text) => parse_manifest(text, "the built-in documents")?,
            None => HashMap::new(),
        };
        if let Some(path) = manifest {
            trusted.extend(load_manifest(path)?);
        }
        Ok(Persisted {
            apq: (apq_entries > 0 && !trusted_only).then(|| ApqCache {
                capacity: apq_entries,
                entries: Mutex::new((HashMap::new(), VecDeque::new())),
            }),
            trusted,
            trusted_only,
        })
    }

    /// The query text to run: `query` itself, or the document `reference` names.
    pub fn resolve(
        &self,
        query: Option<&str>,
        reference: Option<&DocumentRef>,
    ) -> Result<Arc<str>, Problem> {
        let query = query.filter(|q| !q.is_empty());
        match (query, reference) {
            (None, None) => Err(Problem::bad_request(
                "the request has no query (send `query`, or a persisted document's hash)",
            )),
            (None, Some(reference)) => {
                if let Some(text) = self.trusted.get(&reference.hash) {
                    return Ok(text.clone());
                }
                if let Some(cache) = &self.apq
                    && reference.apq
                    && let Some(text) = cache.get(&reference.hash)
                {
                    return Ok(text);
                }
                if self.apq.is_none() && !self.trusted_only && reference.apq {
                    return Err(Problem::request_error(
                        ErrorCode::PersistedQueryNotSupported,
                        "PersistedQueryNotSupported",
                    ));
                }
                Err(Problem::request_error(
                    ErrorCode::PersistedQueryNotFound,
                    "PersistedQueryNotFound",
                ))
            }
            (Some(text), reference) => {
                let hash = sha256_hex(text);
                if let Some(reference) = reference
                    && reference.hash != hash
                {
                    return Err(Problem::bad_request_code(
                        ErrorCode::PersistedQueryHashMismatch,
                        "the query's SHA-256 does not match the hash sent with it",
                    ));
                }
                if self.trusted_only {
                    return match self.trusted.get(&hash) {
                        Some(trusted) => Ok(trusted.clone()),
                        None => Err(Problem::request_error(
                            ErrorCode::OperationNotTrusted,
                            "this server runs only registered operations; send the hash of a trusted document",
                        )),
                    };
                }
                if let (Some(cache), Some(reference)) = (&self.apq, reference)
                    && reference.apq
                {
                    cache.insert(hash, text);
                }
                Ok(Arc::from(text))
            }
        }
    }
}

/// A manifest is a JSON object from SHA-256 hashes to query texts (the format of
/// GraphQL Code Generator's and Relay's persisted-documents output); every hash is
/// checked against its text.
fn load_manifest(path: &str) -> Result<HashMap<String, Arc<str>>, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_manifest(&text, path)
}

fn parse_manifest(text: &str, path: &str) -> Result<HashMap<String, Arc<str>>, ManifestError> {
    let invalid = |message: String| ManifestError::Invalid {
        path: path.to_owned(),
        message,
    };
    let documents: HashMap<String, String> =
        serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
    documents
        .into_iter()
        .map(|(hash, query)| {
            let hash = hash.strip_prefix("sha256:").unwrap_or(&hash).to_owned();
            if sha256_hex(&query) != hash {
                return Err(invalid(format!(
                    "the entry {hash} is not the SHA-256 of its document"
                )));
            }
            Ok((hash, Arc::from(query)))
        })
        .collect()
}

/// Parsed documents by their text, and whether each passed the spec's validation
/// rules once. Clients send the same few operations over and over: parsing is about a
/// tenth of the CPU of a small page (a parse costs more than a clone of its result), and
/// the rules, which read the document alone, another tenth. Bounded: when full it
/// starts again empty, and long documents are never kept.
pub struct ParsedDocuments {
    entries: std::sync::Mutex<HashMap<Arc<str>, (ExecutableDocument, bool)>>,
}

/// A document parsed, or taken from `ParsedDocuments`.
pub struct Parsed {
    pub document: ExecutableDocument,
    /// The document passed the validation rules before (`ParsedDocuments::validated`).
    pub validated: bool,
}

/// Documents kept at most.
const PARSED_ENTRIES: usize = 256;
/// Longer documents are parsed every time.
const PARSED_MAX_BYTES: usize = 16 * 1024;

impl Default for ParsedDocuments {
    fn default() -> Self {
        ParsedDocuments::new()
    }
}

impl ParsedDocuments {
    pub fn new() -> ParsedDocuments {
        ParsedDocuments {
            entries: std::sync::Mutex::new(HashMap::new()),
        }
    }

    pub fn parse(&self, text: &Arc<str>) -> async_graphql::parser::Result<Parsed> {
        let cacheable = text.len() <= PARSED_MAX_BYTES;
        if cacheable
            && let Some((document, validated)) = self
                .entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(text)
        {
            return Ok(Parsed {
                document: document.clone(),
                validated: *validated,
            });
        }
        let document = async_graphql::parser::parse_query(&**text)?;
        if cacheable {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if entries.len() >= PARSED_ENTRIES {
                entries.clear();
            }
            entries.insert(Arc::clone(text), (document.clone(), false));
        }
        Ok(Parsed {
            document,
            validated: false,
        })
    }

    /// Notes that the document `text` passed the validation rules (a no-op when it is
    /// not kept).
    pub fn validated(&self, text: &str) {
        if let Some((_, validated)) = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(text)
        {
            *validated = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apq(hash: &str) -> DocumentRef {
        DocumentRef {
            hash: hash.to_owned(),
            apq: true,
        }
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        // `printf %s "{ __typename }" | sha256sum`
        assert_eq!(
            sha256_hex("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }

    #[test]
    fn apq_registers_then_serves_by_hash() {
        let persisted = Persisted::new(2, None, None, false).expect("no manifest");
        let query = "{ __typename }";
        let hash = sha256_hex(query);
        let missing = persisted
            .resolve(None, Some(&apq(&hash)))
            .expect_err("not registered yet");
        assert_eq!(missing.code, ErrorCode::PersistedQueryNotFound);
        persisted
            .resolve(Some(query), Some(&apq(&hash)))
            .expect("registers");
        assert_eq!(
            &*persisted.resolve(None, Some(&apq(&hash))).expect("found"),
            query
        );
        let wrong = persisted
            .resolve(Some(query), Some(&apq(&"0".repeat(64))))
            .expect_err("wrong hash");
        assert_eq!(wrong.code, ErrorCode::PersistedQueryHashMismatch);
    }

    #[test]
    fn the_cache_is_bounded() {
        let persisted = Persisted::new(2, None, None, false).expect("no manifest");
        let queries = ["{ a }", "{ b }", "{ c }"];
        for q in queries {
            persisted
                .resolve(Some(q), Some(&apq(&sha256_hex(q))))
                .expect("registers");
        }
        assert!(
            persisted
                .resolve(None, Some(&apq(&sha256_hex("{ a }"))))
                .is_err()
        );
        assert!(
            persisted
                .resolve(None, Some(&apq(&sha256_hex("{ c }"))))
                .is_ok()
        );
    }

    #[test]
    fn parsed_documents_are_reused_and_bounded() {
        let parsed = ParsedDocuments::new();
        let text: Arc<str> = Arc::from("{ services { totalCount } }");
        let first = parsed
            .parse(&text)
            .map(|p| (p.document.operations.iter().count(), p.validated));
        parsed.validated(&text);
        let again = parsed
            .parse(&text)
            .map(|p| (p.document.operations.iter().count(), p.validated));
        assert_eq!(first.ok(), Some((1, false)));
        assert_eq!(again.ok(), Some((1, true)));
        assert!(parsed.parse(&Arc::from("{ broken")).is_err());
        for i in 0..PARSED_ENTRIES * 2 {
            let text: Arc<str> = Arc::from(format!("{{ a{i} }}"));
            assert!(parsed.parse(&text).is_ok());
        }
        let kept = parsed.entries.lock().map(|e| e.len()).unwrap_or(usize::MAX);
        assert!(kept <= PARSED_ENTRIES, "{kept} documents kept");
    }
}

//! The exact response cache: whole answers to queries, kept for one version of the
//! read model. The key is everything an answer depends on besides the directory: the
//! document, the operation, the variables, what the caller may see (role, bassin,
//! organisations) and the label language (only whole, error-free answers are kept:
//! their bytes are the same whatever media type was asked for). The value is valid for the
//! snapshot it was computed from (`Snapshot::sequence`): once any writer (a sync, a
//! mutation, curation, another replica) has moved the read model on, the entry is never
//! served again. Answers that read the clock or tables outside the read model
//! (`graphql::Volatile`), that carry errors, or that are not queries are not kept.
//! Bounded by bytes; least recently and least frequently used entries go first (moka).

use std::{
    fmt::Write as _,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use moka::{notification::RemovalCause, sync::Cache};

use crate::{auth::Principal, domain::Lang};

/// What an answer depends on besides the read model's version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Key {
    document: Arc<str>,
    operation: Option<String>,
    /// The variables as sent (JSON text).
    variables: String,
    role: &'static str,
    organisations: Vec<i32>,
    bassin: Option<String>,
    lang: Option<Lang>,
}

impl Key {
    pub(super) fn new(
        document: Arc<str>,
        operation: Option<&str>,
        variables: String,
        principal: &Principal,
        lang: Option<Lang>,
    ) -> Key {
        let mut organisations = principal.organisations.clone();
        organisations.sort_unstable();
        organisations.dedup();
        Key {
            document,
            operation: operation.map(str::to_owned),
            variables,
            role: principal.role.as_str(),
            organisations,
            bassin: principal.bassin.clone(),
            lang,
        }
    }

    /// The entity tag of the answer to this key at `version`, the same on every replica:
    /// `"<version>-<digest of the key>"`.
    pub(super) fn tag(&self, version: i64) -> String {
        let mut text = String::with_capacity(self.document.len() + self.variables.len() + 64);
        // Each part prefixed by its length: no two keys write the same text.
        for part in [
            &*self.document,
            self.operation.as_deref().unwrap_or("\u{0}"),
            &self.variables,
            self.role,
            &format!("{:?}", self.organisations),
            self.bassin.as_deref().unwrap_or("\u{0}"),
            self.lang.map_or("\u{0}", Lang::as_str),
        ] {
            let _ = write!(text, "{}:{part}", part.len());
        }
        let digest = super::persisted::sha256_hex(&text);
        format!("\"{version}-{}\"", &digest[..32])
    }

    fn bytes(&self) -> usize {
        self.document.len()
            + self.operation.as_ref().map_or(0, String::len)
            + self.variables.len()
            + self.organisations.len() * 4
            + self.bassin.as_ref().map_or(0, String::len)
    }
}

/// A kept answer (only `200 OK` ones are): its body, and the read model version it was
/// computed from.
#[derive(Debug)]
pub(super) struct Entry {
    pub version: i64,
    pub body: String,
}

/// Bytes counted for an entry beyond its key and body (the map's own bookkeeping).
const OVERHEAD: usize = 200;

pub(super) struct ResponseCache {
    entries: Cache<Arc<Key>, Arc<Entry>>,
    hits: AtomicU64,
    misses: AtomicU64,
    evicted: Arc<AtomicU64>,
}

impl ResponseCache {
    /// A cache of at most `max_bytes` of keys and answers; `None` when 0 (off).
    pub(super) fn new(max_bytes: u64) -> Option<ResponseCache> {
        if max_bytes == 0 {
            return None;
        }
        let evicted = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&evicted);
        let entries = Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &Arc<Key>, entry: &Arc<Entry>| {
                u32::try_from(key.bytes() + entry.body.len() + OVERHEAD).unwrap_or(u32::MAX)
            })
            .eviction_listener(move |_, _, cause| {
                if cause == RemovalCause::Size {
                    counted.fetch_add(1, Ordering::Relaxed);
                }
            })
            .build();
        Some(ResponseCache {
            entries,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evicted,
        })
    }

    /// The answer kept for `key` at `version`, the read model's now. One kept for an
    /// older version is dropped.
    pub(super) fn get(&self, key: &Key, version: i64) -> Option<Arc<Entry>> {
        match self.entries.get(key) {
            Some(entry) if entry.version == version => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(entry)
            }
            Some(entry) => {
                // Older: never served again. Newer (this request's snapshot is behind
                // another's): kept for the requests after it.
                if entry.version < version {
                    self.entries.invalidate(key);
                }
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Keeps an answer computed from the snapshot at `version`.
    pub(super) fn insert(&self, key: Key, entry: Entry) {
        self.entries.insert(Arc::new(key), Arc::new(entry));
    }

    /// The cache's lines of the `/metrics` exposition.
    pub(super) fn render(&self, out: &mut String) {
        self.entries.run_pending_tasks();
        let counters = [
            (
                "hits",
                "Answers served from the response cache.",
                &self.hits,
            ),
            (
                "misses",
                "Cacheable queries the response cache did not hold (or held for an older version).",
                &self.misses,
            ),
            (
                "evictions",
                "Answers dropped from the response cache to stay within its size.",
                &*self.evicted,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP passerelle_response_cache_{name}_total {help}\n\
                 # TYPE passerelle_response_cache_{name}_total counter\n\
                 passerelle_response_cache_{name}_total {}",
                value.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP passerelle_response_cache_bytes Bytes the response cache holds.\n\
             # TYPE passerelle_response_cache_bytes gauge\n\
             passerelle_response_cache_bytes {}",
            self.entries.weighted_size()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(variables: &str, principal: &Principal) -> Key {
        Key::new(
            Arc::from("{ services { totalCount } }"),
            None,
            variables.to_owned(),
            principal,
            None,
        )
    }

    fn entry(version: i64, body: &str) -> Entry {
        Entry {
            version,
            body: body.to_owned(),
        }
    }

    #[test]
    fn an_answer_is_served_for_its_version_only() {
        let cache = ResponseCache::new(1 << 20).expect("on");
        let public = Principal::public();
        cache.insert(key("{}", &public), entry(7, "seven"));
        assert_eq!(
            cache.get(&key("{}", &public), 7).expect("kept").body,
            "seven"
        );
        assert!(
            cache.get(&key("{}", &public), 8).is_none(),
            "a newer version"
        );
        assert!(
            cache.get(&key("{}", &public), 7).is_none(),
            "dropped once stale"
        );
    }

    #[test]
    fn callers_who_see_differently_never_share_an_answer() {
        let cache = ResponseCache::new(1 << 20).expect("on");
        let public = Principal::public();
        let partner = Principal {
            subject: Some("p".to_owned()),
            role: crate::auth::Role::Partner,
            organisations: vec![3, 1],
            bassin: None,
        };
        cache.insert(key("{}", &partner), entry(1, "partner"));
        assert!(cache.get(&key("{}", &public), 1).is_none());
        assert!(cache.get(&key("{\"a\":1}", &partner), 1).is_none());
        // The same organisations in another order are the same scope.
        let same = Principal {
            organisations: vec![1, 3, 3],
            subject: Some("q".to_owned()),
            ..partner.clone()
        };
        assert_eq!(
            cache.get(&key("{}", &same), 1).expect("kept").body,
            "partner"
        );
    }

    #[test]
    fn it_stays_within_its_bytes() {
        let cache = ResponseCache::new(10_000).expect("on");
        let public = Principal::public();
        for n in 0..100 {
            cache.insert(
                key(&format!("{{\"n\":{n}}}"), &public),
                entry(1, &"x".repeat(500)),
            );
        }
        cache.entries.run_pending_tasks();
        assert!(cache.entries.weighted_size() <= 10_000);
        let mut metrics = String::new();
        cache.render(&mut metrics);
        assert!(
            !metrics.contains("passerelle_response_cache_evictions_total 0\n"),
            "{metrics}"
        );
    }
}

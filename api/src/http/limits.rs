//! Limits checked on the text of a document before it is parsed (tokens and nesting),
//! and the per-client rate limit. The limits on the parsed document (depth, complexity,
//! aliases, root fields, directives) are computed by `graphql::cost`, which knows the
//! schema.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// What the lexer finds in a document, counted in one pass over its text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Lexed {
    /// Lexical tokens (GraphQL's punctuators, names, numbers and strings; whitespace,
    /// commas and comments are not tokens).
    pub tokens: usize,
    /// The deepest nesting of `{`, `[` and `(`: selection sets, lists and input objects
    /// in values, and arguments.
    pub nesting: usize,
}

/// Counts the tokens and the nesting of `text` in time linear in its length, so a
/// document is refused before the parser builds (or recurses into) anything. Characters
/// GraphQL does not know count as tokens: the parser refuses them.
pub fn lex(text: &str) -> Lexed {
    let bytes = text.as_bytes();
    let mut lexed = Lexed::default();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b'#' => {
                while bytes.get(i).is_some_and(|b| *b != b'\n' && *b != b'\r') {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                lexed.tokens += 1;
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
            }
            b'"' => {
                lexed.tokens += 1;
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    i += match b {
                        b'\\' => 2,
                        b'"' | b'\n' | b'\r' => break,
                        _ => 1,
                    };
                }
                i += 1;
            }
            b'{' | b'[' | b'(' => {
                lexed.tokens += 1;
                depth += 1;
                lexed.nesting = lexed.nesting.max(depth);
                i += 1;
            }
            b'}' | b']' | b')' => {
                lexed.tokens += 1;
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                lexed.tokens += 1;
                i += 3;
            }
            b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => {
                // A name, or a number with its sign, fraction and exponent.
                let number = byte == b'-' || byte.is_ascii_digit();
                lexed.tokens += 1;
                i += 1;
                while bytes.get(i).is_some_and(|b| {
                    b.is_ascii_alphanumeric()
                        || *b == b'_'
                        || (number && (*b == b'.' || *b == b'+' || *b == b'-'))
                }) {
                    i += 1;
                }
            }
            _ => {
                lexed.tokens += 1;
                // One character, however many bytes it takes.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    lexed
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// A token bucket per client: `burst` requests at once, `rate` per second sustained.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

/// Buckets kept before idle (full) ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

impl RateLimiter {
    /// `None` when `rate` is 0 (no limit).
    pub fn new(rate: f64, burst: u32) -> Option<RateLimiter> {
        (rate > 0.0).then(|| RateLimiter {
            rate,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// Takes one token from `client`'s bucket, or says how long until one is there.
    pub fn check(&self, client: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry(client.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_counted_as_graphql_reads_them() {
        let lexed = lex(
            "query Q($n: Int = -1.5e3) { # a comment { [ (\n  a: services(first: $n, filter: { text: \"x { y\\\" z\" }) { ...F } }\n\
             fragment F on X { b(s: \"\"\"block { \\\"\"\" [ \"\"\") }",
        );
        // query Q ( $ n : Int = -1.5e3 ) { a : services ( first : $ n filter : { text : "…" } ) { ... F } }
        // fragment F on X { b ( s : """…""" ) }
        assert_eq!(lexed.tokens, 44);
        assert_eq!(lexed.nesting, 3);
    }

    #[test]
    fn nesting_counts_lists_and_objects_in_values() {
        let deep = format!("{{ a(x: {}1{}) }}", "[".repeat(500), "]".repeat(500));
        assert_eq!(lex(&deep).nesting, 502);
        assert_eq!(lex(&deep).tokens, 1008);
        assert_eq!(lex("").tokens, 0);
        assert_eq!(lex("{ é }").tokens, 3, "an unknown character is one token");
    }

    #[test]
    fn the_bucket_refills_at_the_sustained_rate() {
        let limiter = RateLimiter::new(2.0, 3).expect("a limit");
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check("ip:1", start).is_ok());
        }
        let wait = limiter.check("ip:1", start).expect_err("bucket empty");
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500));
        assert!(limiter.check("ip:2", start).is_ok(), "clients are separate");
        assert!(
            limiter
                .check("ip:1", start + Duration::from_millis(500))
                .is_ok()
        );
        assert!(RateLimiter::new(0.0, 10).is_none());
    }
}

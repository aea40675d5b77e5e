//! Limits checked on the parsed document before execution (aliases, root fields, the
//! operation type of a GET), and the per-client rate limit. Depth, complexity and
//! directives per field are computed by `graphql::cost`, which knows the schema.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
    SelectionSet,
};

/// The operation a request runs: the one named by `operationName`, else the only one.
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<(Option<&'a str>, &'a OperationDefinition)> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some((None, &operation.node)),
        (DocumentOperations::Multiple(operations), Some(name)) => operations
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(n, op)| (Some(n.as_str()), &op.node)),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations
            .iter()
            .next()
            .map(|(n, op)| (Some(n.as_str()), &op.node)),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

pub fn is_mutation(operation: &OperationDefinition) -> bool {
    operation.ty != OperationType::Query
}

/// Counts over an operation with its fragments expanded (each spread counts again).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub aliases: usize,
    pub root_fields: usize,
    /// Selects `__schema` or `__type` (not `__typename`).
    pub introspection: bool,
}

/// Spreads followed before giving up counting aliases and root fields; fragment cycles are
/// a validation error. A document that spreads more is still costed in full by
/// `graphql::cost`, but a zero-cost one (`__typename` only) passes: issue #12.
const MAX_SPREADS: usize = 1000;

pub fn shape(document: &ExecutableDocument, operation: &OperationDefinition) -> Shape {
    let mut shape = Shape::default();
    let mut spreads = 0;
    walk(
        document,
        &operation.selection_set.node,
        true,
        &mut shape,
        &mut spreads,
        &mut Vec::new(),
    );
    shape
}

fn walk<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    root: bool,
    shape: &mut Shape,
    spreads: &mut usize,
    stack: &mut Vec<&'a str>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                if root {
                    shape.root_fields += 1;
                }
                if field.node.alias.is_some() {
                    shape.aliases += 1;
                }
                let name = field.node.name.node.as_str();
                if name == "__schema" || name == "__type" {
                    shape.introspection = true;
                }
                walk(
                    document,
                    &field.node.selection_set.node,
                    false,
                    shape,
                    spreads,
                    stack,
                );
            }
            Selection::InlineFragment(fragment) => walk(
                document,
                &fragment.node.selection_set.node,
                root,
                shape,
                spreads,
                stack,
            ),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                *spreads += 1;
                if *spreads > MAX_SPREADS || stack.contains(&name) {
                    continue;
                }
                if let Some(fragment) = document.fragments.get(name) {
                    stack.push(name);
                    walk(
                        document,
                        &fragment.node.selection_set.node,
                        root,
                        shape,
                        spreads,
                        stack,
                    );
                    stack.pop();
                }
            }
        }
    }
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
    use async_graphql::parser::parse_query;

    fn shape_of(query: &str, name: Option<&str>) -> Shape {
        let document = parse_query(query).expect("parses");
        let (_, operation) = selected_operation(&document, name).expect("operation");
        shape(&document, operation)
    }

    #[test]
    fn counts_aliases_and_root_fields_through_fragments() {
        let counted = shape_of(
            "query Q { a: services { totalCount } b: services { totalCount } ...F }
             fragment F on Query { c: territories { code } ... on Query { d: categories { code } } }",
            None,
        );
        assert_eq!(
            counted,
            Shape {
                aliases: 4,
                root_fields: 4,
                introspection: false,
            }
        );
        let nested = shape_of("{ services { x: totalCount y: totalCount } }", None);
        assert_eq!(
            nested,
            Shape {
                aliases: 2,
                root_fields: 1,
                introspection: false,
            }
        );
        assert!(shape_of("{ a { __type(name: \"A\") { name } } }", None).introspection);
        assert!(!shape_of("{ __typename }", None).introspection);
    }

    #[test]
    fn fragment_cycles_end() {
        let counted = shape_of(
            "{ ...A } fragment A on Query { a: __typename ...B } fragment B on Query { ...A }",
            None,
        );
        assert_eq!(counted.aliases, 1);
    }

    #[test]
    fn selects_the_named_operation() {
        let document = parse_query("query A { a } mutation B { b }").expect("parses");
        let (_, b) = selected_operation(&document, Some("B")).expect("B");
        assert!(is_mutation(b));
        assert!(selected_operation(&document, None).is_none());
        assert!(selected_operation(&document, Some("C")).is_none());
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

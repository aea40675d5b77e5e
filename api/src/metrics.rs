//! Process metrics in the Prometheus text format (`GET /metrics`): GraphQL requests and
//! latency per operation name, errors by code, sync runs per source, the database pool.
//!
//! Hand-written on purpose: a handful of counters and histograms behind one mutex, held
//! for a few map updates per request.

use std::{collections::BTreeMap, fmt::Write as _, sync::Mutex, time::Duration};

use crate::error_code::ErrorCode;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Distinct operation names kept as labels by default (`limits.max_operation_labels`);
/// later names are counted as `other`, so a client inventing names cannot grow the
/// metrics without bound.
pub const DEFAULT_OPERATION_LABELS: usize = 200;

/// The longest operation label; a longer name is cut (at a character boundary).
pub const MAX_LABEL_CHARS: usize = 64;

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bound, bucket) in BUCKETS.iter().zip(self.buckets.iter_mut()) {
            if seconds <= *bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        for (bound, count) in BUCKETS.iter().zip(self.buckets.iter()) {
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

#[derive(Default)]
struct Inner {
    /// Operation name → latency of its requests.
    operations: BTreeMap<String, Histogram>,
    /// `extensions.code` → errors answered.
    errors: BTreeMap<String, u64>,
    /// HTTP status → responses (every route).
    responses: BTreeMap<u16, u64>,
    /// (source, outcome) → sync runs, and their durations per source.
    sync_runs: BTreeMap<(String, &'static str), u64>,
    sync_seconds: BTreeMap<String, Histogram>,
    rate_limited: u64,
}

/// Connection-pool figures read at scrape time.
#[derive(Clone, Copy, Debug)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// The read model's figures read at scrape time.
#[derive(Clone, Copy, Debug)]
pub struct ReadModelStats {
    /// The last `change_log` sequence it includes.
    pub sequence: i64,
    pub services: usize,
}

pub struct Metrics {
    inner: Mutex<Inner>,
    max_operations: usize,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new(DEFAULT_OPERATION_LABELS)
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Metrics keeping at most `max_operations` distinct operation labels.
    pub fn new(max_operations: usize) -> Metrics {
        Metrics {
            inner: Mutex::new(Inner::default()),
            max_operations,
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut inner)
    }

    /// One GraphQL operation answered, with the codes of the errors it carried.
    pub fn graphql(&self, operation: &str, elapsed: Duration, codes: &[String]) {
        let operation = match operation.char_indices().nth(MAX_LABEL_CHARS) {
            Some((end, _)) => &operation[..end],
            None => operation,
        };
        let max_operations = self.max_operations;
        self.with(|inner| {
            let key = if inner.operations.contains_key(operation)
                || inner.operations.len() < max_operations
            {
                operation
            } else {
                "other"
            };
            inner
                .operations
                .entry(key.to_owned())
                .or_default()
                .observe(elapsed.as_secs_f64());
            for code in codes {
                *inner.errors.entry(code.clone()).or_default() += 1;
            }
        });
    }

    /// An error answered before any operation ran (bad request, limits, rate limit).
    pub fn refused(&self, code: ErrorCode) {
        self.with(|inner| {
            *inner.errors.entry(code.as_str().to_owned()).or_default() += 1;
            if code == ErrorCode::RateLimited {
                inner.rate_limited += 1;
            }
        });
    }

    pub fn response(&self, status: u16) {
        self.with(|inner| *inner.responses.entry(status).or_default() += 1);
    }

    pub fn sync_run(&self, source: &str, ok: bool, elapsed: Duration) {
        self.with(|inner| {
            let outcome = if ok { "success" } else { "failure" };
            *inner
                .sync_runs
                .entry((source.to_owned(), outcome))
                .or_default() += 1;
            inner
                .sync_seconds
                .entry(source.to_owned())
                .or_default()
                .observe(elapsed.as_secs_f64());
        });
    }

    /// The exposition text; `pool`, `statements` and `read_model` are read by the caller
    /// at scrape time.
    pub fn render(&self, pool: PoolStats, statements: u64, read_model: ReadModelStats) -> String {
        let mut out = String::with_capacity(4096);
        self.with(|inner| {
            out.push_str("# HELP passerelle_graphql_request_duration_seconds GraphQL operations answered, by operation name.\n");
            out.push_str("# TYPE passerelle_graphql_request_duration_seconds histogram\n");
            for (operation, histogram) in &inner.operations {
                histogram.render(
                    &mut out,
                    "passerelle_graphql_request_duration_seconds",
                    &format!("operation=\"{}\"", escape(operation)),
                );
            }
            out.push_str(
                "# HELP passerelle_graphql_errors_total GraphQL errors answered, by extensions.code.\n",
            );
            out.push_str("# TYPE passerelle_graphql_errors_total counter\n");
            for (code, count) in &inner.errors {
                let _ = writeln!(
                    out,
                    "passerelle_graphql_errors_total{{code=\"{}\"}} {count}",
                    escape(code)
                );
            }
            out.push_str("# HELP passerelle_http_responses_total HTTP responses, by status.\n");
            out.push_str("# TYPE passerelle_http_responses_total counter\n");
            for (status, count) in &inner.responses {
                let _ = writeln!(
                    out,
                    "passerelle_http_responses_total{{status=\"{status}\"}} {count}"
                );
            }
            out.push_str("# HELP passerelle_rate_limited_total Requests refused by the per-client rate limit.\n");
            out.push_str("# TYPE passerelle_rate_limited_total counter\n");
            let _ = writeln!(out, "passerelle_rate_limited_total {}", inner.rate_limited);
            out.push_str("# HELP passerelle_sync_runs_total Sync runs, by source and outcome.\n");
            out.push_str("# TYPE passerelle_sync_runs_total counter\n");
            for ((source, outcome), count) in &inner.sync_runs {
                let _ = writeln!(
                    out,
                    "passerelle_sync_runs_total{{source=\"{}\",outcome=\"{outcome}\"}} {count}",
                    escape(source)
                );
            }
            out.push_str("# HELP passerelle_sync_duration_seconds Sync run durations, by source.\n");
            out.push_str("# TYPE passerelle_sync_duration_seconds histogram\n");
            for (source, histogram) in &inner.sync_seconds {
                histogram.render(
                    &mut out,
                    "passerelle_sync_duration_seconds",
                    &format!("source=\"{}\"", escape(source)),
                );
            }
        });
        out.push_str(
            "# HELP passerelle_db_pool_connections Database pool connections, by state.\n",
        );
        out.push_str("# TYPE passerelle_db_pool_connections gauge\n");
        let _ = writeln!(
            out,
            "passerelle_db_pool_connections{{state=\"idle\"}} {}",
            pool.idle
        );
        let _ = writeln!(
            out,
            "passerelle_db_pool_connections{{state=\"busy\"}} {}",
            pool.size.saturating_sub(pool.idle)
        );
        out.push_str("# HELP passerelle_db_pool_max_connections Configured pool size.\n");
        out.push_str("# TYPE passerelle_db_pool_max_connections gauge\n");
        let _ = writeln!(out, "passerelle_db_pool_max_connections {}", pool.max);
        out.push_str("# HELP passerelle_db_statements_total SQL statements run.\n");
        out.push_str("# TYPE passerelle_db_statements_total counter\n");
        let _ = writeln!(out, "passerelle_db_statements_total {statements}");
        out.push_str("# HELP passerelle_read_model_sequence The last change-log sequence the read model includes; compare replicas to see lag.\n");
        out.push_str("# TYPE passerelle_read_model_sequence gauge\n");
        let _ = writeln!(
            out,
            "passerelle_read_model_sequence {}",
            read_model.sequence
        );
        out.push_str("# HELP passerelle_read_model_services Services held by the read model.\n");
        out.push_str("# TYPE passerelle_read_model_services gauge\n");
        let _ = writeln!(
            out,
            "passerelle_read_model_services {}",
            read_model.services
        );
        out
    }
}

/// A label value as the exposition format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let metrics = Metrics::default();
        metrics.graphql("MapPage", Duration::from_millis(3), &[]);
        metrics.graphql(
            "MapPage",
            Duration::from_millis(30),
            &["BAD_USER_INPUT".to_owned()],
        );
        metrics.sync_run("hsds", true, Duration::from_secs(2));
        let text = metrics.render(
            PoolStats {
                size: 3,
                idle: 1,
                max: 10,
            },
            42,
            ReadModelStats {
                sequence: 7,
                services: 3,
            },
        );
        assert!(text.contains(
            "passerelle_graphql_request_duration_seconds_bucket{operation=\"MapPage\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "passerelle_graphql_request_duration_seconds_count{operation=\"MapPage\"} 2"
        ));
        assert!(text.contains("passerelle_graphql_errors_total{code=\"BAD_USER_INPUT\"} 1"));
        assert!(text.contains("passerelle_sync_runs_total{source=\"hsds\",outcome=\"success\"} 1"));
        assert!(text.contains("passerelle_db_pool_connections{state=\"busy\"} 2"));
        assert!(text.contains("passerelle_db_statements_total 42"));
        assert!(text.contains("passerelle_read_model_sequence 7"));
        assert!(text.contains("passerelle_read_model_services 3"));
    }

    #[test]
    fn operation_names_are_bounded() {
        let metrics = Metrics::default();
        for i in 0..DEFAULT_OPERATION_LABELS + 50 {
            metrics.graphql(&format!("op{i}"), Duration::from_millis(1), &[]);
        }
        let text = metrics.render(
            PoolStats {
                size: 0,
                idle: 0,
                max: 1,
            },
            0,
            ReadModelStats {
                sequence: 0,
                services: 0,
            },
        );
        assert!(text.contains("operation=\"other\""));
        assert!(!text.contains(&format!(
            "operation=\"op{}\"",
            DEFAULT_OPERATION_LABELS + 10
        )));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}

//! `bench/REPORT.md` from the rows of a run: the tables, and the targets of issues #5 and
//! #16 per scale and number of connections.

use std::fmt::Write as _;

use crate::load::Load;

/// How the requests of a scenario vary.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// The same variables again and again: the page every user of a service asks.
    Hot,
    /// Variables drawn per request from a list covering the region: pages seldom asked.
    Cold,
}

impl Form {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Form::Hot => "hot",
            Form::Cold => "cold",
        }
    }
}

/// One row of the report.
pub(crate) struct Row {
    pub(crate) scale: u32,
    pub(crate) scenario: &'static str,
    pub(crate) form: Form,
    pub(crate) connections: u32,
    pub(crate) server: String,
    pub(crate) load: Load,
    pub(crate) rss_mb: f64,
    /// Share of the run's requests the response cache answered, when it is on.
    pub(crate) cache_hits: Option<f64>,
}

pub(crate) const PASSERELLE: &str = "passerelle";
pub(crate) const NO_CACHE: &str = "passerelle, no response cache";
pub(crate) const PEER: &str = "PostGraphile 5";
pub(crate) const PEER_PLUGIN: &str = "PostGraphile 5, filter plugin";
pub(crate) const PEER_FUNCTION: &str = "PostGraphile 5, SQL function";
pub(crate) const PEER_FACET: &str = "PostGraphile 5, facet table";

/// What the report says, besides its rows.
pub(crate) struct Rendered<'a> {
    pub(crate) connections: &'a [u32],
    pub(crate) duration: u64,
    pub(crate) organisations: usize,
    pub(crate) baseline_label: &'a str,
    /// (a)'s hot point and (c)'s text.
    pub(crate) point: (f64, f64),
    pub(crate) text: &'a str,
    pub(crate) sync_seconds: f64,
    pub(crate) sync_rss: f64,
    pub(crate) base_organisations: i64,
    pub(crate) base_services: i64,
    pub(crate) territory: &'a str,
    pub(crate) category: &'a str,
    pub(crate) matching: i64,
    pub(crate) bassin: &'a str,
    pub(crate) sizes: &'a [(u32, i64, i64)],
    pub(crate) rows: &'a [Row],
    pub(crate) cold_points: usize,
    pub(crate) cold_pairs: usize,
    /// passerelle's peak RSS as deployed, per scale, over all its runs ((f), (g) too).
    pub(crate) peaks: &'a [(u32, f64)],
}

/// wrk counts a request it gave up on (2 s) with a zero latency; a run where that
/// happened has no meaningful percentiles.
pub(crate) fn answered(load: &Load) -> bool {
    load.requests > 0 && load.p50_ms > 0.0 && load.p99_ms > 0.0
}

fn mark(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

pub(crate) fn render(r: &Rendered<'_>) -> String {
    let mut text = String::new();
    let connections = r
        .connections
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(" and ");
    let _ = writeln!(text, "# Benchmark report\n");
    let _ = writeln!(
        text,
        "Written by `bench/run.sh` (`passerelle-bench run`) on {} with {} cores; `wrk` \
         (2 threads, {} s per load, at {connections} connections); wrk, the servers and \
         PostgreSQL 15 share the machine. Compare runs on the same machine. Targets are \
         reported here and never asserted in tests.\n",
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        r.duration
    );
    let _ = writeln!(text, "## Datasets\n");
    let _ = writeln!(text, "| scale | organisations | services |\n|---|---|---|");
    for (factor, organisations, services) in r.sizes {
        let _ = writeln!(text, "| {factor}× | {organisations} | {services} |");
    }
    let _ = writeln!(
        text,
        "\n1× is the generator's {} organisations synced through the four connectors \
         ({} organisations, {} services after matching). 10× and 100× repeat its directory \
         rows in SQL with new ids and points moved by about a metre per copy.\n",
        r.organisations, r.base_organisations, r.base_services
    );
    let _ = writeln!(text, "## Scenarios\n");
    let _ = writeln!(
        text,
        "- floor: `{{ __typename }}`, the least a server does for a request, for both \
         servers: what each scenario is compared with;\n\
         - (a) map page: 20 services nearest ({}, {}) within 5 km, with organisation, sites, \
         categories and accreditations. PostGraphile answers \
         `bench/peer/scenario-a-function.graphql` through `services_near` \
         (`bench/peer/best.sql`: earthdistance with a GiST index);\n\
         - (b) territory + category page: `{}` and `{}` ({} services at 1×), same fields. \
         PostGraphile answers it three ways: through its connection-filter plugin \
         (`scenario-b.graphql`), a SQL function starting from the selective side \
         (`scenario-b-function.graphql`) and a denormalised territory × category → service \
         table refreshed after the data is in place (`scenario-b-facet.graphql`); the SQL is \
         `bench/peer/best.sql`, what an experienced PostGraphile user would add;\n\
         - (c) text search `{}`: 20 services with organisation and categories;\n\
         - (d) (a) with a basin-team token (bassin `{}`);\n\
         - (h) helpdesk orientation: 10 medical houses ranked for a Dutch speaker who \
         cannot pay, from the map point (hot) or from the grid's points (cold), with their \
         reasons (`orient`);\n\
         - (i) coverage of the basic offer in the whole region: every residential quartier \
         (118) against every entry of the default offer (11), with the inhabitants left \
         without (`coverage(territory: \"region:bru\")`); not kept by the response cache, \
         so each request computes it: its latency is the time of a whole-region coverage, \
         the RSS column the server's memory while computing it;\n\
         - (j) the web map's markers for a view at about zoom 14: every place within 1.5 km \
         of the map point (hot) or of the grid's points (cold) as GeoJSON \
         (`servicesGeoJson`, what `/` asks when a filter holds more services than \
         `http.web_max_markers`); it reads the clock (`openNow`), so the response cache \
         does not keep it;\n\
         - (e) full sync of the 1× dataset by `passerelle sync --full` from local upstream \
         servers (loopback HTTP).\n",
        r.point.0, r.point.1, r.territory, r.category, r.matching, r.text, r.bassin
    );
    let _ = writeln!(
        text,
        "Each scenario has two forms:\n\n\
         - **hot**: the same variables in every request, the page everyone asks. passerelle \
         runs as deployed, with its response cache on (`api.response_cache_mb`): after the \
         first request its answers come from the cache until a write moves the directory \
         on ((f) writes while (b) reads);\n\
         - **cold**: variables drawn per request, for (a) from {} points of a grid over the \
         region (about 450 m apart, each inside a quartier), for (b) from the {} pairs of a \
         territory (quartier, commune or bassin) and a category (either level) with at least \
         one visible service. passerelle runs with its response cache off (`no response \
         cache`): every request computes its page, the cold path. (a) cold also runs against \
         the server as deployed, with its cache on: a map panned around the region, where \
         pages repeat after a first pass (the last column says how many the cache \
         answered).\n\n\
         PostGraphile has no response cache. Its pages list as separate services the \
         duplicates that passerelle's matching shows as one, so it does a little less work \
         per page.\n",
        r.cold_points, r.cold_pairs
    );
    let _ = writeln!(text, "## Reads\n");
    let _ = writeln!(
        text,
        "| scale | scenario | form | connections | server | requests/s | p50 | p99 | failures | server peak RSS | answered by the cache |\n|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for row in r.rows {
        let head = format!(
            "| {}× | ({}) | {} | {} | {} |",
            row.scale,
            row.scenario,
            row.form.label(),
            row.connections,
            row.server
        );
        let hits = row
            .cache_hits
            .map_or_else(String::new, |share| format!("{:.1}%", 100.0 * share));
        if answered(&row.load) {
            let _ = writeln!(
                text,
                "{head} {:.0} | {:.2} ms | {:.2} ms | {} | {:.0} MB | {hits} |",
                row.load.requests_per_second,
                row.load.p50_ms,
                row.load.p99_ms,
                row.load.failures,
                row.rss_mb
            );
        } else {
            let _ = writeln!(
                text,
                "{head} 0 | no answer within wrk's 2 s timeout | | {} | {:.0} MB | {hits} |",
                row.load.failures, row.rss_mb
            );
        }
    }
    let _ = writeln!(text, "\n## Sync\n");
    let _ = writeln!(
        text,
        "(e) full sync, 1×: **{:.1} s**, peak RSS of the sync process {:.0} MB.\n",
        r.sync_seconds, r.sync_rss
    );
    text.push_str(&render_targets(r));
    text
}

/// The targets of issues #5 and #16, per scale and number of connections.
fn render_targets(r: &Rendered<'_>) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "## Targets\n");
    let find = |scale: u32, scenario: &str, form: Form, connections: u32, server: &str| {
        r.rows.iter().find(|row| {
            row.scale == scale
                && row.scenario == scenario
                && row.form == form
                && row.connections == connections
                && row.server == server
        })
    };
    let peer_best = |scale: u32, scenario: &str, form: Form, connections: u32| {
        r.rows
            .iter()
            .filter(|row| {
                row.scale == scale
                    && row.scenario == scenario
                    && row.form == form
                    && row.connections == connections
                    && row.server.starts_with(PEER)
            })
            .max_by(|x, y| {
                x.load
                    .requests_per_second
                    .total_cmp(&y.load.requests_per_second)
            })
    };
    let baseline = format!("passerelle {}, no response cache", r.baseline_label);
    for &(scale, _, _) in r.sizes {
        for &connections in r.connections {
            let at = format!("{scale}×, {connections} connections");
            let floor = find(scale, "floor", Form::Hot, connections, PASSERELLE)
                .map(|row| row.load.requests_per_second);
            let p99_target = if connections <= 16 { 5.0 } else { 20.0 };
            for scenario in ["a", "b"] {
                if let (Some(hot), Some(floor)) = (
                    find(scale, scenario, Form::Hot, connections, PASSERELLE),
                    floor,
                ) {
                    let share = hot.load.requests_per_second / floor;
                    let _ = writeln!(
                        text,
                        "- hot ({scenario}), {at}: {:.0}% of passerelle's floor ({floor:.0} req/s), \
                         target ≥ 40% — {}; p99 {:.2} ms, target < {p99_target} ms — {}",
                        100.0 * share,
                        mark(share >= 0.4),
                        hot.load.p99_ms,
                        mark(answered(&hot.load) && hot.load.p99_ms < p99_target)
                    );
                }
                let Some(cold) = find(scale, scenario, Form::Cold, connections, NO_CACHE) else {
                    continue;
                };
                if let Some(peer) = peer_best(scale, scenario, Form::Cold, connections) {
                    let ratio = cold.load.requests_per_second / peer.load.requests_per_second;
                    let _ = writeln!(
                        text,
                        "- cold ({scenario}), {at}: {:.0} req/s, {ratio:.1}× PostGraphile at its \
                         best ({}: {:.0} req/s), target ≥ 10× — {}",
                        cold.load.requests_per_second,
                        peer.server,
                        peer.load.requests_per_second,
                        mark(ratio >= 10.0)
                    );
                }
                if let Some(before) = find(scale, scenario, Form::Cold, connections, &baseline) {
                    let ratio = cold.load.requests_per_second / before.load.requests_per_second;
                    let _ = writeln!(
                        text,
                        "- cold ({scenario}), {at}: {ratio:.2}× {} ({:.0} req/s), target ≥ 1.5× — {}",
                        r.baseline_label,
                        before.load.requests_per_second,
                        mark(ratio >= 1.5)
                    );
                }
                if let Some(floor) = floor {
                    let _ = writeln!(
                        text,
                        "- cold ({scenario}), {at}: {:.0}% of passerelle's floor (reported)",
                        100.0 * cold.load.requests_per_second / floor
                    );
                }
            }
            if let Some(peer_floor) = find(scale, "floor", Form::Hot, connections, PEER)
                && let Some(peer) = peer_best(scale, "b", Form::Hot, connections)
            {
                let _ = writeln!(
                    text,
                    "- hot (b), {at}: PostGraphile at its best ({}) at {:.1}% of its own \
                         floor ({:.0} req/s) (reported)",
                    peer.server,
                    100.0 * peer.load.requests_per_second / peer_floor.load.requests_per_second,
                    peer_floor.load.requests_per_second
                );
            }
        }
        // During the read loads (the target), and over every run on that server, which at
        // 1× includes (f)'s writes and (g)'s 1,000 WebSocket subscribers (reported).
        let reads = r
            .rows
            .iter()
            .filter(|row| row.scale == scale && row.server == PASSERELLE)
            .map(|row| row.rss_mb)
            .fold(0.0, f64::max);
        let overall = r
            .peaks
            .iter()
            .filter(|(at, _)| *at == scale)
            .map(|(_, mb)| *mb)
            .fold(reads, f64::max);
        let (limit, label) = if scale == 1 {
            (200.0, "200 MB")
        } else {
            (1024.0, "1 GB")
        };
        if scale <= 10 {
            let _ = writeln!(
                text,
                "- server peak RSS with the response cache on, during the read loads, {scale}×: \
                 {reads:.0} MB, target ≤ {label} — {}; over all its runs ((f) and (g) at 1×): \
                 {overall:.0} MB (reported)",
                mark(reads <= limit)
            );
        }
    }
    let first = r.connections.first().copied().unwrap_or(16);
    for scenario in ["a", "b"] {
        if let (Some(one), Some(ten)) = (
            find(1, scenario, Form::Cold, first, NO_CACHE),
            find(10, scenario, Form::Cold, first, NO_CACHE),
        ) {
            let line = if answered(&ten.load) {
                let ratio = ten.load.p50_ms / one.load.p50_ms;
                format!("{ratio:.2}× — {}", mark(ratio <= 2.0))
            } else {
                format!("no answer within 2 s at 10× — {}", mark(false))
            };
            let _ = writeln!(
                text,
                "- cold ({scenario}) p50 at 10× ≤ 2× p50 at 1× ({first} connections): {line}"
            );
        }
    }
    let _ = writeln!(
        text,
        "- (e) full sync ≤ 10 s: {:.1} s — {}",
        r.sync_seconds,
        mark(r.sync_seconds <= 10.0)
    );
    text
}

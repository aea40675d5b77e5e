//! Layered configuration: built-in defaults (`Default` impls and serde defaults), then
//! an optional TOML file, then `PASSERELLE_SECTION__KEY` environment variables (and the
//! conventional `DATABASE_URL`), merged by the `config` crate into these serde structs.
//! Every setting is written once, here; an unknown key or variable is refused
//! (`deny_unknown_fields`).

use std::{collections::BTreeMap, fmt, net::SocketAddr, path::Path};

use serde::{Deserialize, Deserializer};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration file {path}: {message}")]
    File { path: String, message: String },
    #[error("invalid value for {name}: {message}")]
    Env { name: String, message: String },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Whether the service runs for a developer (GraphiQL, demo data) or in production.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Development,
    Production,
}

/// A value that must never be printed (database passwords, signing secrets).
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub profile: Profile,
    pub http: HttpConfig,
    pub database: DatabaseConfig,
    pub api: ApiConfig,
    pub limits: LimitsConfig,
    pub demo: DemoConfig,
    pub auth: AuthConfig,
    /// Upstream directories to federate (`[[sources]]` tables).
    pub sources: Vec<SourceConfig>,
    pub sync: SyncConfig,
    pub coverage: CoverageConfig,
    pub demand: DemandConfig,
}

/// Helpdesk demand signals (`docs/demand.md`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemandConfig {
    /// Counts below this are suppressed in every summary shown outside the team that
    /// logged the signals (k-anonymity); at least 2.
    pub k_anonymity: u32,
}

impl Default for DemandConfig {
    fn default() -> Self {
        DemandConfig { k_anonymity: 5 }
    }
}

/// The basic offer coverage measures (`docs/coverage.md`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoverageConfig {
    /// What every territory should offer, one `[[coverage.basic_offer]]` table per
    /// category and scale (a category may appear at two scales).
    pub basic_offer: Vec<BasicOfferEntry>,
    /// The farthest reach, in metres, an entry or a request (`reachMetres`) may ask.
    pub max_reach_m: u32,
}

/// One category of the basic offer at one scale.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BasicOfferEntry {
    /// A category code; its descendants count too.
    pub category: String,
    /// `quartier`, `commune`, `bassin` or `region`: the territory that answers for it.
    pub scale: String,
    /// How far from where people live a site may be, straight line, in metres. Absent:
    /// at the `quartier` scale, walking reach ([`DEFAULT_WALK_M`]); at the others, a site
    /// in the same commune, bassin or region.
    pub reach_m: Option<u32>,
}

/// Fifteen minutes' walk.
pub const DEFAULT_WALK_M: u32 = 1200;

impl Default for CoverageConfig {
    /// The reform's first-line basic offer: medical houses, general social work, mental
    /// health and the CPAS close to home; family planning, home care and debt mediation
    /// close to home and in every bassin; palliative care region-wide.
    fn default() -> Self {
        let entry = |category: &str, scale: &str| BasicOfferEntry {
            category: category.to_owned(),
            scale: scale.to_owned(),
            reach_m: None,
        };
        CoverageConfig {
            basic_offer: vec![
                entry("medical_house", "quartier"),
                entry("general_social_work", "quartier"),
                entry("mental_health", "quartier"),
                entry("cpas", "commune"),
                entry("family_planning", "quartier"),
                entry("family_planning", "bassin"),
                entry("home_care", "quartier"),
                entry("home_care", "bassin"),
                entry("debt_mediation", "quartier"),
                entry("debt_mediation", "bassin"),
                entry("palliative_care", "region"),
            ],
            max_reach_m: 5_000,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// Per field (`PRIORITY_FIELDS`: an organisation's names, legal status and website,
    /// a merged service's names, descriptions, public and fee), source names from most
    /// to least trusted. A field not listed follows the order of `[[sources]]`.
    pub priority: std::collections::BTreeMap<String, Vec<String>>,
    /// Pairs of services that are never one service although the merge would fold them:
    /// each as `source:upstream id` (what `provenance` shows), e.g.
    /// `[["social-brussels:13219", "sociale-kaart:181234"]]`.
    pub separate: Vec<[String; 2]>,
}

/// The fields `[sync.priority]` can order: an organisation's (`name_*`, `legal_status_*`,
/// `website`) and a merged service's (`name_*`, `description_*`, `target_public_*`,
/// `fee`). A name field orders both.
pub const PRIORITY_FIELDS: [&str; 13] = [
    "name_fr",
    "name_nl",
    "name_en",
    "legal_status_fr",
    "legal_status_nl",
    "website",
    "description_fr",
    "description_nl",
    "description_en",
    "target_public_fr",
    "target_public_nl",
    "target_public_en",
    "fee",
];

/// Which source is trusted first for a field, where several give it: `[sync.priority]`
/// for the fields it lists, else the order of `[[sources]]`. One rule for the sync's
/// organisations and the read model's merged services.
#[derive(Clone, Debug, Default)]
pub struct SourcePriority {
    order: Vec<String>,
    fields: BTreeMap<String, Vec<String>>,
}

impl SourcePriority {
    /// The rank of `source` for `field`: 0 is the most trusted; a source not listed
    /// comes after every listed one.
    pub fn rank(&self, field: &str, source: &str) -> usize {
        self.fields
            .get(field)
            .unwrap_or(&self.order)
            .iter()
            .position(|p| p == source)
            .unwrap_or(usize::MAX)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Address and port to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// When set, `/metrics` answers only requests bearing this token; never printed.
    pub metrics_token: Option<Secret>,
    /// GraphiQL on `GET /graphql` for browsers; unset: on in development, off in
    /// production (where it also needs `limits.introspection`).
    pub graphiql: Option<bool>,
    /// The web map at `/` (`docs/web.md`); its persisted documents are trusted where it
    /// is served.
    pub web: bool,
    /// The most markers the web map draws at once: with more services than this, it
    /// shows those in view, and asks to zoom in or filter when they are still more.
    pub web_max_markers: u32,
    /// Seconds a browser or CDN may reuse a public answer to a `GET` query without asking
    /// again (`Cache-Control: public, max-age`); 0: it asks every time, and gets
    /// `304 Not Modified` while the directory has not changed.
    pub cache_max_age_seconds: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://path?mode=rwc` or `postgres://user:password@host/db`.
    pub url: Secret,
    pub max_connections: u32,
    /// Milliseconds between two looks at the change log by the read model, for changes
    /// written by another process (PostgreSQL also notifies at once); 0 = no polling.
    pub change_poll_ms: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    pub default_page_size: u32,
    pub max_page_size: u32,
    /// Most items one `upsertListings` takes; more is refused before anything is read.
    pub max_upsert_items: usize,
    /// Hours an `Idempotency-Key` is remembered.
    pub idempotency_hours: u32,
    /// Days the change feed keeps a change (`changes`); 0 keeps every change.
    pub change_retention_days: u32,
    /// Mebibytes of whole answers to queries kept for the read model's current version
    /// (the exact response cache); 0 turns it off.
    pub response_cache_mb: u32,
}

/// Abuse limits of the GraphQL endpoint. A zero turns a limit off where noted.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Deepest selection nesting accepted.
    pub max_depth: usize,
    /// Highest query cost: one per field, list fields multiplied by their `first` or
    /// their real fan-out (`graphql::cost`).
    pub max_complexity: usize,
    /// Lexical tokens in one document, counted before it is parsed.
    pub max_tokens: usize,
    /// Largest response body, in bytes: a larger one is not sent, the client gets
    /// `RESPONSE_TOO_LARGE`.
    pub max_response_bytes: usize,
    /// Aliases per request document.
    pub max_aliases: usize,
    /// Root fields per operation.
    pub max_root_fields: usize,
    /// Directives on one field.
    pub max_directives_per_field: usize,
    /// Distinct operation names `/metrics` keeps as labels; later ones count as `other`.
    pub max_operation_labels: usize,
    /// Field selections of a document once its fragments are expanded (`__typename`
    /// included): bounds the work of validating a document whose fields cost nothing.
    pub max_expanded_selections: usize,
    /// Operations in one JSON-array batch; 0 refuses batches.
    pub max_batch: usize,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Request body size for partners and administrators, who send listings in bulk.
    pub max_write_body_bytes: usize,
    /// Time a client has to send the request line and headers, in milliseconds.
    pub header_timeout_ms: u64,
    /// Open connections one client address may hold; 0 = no limit.
    pub max_connections_per_address: usize,
    /// Open subscription (WebSocket) connections one client address may hold; 0 = no
    /// limit.
    pub max_subscription_connections_per_address: usize,
    /// Subscriptions running at once on one WebSocket connection.
    pub max_subscriptions_per_connection: usize,
    /// Time a client has to send the whole request body, in milliseconds.
    pub body_timeout_ms: u64,
    /// Execution time of one request, in milliseconds.
    pub execution_timeout_ms: u64,
    /// Sustained requests per second per client (token subject, else IP); 0 = no limit.
    pub rate_per_second: f64,
    /// Requests a client may send at once above the sustained rate.
    pub rate_burst: u32,
    /// Trust the first `X-Forwarded-For` address as the client's (behind a proxy).
    pub trust_forwarded_for: bool,
    /// Schema introspection; unset: on in development, off in production.
    pub introspection: Option<bool>,
    /// "Did you mean …" suggestions in errors; unset: as `introspection`.
    pub suggestions: Option<bool>,
    /// Automatic persisted queries (Apollo APQ) kept in memory; 0 turns APQ off.
    pub apq_cache_entries: usize,
    /// JSON manifest of trusted documents (`{ "<sha256>": "query …" }`).
    pub trusted_documents: Option<String>,
    /// Run only the operations of the manifest; any other query text is refused.
    pub trusted_documents_only: bool,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_depth: 12,
            max_complexity: 20_000,
            max_tokens: 15_000,
            max_response_bytes: 8 * 1024 * 1024,
            max_aliases: 30,
            max_root_fields: 10,
            max_directives_per_field: 4,
            max_expanded_selections: 10_000,
            max_operation_labels: crate::metrics::DEFAULT_OPERATION_LABELS,
            max_batch: 0,
            max_body_bytes: 64 * 1024,
            max_write_body_bytes: 4 * 1024 * 1024,
            execution_timeout_ms: 10_000,
            body_timeout_ms: 10_000,
            header_timeout_ms: 10_000,
            max_connections_per_address: 100,
            max_subscription_connections_per_address: 20,
            max_subscriptions_per_connection: 20,
            rate_per_second: 50.0,
            rate_burst: 100,
            trust_forwarded_for: false,
            introspection: None,
            suggestions: None,
            apq_cache_entries: 1000,
            trusted_documents: None,
            trusted_documents_only: false,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemoConfig {
    /// Load the bundled demo dataset when the database holds no demo data yet.
    /// Unset: on in development, off in production.
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// HS256 secret for development tokens (`passerelle token`); unset: HS256 refused.
    pub dev_secret: Option<Secret>,
    /// Expected `iss` claim.
    pub issuer: String,
    /// Expected `aud` claim.
    pub audience: String,
    /// JWKS of the production identity provider (RS256/ES256 keys).
    pub jwks_url: Option<String>,
    /// Asymmetric algorithms accepted with JWKS keys (comma-separated in the environment).
    #[serde(deserialize_with = "comma_list")]
    pub algorithms: Vec<String>,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway_seconds: u64,
    /// Least time between two JWKS fetches triggered by an unknown `kid`.
    pub jwks_refresh_min_seconds: u64,
    /// Claim holding the role(s); a dotted path such as `realm_access.roles` works.
    pub role_claim: String,
    /// Claim holding the organisation ids of a partner.
    pub organisations_claim: String,
    /// Claim holding the bassin key of a basin team.
    pub bassin_claim: String,
    /// Identity-provider role names mapped to passerelle roles
    /// (`{ "bruzel-partner" = "zone_partner" }`; `idp-role=role,…` in the environment).
    #[serde(deserialize_with = "pair_list")]
    pub role_map: std::collections::BTreeMap<String, String>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            dev_secret: None,
            issuer: "passerelle".to_owned(),
            audience: "passerelle".to_owned(),
            jwks_url: None,
            algorithms: vec!["RS256".to_owned(), "ES256".to_owned()],
            leeway_seconds: 30,
            jwks_refresh_min_seconds: 60,
            role_claim: "passerelle_role".to_owned(),
            organisations_claim: "passerelle_organisations".to_owned(),
            bassin_claim: "passerelle_bassin".to_owned(),
            role_map: std::collections::BTreeMap::new(),
        }
    }
}

/// The upstream formats passerelle can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    SocialBrussels,
    SocialeKaart,
    Hsds,
    Csv,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::SocialBrussels => "social_brussels",
            SourceKind::SocialeKaart => "sociale_kaart",
            SourceKind::Hsds => "hsds",
            SourceKind::Csv => "csv",
        }
    }

    fn parse(text: &str) -> Option<SourceKind> {
        [
            SourceKind::SocialBrussels,
            SourceKind::SocialeKaart,
            SourceKind::Hsds,
            SourceKind::Csv,
        ]
        .into_iter()
        .find(|k| k.as_str() == text.trim())
    }
}

/// One upstream directory.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Stable name, used in provenance and on the command line.
    pub name: String,
    pub kind: SourceKind,
    /// `https://…` (the API root) or `file:///path/to/snapshot` (one document).
    pub base_url: String,
    /// Sent with every request, e.g. `Authorization: Bearer …`; never printed.
    #[serde(default)]
    pub auth_header: Option<Secret>,
    /// Minutes between scheduled runs inside `serve`; 0 = only on demand.
    #[serde(default)]
    pub schedule_minutes: u64,
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    #[serde(default = "default_timeout_seconds")]
    pub timeout_seconds: u64,
    /// Retries of a request that timed out or got a 5xx (never a 4xx).
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Upper bound on requests per second to this upstream.
    #[serde(default = "default_rate")]
    pub max_requests_per_second: f64,
    /// Authority code this source speaks for, given to accreditations it does not
    /// attribute itself (a federal list: `federal`).
    #[serde(default)]
    pub authority: Option<String>,
    /// For `csv`: delimiter and the column holding each harmonised field.
    #[serde(default)]
    pub csv: Option<CsvMapping>,
    /// Language of the texts of a monolingual source (`fr`, `nl`, `en`); HSDS and CSV
    /// records do not say it themselves. Default: `fr`.
    #[serde(default)]
    pub language: Option<String>,
    /// For `sociale_kaart`: the rubrics asked for (full numbered labels); unset: the
    /// rubrics of `api/data/mappings/categories.csv`, the first-line offer; empty: all.
    #[serde(default)]
    pub rubrics: Option<Vec<String>>,
    /// For `sociale_kaart`: postcodes (`"1000"`) and ranges (`"1000-1210"`) an item must
    /// have an address in; unset: the region's, 1000–1210.
    #[serde(default)]
    pub postcodes: Option<Vec<String>>,
}

/// The postcodes of the region's communes, as bpost lists them.
const REGION_POSTCODES: [u16; 22] = [
    1000, 1020, 1030, 1040, 1050, 1060, 1070, 1080, 1081, 1082, 1083, 1090, 1120, 1130, 1140, 1150,
    1160, 1170, 1180, 1190, 1200, 1210,
];

/// Postcodes and ranges of postcodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Postcodes(Vec<(u16, u16)>);

impl Postcodes {
    /// `"1000"` or `"1000-1210"` each.
    pub fn parse(entries: &[String]) -> Result<Postcodes, String> {
        let one = |text: &str| {
            let text = text.trim();
            text.parse::<u16>()
                .ok()
                .filter(|n| (1000..=9999).contains(n) && text.len() == 4)
                .ok_or_else(|| format!("{text:?} is not a Belgian postcode"))
        };
        let ranges = entries
            .iter()
            .map(|entry| match entry.split_once('-') {
                Some((from, to)) => Ok((one(from)?, one(to)?)),
                None => one(entry).map(|n| (n, n)),
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Postcodes(ranges))
    }

    pub fn contains(&self, postcode: &str) -> bool {
        postcode
            .trim()
            .parse::<u16>()
            .is_ok_and(|n| self.0.iter().any(|(from, to)| (*from..=*to).contains(&n)))
    }

    /// The postcodes to ask an upstream for: the single ones, and those of the region's
    /// communes within the ranges.
    pub fn each(&self) -> Vec<u16> {
        let mut all: Vec<u16> = self
            .0
            .iter()
            .filter(|(from, to)| from == to)
            .map(|(from, _)| *from)
            .chain(REGION_POSTCODES.into_iter().filter(|n| {
                self.0
                    .iter()
                    .any(|(from, to)| from < to && (*from..=*to).contains(n))
            }))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

impl SourceConfig {
    /// A source with every optional setting at its default.
    pub fn new(name: &str, kind: SourceKind, base_url: &str) -> SourceConfig {
        SourceConfig {
            name: name.to_owned(),
            kind,
            base_url: base_url.to_owned(),
            auth_header: None,
            schedule_minutes: 0,
            page_size: default_page_size(),
            timeout_seconds: default_timeout_seconds(),
            retries: default_retries(),
            max_requests_per_second: default_rate(),
            authority: None,
            csv: None,
            language: None,
            rubrics: None,
            postcodes: None,
        }
    }

    /// See [`SourceConfig::postcodes`]; checked by [`Config::validate`].
    pub fn postcodes(&self) -> Postcodes {
        self.postcodes
            .as_deref()
            .and_then(|entries| Postcodes::parse(entries).ok())
            .unwrap_or_else(|| Postcodes(vec![(1000, 1210)]))
    }

    /// See [`SourceConfig::rubrics`].
    pub fn rubrics(&self) -> Vec<String> {
        self.rubrics
            .clone()
            .unwrap_or_else(crate::reference::first_line_rubrics)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
    /// Harmonised field → column header (`nihii`, `kbo`, `name_fr`, `name_nl`, `street`,
    /// `house_number`, `postcode`, `municipality`, `phone`, `email`, `website`,
    /// `valid_from`, `category`, `lat`, `lon`, `id`).
    pub columns: std::collections::BTreeMap<String, String>,
    /// Category code given to every row when no `category` column is mapped.
    #[serde(default)]
    pub category: Option<String>,
    /// Accreditation kind given to every row (`forfait` for the INAMI flat-rate list).
    #[serde(default)]
    pub accreditation_kind: Option<String>,
}

fn default_page_size() -> u32 {
    100
}
fn default_timeout_seconds() -> u64 {
    20
}
fn default_retries() -> u32 {
    3
}
fn default_rate() -> f64 {
    10.0
}
fn default_delimiter() -> char {
    ';'
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/passerelle.db?mode=rwc";

impl Default for Config {
    fn default() -> Self {
        Config {
            profile: Profile::Development,
            http: HttpConfig::default(),
            database: DatabaseConfig::default(),
            api: ApiConfig::default(),
            limits: LimitsConfig::default(),
            demo: DemoConfig::default(),
            auth: AuthConfig::default(),
            sources: Vec::new(),
            sync: SyncConfig::default(),
            coverage: CoverageConfig::default(),
            demand: DemandConfig::default(),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            metrics_token: None,
            graphiql: None,
            web: true,
            web_max_markers: 2000,
            cache_max_age_seconds: 0,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: Secret::new(DEFAULT_DATABASE_URL),
            max_connections: 10,
            change_poll_ms: 1000,
        }
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            default_page_size: 20,
            max_page_size: 100,
            max_upsert_items: 500,
            idempotency_hours: 24,
            change_retention_days: 30,
            response_cache_mb: 64,
        }
    }
}

impl Config {
    /// Defaults, then `file` (if given), then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::from_sources(file, std::env::vars())
    }

    /// Defaults, then `file`, then the `PASSERELLE_…` and `DATABASE_URL` variables among
    /// `vars`; validated.
    pub fn from_sources(
        file: Option<&Path>,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut settings = BTreeMap::new();
        let mut source_settings = Vec::new();
        let mut database_url = None;
        for (name, value) in vars {
            if name == "DATABASE_URL" {
                database_url = Some(value);
                continue;
            }
            match name.strip_prefix(ENV_PREFIX) {
                // Read by the CLI before configuration is loaded.
                Some("CONFIG" | "LOG") | None => {}
                Some(key) if key.starts_with("SOURCES__") => source_settings.push((name, value)),
                Some(_) => {
                    settings.insert(name, value.trim().to_owned());
                }
            }
        }
        if let Some(url) = database_url {
            settings
                .entry(format!("{ENV_PREFIX}DATABASE__URL"))
                .or_insert_with(|| url.trim().to_owned());
        }
        let mut config = layered(file, &settings).map_err(|error| blame(file, &settings, error))?;
        for (name, value) in source_settings {
            config
                .apply_source_env(&name[ENV_PREFIX.len()..], &value)
                .map_err(|message| ConfigError::Env { name, message })?;
        }
        config.validate()?;
        Ok(config)
    }

    /// `PASSERELLE_SOURCES__<NAME>__<KEY>`: `<NAME>` is the source name in capitals with
    /// `-` as `_`; a source named in the environment but not in the file is created
    /// (then `KIND` and `BASE_URL` are required).
    fn apply_source_env(&mut self, key: &str, value: &str) -> Result<(), String> {
        let rest = key.trim_start_matches("SOURCES__");
        let (name, field) = rest
            .split_once("__")
            .ok_or_else(|| "expected PASSERELLE_SOURCES__<NAME>__<KEY>".to_owned())?;
        let env_name = |n: &str| n.to_ascii_uppercase().replace('-', "_");
        let index = match self.sources.iter().position(|s| env_name(&s.name) == name) {
            Some(index) => index,
            None => {
                self.sources.push(SourceConfig::new(
                    &name.to_ascii_lowercase().replace('_', "-"),
                    SourceKind::Hsds,
                    "",
                ));
                self.sources.len() - 1
            }
        };
        let source = &mut self.sources[index];
        let number = |v: &str| v.trim().parse::<u64>().map_err(|e| format!("{v:?}: {e}"));
        match field {
            "KIND" => {
                source.kind = SourceKind::parse(value).ok_or_else(|| {
                    format!("{value:?}: expected social_brussels, sociale_kaart, hsds or csv")
                })?
            }
            "BASE_URL" => source.base_url = value.trim().to_owned(),
            "AUTH_HEADER" => source.auth_header = Some(Secret::new(value.trim())),
            "SCHEDULE_MINUTES" => source.schedule_minutes = number(value)?,
            "PAGE_SIZE" => {
                source.page_size = u32::try_from(number(value)?).map_err(|e| e.to_string())?
            }
            "TIMEOUT_SECONDS" => source.timeout_seconds = number(value)?,
            "RETRIES" => {
                source.retries = u32::try_from(number(value)?).map_err(|e| e.to_string())?
            }
            "MAX_REQUESTS_PER_SECOND" => {
                source.max_requests_per_second = value
                    .trim()
                    .parse()
                    .map_err(|e| format!("{value:?}: {e}"))?
            }
            "AUTHORITY" => source.authority = Some(value.trim().to_owned()),
            "LANGUAGE" => source.language = Some(value.trim().to_owned()),
            other => return Err(format!("unknown source setting {other}")),
        }
        Ok(())
    }

    /// Checks what serde cannot: source names unique and usable, URLs of a known scheme.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |name: &str, message: String| ConfigError::Env {
            name: format!("sources.{name}"),
            message,
        };
        let limit = |name: &str, message: &str| ConfigError::Env {
            name: format!("limits.{name}"),
            message: message.to_owned(),
        };
        if self.demand.k_anonymity < 2 {
            return Err(ConfigError::Env {
                name: "demand.k_anonymity".to_owned(),
                message: "must be at least 2: a count of 1 names a person's need".to_owned(),
            });
        }
        let limits = &self.limits;
        if !limits.rate_per_second.is_finite() || limits.rate_per_second < 0.0 {
            return Err(limit("rate_per_second", "must be 0 (off) or positive"));
        }
        if limits.trusted_documents_only && limits.trusted_documents.is_none() && !self.http.web {
            return Err(limit(
                "trusted_documents_only",
                "needs a trusted_documents manifest (or http.web, whose documents are trusted)",
            ));
        }
        if limits.max_body_bytes == 0
            || limits.max_write_body_bytes == 0
            || limits.execution_timeout_ms == 0
            || limits.body_timeout_ms == 0
        {
            return Err(limit(
                "max_body_bytes/execution_timeout_ms/body_timeout_ms",
                "must be positive",
            ));
        }
        if let Some(field) = self
            .sync
            .priority
            .keys()
            .find(|f| !PRIORITY_FIELDS.contains(&f.as_str()))
        {
            return Err(ConfigError::Env {
                name: format!("sync.priority.{field}"),
                message: format!("unknown field; one of {}", PRIORITY_FIELDS.join(", ")),
            });
        }
        let mut seen = std::collections::HashSet::new();
        for source in &self.sources {
            if source.name.is_empty()
                || !source
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(bad(&source.name, "names use a-z, 0-9 and -".to_owned()));
            }
            if !seen.insert(&source.name) {
                return Err(bad(&source.name, "duplicate source name".to_owned()));
            }
            let url = source.base_url.as_str();
            if !(url.starts_with("http://")
                || url.starts_with("https://")
                || url.starts_with("file://"))
            {
                return Err(bad(
                    &source.name,
                    format!("base_url {url:?}: expected http(s):// or file://"),
                ));
            }
            if let Some(entries) = &source.postcodes {
                Postcodes::parse(entries)
                    .map_err(|e| bad(&source.name, format!("postcodes: {e}")))?;
            }
            if source.kind == SourceKind::Csv && source.csv.is_none() {
                return Err(bad(
                    &source.name,
                    "a csv source needs a [sources.csv] column mapping".to_owned(),
                ));
            }
            if source.max_requests_per_second.is_nan() || source.max_requests_per_second <= 0.0 {
                return Err(bad(
                    &source.name,
                    "max_requests_per_second must be positive".to_owned(),
                ));
            }
        }
        Ok(())
    }

    /// The order in which sources are trusted, per field.
    pub fn source_priority(&self) -> SourcePriority {
        SourcePriority {
            order: self.sources.iter().map(|s| s.name.clone()).collect(),
            fields: self.sync.priority.clone(),
        }
    }

    pub fn graphiql(&self) -> bool {
        self.http
            .graphiql
            .unwrap_or(self.profile == Profile::Development)
    }

    pub fn introspection(&self) -> bool {
        self.limits
            .introspection
            .unwrap_or(self.profile == Profile::Development)
    }

    pub fn suggestions(&self) -> bool {
        self.limits
            .suggestions
            .unwrap_or_else(|| self.introspection())
    }

    pub fn demo_enabled(&self) -> bool {
        self.demo
            .enabled
            .unwrap_or(self.profile == Profile::Development)
    }
}

const ENV_PREFIX: &str = "PASSERELLE_";

/// The layers merged and read into `Config`.
fn layered(
    file: Option<&Path>,
    env: &BTreeMap<String, String>,
) -> Result<Config, config::ConfigError> {
    let mut builder = config::Config::builder();
    if let Some(path) = file {
        builder = builder.add_source(config::File::from(path).format(config::FileFormat::Toml));
    }
    builder
        .add_source(
            config::Environment::with_prefix(&ENV_PREFIX[..ENV_PREFIX.len() - 1])
                .prefix_separator("_")
                .separator("__")
                .source(Some(env.clone().into_iter().collect())),
        )
        .build()?
        .try_deserialize()
}

/// Names what made `error`: the file, or the first variable that fails on its own.
fn blame(
    file: Option<&Path>,
    env: &BTreeMap<String, String>,
    error: config::ConfigError,
) -> ConfigError {
    if let Some(path) = file
        && let Err(file_error) = layered(Some(path), &BTreeMap::new())
    {
        return ConfigError::File {
            path: path.display().to_string(),
            message: file_error.to_string(),
        };
    }
    for (name, value) in env {
        let alone = BTreeMap::from([(name.clone(), value.clone())]);
        if let Err(variable_error) = layered(None, &alone) {
            return ConfigError::Env {
                name: name.clone(),
                message: variable_error.to_string(),
            };
        }
    }
    ConfigError::Invalid(error.to_string())
}

/// A list given as an array, or as one comma-separated string (an environment variable).
fn comma_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Form::deserialize(deserializer)? {
        Form::List(items) => items,
        Form::Text(text) => text
            .split(',')
            .map(|item| item.trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect(),
    })
}

/// A map given as a table, or as one `key=value,…` string (an environment variable).
fn pair_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Map(BTreeMap<String, String>),
        Text(String),
    }
    match Form::deserialize(deserializer)? {
        Form::Map(map) => Ok(map),
        Form::Text(text) => text
            .split(',')
            .filter(|pair| !pair.trim().is_empty())
            .map(|pair| {
                pair.split_once('=')
                    .map(|(from, to)| (from.trim().to_owned(), to.trim().to_owned()))
                    .ok_or_else(|| {
                        serde::de::Error::custom(format!("{pair:?}: expected idp-role=role"))
                    })
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn environment_overrides_defaults() {
        let config = Config::from_sources(
            None,
            vars(&[
                ("DATABASE_URL", "postgres://u:p@localhost/db"),
                ("PASSERELLE_HTTP__ADDR", " 0.0.0.0:9000 "),
                ("PASSERELLE_PROFILE", "production"),
                ("PASSERELLE_AUTH__DEV_SECRET", "0123"),
                ("PASSERELLE_AUTH__ALGORITHMS", "ES256, RS256"),
                (
                    "PASSERELLE_AUTH__ROLE_MAP",
                    "bruzel=zone_partner,brusano=basin_team",
                ),
                ("PASSERELLE_LIMITS__RATE_PER_SECOND", "7"),
                ("PASSERELLE_DEMO__ENABLED", "1"),
                ("PASSERELLE_LOG", "debug"),
                ("HOME", "/root"),
            ]),
        )
        .expect("valid environment");

        assert_eq!(config.database.url.expose(), "postgres://u:p@localhost/db");
        assert_eq!(config.http.addr.port(), 9000);
        assert_eq!(config.profile, Profile::Production);
        assert_eq!(
            config.auth.dev_secret.as_ref().map(Secret::expose),
            Some("0123")
        );
        assert_eq!(config.auth.algorithms, ["ES256", "RS256"]);
        assert_eq!(config.auth.role_map["brusano"], "basin_team");
        assert!((config.limits.rate_per_second - 7.0).abs() < f64::EPSILON);
        assert!(config.demo_enabled());
    }

    #[test]
    fn the_environment_overrides_the_file_and_the_file_the_defaults() {
        let dir = std::env::temp_dir().join(format!("passerelle-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let path = dir.join("passerelle.toml");
        std::fs::write(
            &path,
            "[api]\nmax_page_size = 50\ndefault_page_size = 10\n\n[auth.role_map]\nBruZEL-Partner = \"zone_partner\"\n\n[[sources]]\nname = \"inami\"\nkind = \"csv\"\nbase_url = \"file:///tmp/inami.csv\"\n[sources.csv]\ncolumns = { nihii = \"Numéro INAMI\" }\n",
        )
        .expect("file written");

        let config = Config::from_sources(
            Some(&path),
            vars(&[
                ("PASSERELLE_API__MAX_PAGE_SIZE", "80"),
                ("PASSERELLE_SOURCES__INAMI__SCHEDULE_MINUTES", "60"),
            ]),
        )
        .expect("valid file and environment");
        let _ = std::fs::remove_dir_all(&dir);

        assert_eq!(config.api.max_page_size, 80);
        assert_eq!(config.api.default_page_size, 10);
        assert_eq!(config.auth.role_map["BruZEL-Partner"], "zone_partner");
        assert_eq!(config.sources[0].schedule_minutes, 60);
        assert_eq!(config.sources[0].page_size, 100);
        assert_eq!(config.limits.max_depth, LimitsConfig::default().max_depth);
    }

    #[test]
    fn unknown_or_malformed_settings_are_refused_naming_the_variable() {
        for (name, value) in [
            ("PASSERELLE_HTTP__ADRR", "x"),
            ("PASSERELLE_API__MAX_PAGE_SIZE", "-1"),
            ("PASSERELLE_HTTP__ADDR", "not-an-address"),
            ("PASSERELLE_DEMO__ENABLED", "maybe"),
            ("PASSERELLE_NOPE", "1"),
        ] {
            let refused = Config::from_sources(
                None,
                vars(&[("PASSERELLE_PROFILE", "production"), (name, value)]),
            );

            match refused {
                Err(ConfigError::Env { name: blamed, .. }) => assert_eq!(blamed, name),
                other => panic!("{name}={value}: {other:?}"),
            }
        }
    }

    #[test]
    fn secrets_do_not_print() {
        let config = Config::default();
        assert!(!format!("{config:?}").contains("passerelle.db"));
    }

    #[test]
    fn a_priority_for_an_unknown_field_is_refused() {
        let mut config = Config::default();
        config
            .sync
            .priority
            .insert("descripton_fr".to_owned(), vec!["a".to_owned()]);
        let error = config.validate().expect_err("a typo").to_string();
        assert!(error.contains("sync.priority.descripton_fr"), "{error}");
        config.sync.priority.clear();
        config.sync.priority.insert(
            "description_fr".to_owned(),
            vec!["b".to_owned(), "a".to_owned()],
        );
        config.validate().expect("a service field");
        let priority = config.source_priority();
        assert!(priority.rank("description_fr", "b") < priority.rank("description_fr", "a"));
    }

    #[test]
    fn trusted_documents_only_needs_documents_to_trust() {
        let mut config = Config::default();
        config.limits.trusted_documents_only = true;
        // The web map's documents are trusted where it is served.
        config.validate().expect("the web map's documents");
        config.http.web = false;
        let error = config.validate().expect_err("nothing to run").to_string();
        assert!(error.contains("trusted_documents_only"), "{error}");
        config.limits.trusted_documents = Some("manifest.json".to_owned());
        config.validate().expect("a manifest");
    }
}

//! What a connector reads from one upstream record, before validation: strings as the
//! upstream wrote them. `sync::map` validates and harmonises them.

use serde::Serialize;

/// One upstream record: an organisation with its sites and services.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Record {
    pub upstream_id: String,
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub legal_status_fr: Option<String>,
    pub legal_status_nl: Option<String>,
    pub websites: Vec<String>,
    /// KBO/BCE numbers as written upstream (validated later).
    pub kbo: Vec<String>,
    /// NIHII/INAMI/RIZIV numbers as written upstream.
    pub nihii: Vec<String>,
    pub contacts: Vec<RawContact>,
    pub sites: Vec<RawSite>,
    pub services: Vec<RawService>,
    /// Only some of the record's services are here (an incremental read of a
    /// service-centred upstream): services missing from it are not withdrawn.
    pub partial: bool,
    /// The upstream document, kept to replay mappings later (not part of the hash).
    #[serde(skip)]
    pub raw: serde_json::Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RawContactKind {
    Phone,
    Email,
    Web,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RawContact {
    pub kind: RawContactKind,
    pub value: String,
    /// `fr`, `nl`… when the upstream says which language the contact speaks.
    pub language: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RawSite {
    /// Stable within the record (an upstream location id, or "main").
    pub key: String,
    pub street_fr: Option<String>,
    pub street_nl: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub municipality_fr: Option<String>,
    pub municipality_nl: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Belgian Lambert 72 x/y, used when no WGS84 point is given.
    pub lambert72: Option<(f64, f64)>,
}

/// An upstream category code: a sector, an agrément, a rubric, a taxonomy term.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Code {
    /// Which code list: `social_brussels.sector`, `sociale_kaart.rubric`…
    pub scheme: String,
    pub code: String,
    pub label: Option<String>,
    /// The Dutch label, when the upstream gives both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_nl: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RawAccreditation {
    /// An authority code or the upstream's name of the competent authority ("COCOF",
    /// "Vlaamse Gemeenschap"); `None` uses the source's own authority.
    pub authority: Option<String>,
    /// `agrement`, `subvention`, `convention` or `forfait`; `None` means agrément.
    pub kind: Option<String>,
    pub legal_basis: Option<String>,
    /// ISO date or dd/mm/yyyy.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// The code of the agrément itself, which may also map to a category.
    pub code: Option<Code>,
}

impl RawAccreditation {
    /// An accreditation an upstream describes in words ("Convention INAMI", "COCOF :
    /// Décret du 5 mars 2009", "RIZIV-forfait"): the authority is read from the words
    /// later (`sync::map`), the kind now when the words name one, else `default`
    /// (`None`: agrément). The words are kept as the legal basis.
    pub fn described(words: String, default: Option<&str>) -> RawAccreditation {
        let folded = crate::domain::normalize_for_search(&words);
        // Whole words ("RIZIV-forfait" folds to two), singular or plural: "conventionné"
        // is about doctors' fees, not a convention.
        let says = |stems: &[&str]| {
            folded.split(' ').any(|w| {
                stems
                    .iter()
                    .any(|s| w == *s || w.strip_suffix('s') == Some(s))
            })
        };
        let kind = if says(&["forfait"]) {
            Some("forfait")
        } else if says(&["convention", "overeenkomst"]) {
            Some("convention")
        } else if says(&["subvention", "subside", "subsidie", "subsidiereglement"]) {
            Some("subvention")
        } else if says(&["agrement", "erkenning", "erkend"]) {
            None
        } else {
            default
        };
        RawAccreditation {
            authority: Some(words.clone()),
            kind: kind.map(str::to_owned),
            legal_basis: Some(words),
            ..RawAccreditation::default()
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RawService {
    pub upstream_id: String,
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub description_fr: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    pub target_public_fr: Option<String>,
    pub target_public_nl: Option<String>,
    pub target_public_en: Option<String>,
    pub codes: Vec<Code>,
    /// Language codes or names as written upstream.
    pub languages: Vec<String>,
    /// One of the harmonised fee values when the upstream says it.
    pub fee: Option<String>,
    pub referral_required: Option<bool>,
    /// `active`, `inactive`, `temporarily_closed` (or the upstream's words for them).
    pub status: Option<String>,
    /// Opening hours as free text, parsed later when recognisable.
    pub hours_fr: Option<String>,
    pub hours_nl: Option<String>,
    /// Structured opening periods when the upstream has them (weekday 1–7, "HH:MM").
    pub schedule: Vec<(u8, String, String)>,
    /// Keys of the record's sites where it is delivered; empty = every site.
    pub site_keys: Vec<String>,
    pub accreditations: Vec<RawAccreditation>,
    pub contacts: Vec<RawContact>,
}

/// Everything one run read from a source.
#[derive(Debug, Default)]
pub struct Fetched {
    pub records: Vec<Record>,
    /// Whether the listing is the whole upstream: only then do records missing from
    /// it become inactive.
    pub complete: bool,
    /// Ids of every record the upstream listed, when that differs from `records` (an
    /// incremental read that fetched only the changed ones).
    pub listed: Option<Vec<String>>,
    /// What the run report should say about the reading (items left out and why).
    pub notes: Vec<String>,
}

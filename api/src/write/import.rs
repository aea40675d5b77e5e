//! HSDS documents from partners that already have them (`passerelle import hsds`,
//! `importHsds`): read by the HSDS connector and mapped as an HSDS sync maps a record
//! (`sources::hsds`, `sync::map`: the same tolerance, the same harmonisation), then
//! written as a partner's listings (`upsert`: the same checks, versions, pins and audit
//! trail). The document's own organisation is not used: everything goes to the
//! organisation named. Like a sync, an import keeps what it can read and reports the
//! rest: a value the mapping cannot read, or a site outside the region, is left out and
//! said in `issues`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{
    FieldError, Origin, ServicePatch, SitePatch, SiteRef, WriteError, Writer,
    upsert::{ItemOutcome, ListingItem, Mode},
    validate::{self, ContactInput, LocationInput, OpeningInput},
};
use crate::{
    auth::{Principal, Role},
    config::{SourceConfig, SourceKind},
    domain::{GlobalId, Kind},
    sources::fetch::Fetcher,
    state::AppState,
    store::{ServiceInput, SiteInput},
};

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub items: Vec<ListingItem>,
    pub outcomes: Vec<ItemOutcome>,
    pub applied: bool,
    /// What was left out, and why.
    pub issues: Vec<String>,
}

impl Writer<'_> {
    /// Imports an HSDS document into `organisation_id`, in `language` (its texts').
    pub async fn import_hsds(
        &self,
        organisation_id: i32,
        document: &Value,
        language: &str,
        mode: Mode,
        max_items: usize,
    ) -> Result<Imported, WriteError> {
        let records = crate::sources::hsds::read_document(document, language).map_err(|e| {
            WriteError::Invalid(vec![FieldError {
                field: "document".to_owned(),
                reason: "not_hsds",
                message: e,
            }])
        })?;
        let source = SourceConfig::new("import", SourceKind::Hsds, "file:///import");
        let mut issues = Vec::new();
        let mut items = Vec::new();
        for record in &records {
            // The document's organisation is not written: its name is not needed.
            let mut record = record.clone();
            if record.name_fr.is_none() && record.name_nl.is_none() {
                record.name_fr = Some(record.upstream_id.clone());
            }
            let mapped = match crate::sync::map::map_record(&record, self.reference, &source) {
                Ok(mapped) => mapped,
                Err(reason) => {
                    issues.push(format!("organization {}: {reason}", record.upstream_id));
                    continue;
                }
            };
            issues.extend(mapped.issues);
            issues.extend(mapped.unknown_codes.iter().map(|c| {
                format!(
                    "category {:?} ({}) has no harmonised category",
                    c.code, c.scheme
                )
            }));
            // Sites outside the region are left out, with their services' locations there.
            let mut sites = Vec::new();
            for site in &mapped.input.sites {
                let patch = site_patch(site);
                match validate::site(self.reference, &Default::default(), &patch) {
                    Ok(_) => sites.push((site.key.clone(), patch)),
                    Err(errors) => issues.extend(errors.into_iter().map(|e| {
                        format!("location {} left out: {}: {}", site.key, e.field, e.message)
                    })),
                }
            }
            for service in &mapped.input.services {
                let kept: Vec<(String, SitePatch)> = sites
                    .iter()
                    .filter(|(key, _)| service.locations.iter().any(|l| l.site_key == *key))
                    .cloned()
                    .collect();
                items.push(ListingItem {
                    external_id: service.upstream_id.clone(),
                    service: service_patch(service, &kept),
                    sites: kept,
                });
            }
        }
        if items.len() > max_items {
            return Err(WriteError::Invalid(vec![FieldError {
                field: "document".to_owned(),
                reason: "too_many",
                message: format!(
                    "{} services: at most {max_items} per import (api.max_upsert_items)",
                    items.len()
                ),
            }]));
        }
        let (outcomes, applied) = self.upsert(organisation_id, &items, mode).await?;
        Ok(Imported {
            items,
            outcomes,
            applied,
            issues,
        })
    }
}

/// What `passerelle import` says: a line per item left out or failed, then a summary.
#[derive(Debug)]
pub struct ImportReport {
    pub lines: Vec<String>,
    /// Items refused (the command then exits non-zero).
    pub failed: usize,
}

/// `passerelle import hsds SOURCE --organisation ID`: reads `source` (a file path, or an
/// http(s) URL fetched as a connector fetches, with its timeout and retries) and imports
/// it as an administrator would through `importHsds`. An error is one readable line.
pub async fn import_command(
    state: &AppState,
    source: &str,
    organisation: &str,
    language: &str,
    mode: Mode,
) -> Result<ImportReport, String> {
    let organisation_id = organisation
        .parse::<i32>()
        .ok()
        .or_else(|| {
            GlobalId::parse(organisation)
                .ok()
                .filter(|g| g.kind == Kind::Organisation)
                .map(|g| g.id)
        })
        .ok_or_else(|| format!("--organisation {organisation:?}: a number or a global id"))?;
    let remote = source.starts_with("http://") || source.starts_with("https://");
    let url = if remote {
        source.to_owned()
    } else {
        format!("file://{source}")
    };
    let fetcher = Fetcher::new(&SourceConfig::new("import", SourceKind::Hsds, &url))
        .map_err(|e| e.to_string())?;
    let document = if remote {
        fetcher.get_json("").await
    } else {
        fetcher.read_json_file().await
    }
    .map_err(|e| e.to_string())?;
    let principal = Principal {
        subject: Some("cli:import".to_owned()),
        role: Role::Admin,
        organisations: Vec::new(),
        bassin: None,
    };
    let writer = Writer {
        db: &state.db.conn,
        reference: &state.reference,
        priority: state.config.source_priority(),
        read_model: &state.read_model,
        principal: &principal,
        origin: Origin::Import,
        request_id: None,
    };
    let imported = writer
        .import_hsds(organisation_id, &document, language, mode, usize::MAX)
        .await
        .map_err(|e| match e {
            WriteError::Invalid(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        })?;
    let mut counts = BTreeMap::new();
    let mut lines: Vec<String> = imported
        .issues
        .iter()
        .map(|i| format!("left out: {i}"))
        .collect();
    let mut failed = 0;
    for (item, outcome) in imported.items.iter().zip(&imported.outcomes) {
        let status = match (&outcome.service, outcome.errors.is_empty()) {
            (_, false) => "failed",
            (None, true) => "not applied",
            (Some(written), true) => written.action,
        };
        *counts.entry(status).or_insert(0) += 1;
        failed += usize::from(!outcome.errors.is_empty());
        lines.extend(
            outcome
                .errors
                .iter()
                .map(|error| format!("{}: {}: {}", item.external_id, error.field, error.message)),
        );
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    lines.push(format!(
        "import into organisation {organisation_id}: {} ({} left out)",
        if summary.is_empty() {
            "no service".to_owned()
        } else {
            summary.join(", ")
        },
        imported.issues.len()
    ));
    Ok(ImportReport { lines, failed })
}

fn some(value: &Option<String>) -> validate::Change<String> {
    Some(value.clone())
}

fn site_patch(site: &SiteInput) -> SitePatch {
    SitePatch {
        street_fr: some(&site.street_fr),
        street_nl: some(&site.street_nl),
        house_number: some(&site.house_number),
        postcode: some(&site.postcode),
        municipality_fr: some(&site.municipality_fr),
        municipality_nl: some(&site.municipality_nl),
        point: Some(site.point),
    }
}

/// A mapped service as a whole listing: every field given, at the sites kept.
fn service_patch(service: &ServiceInput, sites: &[(String, SitePatch)]) -> ServicePatch {
    ServicePatch {
        name_fr: some(&service.name_fr),
        name_nl: some(&service.name_nl),
        name_en: some(&service.name_en),
        description_fr: some(&service.description_fr),
        description_nl: some(&service.description_nl),
        description_en: some(&service.description_en),
        target_public_fr: some(&service.target_public_fr),
        target_public_nl: some(&service.target_public_nl),
        target_public_en: some(&service.target_public_en),
        categories: Some(service.categories.clone()),
        languages: Some(
            service
                .languages
                .iter()
                .map(|l| l.as_str().to_owned())
                .collect(),
        ),
        fee: Some(service.fee),
        referral_required: Some(service.referral_required),
        status: Some(service.status),
        published: None,
        contacts: Some(
            service
                .contacts
                .iter()
                .map(|c| ContactInput {
                    kind: c.kind,
                    value: c.value.clone(),
                    language: c.language.as_ref().map(|l| l.as_str().to_owned()),
                    internal: false,
                })
                .collect(),
        ),
        lines: None,
        locations: Some(
            service
                .locations
                .iter()
                .filter(|l| sites.iter().any(|(key, _)| *key == l.site_key))
                .map(|l| LocationInput {
                    site: SiteRef::External(l.site_key.clone()),
                    schedule: l
                        .schedule
                        .iter()
                        .map(|o| OpeningInput {
                            weekday: i32::from(o.weekday),
                            opens: o.opens.clone(),
                            closes: o.closes.clone(),
                        })
                        .collect(),
                    schedule_remark_fr: l.schedule_remark_fr.clone(),
                    schedule_remark_nl: l.schedule_remark_nl.clone(),
                    wheelchair_accessible: l.wheelchair_accessible,
                    accessibility_note_fr: l.accessibility_note_fr.clone(),
                    accessibility_note_nl: l.accessibility_note_nl.clone(),
                })
                .collect(),
        ),
    }
}

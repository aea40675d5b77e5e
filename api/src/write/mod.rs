//! Writes by people: partners keeping their own listings, administrators any.
//!
//! One path for every write. A request is checked into the listing's next state
//! (`validate`, every error with its field path) and the policy is asked; then, in one
//! transaction: the version is checked (an older one is a `Conflict`), the rows are
//! written, the fields written are pinned against the next sync of an upstream that
//! also lists the service (unless `sync.priority` trusts that upstream first, and then
//! the field is not written and the answer says so), the audit trail gets one entry per
//! listing with each changed field before and after, and the change log the
//! organisation. After the commit the read model catches up, so that the writer's next
//! read sees the write. A write that changes nothing writes nothing and says
//! `unchanged`.

mod curation;
pub mod import;
mod services;
mod sites;
pub mod upsert;
pub mod validate;

use std::collections::{BTreeMap, HashMap};

use entities::{audit_entry, organisation, service, site};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::{
    auth::{Action, Principal, ServiceFacts},
    config::SourcePriority,
    domain::{Fee, LanguageCode, ServiceStatus},
    listing::{ServiceState, SiteState},
    read_model::ReadModel,
    reference::Reference,
    store::{self, LocationInput, ServiceInput, SiteInput},
};
pub use validate::{FieldError, ServicePatch, SitePatch, SiteRef};

/// The name `sync.priority` lists to rank partners' own writes among the sources.
pub const PARTNER: &str = "partner";

/// Where a write comes from, as the audit trail records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Mutation,
    Upsert,
    Import,
    Curation,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Mutation => "mutation",
            Origin::Upsert => "upsert",
            Origin::Import => "import",
            Origin::Curation => "curation",
        }
    }
}

/// Why a write was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("forbidden")]
    Forbidden,
    /// No such listing or organisation; the field names the argument.
    #[error("{0} not found")]
    NotFound(String),
    /// The listing changed since the version the writer read.
    #[error("version {current} is current")]
    Conflict { current: i32 },
    /// Another request created a listing with the same external id meanwhile.
    #[error("created meanwhile by another request")]
    Concurrent,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A field a write asked for but did not make, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplied {
    pub field: String,
    /// The upstream source trusted first for it.
    pub source: String,
    pub reason: String,
}

/// What one write did to one listing.
#[derive(Clone, Debug)]
pub struct Written {
    pub id: i32,
    pub organisation_id: i32,
    pub version: i32,
    /// `created`, `updated` or `unchanged`.
    pub action: &'static str,
    /// The fields changed, as the audit trail names them.
    pub changed: Vec<String>,
    pub not_applied: Vec<NotApplied>,
    pub warnings: Vec<FieldError>,
}

/// Which service a write is about.
#[derive(Clone, Debug)]
pub enum ServiceTarget {
    New {
        organisation_id: i32,
        external_id: Option<String>,
    },
    /// `version`: the one the writer read; `None` (a bulk upsert by external id) takes
    /// the current one.
    Existing { id: i32, version: Option<i32> },
}

/// A new annotation.
#[derive(Clone, Debug)]
pub struct Annotation {
    pub kind: crate::domain::AnnotationKind,
    pub body: String,
    pub shared: bool,
    /// An administrator's group to write for; others write as their own.
    pub group: Option<crate::auth::Group>,
}

/// Which site a write is about.
#[derive(Clone, Debug)]
pub enum SiteTarget {
    New {
        organisation_id: i32,
        external_id: Option<String>,
    },
    Existing {
        id: i32,
        version: Option<i32>,
    },
}

/// Everything a write needs: the database, the reference data, who writes and how.
pub struct Writer<'a> {
    pub db: &'a DatabaseConnection,
    pub reference: &'a Reference,
    pub priority: SourcePriority,
    pub read_model: &'a ReadModel,
    pub principal: &'a Principal,
    pub origin: Origin,
    pub request_id: Option<String>,
}

impl Writer<'_> {
    /// Opens the transaction of a write (IMMEDIATE on SQLite: a write follows its
    /// reads). Dropped without [`Writer::commit`], it rolls back: nothing is written.
    pub async fn begin(&self) -> Result<sea_orm::DatabaseTransaction, WriteError> {
        Ok(self
            .db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?)
    }

    /// Commits, then lets the read model catch up so that the writer reads its write.
    pub async fn commit(&self, txn: sea_orm::DatabaseTransaction) -> Result<(), WriteError> {
        txn.commit().await?;
        self.read_model.catch_up_or_log(self.db).await;
        Ok(())
    }

    fn may_edit(&self, organisation_id: i32) -> Result<(), WriteError> {
        let facts = ServiceFacts {
            organisation_id,
            bassins: Vec::new(),
        };
        if self.principal.can(Action::EditListing, &facts) {
            Ok(())
        } else {
            Err(WriteError::Forbidden)
        }
    }

    /// A new listing: the writer may edit the organisation, which exists, and the
    /// external id it gives is not `taken` by another `what` of it.
    async fn admit_new<C: ConnectionTrait>(
        &self,
        db: &C,
        organisation_id: i32,
        taken: bool,
        what: &str,
    ) -> Result<(), WriteError> {
        self.may_edit(organisation_id)?;
        if organisation::Entity::find_by_id(organisation_id)
            .one(db)
            .await?
            .is_none()
        {
            return Err(WriteError::NotFound("organisation".to_owned()));
        }
        if taken {
            return Err(WriteError::Invalid(vec![FieldError {
                field: "externalId".to_owned(),
                reason: "taken",
                message: format!("another {what} of this organisation has this id"),
            }]));
        }
        Ok(())
    }

    fn actor(&self) -> String {
        self.principal
            .subject
            .clone()
            .unwrap_or_else(|| "anonymous".to_owned())
    }

    fn audit(
        &self,
        organisation_id: i32,
        entity: &str,
        entity_id: i32,
        action: &str,
        changes: &BTreeMap<String, [serde_json::Value; 2]>,
    ) -> audit_entry::ActiveModel {
        store::audit_row(
            self.actor(),
            self.principal.role.as_str(),
            self.origin.as_str(),
            organisation_id,
            entity,
            entity_id,
            action,
            changes,
            self.request_id.clone(),
        )
    }
}

/// An insert that met the unique external id of a row another request just wrote (the
/// check before it found none): the writer retries and finds it.
fn created_meanwhile(error: DbErr) -> WriteError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => WriteError::Concurrent,
        _ => WriteError::Db(error),
    }
}

/// Pinned fields after a write: the old ones and those written, once each (publication
/// is never an upstream's, so never pinned).
fn pin<'a>(old: &'a str, written: impl Iterator<Item = &'a String>) -> String {
    let mut fields: Vec<&str> = old.split_whitespace().collect();
    fields.extend(written.map(String::as_str).filter(|f| *f != "published"));
    fields.sort_unstable();
    fields.dedup();
    fields.join(" ")
}

/// The service of an organisation with this external id.
pub async fn external_service<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    external_id: &str,
) -> Result<Option<service::Model>, DbErr> {
    service::Entity::find()
        .filter(service::Column::OrganisationId.eq(organisation_id))
        .filter(service::Column::ExternalId.eq(external_id))
        .one(db)
        .await
}

/// The site of an organisation with this external id.
pub async fn external_site<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    external_id: &str,
) -> Result<Option<site::Model>, DbErr> {
    site::Entity::find()
        .filter(site::Column::OrganisationId.eq(organisation_id))
        .filter(site::Column::ExternalId.eq(external_id))
        .one(db)
        .await
}

/// A service's state as the input the shared row builders read (`store`).
fn service_input(state: &ServiceState) -> ServiceInput {
    ServiceInput {
        upstream_id: String::new(),
        name_fr: state.name_fr.clone(),
        name_nl: state.name_nl.clone(),
        name_en: state.name_en.clone(),
        description_fr: state.description_fr.clone(),
        description_nl: state.description_nl.clone(),
        description_en: state.description_en.clone(),
        target_public_fr: state.target_public_fr.clone(),
        target_public_nl: state.target_public_nl.clone(),
        target_public_en: state.target_public_en.clone(),
        categories: state.categories.clone(),
        languages: state
            .languages
            .iter()
            .filter_map(|l| LanguageCode::parse(l).ok())
            .collect(),
        fee: Fee::from_text(&state.fee).unwrap_or(Fee::Unknown),
        referral_required: state.referral_required,
        status: ServiceStatus::from_text(&state.status).unwrap_or(ServiceStatus::Active),
        published: state.published,
        locations: state
            .locations
            .iter()
            .map(|l| LocationInput {
                site_key: l.site.to_string(),
                schedule: l.schedule.clone(),
                schedule_remark_fr: l.schedule_remark_fr.clone(),
                schedule_remark_nl: l.schedule_remark_nl.clone(),
                wheelchair_accessible: l.wheelchair_accessible,
                accessibility_note_fr: l.accessibility_note_fr.clone(),
                accessibility_note_nl: l.accessibility_note_nl.clone(),
            })
            .collect(),
        accreditations: Vec::new(),
        contacts: Vec::new(),
    }
}

/// The search text of a service at its sites (`store::service_search_text`).
fn search_text(
    reference: &Reference,
    input: &ServiceInput,
    sites: &HashMap<i32, site::Model>,
) -> String {
    let words: HashMap<&str, String> = input
        .locations
        .iter()
        .filter_map(|l| {
            let id: i32 = l.site_key.parse().ok()?;
            let site = site_input(&SiteState::of(sites.get(&id)?));
            Some((
                l.site_key.as_str(),
                store::site_territories_and_words(reference, id, &site).0,
            ))
        })
        .collect();
    store::service_search_text(reference, input, &words)
}

fn site_input(state: &SiteState) -> SiteInput {
    SiteInput {
        key: String::new(),
        street_fr: state.street_fr.clone(),
        street_nl: state.street_nl.clone(),
        house_number: state.house_number.clone(),
        postcode: state.postcode.clone(),
        municipality_fr: state.municipality_fr.clone(),
        municipality_nl: state.municipality_nl.clone(),
        point: state
            .lat
            .zip(state.lon)
            .map(|(lat, lon)| crate::geo::Point { lat, lon }),
    }
}

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

pub mod import;
pub mod upsert;
pub mod validate;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use entities::{
    audit_entry, contact_point, organisation, organisation_identifier, service, service_at_site,
    service_category, service_language, site, site_territory, source, source_record,
    source_service, source_site,
};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};

use crate::listing::{self, ServiceState, SiteState};
use crate::{
    auth::{Action, Principal, ServiceFacts},
    config::SourcePriority,
    domain::{Fee, LanguageCode, ServiceStatus},
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

/// The text fields `sync.priority` may rank against partners, and the fee.
const RANKED_FIELDS: [&str; 10] = [
    "name_fr",
    "name_nl",
    "name_en",
    "description_fr",
    "description_nl",
    "description_en",
    "target_public_fr",
    "target_public_nl",
    "target_public_en",
    "fee",
];

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

    /// Writes one service in the caller's transaction. `site_ids` resolves the
    /// partner's own site ids (an upsert's sites, written first).
    pub async fn service_in<C: ConnectionTrait>(
        &self,
        db: &C,
        target: &ServiceTarget,
        patch: &ServicePatch,
        site_ids: &HashMap<String, i32>,
    ) -> Result<Written, WriteError> {
        let (current, organisation_id) = match target {
            ServiceTarget::New {
                organisation_id,
                external_id,
            } => {
                let taken = match external_id {
                    Some(external) => external_service(db, *organisation_id, external)
                        .await?
                        .is_some(),
                    None => false,
                };
                self.admit_new(db, *organisation_id, taken, "service")
                    .await?;
                (None, *organisation_id)
            }
            ServiceTarget::Existing { id, version } => {
                let Some((row, state)) = listing::load_service(db, self.reference, *id).await?
                else {
                    return Err(WriteError::NotFound("id".to_owned()));
                };
                self.may_edit(row.organisation_id)?;
                if let Some(version) = version
                    && *version != row.version
                {
                    return Err(WriteError::Conflict {
                        current: row.version,
                    });
                }
                // Withheld by curation: only who may curate it publishes it again.
                if patch.published == Some(true)
                    && !state.published
                    && let Some(withheld) = withheld_by_curation(db, row.id).await?
                    && !self.principal.can(
                        Action::Curate,
                        &self.facts(db, row.id, row.organisation_id).await?,
                    )
                {
                    return Err(WriteError::Invalid(vec![FieldError {
                        field: "published".to_owned(),
                        reason: "withheld",
                        message: format!(
                            "withheld from the public by curation ({}, {}): only curation \
                             publishes it again",
                            withheld.role,
                            withheld.at.format("%Y-%m-%d")
                        ),
                    }]));
                }
                let organisation_id = row.organisation_id;
                (Some((row, state)), organisation_id)
            }
        };
        self.apply_service(db, target, current, organisation_id, patch, site_ids, true)
            .await
    }

    /// The part of a service write after its authorisation: validation, priority,
    /// rows, pins (`pin`: a partner's write; curation pins nothing), audit, change log.
    #[allow(clippy::too_many_arguments)]
    async fn apply_service<C: ConnectionTrait>(
        &self,
        db: &C,
        target: &ServiceTarget,
        current: Option<(service::Model, ServiceState)>,
        organisation_id: i32,
        patch: &ServicePatch,
        site_ids: &HashMap<String, i32>,
        pin_fields: bool,
    ) -> Result<Written, WriteError> {
        let base = current
            .as_ref()
            .map_or_else(ServiceState::default, |(_, s)| s.clone());
        let (sites, known) = sites_named(db, organisation_id, patch, &base, site_ids).await?;
        let mut next = validate::service(self.reference, &base, patch, &sites, &known)
            .map_err(WriteError::Invalid)?;

        // Fields an upstream that also lists the service is trusted with first.
        let mut not_applied = Vec::new();
        let upstreams = match &current {
            Some((row, _)) => service_sources(db, row.id).await?,
            None => Vec::new(),
        };
        for field in RANKED_FIELDS {
            let partner = self.priority.rank(field, PARTNER);
            if let Some(source) = upstreams
                .iter()
                .find(|s| self.priority.rank(field, s) < partner)
                && field_of(&next, field) != field_of(&base, field)
            {
                set_field(&mut next, &base, field);
                not_applied.push(NotApplied {
                    field: field.to_owned(),
                    source: source.clone(),
                    reason: format!(
                        "sync.priority trusts {source} before partners for {field}: its next \
                         sync would undo the change"
                    ),
                });
            }
        }

        let changes = listing::changes(current.as_ref().map(|(_, s)| s), &next);
        let now = Utc::now();
        let written = match current {
            Some((row, _)) if changes.is_empty() => Written {
                id: row.id,
                organisation_id,
                version: row.version,
                action: "unchanged",
                changed: Vec::new(),
                not_applied,
                warnings: Vec::new(),
            },
            Some((row, _)) => {
                let input = service_input(&next);
                let mut model = store::service_model(
                    organisation_id,
                    &input,
                    search_text(self.reference, &input, &sites),
                    now,
                );
                model.id = NotSet;
                model.created_at = NotSet;
                model.published = Set(next.published);
                if pin_fields && !upstreams.is_empty() {
                    model.pinned = Set(pin(&row.pinned, changes.keys()));
                }
                let updated = service::Entity::update_many()
                    .set(model)
                    .col_expr(
                        service::Column::Version,
                        Expr::col(service::Column::Version).add(1),
                    )
                    .filter(service::Column::Id.eq(row.id))
                    .filter(service::Column::Version.eq(row.version))
                    .exec(db)
                    .await?;
                if updated.rows_affected == 0 {
                    return Err(WriteError::Conflict {
                        current: current_version(db, row.id).await?,
                    });
                }
                let kinds: Vec<&str> = changes.keys().map(String::as_str).collect();
                self.children(db, row.id, &next, &input, &kinds).await?;
                audit_entry::Entity::insert(self.audit(
                    organisation_id,
                    "service",
                    row.id,
                    action_of(&changes),
                    &changes,
                ))
                .exec(db)
                .await?;
                Written {
                    id: row.id,
                    organisation_id,
                    version: row.version + 1,
                    action: "updated",
                    changed: changes.keys().cloned().collect(),
                    not_applied,
                    warnings: Vec::new(),
                }
            }
            None => {
                let external_id = match target {
                    ServiceTarget::New { external_id, .. } => external_id.clone(),
                    ServiceTarget::Existing { .. } => None,
                };
                let input = service_input(&next);
                let mut model = store::service_model(
                    organisation_id,
                    &input,
                    search_text(self.reference, &input, &sites),
                    now,
                );
                model.external_id = Set(external_id);
                let id = service::Entity::insert(model)
                    .exec(db)
                    .await
                    .map_err(created_meanwhile)?
                    .last_insert_id;
                let kinds = ["categories", "languages", "contacts", "locations"];
                self.children(db, id, &next, &input, &kinds).await?;
                audit_entry::Entity::insert(self.audit(
                    organisation_id,
                    "service",
                    id,
                    "created",
                    &changes,
                ))
                .exec(db)
                .await?;
                Written {
                    id,
                    organisation_id,
                    version: 1,
                    action: "created",
                    changed: changes.keys().cloned().collect(),
                    not_applied,
                    warnings: Vec::new(),
                }
            }
        };
        if written.action != "unchanged" {
            store::record_changes(db, &[organisation_id]).await?;
        }
        Ok(written)
    }

    /// What the policy knows of a service: its organisation and the bassins of its sites.
    async fn facts<C: ConnectionTrait>(
        &self,
        db: &C,
        service_id: i32,
        organisation_id: i32,
    ) -> Result<ServiceFacts, DbErr> {
        let sites: Vec<i32> = service_at_site::Entity::find()
            .select_only()
            .column(service_at_site::Column::SiteId)
            .filter(service_at_site::Column::ServiceId.eq(service_id))
            .into_tuple()
            .all(db)
            .await?;
        let territories: Vec<i32> = site_territory::Entity::find()
            .select_only()
            .column(site_territory::Column::TerritoryId)
            .filter(site_territory::Column::SiteId.is_in(sites))
            .into_tuple()
            .all(db)
            .await?;
        let mut bassins: Vec<String> = territories
            .into_iter()
            .filter_map(|id| self.reference.territory(id))
            .filter_map(|t| t.code.strip_prefix("bassin:").map(str::to_owned))
            .collect();
        bassins.sort();
        bassins.dedup();
        Ok(ServiceFacts {
            organisation_id,
            bassins,
        })
    }

    /// Curation by a basin team within its bassin (or an administrator): publication
    /// review and the professional lines of a service, never the partner's own fields.
    /// Curation pins nothing: no upstream writes these.
    pub async fn curate_in<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i32,
        version: Option<i32>,
        published: Option<bool>,
        internal_contacts: Option<Vec<validate::ContactInput>>,
    ) -> Result<Written, WriteError> {
        let Some((row, state)) = listing::load_service(db, self.reference, id).await? else {
            return Err(WriteError::NotFound("id".to_owned()));
        };
        let facts = self.facts(db, id, row.organisation_id).await?;
        if !self.principal.can(Action::Curate, &facts) {
            return Err(WriteError::Forbidden);
        }
        if let Some(version) = version
            && version != row.version
        {
            return Err(WriteError::Conflict {
                current: row.version,
            });
        }
        let patch = ServicePatch {
            published,
            lines: internal_contacts,
            ..ServicePatch::default()
        };
        let organisation_id = row.organisation_id;
        let target = ServiceTarget::Existing { id, version };
        self.apply_service(
            db,
            &target,
            Some((row, state)),
            organisation_id,
            &patch,
            &HashMap::new(),
            false,
        )
        .await
    }

    /// A note, verification or helpdesk tip of the principal's group on a service
    /// (an administrator names the group). Recorded in the audit trail.
    pub async fn annotate_in<C: ConnectionTrait>(
        &self,
        db: &C,
        service_id: i32,
        input: Annotation,
    ) -> Result<(i32, i32), WriteError> {
        let Some(row) = service::Entity::find_by_id(service_id).one(db).await? else {
            return Err(WriteError::NotFound("service".to_owned()));
        };
        let facts = self.facts(db, service_id, row.organisation_id).await?;
        let action = if input.kind == crate::domain::AnnotationKind::Verification {
            Action::Verify
        } else {
            Action::Annotate
        };
        if !self.principal.can(action, &facts) {
            return Err(WriteError::Forbidden);
        }
        let group = match (self.principal.group(), input.group) {
            (Some(own), None) => own,
            (None, Some(named)) if self.principal.role == crate::auth::Role::Admin => named,
            (Some(_), Some(_)) => {
                return Err(WriteError::Invalid(vec![FieldError {
                    field: "group".to_owned(),
                    reason: "not_allowed",
                    message: "a group writes as itself; only administrators name one".to_owned(),
                }]));
            }
            _ => {
                return Err(WriteError::Invalid(vec![FieldError {
                    field: "group".to_owned(),
                    reason: "required",
                    message: "name the group (`zone:bruzel`, `bassin:nord`…)".to_owned(),
                }]));
            }
        };
        let body = input.body.trim().to_owned();
        if body.is_empty() || body.chars().count() > validate::MAX_TEXT {
            return Err(WriteError::Invalid(vec![FieldError {
                field: "body".to_owned(),
                reason: if body.is_empty() {
                    "required"
                } else {
                    "too_long"
                },
                message: format!("1 to {} characters", validate::MAX_TEXT),
            }]));
        }
        let id = store::insert_annotation(
            db,
            &store::AnnotationInput {
                service_id,
                group: group.clone(),
                shared: input.shared,
                kind: input.kind,
                body: body.clone(),
                author: self.actor(),
            },
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Db(e) => WriteError::Db(e),
            other => WriteError::Db(DbErr::Custom(other.to_string())),
        })?;
        let mut changes = BTreeMap::new();
        changes.insert(
            "annotation".to_owned(),
            [
                serde_json::Value::Null,
                serde_json::json!({ "id": id, "group": group.code(), "kind": input.kind.as_str(),
                                     "shared": input.shared, "body": body }),
            ],
        );
        audit_entry::Entity::insert(self.audit(
            row.organisation_id,
            "service",
            service_id,
            "annotated",
            &changes,
        ))
        .exec(db)
        .await?;
        store::record_changes(db, &[row.organisation_id]).await?;
        Ok((id, row.organisation_id))
    }

    /// Sets (or, with `Some(None)`, removes) an organisation's KBO/BCE and NIHII
    /// numbers, which syncs match their records by. A number another organisation holds
    /// is refused: it would take that organisation's upstream records.
    pub async fn identifiers_in<C: ConnectionTrait>(
        &self,
        db: &C,
        organisation_id: i32,
        kbo: &validate::Change<String>,
        nihii: &validate::Change<String>,
    ) -> Result<Written, WriteError> {
        self.admit_new(db, organisation_id, false, "organisation")
            .await?;
        let mut errors = Vec::new();
        let mut wanted: Vec<(&str, Option<String>)> = Vec::new();
        if let Some(kbo) = kbo {
            match kbo.as_deref().map(crate::domain::Kbo::parse).transpose() {
                Ok(kbo) => wanted.push(("kbo", kbo.map(|k| k.digits().to_owned()))),
                Err(e) => errors.push(FieldError {
                    field: "kbo".to_owned(),
                    reason: "invalid_kbo",
                    message: e.to_string(),
                }),
            }
        }
        if let Some(nihii) = nihii {
            match nihii
                .as_deref()
                .map(crate::domain::Nihii::parse)
                .transpose()
            {
                Ok(nihii) => wanted.push(("nihii", nihii.map(|n| n.to_string()))),
                Err(e) => errors.push(FieldError {
                    field: "nihii".to_owned(),
                    reason: "invalid_nihii",
                    message: e.to_string(),
                }),
            }
        }
        for (scheme, value) in &wanted {
            let Some(value) = value else { continue };
            let elsewhere = organisation_identifier::Entity::find()
                .filter(organisation_identifier::Column::Scheme.eq(*scheme))
                .filter(organisation_identifier::Column::Value.eq(value.as_str()))
                .filter(organisation_identifier::Column::OrganisationId.ne(organisation_id))
                .one(db)
                .await?;
            if elsewhere.is_some() {
                errors.push(FieldError {
                    field: (*scheme).to_owned(),
                    reason: "taken",
                    message: "another organisation has this number".to_owned(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(WriteError::Invalid(errors));
        }
        let mut changes = BTreeMap::new();
        for (scheme, value) in wanted {
            let current: Vec<String> = organisation_identifier::Entity::find()
                .filter(organisation_identifier::Column::OrganisationId.eq(organisation_id))
                .filter(organisation_identifier::Column::Scheme.eq(scheme))
                .all(db)
                .await?
                .into_iter()
                .map(|i| i.value)
                .collect();
            if current.first() == value.as_ref() && current.len() <= 1 {
                continue;
            }
            organisation_identifier::Entity::delete_many()
                .filter(organisation_identifier::Column::OrganisationId.eq(organisation_id))
                .filter(organisation_identifier::Column::Scheme.eq(scheme))
                .exec(db)
                .await?;
            if let Some(value) = &value {
                organisation_identifier::Entity::insert(organisation_identifier::ActiveModel {
                    organisation_id: Set(organisation_id),
                    scheme: Set(scheme.to_owned()),
                    value: Set(value.clone()),
                    ..Default::default()
                })
                .exec(db)
                .await?;
            }
            changes.insert(
                scheme.to_owned(),
                [
                    current
                        .first()
                        .map_or(serde_json::Value::Null, |c| c.as_str().into()),
                    value.map_or(serde_json::Value::Null, serde_json::Value::from),
                ],
            );
        }
        let action = if changes.is_empty() {
            "unchanged"
        } else {
            "updated"
        };
        if !changes.is_empty() {
            audit_entry::Entity::insert(self.audit(
                organisation_id,
                "organisation",
                organisation_id,
                "updated",
                &changes,
            ))
            .exec(db)
            .await?;
            store::record_changes(db, &[organisation_id]).await?;
        }
        Ok(Written {
            id: organisation_id,
            organisation_id,
            version: 0,
            action,
            changed: changes.keys().cloned().collect(),
            not_applied: Vec::new(),
            warnings: Vec::new(),
        })
    }

    /// Rewrites the children of a service whose fields are among `kinds`.
    async fn children<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i32,
        next: &ServiceState,
        input: &ServiceInput,
        kinds: &[&str],
    ) -> Result<(), DbErr> {
        // A state's locations name sites by id; `service_input` made them the keys.
        let site_keys: HashMap<&str, i32> = input
            .locations
            .iter()
            .filter_map(|l| Some((l.site_key.as_str(), l.site_key.parse().ok()?)))
            .collect();
        let children = store::service_children(self.reference, id, input, &site_keys);
        if kinds.contains(&"categories") {
            service_category::Entity::delete_many()
                .filter(service_category::Column::ServiceId.eq(id))
                .exec(db)
                .await?;
            store::insert_all(db, children.categories).await?;
        }
        if kinds.contains(&"languages") {
            service_language::Entity::delete_many()
                .filter(service_language::Column::ServiceId.eq(id))
                .exec(db)
                .await?;
            store::insert_all(db, children.languages).await?;
        }
        if kinds.contains(&"locations") {
            service_at_site::Entity::delete_many()
                .filter(service_at_site::Column::ServiceId.eq(id))
                .exec(db)
                .await?;
            store::insert_all(db, children.locations).await?;
        }
        if kinds.contains(&"contacts") {
            contact_point::Entity::delete_many()
                .filter(contact_point::Column::ServiceId.eq(id))
                .exec(db)
                .await?;
            let rows: Vec<contact_point::ActiveModel> = next
                .contacts
                .iter()
                .filter_map(|c| {
                    Some(contact_point::ActiveModel {
                        organisation_id: Set(None),
                        service_id: Set(Some(id)),
                        kind: Set(crate::domain::ContactKind::from_text(&c.kind)?),
                        value: Set(c.value.clone()),
                        language: Set(c.language.clone()),
                        internal: Set(c.internal),
                        ..Default::default()
                    })
                })
                .collect();
            store::insert_all(db, rows).await?;
        }
        Ok(())
    }

    /// Writes one site in the caller's transaction; the services there are found by
    /// its new address at once.
    pub async fn site_in<C: ConnectionTrait>(
        &self,
        db: &C,
        target: &SiteTarget,
        patch: &SitePatch,
    ) -> Result<Written, WriteError> {
        let (current, organisation_id) = match target {
            SiteTarget::New {
                organisation_id,
                external_id,
            } => {
                let taken = match external_id {
                    Some(external) => external_site(db, *organisation_id, external)
                        .await?
                        .is_some(),
                    None => false,
                };
                self.admit_new(db, *organisation_id, taken, "site").await?;
                (None, *organisation_id)
            }
            SiteTarget::Existing { id, version } => {
                let Some(row) = site::Entity::find_by_id(*id).one(db).await? else {
                    return Err(WriteError::NotFound("id".to_owned()));
                };
                self.may_edit(row.organisation_id)?;
                if let Some(version) = version
                    && *version != row.version
                {
                    return Err(WriteError::Conflict {
                        current: row.version,
                    });
                }
                let organisation_id = row.organisation_id;
                (Some(row), organisation_id)
            }
        };
        let base = current
            .as_ref()
            .map_or_else(SiteState::default, SiteState::of);
        let checked = validate::site(self.reference, &base, patch).map_err(WriteError::Invalid)?;
        let next = checked.state;
        let changes = listing::changes(current.as_ref().map(|_| &base), &next);
        let input = site_input(&next);
        let written = match current {
            Some(row) if changes.is_empty() => Written {
                id: row.id,
                organisation_id,
                version: row.version,
                action: "unchanged",
                changed: Vec::new(),
                not_applied: Vec::new(),
                warnings: checked.warnings,
            },
            Some(row) => {
                let mut model = store::site_model(organisation_id, &input);
                if linked_upstream_site(db, row.id).await? {
                    model.pinned = Set(pin(&row.pinned, changes.keys()));
                }
                let updated = site::Entity::update_many()
                    .set(model)
                    .col_expr(
                        site::Column::Version,
                        Expr::col(site::Column::Version).add(1),
                    )
                    .filter(site::Column::Id.eq(row.id))
                    .filter(site::Column::Version.eq(row.version))
                    .exec(db)
                    .await?;
                if updated.rows_affected == 0 {
                    let current = site::Entity::find_by_id(row.id)
                        .one(db)
                        .await?
                        .map_or(row.version, |s| s.version);
                    return Err(WriteError::Conflict { current });
                }
                self.site_territories(db, row.id, &input).await?;
                self.refresh_services_at(db, organisation_id, row.id)
                    .await?;
                audit_entry::Entity::insert(self.audit(
                    organisation_id,
                    "site",
                    row.id,
                    "updated",
                    &changes,
                ))
                .exec(db)
                .await?;
                Written {
                    id: row.id,
                    organisation_id,
                    version: row.version + 1,
                    action: "updated",
                    changed: changes.keys().cloned().collect(),
                    not_applied: Vec::new(),
                    warnings: checked.warnings,
                }
            }
            None => {
                let mut model = store::site_model(organisation_id, &input);
                if let SiteTarget::New { external_id, .. } = target {
                    model.external_id = Set(external_id.clone());
                }
                let id = site::Entity::insert(model)
                    .exec(db)
                    .await
                    .map_err(created_meanwhile)?
                    .last_insert_id;
                self.site_territories(db, id, &input).await?;
                audit_entry::Entity::insert(self.audit(
                    organisation_id,
                    "site",
                    id,
                    "created",
                    &changes,
                ))
                .exec(db)
                .await?;
                Written {
                    id,
                    organisation_id,
                    version: 1,
                    action: "created",
                    changed: changes.keys().cloned().collect(),
                    not_applied: Vec::new(),
                    warnings: checked.warnings,
                }
            }
        };
        if written.action != "unchanged" {
            store::record_changes(db, &[organisation_id]).await?;
        }
        Ok(written)
    }

    async fn site_territories<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i32,
        input: &SiteInput,
    ) -> Result<(), DbErr> {
        site_territory::Entity::delete_many()
            .filter(site_territory::Column::SiteId.eq(id))
            .exec(db)
            .await?;
        let (_, rows) = store::site_territories_and_words(self.reference, id, input);
        if !rows.is_empty() {
            site_territory::Entity::insert_many(rows)
                .exec_without_returning(db)
                .await?;
        }
        Ok(())
    }

    /// The services at a site whose address changed are found by the new one.
    async fn refresh_services_at<C: ConnectionTrait>(
        &self,
        db: &C,
        organisation_id: i32,
        site_id: i32,
    ) -> Result<(), DbErr> {
        let services: Vec<i32> = service_at_site::Entity::find()
            .select_only()
            .column(service_at_site::Column::ServiceId)
            .filter(service_at_site::Column::SiteId.eq(site_id))
            .into_tuple()
            .all(db)
            .await?;
        let states = listing::load_services(db, self.reference, &services, false).await?;
        let site_ids: HashSet<i32> = states
            .values()
            .flat_map(|(_, state)| state.locations.iter().map(|l| l.site))
            .collect();
        let sites: HashMap<i32, site::Model> = site::Entity::find()
            .filter(site::Column::OrganisationId.eq(organisation_id))
            .filter(site::Column::Id.is_in(site_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        for (id, (_, state)) in states {
            let text = search_text(self.reference, &service_input(&state), &sites);
            service::Entity::update_many()
                .col_expr(service::Column::SearchText, Expr::value(text))
                .filter(service::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
        Ok(())
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

/// `created`, or a more telling word when the write did one thing.
fn action_of(changes: &BTreeMap<String, [serde_json::Value; 2]>) -> &'static str {
    let only = |field: &str| changes.len() == 1 && changes.contains_key(field);
    if only("published") {
        if changes["published"][1] == serde_json::Value::Bool(true) {
            "published"
        } else {
            "unpublished"
        }
    } else if only("status") && changes["status"][1] == "inactive" {
        "deactivated"
    } else {
        "updated"
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

fn field_of<'s>(state: &'s ServiceState, field: &str) -> Option<&'s str> {
    match field {
        "name_fr" => state.name_fr.as_deref(),
        "name_nl" => state.name_nl.as_deref(),
        "name_en" => state.name_en.as_deref(),
        "description_fr" => state.description_fr.as_deref(),
        "description_nl" => state.description_nl.as_deref(),
        "description_en" => state.description_en.as_deref(),
        "target_public_fr" => state.target_public_fr.as_deref(),
        "target_public_nl" => state.target_public_nl.as_deref(),
        "target_public_en" => state.target_public_en.as_deref(),
        "fee" => Some(state.fee.as_str()),
        _ => None,
    }
}

/// Puts back `field` of `from` into `to`.
fn set_field(to: &mut ServiceState, from: &ServiceState, field: &str) {
    match field {
        "name_fr" => to.name_fr.clone_from(&from.name_fr),
        "name_nl" => to.name_nl.clone_from(&from.name_nl),
        "name_en" => to.name_en.clone_from(&from.name_en),
        "description_fr" => to.description_fr.clone_from(&from.description_fr),
        "description_nl" => to.description_nl.clone_from(&from.description_nl),
        "description_en" => to.description_en.clone_from(&from.description_en),
        "target_public_fr" => to.target_public_fr.clone_from(&from.target_public_fr),
        "target_public_nl" => to.target_public_nl.clone_from(&from.target_public_nl),
        "target_public_en" => to.target_public_en.clone_from(&from.target_public_en),
        "fee" => to.fee.clone_from(&from.fee),
        _ => {}
    }
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

/// The organisation's sites a service write names, by id: those of its locations before
/// and after, by id or by the partner's own id; and the partner's own ids resolved (those
/// stored, and `site_ids`, those of the request). One query, whatever the number of the
/// organisation's sites.
async fn sites_named<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    patch: &ServicePatch,
    base: &ServiceState,
    site_ids: &HashMap<String, i32>,
) -> Result<(HashMap<i32, site::Model>, HashMap<String, i32>), DbErr> {
    let mut ids: HashSet<i32> = base.locations.iter().map(|l| l.site).collect();
    ids.extend(site_ids.values().copied());
    let mut externals = HashSet::new();
    for location in patch.locations.iter().flatten() {
        match &location.site {
            SiteRef::Id(id) => {
                ids.insert(*id);
            }
            SiteRef::External(key) => match site_ids.get(key) {
                Some(id) => {
                    ids.insert(*id);
                }
                None => {
                    externals.insert(key.clone());
                }
            },
        }
    }
    let sites: HashMap<i32, site::Model> = site::Entity::find()
        .filter(site::Column::OrganisationId.eq(organisation_id))
        .filter(
            Condition::any()
                .add(site::Column::Id.is_in(ids))
                .add(site::Column::ExternalId.is_in(externals)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut known: HashMap<String, i32> = sites
        .values()
        .filter_map(|s| Some((s.external_id.clone()?, s.id)))
        .collect();
    known.extend(site_ids.iter().map(|(k, v)| (k.clone(), *v)));
    Ok((sites, known))
}

/// The curation that withheld a service from the public, when the last change of its
/// publication was that.
async fn withheld_by_curation<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<Option<audit_entry::Model>, DbErr> {
    let last = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("service"))
        .filter(audit_entry::Column::EntityId.eq(id))
        .filter(audit_entry::Column::Changes.contains("\"published\""))
        .order_by_desc(audit_entry::Column::Id)
        .one(db)
        .await?;
    Ok(last.filter(|entry| {
        entry.origin == Origin::Curation.as_str()
            && serde_json::from_str::<serde_json::Value>(&entry.changes)
                .is_ok_and(|changes| changes["published"][1] == false)
    }))
}

async fn current_version<C: ConnectionTrait>(db: &C, id: i32) -> Result<i32, DbErr> {
    Ok(service::Entity::find_by_id(id)
        .one(db)
        .await?
        .map_or(0, |s| s.version))
}

/// The names of the upstream sources that list a service.
async fn service_sources<C: ConnectionTrait>(db: &C, id: i32) -> Result<Vec<String>, DbErr> {
    let records: Vec<i32> = source_service::Entity::find()
        .select_only()
        .column(source_service::Column::SourceRecordId)
        .filter(source_service::Column::ServiceId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let sources: Vec<i32> = source_record::Entity::find()
        .select_only()
        .column(source_record::Column::SourceId)
        .filter(source_record::Column::Id.is_in(records))
        .into_tuple()
        .all(db)
        .await?;
    Ok(source::Entity::find()
        .filter(source::Column::Id.is_in(sources))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.name)
        .collect())
}

async fn linked_upstream_site<C: ConnectionTrait>(db: &C, id: i32) -> Result<bool, DbErr> {
    Ok(source_site::Entity::find()
        .filter(source_site::Column::SiteId.eq(id))
        .one(db)
        .await?
        .is_some())
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

//! Curation by basin teams and zone partners (publication review, professional lines,
//! notes), and a partner's official numbers.

use std::collections::{BTreeMap, HashMap};

use entities::{audit_entry, organisation_identifier, service, service_at_site, site_territory};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

use crate::{
    auth::{Action, ServiceFacts},
    listing,
    store::{self, Change},
};

use super::{
    Annotation, FieldError, ServicePatch, ServiceTarget, WriteError, Writer, Written, validate,
};

impl Writer<'_> {
    /// What the policy knows of a service: its organisation and the bassins of its sites.
    pub(super) async fn facts<C: ConnectionTrait>(
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
        store::record_changes(
            db,
            &[Change::of(
                "annotation",
                row.organisation_id,
                id,
                "created",
                ["body", "group", "kind", "shared"].map(str::to_owned),
                self.origin.as_str(),
            )],
        )
        .await?;
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
            store::record_changes(
                db,
                &[Change::of(
                    "organisation",
                    organisation_id,
                    organisation_id,
                    "updated",
                    changes.keys().cloned(),
                    self.origin.as_str(),
                )],
            )
            .await?;
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
}

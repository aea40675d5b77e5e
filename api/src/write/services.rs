//! Service writes: a partner's (or an administrator's) listing checked into its next
//! state, ranked against upstreams, written with its children, pinned and audited.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use entities::{
    audit_entry, contact_point, service, service_at_site, service_category, service_language, site,
    source, source_record, source_service,
};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    auth::Action,
    listing::{self, ServiceState},
    store::{self, Change, ServiceInput},
};

use super::{
    FieldError, NotApplied, Origin, PARTNER, ServicePatch, ServiceTarget, SiteRef, WriteError,
    Writer, Written, created_meanwhile, external_service, pin, search_text, service_input,
    validate,
};

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
                // Withheld by curation: only who may curate it publishes it again. A
                // bulk write (upsert, import) goes on without publishing it, and says so.
                if patch.published == Some(true)
                    && !state.published
                    && let Some(withheld) = withheld_by_curation(db, row.id).await?
                    && !self.principal.can(
                        Action::Curate,
                        &self.facts(db, row.id, row.organisation_id).await?,
                    )
                {
                    let reason = format!(
                        "withheld from the public by curation ({}, {}): only curation \
                         publishes it again",
                        withheld.role,
                        withheld.at.format("%Y-%m-%d")
                    );
                    if self.origin == Origin::Mutation {
                        return Err(WriteError::Invalid(vec![FieldError {
                            field: "published".to_owned(),
                            reason: "withheld",
                            message: reason,
                        }]));
                    }
                    let patch = ServicePatch {
                        published: None,
                        ..patch.clone()
                    };
                    let organisation_id = row.organisation_id;
                    let mut written = self
                        .apply_service(
                            db,
                            target,
                            Some((row, state)),
                            organisation_id,
                            &patch,
                            site_ids,
                            true,
                        )
                        .await?;
                    written.not_applied.push(NotApplied {
                        field: "published".to_owned(),
                        source: "curation".to_owned(),
                        reason,
                    });
                    return Ok(written);
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
    pub(super) async fn apply_service<C: ConnectionTrait>(
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
            let action = match (written.action, next.status.as_str()) {
                ("created", _) => "created",
                (_, "inactive") if written.changed.iter().any(|f| f == "status") => "deactivated",
                _ => "updated",
            };
            let before = (written.action != "created").then(|| base.seen());
            store::record_changes(
                db,
                &[Change::service(
                    organisation_id,
                    written.id,
                    action,
                    Change::service_fields(&changes),
                    self.origin.as_str(),
                    (before, next.seen()),
                )],
            )
            .await?;
        }
        Ok(written)
    }

    /// Rewrites the children of a service whose fields are among `kinds`.
    pub(super) async fn children<C: ConnectionTrait>(
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
}

/// `created`, or a more telling word when the write did one thing.
pub(super) fn action_of(changes: &BTreeMap<String, [serde_json::Value; 2]>) -> &'static str {
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

pub(super) fn field_of<'s>(state: &'s ServiceState, field: &str) -> Option<&'s str> {
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
pub(super) fn set_field(to: &mut ServiceState, from: &ServiceState, field: &str) {
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

/// The organisation's sites a service write names, by id: those of its locations before
/// and after, by id or by the partner's own id; and the partner's own ids resolved (those
/// stored, and `site_ids`, those of the request). One query, whatever the number of the
/// organisation's sites.
pub(super) async fn sites_named<C: ConnectionTrait>(
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
/// publication was that. The text search only narrows the entries down: an entry counts
/// when `published` is one of its changed fields, not a word in one of their values.
pub(super) async fn withheld_by_curation<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<Option<audit_entry::Model>, DbErr> {
    let candidates = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("service"))
        .filter(audit_entry::Column::EntityId.eq(id))
        .filter(audit_entry::Column::Changes.contains("\"published\""))
        .order_by_desc(audit_entry::Column::Id)
        .all(db)
        .await?;
    let last = candidates.into_iter().find_map(|entry| {
        let changes: serde_json::Value = serde_json::from_str(&entry.changes).ok()?;
        let published = changes.get("published")?.get(1)?.as_bool()?;
        Some((entry, published))
    });
    Ok(last.and_then(|(entry, published)| {
        (entry.origin == Origin::Curation.as_str() && !published).then_some(entry)
    }))
}

pub(super) async fn current_version<C: ConnectionTrait>(db: &C, id: i32) -> Result<i32, DbErr> {
    Ok(service::Entity::find_by_id(id)
        .one(db)
        .await?
        .map_or(0, |s| s.version))
}

/// The names of the upstream sources that list a service.
pub(super) async fn service_sources<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<Vec<String>, DbErr> {
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

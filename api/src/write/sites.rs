//! Site writes: an address and a point checked, the site's territories found again,
//! and the services there found by the new address.

use std::collections::{BTreeMap, HashMap, HashSet};

use entities::{audit_entry, service, service_at_site, site, site_territory, source_site};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    listing::{self, SiteState},
    store::{self, Change, SiteInput},
};

use super::{
    SitePatch, SiteTarget, WriteError, Writer, Written, created_meanwhile, external_site, pin,
    search_text, service_input, site_input, validate,
};

impl Writer<'_> {
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
            store::record_changes(
                db,
                &[Change::of(
                    "site",
                    organisation_id,
                    written.id,
                    written.action,
                    written.changed.iter().cloned(),
                    self.origin.as_str(),
                )],
            )
            .await?;
        }
        Ok(written)
    }

    pub(super) async fn site_territories<C: ConnectionTrait>(
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
    pub(super) async fn refresh_services_at<C: ConnectionTrait>(
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
        // In id order, as a sync locks them.
        let states: BTreeMap<_, _> = states.into_iter().collect();
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

pub(super) async fn linked_upstream_site<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<bool, DbErr> {
    Ok(source_site::Entity::find()
        .filter(source_site::Column::SiteId.eq(id))
        .one(db)
        .await?
        .is_some())
}

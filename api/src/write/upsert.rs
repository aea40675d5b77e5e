//! A partner's whole listing in one request, keyed by its own ids: each item a service
//! with the sites it is delivered at. Items and sites are found by the partner's ids
//! within its organisation (two partners may use the same ids), created when new,
//! updated when changed, left alone (and said so) when the same. All or nothing by
//! default; `Partial` applies the valid items, each in a savepoint of its own.

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, TransactionTrait};

use super::{
    FieldError, ServicePatch, ServiceTarget, SitePatch, SiteTarget, WriteError, Writer, Written,
    external_service, external_site, services::sites_named,
};

/// One item: a service by the partner's id, and its sites by theirs.
#[derive(Clone, Debug)]
pub struct ListingItem {
    pub external_id: String,
    pub service: ServicePatch,
    pub sites: Vec<(String, SitePatch)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One invalid item and nothing is written.
    AllOrNothing,
    /// The valid items are written; each invalid one is reported.
    Partial,
}

/// What became of one item.
#[derive(Clone, Debug, Default)]
pub struct ItemOutcome {
    pub service: Option<Written>,
    pub sites: Vec<Written>,
    /// Paths relative to the item (`service.nameFr`, `sites[0].site.postcode`).
    pub errors: Vec<FieldError>,
}

impl Writer<'_> {
    /// Upserts `items` for one organisation. Returns each item's outcome and whether
    /// anything was written (an all-or-nothing request with an invalid item writes
    /// nothing). A refusal of the whole request (forbidden, no such organisation) is an
    /// error.
    pub async fn upsert(
        &self,
        organisation_id: i32,
        items: &[ListingItem],
        mode: Mode,
    ) -> Result<(Vec<ItemOutcome>, bool), WriteError> {
        let txn = self.begin().await?;
        let mut outcomes = Vec::with_capacity(items.len());
        let mut seen = HashSet::new();
        for item in items {
            let mut outcome = ItemOutcome::default();
            if !seen.insert(item.external_id.as_str()) {
                outcome.errors.push(FieldError {
                    field: "externalId".to_owned(),
                    reason: "duplicate",
                    message: "an earlier item has this id".to_owned(),
                });
                outcomes.push(outcome);
                continue;
            }
            let written = match mode {
                Mode::AllOrNothing => self.item(&txn, organisation_id, item).await,
                Mode::Partial => {
                    let savepoint = txn.begin().await?;
                    let written = self.item(&savepoint, organisation_id, item).await;
                    if written.is_ok() {
                        savepoint.commit().await?;
                    }
                    written
                }
            };
            match written {
                Ok((service, sites)) => {
                    outcome.service = Some(service);
                    outcome.sites = sites;
                }
                Err(ItemError::Fields(errors)) => outcome.errors = errors,
                Err(ItemError::Whole(error)) => return Err(error),
            }
            outcomes.push(outcome);
        }
        let failed = outcomes.iter().any(|o| !o.errors.is_empty());
        let wrote = outcomes.iter().any(|o| {
            o.service.as_ref().is_some_and(|s| s.action != "unchanged")
                || o.sites.iter().any(|s| s.action != "unchanged")
        });
        if mode == Mode::AllOrNothing && failed {
            // Dropped: rolled back.
            drop(txn);
            for outcome in &mut outcomes {
                outcome.service = None;
                outcome.sites.clear();
            }
            return Ok((outcomes, false));
        }
        self.commit(txn).await?;
        Ok((outcomes, wrote))
    }

    /// One item: its sites first (the service's locations name them), then the service.
    async fn item<C: ConnectionTrait>(
        &self,
        db: &C,
        organisation_id: i32,
        item: &ListingItem,
    ) -> Result<(Written, Vec<Written>), ItemError> {
        let mut errors = Vec::new();
        if item.sites.len() > super::validate::MAX_ITEMS {
            return Err(ItemError::Fields(vec![FieldError {
                field: "sites".to_owned(),
                reason: "too_many",
                message: format!("at most {} sites per item", super::validate::MAX_ITEMS),
            }]));
        }
        let mut sites = Vec::new();
        let mut site_ids = HashMap::new();
        for (i, (external_id, patch)) in item.sites.iter().enumerate() {
            let target = match external_site(db, organisation_id, external_id).await? {
                Some(site) => SiteTarget::Existing {
                    id: site.id,
                    version: None,
                },
                None => SiteTarget::New {
                    organisation_id,
                    external_id: Some(external_id.clone()),
                },
            };
            match self.site_in(db, &target, patch).await {
                Ok(written) => {
                    site_ids.insert(external_id.clone(), written.id);
                    sites.push(written);
                }
                Err(WriteError::Invalid(fields)) => errors.extend(
                    fields
                        .into_iter()
                        .map(|f| f.under(&format!("sites[{i}].site"))),
                ),
                Err(other) => return Err(ItemError::Whole(other)),
            }
        }
        let target = match external_service(db, organisation_id, &item.external_id).await? {
            Some(service) => ServiceTarget::Existing {
                id: service.id,
                version: None,
            },
            None => ServiceTarget::New {
                organisation_id,
                external_id: Some(item.external_id.clone()),
            },
        };
        if !errors.is_empty() {
            // The service is still checked (against what it is now), so that every error
            // is reported at once.
            let current = match &target {
                ServiceTarget::Existing { id, .. } => {
                    crate::listing::load_service(db, self.reference, *id)
                        .await?
                        .map(|(_, state)| state)
                }
                ServiceTarget::New { .. } => None,
            };
            let current = current.unwrap_or_default();
            // The item's sites not written stand in under ids no row has.
            let mut named = site_ids.clone();
            for (i, (key, _)) in item.sites.iter().enumerate() {
                named
                    .entry(key.clone())
                    .or_insert(-1 - i32::try_from(i).unwrap_or(i32::MAX - 1));
            }
            let (sites, known) =
                sites_named(db, organisation_id, &item.service, &current, &named).await?;
            if let Err(fields) =
                super::validate::service(self.reference, &current, &item.service, &sites, &known)
            {
                errors.extend(fields.into_iter().map(|f| f.under("service")));
            }
            return Err(ItemError::Fields(errors));
        }
        match self.service_in(db, &target, &item.service, &site_ids).await {
            Ok(service) => Ok((service, sites)),
            Err(WriteError::Invalid(fields)) => Err(ItemError::Fields(
                fields.into_iter().map(|f| f.under("service")).collect(),
            )),
            Err(other) => Err(ItemError::Whole(other)),
        }
    }
}

enum ItemError {
    /// The item is invalid; the others go on.
    Fields(Vec<FieldError>),
    /// The whole request stops.
    Whole(WriteError),
}

impl From<sea_orm::DbErr> for ItemError {
    fn from(error: sea_orm::DbErr) -> Self {
        ItemError::Whole(WriteError::Db(error))
    }
}

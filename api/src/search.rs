//! The read path for service lists: filters become one SQL query over the harmonised
//! tables; geographic search narrows by bounding box in SQL and orders by exact
//! great-circle distance here.

use std::collections::HashMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use entities::{
    accreditation, organisation, service, service_at_site, service_category, service_language,
    site, site_territory,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, RelationTrait, Select,
    sea_query::{Expr, ExprTrait, LikeExpr},
};

use crate::{
    auth::ServiceScope,
    domain::{Fee, LanguageCode, ServiceStatus, escape_like, search_tokens},
    geo::{BBox, Point, haversine_m},
};

/// A validated service filter; built from GraphQL input by `graphql::types::filter`.
#[derive(Clone, Debug, Default)]
pub struct ServiceQuery {
    /// Category ids, descendants already expanded.
    pub categories: Option<Vec<i32>>,
    pub authorities: Option<Vec<i32>>,
    pub territory: Option<i32>,
    pub languages: Option<Vec<LanguageCode>>,
    pub fees: Option<Vec<Fee>>,
    pub referral_required: Option<bool>,
    pub statuses: Option<Vec<ServiceStatus>>,
    pub text: Option<String>,
    pub near: Option<Near>,
    pub organisation: Option<i32>,
}

#[derive(Clone, Copy, Debug)]
pub struct Near {
    pub point: Point,
    pub radius_m: f64,
}

/// Where a page starts: after the service with this id (and distance, for `near`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cursor {
    ById(i32),
    ByDistance { distance_m: f64, id: i32 },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("malformed cursor")]
pub struct CursorError;

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match self {
            Cursor::ById(id) => format!("i:{id}"),
            Cursor::ByDistance { distance_m, id } => {
                format!("d:{:016x}:{id}", distance_m.to_bits())
            }
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(text: &str) -> Result<Cursor, CursorError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| CursorError)?;
        let raw = String::from_utf8(bytes).map_err(|_| CursorError)?;
        let mut parts = raw.split(':');
        let cursor = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("i"), Some(id), None, None) => Cursor::ById(id.parse().map_err(|_| CursorError)?),
            (Some("d"), Some(bits), Some(id), None) => {
                let bits = u64::from_str_radix(bits, 16).map_err(|_| CursorError)?;
                let distance_m = f64::from_bits(bits);
                if !distance_m.is_finite() || distance_m < 0.0 {
                    return Err(CursorError);
                }
                Cursor::ByDistance {
                    distance_m,
                    id: id.parse().map_err(|_| CursorError)?,
                }
            }
            _ => return Err(CursorError),
        };
        Ok(cursor)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the cursor does not belong to this kind of query")]
    CursorMismatch,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// One page of matching services, in order.
#[derive(Clone, Debug)]
pub struct Page {
    pub items: Vec<(service::Model, Option<f64>)>,
    pub has_next_page: bool,
}

impl ServiceQuery {
    /// Services matching the filter within what the policy lets the principal see.
    fn select(&self, scope: &ServiceScope) -> Select<service::Entity> {
        let published_active = Condition::all()
            .add(service::Column::Published.eq(true))
            .add(service::Column::Status.eq(ServiceStatus::Active.as_str()));
        let mut condition = Condition::all().add(match scope {
            ServiceScope::PublishedActive => published_active,
            ServiceScope::PublishedActiveOrOwn(own) => Condition::any()
                .add(published_active)
                .add(service::Column::OrganisationId.is_in(own.iter().copied())),
            ServiceScope::Published => Condition::all().add(service::Column::Published.eq(true)),
            ServiceScope::All => Condition::all(),
        });
        if let Some(statuses) = &self.statuses {
            condition = condition
                .add(service::Column::Status.is_in(statuses.iter().map(|s| s.as_str().to_owned())));
        }
        if let Some(fees) = &self.fees {
            condition = condition
                .add(service::Column::Fee.is_in(fees.iter().map(|f| f.as_str().to_owned())));
        }
        if let Some(required) = self.referral_required {
            condition = condition.add(service::Column::ReferralRequired.eq(required));
        }
        if let Some(organisation) = self.organisation {
            condition = condition.add(service::Column::OrganisationId.eq(organisation));
        }
        if let Some(categories) = &self.categories {
            condition = condition.add(
                service::Column::Id.in_subquery(
                    service_category::Entity::find()
                        .select_only()
                        .column(service_category::Column::ServiceId)
                        .filter(
                            service_category::Column::CategoryId.is_in(categories.iter().copied()),
                        )
                        .into_query(),
                ),
            );
        }
        if let Some(authorities) = &self.authorities {
            condition = condition.add(
                service::Column::Id.in_subquery(
                    accreditation::Entity::find()
                        .select_only()
                        .column(accreditation::Column::ServiceId)
                        .filter(
                            accreditation::Column::AuthorityId.is_in(authorities.iter().copied()),
                        )
                        .into_query(),
                ),
            );
        }
        if let Some(languages) = &self.languages {
            condition = condition.add(
                service::Column::Id.in_subquery(
                    service_language::Entity::find()
                        .select_only()
                        .column(service_language::Column::ServiceId)
                        .filter(
                            service_language::Column::Language
                                .is_in(languages.iter().map(|l| l.as_str().to_owned())),
                        )
                        .into_query(),
                ),
            );
        }
        if let Some(territory) = self.territory {
            condition = condition.add(
                service::Column::Id.in_subquery(
                    service_at_site::Entity::find()
                        .select_only()
                        .column(service_at_site::Column::ServiceId)
                        .filter(
                            service_at_site::Column::SiteId.in_subquery(
                                site_territory::Entity::find()
                                    .select_only()
                                    .column(site_territory::Column::SiteId)
                                    .filter(site_territory::Column::TerritoryId.eq(territory))
                                    .into_query(),
                            ),
                        )
                        .into_query(),
                ),
            );
        }
        if let Some(text) = &self.text {
            // Every word must be found in the service's text or its organisation's names.
            for token in search_tokens(text) {
                let pattern = || LikeExpr::new(format!("%{}%", escape_like(&token))).escape('\\');
                condition = condition.add(
                    Condition::any()
                        .add(
                            Expr::col((service::Entity, service::Column::SearchText))
                                .like(pattern()),
                        )
                        .add(
                            service::Column::OrganisationId.in_subquery(
                                organisation::Entity::find()
                                    .select_only()
                                    .column(organisation::Column::Id)
                                    .filter(
                                        Expr::col((
                                            organisation::Entity,
                                            organisation::Column::SearchText,
                                        ))
                                        .like(pattern()),
                                    )
                                    .into_query(),
                            ),
                        ),
                );
            }
        }
        if let Some(near) = &self.near {
            condition = condition.add(
                service::Column::Id.in_subquery(
                    service_at_site::Entity::find()
                        .select_only()
                        .column(service_at_site::Column::ServiceId)
                        .filter(
                            service_at_site::Column::SiteId
                                .in_subquery(bbox_sites(near).into_query()),
                        )
                        .into_query(),
                ),
            );
        }
        service::Entity::find().filter(condition)
    }

    /// The organisations offering at least one matching, visible service.
    pub fn organisation_ids(&self, scope: &ServiceScope) -> sea_orm::sea_query::SelectStatement {
        self.select(scope)
            .select_only()
            .column(service::Column::OrganisationId)
            .into_query()
    }

    /// Counts matching services.
    pub async fn count<C: ConnectionTrait>(
        &self,
        db: &C,
        scope: &ServiceScope,
    ) -> Result<u64, SearchError> {
        match &self.near {
            None => Ok(self.select(scope).count(db).await?),
            Some(near) => Ok(self.distances(db, near, scope).await?.len() as u64),
        }
    }

    /// One page of `first` services after `after`.
    pub async fn page<C: ConnectionTrait>(
        &self,
        db: &C,
        scope: &ServiceScope,
        first: u64,
        after: Option<Cursor>,
    ) -> Result<Page, SearchError> {
        match &self.near {
            None => {
                let after_id = match after {
                    None => None,
                    Some(Cursor::ById(id)) => Some(id),
                    Some(Cursor::ByDistance { .. }) => return Err(SearchError::CursorMismatch),
                };
                let mut select = self.select(scope);
                if let Some(id) = after_id {
                    select = select.filter(service::Column::Id.gt(id));
                }
                let mut rows = select
                    .order_by_asc(service::Column::Id)
                    .limit(first + 1)
                    .all(db)
                    .await?;
                let has_next_page = rows.len() as u64 > first;
                rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
                Ok(Page {
                    items: rows.into_iter().map(|s| (s, None)).collect(),
                    has_next_page,
                })
            }
            Some(near) => {
                let after = match after {
                    None => None,
                    Some(Cursor::ByDistance { distance_m, id }) => Some((distance_m, id)),
                    Some(Cursor::ById(_)) => return Err(SearchError::CursorMismatch),
                };
                let ranked = self.distances(db, near, scope).await?;
                let start = match after {
                    None => 0,
                    Some(key) => ranked.partition_point(|&(id, d)| (d, id) <= key),
                };
                let end = ranked
                    .len()
                    .min(start.saturating_add(usize::try_from(first).unwrap_or(usize::MAX)));
                let window = &ranked[start..end];
                let ids: Vec<i32> = window.iter().map(|(id, _)| *id).collect();
                let mut models: HashMap<i32, service::Model> = service::Entity::find()
                    .filter(service::Column::Id.is_in(ids))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|s| (s.id, s))
                    .collect();
                Ok(Page {
                    items: window
                        .iter()
                        .filter_map(|(id, d)| models.remove(id).map(|s| (s, Some(*d))))
                        .collect(),
                    has_next_page: end < ranked.len(),
                })
            }
        }
    }

    /// Matching service ids with their distance to the nearest of their sites within the
    /// radius, nearest first (ties by id, so pages never overlap).
    async fn distances<C: ConnectionTrait>(
        &self,
        db: &C,
        near: &Near,
        scope: &ServiceScope,
    ) -> Result<Vec<(i32, f64)>, SearchError> {
        let matching = self
            .select(scope)
            .select_only()
            .column(service::Column::Id)
            .into_query();
        let rows: Vec<(i32, Option<f64>, Option<f64>)> = service_at_site::Entity::find()
            .select_only()
            .column(service_at_site::Column::ServiceId)
            .column_as(Expr::col((site::Entity, site::Column::Lat)), "lat")
            .column_as(Expr::col((site::Entity, site::Column::Lon)), "lon")
            .join(
                sea_orm::JoinType::InnerJoin,
                service_at_site::Relation::Site.def(),
            )
            .filter(service_at_site::Column::ServiceId.in_subquery(matching))
            .filter(service_at_site::Column::SiteId.in_subquery(bbox_sites(near).into_query()))
            .into_tuple()
            .all(db)
            .await?;
        let mut best: HashMap<i32, f64> = HashMap::new();
        for (service_id, lat, lon) in rows {
            let (Some(lat), Some(lon)) = (lat, lon) else {
                continue;
            };
            let distance = haversine_m(near.point, Point { lat, lon });
            if distance <= near.radius_m {
                best.entry(service_id)
                    .and_modify(|d| *d = d.min(distance))
                    .or_insert(distance);
            }
        }
        let mut ranked: Vec<(i32, f64)> = best.into_iter().collect();
        ranked.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(ranked)
    }
}

fn bbox_sites(near: &Near) -> Select<site::Entity> {
    let bbox = BBox::around(near.point, near.radius_m);
    site::Entity::find()
        .select_only()
        .column(site::Column::Id)
        .filter(site::Column::Lat.between(bbox.min_lat, bbox.max_lat))
        .filter(site::Column::Lon.between(bbox.min_lon, bbox.max_lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        for cursor in [
            Cursor::ById(42),
            Cursor::ByDistance {
                distance_m: 123.456,
                id: 7,
            },
        ] {
            assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        }
    }

    #[test]
    fn malformed_cursors_are_refused() {
        for text in ["", "!!", "aTo", "eDox", "ZDp6ejox"] {
            assert_eq!(Cursor::decode(text), Err(CursorError), "{text}");
        }
    }
}

//! The audit trail: every write to a listing, newest first. Administrators read all of
//! it; a partner reads its own organisations' history. Nothing in the API deletes an
//! entry.

use crate::graphql::types::Instant;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entities::audit_entry;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    ApiError, ApiResult, cost, ids, nullable, principal, require, state,
    types::{PageInfo, page_size},
};
use crate::{auth::AuditScope, search::Cursor};

#[derive(Default)]
pub struct AuditRoot;

/// Which entries to list; all given conditions hold.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Entries about this organisation's listings.
    pub organisation: Option<ID>,
    /// Entries about this service, site or organisation (its identifiers).
    pub listing: Option<ID>,
    /// The token subject that wrote.
    pub actor: Option<String>,
    /// `mutation`, `upsert`, `import`.
    pub origin: Option<String>,
    pub since: Option<Instant>,
    pub until: Option<Instant>,
}

/// One field's value before and after a write, as JSON text (`null` when absent).
#[derive(SimpleObject)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One write to one listing.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub id: ID,
    pub at: Instant,
    /// The token subject.
    pub actor: String,
    pub role: String,
    /// `mutation`, `upsert`, `import`.
    pub origin: String,
    pub organisation: Option<ID>,
    /// The service, site or organisation written.
    pub listing: ID,
    /// `created`, `updated`, `published`, `unpublished`, `deactivated`.
    pub action: String,
    #[graphql(complexity = "cost::AUDIT_CHANGES * child_complexity")]
    pub changes: Vec<FieldChange>,
    /// The `x-request-id` of the request that wrote.
    pub request_id: Option<String>,
}

#[derive(SimpleObject)]
pub struct AuditEdge {
    pub cursor: String,
    pub node: AuditEntry,
}

#[derive(SimpleObject)]
pub struct AuditConnection {
    pub edges: Vec<AuditEdge>,
    pub page_info: PageInfo,
}

#[Object]
impl AuditRoot {
    /// Writes to listings, newest first: all of them for administrators, its own
    /// organisations' for a partner.
    #[graphql(complexity = "cost::page_cost(first, child_complexity)")]
    async fn audit_trail(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Option<AuditConnection> {
        crate::graphql::volatile(ctx);
        nullable(
            ctx,
            audit_trail(ctx, filter.unwrap_or_default(), first, after).await,
        )
    }
}

async fn audit_trail(
    ctx: &Context<'_>,
    filter: AuditFilter,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<AuditConnection> {
    let principal = principal(ctx)?;
    let state = state(ctx)?;
    let scope = principal
        .audit_scope()
        .map_err(|access| match require(access) {
            Err(error) => error,
            Ok(()) => ApiError::Forbidden,
        })?;
    let mut query = audit_entry::Entity::find();
    if let AuditScope::Organisations(own) = &scope {
        // The SQL form of `AuditScope::admits`.
        query = query
            .filter(audit_entry::Column::OrganisationId.is_in(own.iter().copied()))
            .filter(audit_entry::Column::Action.ne("annotated"));
    }
    if let Some(id) = &filter.organisation {
        let id = ids::decode_as(id, ids::Kind::Organisation, "filter.organisation")?;
        if !scope.covers(id) {
            return Err(ApiError::Forbidden);
        }
        query = query.filter(audit_entry::Column::OrganisationId.eq(id));
    }
    if let Some(id) = &filter.listing {
        let (kind, id) = ids::decode(id, "filter.listing")?;
        let entity = match kind {
            ids::Kind::Service => "service",
            ids::Kind::Site => "site",
            ids::Kind::Organisation => "organisation",
            _ => {
                return Err(ApiError::bad_input(
                    "filter.listing",
                    "expected the id of a service, a site or an organisation",
                ));
            }
        };
        query = query
            .filter(audit_entry::Column::Entity.eq(entity))
            .filter(audit_entry::Column::EntityId.eq(id));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_entry::Column::Actor.eq(actor.as_str()));
    }
    if let Some(origin) = &filter.origin {
        query = query.filter(audit_entry::Column::Origin.eq(origin.as_str()));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_entry::Column::At.gte(since.0));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_entry::Column::At.lt(until.0));
    }
    if let Some(after) = after {
        match Cursor::decode(&after) {
            Ok(Cursor::ById(id)) => query = query.filter(audit_entry::Column::Id.lt(id)),
            _ => return Err(ApiError::bad_input("after", "malformed cursor")),
        }
    }
    let size = page_size(&state.config.api, first)?;
    let mut rows = query
        .order_by_desc(audit_entry::Column::Id)
        .limit(size + 1)
        .all(&state.db.conn)
        .await?;
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let has_next_page = rows.len() > size;
    rows.truncate(size);
    let edges: Vec<AuditEdge> = rows.into_iter().map(edge).collect();
    Ok(AuditConnection {
        page_info: PageInfo {
            has_next_page,
            has_previous_page: false,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
    })
}

fn edge(row: audit_entry::Model) -> AuditEdge {
    let changes: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&row.changes).unwrap_or_default();
    let kind = match row.entity.as_str() {
        "site" => ids::Kind::Site,
        "organisation" => ids::Kind::Organisation,
        _ => ids::Kind::Service,
    };
    AuditEdge {
        cursor: Cursor::ById(row.id).encode(),
        node: AuditEntry {
            id: ID(row.id.to_string()),
            at: Instant(row.at),
            actor: row.actor,
            role: row.role,
            origin: row.origin,
            organisation: row
                .organisation_id
                .map(|id| ids::encode(ids::Kind::Organisation, id)),
            listing: ids::encode(kind, row.entity_id),
            action: row.action,
            changes: changes
                .into_iter()
                .map(|(field, pair)| FieldChange {
                    field,
                    before: pair.get(0).map_or("null".to_owned(), ToString::to_string),
                    after: pair.get(1).map_or("null".to_owned(), ToString::to_string),
                })
                .collect(),
            request_id: row.request_id,
        },
    }
}

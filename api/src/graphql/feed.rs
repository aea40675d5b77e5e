//! The change feed (`changes`, `changesCursor`): what changed in the directory, in
//! order, as the caller may see it (`crate::feed`). A consumer keeps the cursor of the
//! last page and asks again from it: nothing is missed, nothing comes twice, across
//! restarts and replicas.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    ApiError, ApiResult, cost, ids, nullable, principal, snapshot, state,
    types::{Node, PageInfo, filter_territory_id, page_size},
};
use crate::{domain::Lang, feed, search::Cursor};

#[derive(Default)]
pub struct FeedRoot;

/// What happened to a listing, as the caller sees it.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Deactivated,
    Deleted,
    /// It left the caller's view: unpublished, or deactivated for the public. Forget it.
    Removed,
}

impl From<ChangeKind> for feed::Kind {
    fn from(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::Created => feed::Kind::Created,
            ChangeKind::Updated => feed::Kind::Updated,
            ChangeKind::Deactivated => feed::Kind::Deactivated,
            ChangeKind::Deleted => feed::Kind::Deleted,
            ChangeKind::Removed => feed::Kind::Removed,
        }
    }
}

impl From<feed::Kind> for ChangeKind {
    fn from(kind: feed::Kind) -> Self {
        match kind {
            feed::Kind::Created => ChangeKind::Created,
            feed::Kind::Updated => ChangeKind::Updated,
            feed::Kind::Deactivated => ChangeKind::Deactivated,
            feed::Kind::Deleted => ChangeKind::Deleted,
            feed::Kind::Removed => ChangeKind::Removed,
        }
    }
}

/// What a change is about.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeEntity {
    Service,
    Organisation,
    Site,
    Annotation,
}

impl From<ChangeEntity> for feed::Entity {
    fn from(entity: ChangeEntity) -> Self {
        match entity {
            ChangeEntity::Service => feed::Entity::Service,
            ChangeEntity::Organisation => feed::Entity::Organisation,
            ChangeEntity::Site => feed::Entity::Site,
            ChangeEntity::Annotation => feed::Entity::Annotation,
        }
    }
}

impl From<feed::Entity> for ChangeEntity {
    fn from(entity: feed::Entity) -> Self {
        match entity {
            feed::Entity::Service => ChangeEntity::Service,
            feed::Entity::Organisation => ChangeEntity::Organisation,
            feed::Entity::Site => ChangeEntity::Site,
            feed::Entity::Annotation => ChangeEntity::Annotation,
        }
    }
}

/// One change to one listing.
pub struct Change {
    event: feed::Event,
}

#[Object]
impl Change {
    /// Where to go on from after this change.
    async fn cursor(&self) -> String {
        Cursor::BySequence(self.event.sequence).encode()
    }

    /// The change log's sequence number: increasing, never reused.
    async fn sequence(&self) -> String {
        self.event.sequence.to_string()
    }

    async fn kind(&self) -> ChangeKind {
        self.event.kind.into()
    }

    async fn entity(&self) -> ChangeEntity {
        self.event.entity.into()
    }

    /// The global id of the listing (`node(id:)`), or of the annotation.
    async fn id(&self) -> ID {
        let kind = match self.event.entity {
            feed::Entity::Service => ids::Kind::Service,
            feed::Entity::Organisation => ids::Kind::Organisation,
            feed::Entity::Site => ids::Kind::Site,
            feed::Entity::Annotation => return ID(format!("annotation:{}", self.event.id)),
        };
        ids::encode(kind, self.event.id)
    }

    /// The changed fields (`name_fr`, `categories`, `published`…); empty when the change
    /// is to data the feed does not itemise (accreditations, provenance).
    async fn fields(&self) -> &[String] {
        &self.event.fields
    }

    async fn at(&self) -> DateTime<Utc> {
        self.event.at
    }

    /// Who wrote: `sync`, `mutation`, `upsert`, `import`, `curation` or `demo`.
    async fn origin(&self) -> &str {
        &self.event.origin
    }

    /// The listing as it is now, as the caller may see it (`null` once removed or
    /// deleted, and for annotations).
    async fn node(&self, ctx: &Context<'_>, lang: Option<Lang>) -> Option<Node> {
        let kind = match self.event.entity {
            feed::Entity::Service => ids::Kind::Service,
            feed::Entity::Organisation => ids::Kind::Organisation,
            feed::Entity::Site => ids::Kind::Site,
            feed::Entity::Annotation => return None,
        };
        nullable(ctx, Node::lookup(ctx, kind, self.event.id, lang)).flatten()
    }
}

#[derive(SimpleObject)]
pub struct ChangeEdge {
    pub cursor: String,
    pub node: Change,
}

/// A page of changes, oldest first.
#[derive(SimpleObject)]
pub struct ChangeConnection {
    pub edges: Vec<ChangeEdge>,
    pub page_info: PageInfo,
    /// Where to go on from: after the last change read, including those this caller
    /// is not shown. Keep it; ask `changes(after:)` with it next time.
    pub cursor: String,
}

#[Object]
impl FeedRoot {
    /// What changed in the directory after `after` (from the oldest change kept when
    /// absent), oldest first, as the caller may see it. Ask again with `cursor` to go
    /// on; `CURSOR_EXPIRED` when `after` is older than the changes kept.
    #[graphql(complexity = "cost::page_cost(first, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        first: Option<i32>,
        kinds: Option<Vec<ChangeKind>>,
        entities: Option<Vec<ChangeEntity>>,
        #[graphql(desc = "A territory code (`bassin:nord`, `commune:21015`, `quartier:87`).")]
        territory: Option<String>,
    ) -> Option<ChangeConnection> {
        nullable(
            ctx,
            changes(ctx, after, first, kinds, entities, territory).await,
        )
    }

    /// The cursor of the directory as this answer reads it: read the directory (in the
    /// same request, or after it), then follow `changes(after:)` from here.
    async fn changes_cursor(&self, ctx: &Context<'_>) -> Option<String> {
        nullable(
            ctx,
            snapshot(ctx).map(|s| Cursor::BySequence(s.sequence).encode()),
        )
    }
}

async fn changes(
    ctx: &Context<'_>,
    after: Option<String>,
    first: Option<i32>,
    kinds: Option<Vec<ChangeKind>>,
    entities: Option<Vec<ChangeEntity>>,
    territory: Option<String>,
) -> ApiResult<ChangeConnection> {
    let state = state(ctx)?;
    let principal = principal(ctx)?;
    let after = match after.as_deref().map(Cursor::decode) {
        None => None,
        Some(Ok(Cursor::BySequence(seq))) => Some(seq),
        Some(_) => {
            return Err(ApiError::bad_input(
                "after",
                "not a cursor of the change feed",
            ));
        }
    };
    let territory = territory
        .map(|code| filter_territory_id(&state.reference, "territory", &code))
        .transpose()?;
    let first = usize::try_from(page_size(&state.config.api, first)?).unwrap_or(usize::MAX);
    let query = feed::Query {
        after,
        first,
        kinds: kinds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
        entities: entities
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
        territory,
    };
    let snapshot = snapshot(ctx)?;
    let page = feed::read(&state.db.conn, &snapshot, principal, &query)
        .await
        .map_err(|error| match error {
            feed::FeedError::Expired { oldest } => ApiError::CursorExpired {
                oldest: Cursor::BySequence(oldest).encode(),
            },
            feed::FeedError::Db(error) => ApiError::internal(error),
        })?;
    let edges: Vec<ChangeEdge> = page
        .events
        .into_iter()
        .map(|event| ChangeEdge {
            cursor: Cursor::BySequence(event.sequence).encode(),
            node: Change { event },
        })
        .collect();
    Ok(ChangeConnection {
        page_info: PageInfo {
            has_next_page: page.more,
            has_previous_page: false,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
        cursor: Cursor::BySequence(page.end).encode(),
    })
}

//! The change feed (`changes`, `changesCursor`): what changed in the directory, in
//! order, as the caller may see it (`crate::feed`). A consumer keeps the cursor of the
//! last page and asks again from it: nothing is missed, nothing comes twice, across
//! restarts and replicas.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use crate::graphql::types::Instant;
use async_graphql::{Context, Enum, ID, Object, SimpleObject, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast;

use super::{
    ApiError, ApiResult, cost, ids, nullable, principal, snapshot, state,
    types::{Node, PageInfo, filter_territory_id, page_size},
};
use crate::{
    domain::Lang, error_code::ErrorCode, feed, read_model::Snapshot, search::Cursor,
    state::AppState,
};

#[derive(Default)]
pub struct FeedRoot;

/// What happened to a listing, as the caller sees it.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// It entered the caller's view: new, published, or an organisation or site whose
    /// first service the caller sees.
    Created,
    Updated,
    Deactivated,
    Deleted,
    /// It left the caller's view (unpublished, deactivated for the public, an
    /// organisation or site with no service the caller sees left), or the territory the
    /// caller follows (its place moved). Forget it.
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
    /// The directory the change was judged against; `node` reads it.
    snapshot: Arc<Snapshot>,
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

    async fn at(&self) -> Instant {
        self.event.at.into()
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
        nullable(
            ctx,
            Node::lookup_in(ctx, &self.snapshot, kind, self.event.id, lang),
        )
        .flatten()
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
        // Pruning moves what it answers without a new version.
        crate::graphql::volatile(ctx);
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
    let after = feed_cursor(after)?;
    let first = usize::try_from(page_size(&state.config.api, first)?).unwrap_or(usize::MAX);
    let query = feed::Query {
        after,
        ..feed_query(state, first, kinds, entities, territory)?
    };
    let snapshot = snapshot(ctx)?;
    let page = feed::read(&state.db.conn, &snapshot, principal, &query)
        .await
        .map_err(feed_error)?;
    let edges: Vec<ChangeEdge> = page
        .events
        .into_iter()
        .map(|event| ChangeEdge {
            cursor: Cursor::BySequence(event.sequence).encode(),
            node: Change {
                event,
                snapshot: Arc::clone(&snapshot),
            },
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

/// The sequence a feed cursor names.
fn feed_cursor(after: Option<String>) -> ApiResult<Option<i64>> {
    match after.as_deref().map(Cursor::decode) {
        None => Ok(None),
        Some(Ok(Cursor::BySequence(seq))) => Ok(Some(seq)),
        Some(_) => Err(ApiError::bad_input(
            "after",
            "not a cursor of the change feed",
        )),
    }
}

/// The feed query of the arguments `changes` takes, as a query and as a subscription.
fn feed_query(
    state: &AppState,
    first: usize,
    kinds: Option<Vec<ChangeKind>>,
    entities: Option<Vec<ChangeEntity>>,
    territory: Option<String>,
) -> ApiResult<feed::Query> {
    Ok(feed::Query {
        after: None,
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
        territory: territory
            .map(|code| filter_territory_id(&state.reference, "territory", &code))
            .transpose()?,
    })
}

fn feed_error(error: feed::FeedError) -> ApiError {
    match error {
        feed::FeedError::Expired { oldest } => ApiError::CursorExpired {
            oldest: Cursor::BySequence(oldest).encode(),
        },
        feed::FeedError::Db(error) => ApiError::internal(error),
    }
}

/// Subscriptions on one WebSocket connection, counted against
/// `limits.max_subscriptions_per_connection` (connection data, `http::subscriptions`).
#[derive(Clone, Debug, Default)]
pub struct SubscriptionSlots(pub Arc<AtomicUsize>);

/// One running subscription; its slot is given back when the stream is dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Default)]
pub struct FeedSubscription;

#[Subscription(name = "Subscription")]
impl FeedSubscription {
    /// The changes as they are made, as the caller may see them (the same events as the
    /// `changes` query). With `after`, the changes logged since that cursor come first:
    /// a consumer that reconnects with its last cursor misses nothing.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        kinds: Option<Vec<ChangeKind>>,
        entities: Option<Vec<ChangeEntity>>,
        #[graphql(desc = "A territory code (`bassin:nord`, `commune:21015`, `quartier:87`).")]
        territory: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Change>> + use<>> {
        let state = state(ctx)?.clone();
        let principal = principal(ctx)?.clone();
        let slot = match ctx.data_opt::<SubscriptionSlots>() {
            Some(SubscriptionSlots(open)) => {
                let max = state.config.limits.max_subscriptions_per_connection;
                if open.fetch_add(1, Ordering::AcqRel) >= max && max > 0 {
                    open.fetch_sub(1, Ordering::AcqRel);
                    return Err(async_graphql::ErrorExtensions::extend_with(
                        async_graphql::Error::new(format!(
                            "at most {max} subscriptions at once on one connection"
                        )),
                        |_, e| e.set("code", ErrorCode::TooManySubscriptions.as_str()),
                    ));
                }
                Some(Slot(Arc::clone(open)))
            }
            None => None,
        };
        let after = feed_cursor(after)?;
        let query = feed_query(&state, 100, kinds, entities, territory)?;
        // Told of every catch-up from now on, before the log is read: nothing falls
        // between the two.
        let mut live = state.read_model.subscribe();
        let mut stopping = state.stopping.subscribe();
        let mut last = after.unwrap_or_else(|| state.read_model.snapshot().sequence);
        Ok(async_stream::stream! {
            let _slot = slot;
            'follow: loop {
                // What the log holds after `last`, page by page.
                loop {
                    let snapshot = state.read_model.snapshot();
                    let page = feed::read(
                        &state.db.conn,
                        &snapshot,
                        &principal,
                        &feed::Query { after: Some(last), ..query.clone() },
                    )
                    .await;
                    match page {
                        Ok(page) => {
                            for event in page.events {
                                yield Ok(Change { event, snapshot: Arc::clone(&snapshot) });
                            }
                            last = page.end;
                            if !page.more {
                                break;
                            }
                        }
                        Err(error) => {
                            yield Err(feed_error(error).into());
                            return;
                        }
                    }
                }
                // Then each catch-up as it happens.
                loop {
                    let logged = tokio::select! {
                        logged = live.recv() => logged,
                        _ = async { stopping.wait_for(|stopping| *stopping).await.map(|_| ()) } => return,
                    };
                    let logged = match logged {
                        Ok(logged) => logged,
                        // Fell behind: the log has it all.
                        Err(broadcast::error::RecvError::Lagged(_)) => continue 'follow,
                        Err(broadcast::error::RecvError::Closed) => return,
                    };
                    let rows: Vec<_> = logged.rows.iter().filter(|row| row.seq > last).cloned().collect();
                    let Some(end) = rows.last().map(|row| row.seq) else {
                        continue;
                    };
                    match feed::judged(&state.db.conn, &rows, &logged.snapshot, &principal, &query).await {
                        Ok(judged) => {
                            for event in judged.into_iter().flatten() {
                                yield Ok(Change { event, snapshot: Arc::clone(&logged.snapshot) });
                            }
                            last = end;
                        }
                        Err(error) => {
                            yield Err(ApiError::internal(error).into());
                            return;
                        }
                    }
                }
            }
        })
    }
}

//! The change feed: the change log read by sequence, as one caller may see it.
//!
//! Every writer logs what it changed (`store::record_changes`) in the transaction that
//! changed it, under a lock held until commit on PostgreSQL, so sequences become visible
//! in commit order: a reader of "everything after n" misses nothing and, keeping its
//! last sequence, never reads an event twice, whichever replica it asks. A service's
//! change carries who could see it before and after (`Seen`), so a caller is told of
//! the changes to what it sees, and a service leaving its view (unpublished,
//! deactivated for the public) shows as `Removed`. Organisations and sites are seen
//! through their services: one that services take out of a caller's view, or into it,
//! has a change of its own (`visibility`, logged by `store::record_changes`) shown as
//! `Removed` or `Created`. Their other changes, and annotations, are shown when the
//! caller sees them now (`search::organisation_visible`, `search::site_visible`,
//! `Principal::can_see_annotation`).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entities::{annotation, change_feed, change_log};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode, TransactionOptions,
    TransactionTrait, sea_query::OnConflict,
};

use crate::{
    auth::{FieldAccess, Principal, ServiceScope},
    domain::Seen,
    read_model::{self, Snapshot},
    search, store,
};

/// What happened to a listing, as the caller sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Created,
    Updated,
    Deactivated,
    Deleted,
    /// It left the caller's view (unpublished, deactivated for the public, an
    /// organisation or site with no service the caller sees left), or the followed
    /// territory.
    Removed,
}

/// What the change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    Service,
    Organisation,
    Site,
    Annotation,
}

impl Entity {
    fn parse(text: &str) -> Option<Entity> {
        Some(match text {
            "service" => Entity::Service,
            "organisation" => Entity::Organisation,
            "site" => Entity::Site,
            "annotation" => Entity::Annotation,
            _ => return None,
        })
    }
}

/// One change as a caller sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub sequence: i64,
    pub at: DateTime<Utc>,
    pub entity: Entity,
    /// The listing as the read API names it (a service folded into another: that one).
    pub id: i32,
    pub kind: Kind,
    /// The changed fields (the audit trail's names); none when the change is to data
    /// the log does not itemise.
    pub fields: Vec<String>,
    /// `sync`, `mutation`, `upsert`, `import`, `curation` or `demo`.
    pub origin: String,
}

/// Which changes to read.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// After this sequence; `None`: from the oldest kept.
    pub after: Option<i64>,
    pub first: usize,
    /// Only these kinds (all when empty).
    pub kinds: Vec<Kind>,
    /// Only about these entities (all when empty).
    pub entities: Vec<Entity>,
    /// Only about listings in this territory (a service or site there, an organisation
    /// with a site there), by territory id.
    pub territory: Option<i32>,
}

/// A page of the feed.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub events: Vec<Event>,
    /// Where to go on from: the last change read, shown or not (what the caller may not
    /// see is skipped, not read again).
    pub end: i64,
    /// Whether changes were logged after `end` (at the time of reading).
    pub more: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The changes after the cursor were pruned (`feed.retention_days`): read the
    /// directory again from `oldest` on.
    #[error("the changes after this cursor are no longer kept")]
    Expired { oldest: i64 },
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Rows read per round trip while a page fills.
const BATCH: u64 = 500;
/// At most this many rows read for one page: a caller who sees few of them gets a
/// shorter page and goes on from where it stopped, so a request stays bounded.
const MAX_SCANNED: usize = 5_000;

/// The changes after `query.after` that `principal` may see, judged against `snapshot`
/// (the read model now): those it includes, so that each is judged, and its `node`
/// read, in a directory that holds it. What a replica has not caught up with yet comes
/// on the next read.
pub async fn read<C: ConnectionTrait>(
    db: &C,
    snapshot: &Snapshot,
    principal: &Principal,
    query: &Query,
) -> Result<Page, FeedError> {
    let pruned = read_model::pruned_through(db).await?;
    let start = match query.after {
        Some(after) if after < pruned => return Err(FeedError::Expired { oldest: pruned }),
        Some(after) => after,
        None => pruned,
    };
    let mut events = Vec::new();
    let mut end = start;
    let mut scanned = 0;
    let mut exhausted = false;
    while events.len() < query.first && scanned < MAX_SCANNED {
        let rows = change_log::Entity::find()
            .filter(change_log::Column::Seq.gt(end))
            .filter(change_log::Column::Seq.lte(snapshot.sequence))
            .order_by_asc(change_log::Column::Seq)
            .limit(BATCH)
            .all(db)
            .await?;
        if rows.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            exhausted = true;
        }
        for (row, event) in rows
            .iter()
            .zip(judged(db, &rows, snapshot, principal, query).await?)
        {
            scanned += 1;
            end = row.seq;
            if let Some(event) = event {
                events.push(event);
                if events.len() == query.first {
                    break;
                }
            }
        }
        if exhausted || rows.is_empty() {
            break;
        }
    }
    // Pruned while this page was read: what it read may lack pruned changes.
    let pruned = read_model::pruned_through(db).await?;
    if start < pruned {
        return Err(FeedError::Expired { oldest: pruned });
    }
    let more = if exhausted && events.len() < query.first {
        false
    } else {
        change_log::Entity::find()
            .filter(change_log::Column::Seq.gt(end))
            .filter(change_log::Column::Seq.lte(snapshot.sequence))
            .limit(1)
            .one(db)
            .await?
            .is_some()
    };
    Ok(Page { events, end, more })
}

/// Each row as `principal` sees it and `query` filters it (`None`: not shown), judged
/// against `snapshot`: the read model now, or the one a catch-up built with them.
pub async fn judged<C: ConnectionTrait>(
    db: &C,
    rows: &[change_log::Model],
    snapshot: &Snapshot,
    principal: &Principal,
    query: &Query,
) -> Result<Vec<Option<Event>>, DbErr> {
    let scope = principal.service_scope();
    let annotations = annotations_of(db, rows).await?;
    Ok(rows
        .iter()
        .map(|row| {
            judge(row, snapshot, principal, &scope, &annotations)
                .and_then(|event| admitted(event, query, snapshot, &annotations))
        })
        .collect())
}

/// The annotations the rows name, by id (their group, visibility and service).
async fn annotations_of<C: ConnectionTrait>(
    db: &C,
    rows: &[change_log::Model],
) -> Result<HashMap<i32, annotation::Model>, DbErr> {
    let ids: Vec<i32> = rows
        .iter()
        .filter(|row| row.entity == "annotation")
        .filter_map(|row| row.entity_id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(annotation::Entity::find()
        .filter(annotation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// The change as `principal` sees it, or `None` when it does not concern it.
fn judge(
    row: &change_log::Model,
    snapshot: &Snapshot,
    principal: &Principal,
    scope: &ServiceScope,
    annotations: &HashMap<i32, annotation::Model>,
) -> Option<Event> {
    // Rows logged before the feed name their organisation only.
    let entity = Entity::parse(&row.entity)?;
    let logged_id = row.entity_id.unwrap_or(row.organisation_id);
    let logged = match row.action.as_str() {
        "created" => Kind::Created,
        "deactivated" => Kind::Deactivated,
        "deleted" => Kind::Deleted,
        _ => Kind::Updated,
    };
    let seen = |text: &Option<String>| text.as_deref().and_then(Seen::parse);
    let (id, kind) = match entity {
        // An organisation or site its services took into or out of view (`store`'s
        // `visibility` change): told to those for whom it did, as created or removed.
        // A created one is told to those who see it from the start.
        Entity::Organisation | Entity::Site
            if row.action == "visibility"
                || (row.action == "created" && row.seen_after.is_some()) =>
        {
            let admits = |text| seen(text).map(|s| scope.admits_seen(s, row.organisation_id));
            let kind = match (admits(&row.seen_before), admits(&row.seen_after)?) {
                (None, true) => Kind::Created,
                (Some(false), true) => Kind::Created,
                (Some(true), false) => Kind::Removed,
                _ => return None,
            };
            // A site folded into another (same address) is known by that one's id.
            let id = match entity {
                Entity::Site => snapshot.site(logged_id).map_or(logged_id, |s| s.model.id),
                _ => logged_id,
            };
            (id, kind)
        }
        Entity::Service => {
            let mut after = scope.admits_seen(seen(&row.seen_after)?, row.organisation_id);
            let before = seen(&row.seen_before).map(|s| scope.admits_seen(s, row.organisation_id));
            // A service folded with others (`merge`) is shown as the merged one is: its
            // members' own visibility does not decide it.
            if let Some(entry) = snapshot.service(logged_id)
                && (entry.model.id != logged_id || !entry.merged.is_empty())
            {
                after = scope.admits(&entry.model);
            }
            let kind = match (before, after) {
                (_, true) if logged == Kind::Created => Kind::Created,
                (Some(false), true) => Kind::Created,
                (_, true) => logged,
                (Some(true), false) => Kind::Removed,
                (_, false) => return None,
            };
            // A service folded into another is known by that one's id.
            match snapshot.service(logged_id).map(|entry| entry.model.id) {
                Some(canonical) if canonical != logged_id && kind == Kind::Created => {
                    (canonical, Kind::Updated)
                }
                Some(canonical) => (canonical, kind),
                None => (logged_id, kind),
            }
        }
        Entity::Organisation => {
            let organisation = snapshot.organisation(logged_id)?;
            if !search::organisation_visible(snapshot, scope, organisation) {
                return None;
            }
            (logged_id, logged)
        }
        Entity::Site => match snapshot.site(logged_id) {
            Some(site) => {
                if !search::site_visible(snapshot, scope, site) {
                    return None;
                }
                (site.model.id, logged)
            }
            // Deleted: told to whoever sees its organisation.
            None => {
                let organisation = snapshot.organisation(row.organisation_id)?;
                if logged != Kind::Deleted
                    || !search::organisation_visible(snapshot, scope, organisation)
                {
                    return None;
                }
                (logged_id, logged)
            }
        },
        Entity::Annotation => {
            let annotation = annotations.get(&logged_id)?;
            if principal.annotations_field() != FieldAccess::Allow
                || !principal.can_see_annotation(annotation)
            {
                return None;
            }
            (logged_id, logged)
        }
    };
    Some(Event {
        sequence: row.seq,
        at: row.changed_at,
        entity,
        id,
        kind,
        fields: row.fields.split_whitespace().map(str::to_owned).collect(),
        origin: row.origin.clone(),
    })
}

/// The event as the query's filters pass it, if they do. A service or site whose place
/// changed and is no longer in the followed territory left it: it is told as removed
/// (to a consumer that never had it too, which is harmless).
fn admitted(
    mut event: Event,
    query: &Query,
    snapshot: &Snapshot,
    annotations: &HashMap<i32, annotation::Model>,
) -> Option<Event> {
    if let Some(territory) = query.territory
        && !in_territory(&event, territory, snapshot, annotations)
    {
        let moved = match event.entity {
            Entity::Service => event.fields.iter().any(|f| f == store::PLACES),
            Entity::Site => event
                .fields
                .iter()
                .any(|f| store::SITE_PLACE_FIELDS.contains(&f.as_str())),
            Entity::Organisation | Entity::Annotation => false,
        };
        if !(moved && matches!(event.kind, Kind::Updated | Kind::Deactivated)) {
            return None;
        }
        event.kind = Kind::Removed;
    }
    if !query.kinds.is_empty() && !query.kinds.contains(&event.kind) {
        return None;
    }
    if !query.entities.is_empty() && !query.entities.contains(&event.entity) {
        return None;
    }
    Some(event)
}

/// Whether the listing an event is about is in `territory` now.
fn in_territory(
    event: &Event,
    territory: i32,
    snapshot: &Snapshot,
    annotations: &HashMap<i32, annotation::Model>,
) -> bool {
    // A listing gone from the directory has no territory left to match: its deletion
    // is told to every consumer (forgetting what one never had is harmless).
    let gone = match event.entity {
        Entity::Service => snapshot.service(event.id).is_none(),
        Entity::Site => snapshot.site(event.id).is_none(),
        Entity::Organisation => snapshot.organisation(event.id).is_none(),
        Entity::Annotation => false,
    };
    if gone && matches!(event.kind, Kind::Deleted | Kind::Removed) {
        return true;
    }
    let service_in = |id: i32| {
        snapshot
            .service(id)
            .is_some_and(|s| s.territories.contains(&territory))
    };
    let site_in = |id: i32| {
        snapshot
            .site(id)
            .is_some_and(|s| s.territories.contains(&territory))
    };
    match event.entity {
        Entity::Service => service_in(event.id),
        Entity::Site => site_in(event.id),
        Entity::Organisation => snapshot
            .organisation(event.id)
            .is_some_and(|o| o.sites.iter().any(|id| site_in(*id))),
        Entity::Annotation => annotations
            .get(&event.id)
            .is_some_and(|a| service_in(a.service_id)),
    }
}

/// Deletes the changes logged more than `retention` ago and remembers through which
/// sequence it did, so that a cursor from before is told it expired. Returns how many
/// were deleted. The newest change is always kept, so the log's sequence never restarts.
pub async fn prune(
    db: &DatabaseConnection,
    retention: Duration,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    // One pruner at a time, and none while a writer logs (the writers' lock on
    // PostgreSQL; an immediate transaction on SQLite): `pruned_through` never moves back.
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE change_log IN SHARE ROW EXCLUSIVE MODE")
            .await?;
    }
    let newest = read_model::last_sequence(&txn).await?;
    let through: Option<i64> = change_log::Entity::find()
        .select_only()
        .column(change_log::Column::Seq)
        .filter(change_log::Column::ChangedAt.lt(now - retention))
        .filter(change_log::Column::Seq.lt(newest))
        .order_by_desc(change_log::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(&txn)
        .await?;
    let Some(through) = through else {
        return Ok(0);
    };
    let deleted = change_log::Entity::delete_many()
        .filter(change_log::Column::Seq.lte(through))
        .exec(&txn)
        .await?
        .rows_affected;
    change_feed::Entity::insert(change_feed::ActiveModel {
        id: Set(1),
        pruned_through: Set(through),
    })
    .on_conflict(
        OnConflict::column(change_feed::Column::Id)
            .update_column(change_feed::Column::PrunedThrough)
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(deleted)
}

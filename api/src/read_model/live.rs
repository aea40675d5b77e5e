//! Keeping the snapshot current: the writer catches up before it answers, every other
//! replica on a `passerelle_changes` notification (PostgreSQL) or on a poll.

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use entities::{change_feed, change_log};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::{Snapshot, load, merge::MergeRules};

/// The PostgreSQL channel writers notify after a change commits.
pub const CHANNEL: &str = "passerelle_changes";

/// Above this many changed organisations a catch-up reloads everything: one pass over
/// every table beats thousands of patched postings.
const FULL_RELOAD_ABOVE: usize = 1000;

/// The current snapshot, swapped whole; readers clone the `Arc` and never wait on a
/// catch-up.
#[derive(Debug)]
pub struct ReadModel {
    rules: Arc<MergeRules>,
    current: RwLock<Arc<Snapshot>>,
    /// One catch-up at a time, so two never build from the same base.
    catching_up: tokio::sync::Mutex<()>,
    /// Set once `follow` listens and has applied what committed before it did.
    following: std::sync::atomic::AtomicBool,
    /// Each catch-up's changes with the snapshot that includes them, for live
    /// subscribers (`feed`).
    logged: tokio::sync::broadcast::Sender<Arc<Logged>>,
}

/// Changes a catch-up applied, in order, and the snapshot they are part of.
#[derive(Debug)]
pub struct Logged {
    pub rows: Vec<change_log::Model>,
    pub snapshot: Arc<Snapshot>,
}

/// Catch-ups a slow subscriber may fall behind by before it reads the log again (each
/// holds its snapshot until every subscriber has read it).
const LOGGED_BACKLOG: usize = 16;

/// What a catch-up did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatchUp {
    /// The snapshot was already at the end of the change log.
    Current,
    /// These many organisations were reloaded.
    Patched(usize),
    /// The whole directory was reloaded.
    Reloaded,
}

/// The last sequence of the change log (0: none).
pub async fn last_sequence<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let last: Option<i64> = change_log::Entity::find()
        .select_only()
        .column(change_log::Column::Seq)
        .order_by_desc(change_log::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.unwrap_or(0))
}

/// The sequence through which the change log was pruned (0: never; `feed::prune`).
pub async fn pruned_through<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    Ok(change_feed::Entity::find_by_id(1)
        .one(db)
        .await?
        .map_or(0, |row| row.pruned_through))
}

/// The whole directory, as of `through` (the last sequence, read first, when `None`): a
/// change committing during the load is applied again by the next catch-up, which is
/// harmless (reloading an organisation is idempotent).
async fn full(
    db: &DatabaseConnection,
    rules: &Arc<MergeRules>,
    through: Option<i64>,
) -> Result<Snapshot, DbErr> {
    let sequence = match through {
        Some(sequence) => sequence,
        None => last_sequence(db).await?,
    };
    let bundles = load::bundles(db, None).await?;
    Ok(Snapshot::build_with(bundles, sequence, Arc::clone(rules)))
}

impl ReadModel {
    /// Loads the whole directory, its duplicates folded by `rules` (`read_model::merge`).
    pub async fn load(db: &DatabaseConnection, rules: MergeRules) -> Result<ReadModel, DbErr> {
        let started = Instant::now();
        let rules = Arc::new(rules);
        let snapshot = full(db, &rules, None).await?;
        tracing::info!(
            services = snapshot.service_count(),
            sequence = snapshot.sequence,
            elapsed_ms = started.elapsed().as_millis(),
            "read model loaded"
        );
        Ok(ReadModel {
            rules,
            current: RwLock::new(Arc::new(snapshot)),
            catching_up: tokio::sync::Mutex::new(()),
            following: std::sync::atomic::AtomicBool::new(false),
            logged: tokio::sync::broadcast::Sender::new(LOGGED_BACKLOG),
        })
    }

    /// Whether changes written by other processes reach this replica: `follow` is
    /// subscribed (or polling) and has caught up once.
    pub fn is_following(&self) -> bool {
        self.following.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The snapshot to answer one request from.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        // A poisoned lock only means a panic elsewhere; the Arc inside is still whole.
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn swap(&self, next: Snapshot) -> Arc<Snapshot> {
        let next = Arc::new(next);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&next);
        next
    }

    /// Every catch-up's changes from now on, with the snapshot that includes them.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Logged>> {
        self.logged.subscribe()
    }

    /// Applies every change logged after the current snapshot. Writers call it after
    /// their commit, before answering; followers on notification or poll.
    pub async fn catch_up(&self, db: &DatabaseConnection) -> Result<CatchUp, DbErr> {
        let _one = self.catching_up.lock().await;
        let base = self.snapshot();
        // Changes this snapshot has not seen were pruned (a replica asleep longer than
        // `feed.retention_days`): only a whole reload is sure.
        if base.sequence < pruned_through(db).await? {
            let next = full(db, &self.rules, None).await?;
            self.swap(next);
            return Ok(CatchUp::Reloaded);
        }
        let rows: Vec<change_log::Model> = change_log::Entity::find()
            .filter(change_log::Column::Seq.gt(base.sequence))
            .order_by_asc(change_log::Column::Seq)
            .all(db)
            .await?;
        // Pruned meanwhile: the rows read may lack some.
        if base.sequence < pruned_through(db).await? {
            let next = full(db, &self.rules, None).await?;
            self.swap(next);
            return Ok(CatchUp::Reloaded);
        }
        let Some(sequence) = rows.last().map(|row| row.seq) else {
            return Ok(CatchUp::Current);
        };
        let mut changed: Vec<i32> = rows.iter().map(|row| row.organisation_id).collect();
        changed.sort_unstable();
        changed.dedup();
        let (snapshot, outcome) = if changed.len() > FULL_RELOAD_ABOVE {
            // As of the rows read, so that the next catch-up tells subscribers of what
            // came after them.
            let next = full(db, &self.rules, Some(sequence)).await?;
            (self.swap(next), CatchUp::Reloaded)
        } else {
            let bundles = load::bundles(db, Some(&changed)).await?;
            let next = base.with_changes(&changed, bundles, sequence);
            (self.swap(next), CatchUp::Patched(changed.len()))
        };
        // No subscriber is no error.
        let _ = self.logged.send(Arc::new(Logged { rows, snapshot }));
        Ok(outcome)
    }

    /// Catches up and logs a failure instead of returning it: for writers whose write
    /// has committed and must be reported as done (a follower retries on the next poll).
    pub async fn catch_up_or_log(&self, db: &DatabaseConnection) {
        if let Err(error) = self.catch_up(db).await {
            tracing::error!(%error, "the read model could not catch up; followers will retry");
        }
    }
}

/// Follows the change log until `stop` turns true: on every notification (PostgreSQL)
/// and every `poll` (0: notifications only).
pub async fn follow(
    model: Arc<ReadModel>,
    db: DatabaseConnection,
    poll: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut listener = match db.get_database_backend() {
        DatabaseBackend::Postgres => listen(&db).await,
        _ => None,
    };
    // Whatever committed between the start-up load and the subscription.
    if let Err(error) = model.catch_up(&db).await {
        tracing::warn!(%error, "read model catch-up failed; retrying on the next change");
    }
    model
        .following
        .store(true, std::sync::atomic::Ordering::Release);
    let mut ticker = (!poll.is_zero()).then(|| {
        let mut ticker = tokio::time::interval(poll);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker
    });
    loop {
        let woke = tokio::select! {
            _ = stop.changed() => break,
            notified = async {
                match listener.as_mut() {
                    Some(listener) => listener.recv().await.map(|_| ()),
                    None => std::future::pending().await,
                }
            } => notified,
            _ = async {
                match ticker.as_mut() {
                    Some(ticker) => ticker.tick().await,
                    None => std::future::pending().await,
                }
            } => Ok(()),
        };
        if let Err(error) = woke {
            // `recv` reconnects by itself on the next call; a missed notification only
            // delays this replica to the next one or to the poll.
            tracing::warn!(%error, "change notifications interrupted");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        if let Err(error) = model.catch_up(&db).await {
            tracing::warn!(%error, "read model catch-up failed; retrying on the next change");
        }
    }
}

async fn listen(db: &DatabaseConnection) -> Option<sea_orm::sqlx::postgres::PgListener> {
    let pool = db.get_postgres_connection_pool();
    let result = async {
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok::<_, sea_orm::sqlx::Error>(listener)
    }
    .await;
    match result {
        Ok(listener) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "cannot listen for changes; following by polling only");
            None
        }
    }
}

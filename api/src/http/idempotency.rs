//! `Idempotency-Key` on POST requests (mutations): a client that retries a request it
//! got no answer to, with the same key and body, gets the first answer, and the write is
//! made once. The same key with another body is refused (`IDEMPOTENCY_KEY_REUSED`), and
//! a retry while the first request still runs waits for nothing: it is refused too
//! (`IDEMPOTENCY_KEY_IN_USE`). What ran is replayed as it was, errors included (a
//! retry never writes twice); a request stopped by the execution timeout keeps its key
//! claimed until it expires; one refused before it ran frees it. Keys belong to the
//! token's subject and are kept `api.idempotency_hours`; the table is shared, so every
//! replica knows them.

use chrono::{Duration, Utc};
use entities::idempotency_key;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};

/// Longest key accepted, in bytes.
pub const MAX_KEY: usize = 255;

/// What to do with a request that carries a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The first time: run it, then [`finish`].
    Fresh,
    /// Seen with the same body: this was the answer.
    Replay(String),
    /// Seen with another body.
    Reused,
    /// The first request with this key has not answered yet.
    InUse,
}

/// A key as a client may send it: 1 to 255 visible ASCII characters.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Claims `key` for `actor` and a request whose body hashes to `hash`.
pub async fn claim(
    db: &DatabaseConnection,
    actor: &str,
    key: &str,
    hash: &str,
    hours: u32,
) -> Result<Claim, DbErr> {
    let now = Utc::now();
    // An expired key is forgotten.
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::Actor.eq(actor))
        .filter(idempotency_key::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
        actor: Set(actor.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(hash.to_owned()),
        response: Set(None),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(i64::from(hours))),
    })
    .on_conflict(
        OnConflict::columns([idempotency_key::Column::Actor, idempotency_key::Column::Key])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let Some(seen) = idempotency_key::Entity::find_by_id((actor.to_owned(), key.to_owned()))
        .one(db)
        .await?
    else {
        // Expired and deleted by another request in between: a fresh claim next time.
        return Ok(Claim::InUse);
    };
    Ok(if seen.request_hash != hash {
        Claim::Reused
    } else {
        match seen.response {
            Some(body) => Claim::Replay(body),
            None => Claim::InUse,
        }
    })
}

/// Keeps the answer of a claimed request for its retries.
pub async fn finish(
    db: &DatabaseConnection,
    actor: &str,
    key: &str,
    body: &str,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::Response,
            sea_orm::sea_query::Expr::value(body.to_owned()),
        )
        .filter(idempotency_key::Column::Actor.eq(actor))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Releases a claim whose request did not get an answer worth replaying (a refusal
/// before execution, a failure on our side): the client may retry with the same key.
pub async fn release(db: &DatabaseConnection, actor: &str, key: &str) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::Actor.eq(actor))
        .filter(idempotency_key::Column::Key.eq(key))
        .filter(idempotency_key::Column::Response.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A claim that releases itself when its request ends without [`ClaimGuard::keep`]: a
/// client that hangs up (the handler is dropped) or a failure does not leave the key
/// blocked for `api.idempotency_hours`.
pub struct ClaimGuard {
    db: DatabaseConnection,
    actor: String,
    key: String,
    settled: bool,
}

impl ClaimGuard {
    pub fn new(db: &DatabaseConnection, actor: &str, key: &str) -> ClaimGuard {
        ClaimGuard {
            db: db.clone(),
            actor: actor.to_owned(),
            key: key.to_owned(),
            settled: false,
        }
    }

    /// Keeps `body` as the answer to replay.
    pub async fn keep(mut self, body: &str) -> Result<(), DbErr> {
        self.settled = true;
        finish(&self.db, &self.actor, &self.key, body).await
    }

    /// Keeps the key claimed and unanswered: a retry is told the first request is still
    /// running, until the key expires.
    pub fn hold(mut self) {
        self.settled = true;
    }

    /// Lets the key be used again.
    pub async fn release(mut self) -> Result<(), DbErr> {
        self.settled = true;
        release(&self.db, &self.actor, &self.key).await
    }
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let (db, actor, key) = (
            self.db.clone(),
            std::mem::take(&mut self.actor),
            std::mem::take(&mut self.key),
        );
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = release(&db, &actor, &key).await {
                    tracing::warn!(%error, "an abandoned idempotency key was not released");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        assert!(valid_key("8e03978e-40d5-43e8-bc93-6894a57f9324"));
        assert!(!valid_key(""));
        assert!(!valid_key("two words"));
        assert!(!valid_key(&"k".repeat(MAX_KEY + 1)));
        assert!(!valid_key("clé"));
    }
}

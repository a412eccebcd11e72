//! SQL of API keys. Keys are looked up by the SHA-256 of the key: the key has 244 random
//! bits, so a fast hash is enough (a password hash is for guessable secrets).

use crate::server::sha256_hex;

use super::{ApiKey, CreatedApiKey, KEY_PREFIX};
use crate::server::{new_id, now_ms, Db, StoreError};

/// How often the "last used" time is written, at most (not on every request).
const LAST_USED_EVERY_MS: i64 = 60_000;

pub async fn create(
    db: &Db,
    tenant_id: &str,
    name: &str,
    created_by: &str,
) -> Result<CreatedApiKey, StoreError> {
    let secret = format!(
        "{KEY_PREFIX}{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let key = ApiKey {
        id: new_id(),
        name: name.to_string(),
        prefix: secret.chars().take(KEY_PREFIX.len() + 6).collect(),
        created_by: created_by.to_string(),
        created_at: now_ms(),
        last_used_at: None,
    };
    sqlx::query(
        "insert into api_keys (tenant_id, id, name, prefix, key_hash, created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant_id)
    .bind(&key.id)
    .bind(&key.name)
    .bind(&key.prefix)
    .bind(sha256_hex(&secret))
    .bind(&key.created_by)
    .bind(key.created_at)
    .execute(&db.pool)
    .await?;
    Ok(CreatedApiKey { key, secret })
}

/// The tenant's keys that still work, newest first.
pub async fn keys(db: &Db, tenant_id: &str) -> Result<Vec<ApiKey>, StoreError> {
    Ok(sqlx::query_as(
        "select id, name, prefix, created_by, created_at, last_used_at from api_keys \
         where tenant_id = $1 and revoked_at is null order by created_at desc, id desc",
    )
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn revoke(db: &Db, tenant_id: &str, id: &str) -> Result<(), StoreError> {
    let done = sqlx::query(
        "update api_keys set revoked_at = $3 where tenant_id = $1 and id = $2 and revoked_at is null",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("The API key".into()));
    }
    Ok(())
}

/// The tenant and key id of a working key, noting that it was used; None for a key that
/// is unknown or revoked.
pub async fn authenticate(db: &Db, secret: &str) -> Result<Option<(String, String)>, StoreError> {
    if !secret.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    let key: Option<(String, String, Option<i64>)> = sqlx::query_as(
        "select tenant_id, id, last_used_at from api_keys where key_hash = $1 and revoked_at is null",
    )
    .bind(sha256_hex(secret))
    .fetch_optional(&db.pool)
    .await?;
    let Some((tenant_id, id, last_used)) = key else {
        return Ok(None);
    };
    let now = now_ms();
    if last_used.is_none_or(|at| now - at >= LAST_USED_EVERY_MS) {
        match db.parts.get::<KeysInUse>() {
            Some(in_use) => in_use.note(&tenant_id, &id, now),
            None => write_last_used(db, &[(tenant_id.as_str(), id.as_str(), now)]).await?,
        }
    }
    Ok(Some((tenant_id, id)))
}

/// Keys used since the last flush, written in one transaction a second by the server
/// (`flush`), so an agent's request never waits on that write: when a thousand keys are
/// first used at once, it was a thousand extra commits in their requests' way.
#[derive(Default)]
pub struct KeysInUse(std::sync::Mutex<std::collections::HashMap<(String, String), i64>>);

impl KeysInUse {
    fn note(&self, tenant_id: &str, key_id: &str, at: i64) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert((tenant_id.to_string(), key_id.to_string()), at);
    }

    /// Writes when the noted keys were last used.
    pub async fn flush(&self, db: &Db) -> Result<(), StoreError> {
        let used = std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        if used.is_empty() {
            return Ok(());
        }
        let used: Vec<(&str, &str, i64)> = used
            .iter()
            .map(|((tenant_id, key_id), at)| (tenant_id.as_str(), key_id.as_str(), *at))
            .collect();
        write_last_used(db, &used).await
    }
}

async fn write_last_used(db: &Db, used: &[(&str, &str, i64)]) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    for &(tenant_id, key_id, at) in used {
        sqlx::query(
            "update api_keys set last_used_at = $3 where tenant_id = $1 and id = $2 \
             and (last_used_at is null or last_used_at < $3)",
        )
        .bind(tenant_id)
        .bind(key_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

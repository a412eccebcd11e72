//! SQL for two-factor sign-in. Secrets are sealed with the server's key for their user;
//! recovery codes are kept as hashes.

use crate::server::secrets::SecretKey;
use crate::server::{now_ms, Db, StoreError};

use super::TwoFactorStatus;

/// Starts (or starts again) an enrolment with a new secret; it counts once confirmed.
/// Refused while two-factor is on: it is turned off first.
pub async fn begin(
    db: &Db,
    key: &SecretKey,
    user_id: &str,
    secret: &[u8],
) -> Result<(), StoreError> {
    let sealed = key.seal(secret, user_id);
    let done = sqlx::query(
        "insert into two_factor (user_id, secret_sealed, created_at) values ($1, $2, $3) \
         on conflict (user_id) do update set secret_sealed = $2, created_at = $3, last_step = 0 \
         where two_factor.confirmed_at is null",
    )
    .bind(user_id)
    .bind(&sealed)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(
            "Two-factor sign-in is on already.".into(),
        ));
    }
    Ok(())
}

/// The person's secret: the confirmed one, or (`confirmed` false) the one being enrolled.
pub async fn secret(
    db: &Db,
    key: &SecretKey,
    user_id: &str,
    confirmed: bool,
) -> Result<Option<Vec<u8>>, StoreError> {
    let sealed: Option<String> = sqlx::query_scalar(if confirmed {
        "select secret_sealed from two_factor where user_id = $1 and confirmed_at is not null"
    } else {
        "select secret_sealed from two_factor where user_id = $1 and confirmed_at is null"
    })
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    match sealed {
        None => Ok(None),
        Some(sealed) => match key.open(&sealed, user_id) {
            Ok(secret) => Ok(Some(secret)),
            Err(err) => {
                tracing::error!(error = &err as &dyn std::error::Error, "two-factor secret");
                Err(StoreError::Conflict(
                    "Your authenticator's secret cannot be read on this server (its secret key \
                     changed). Use a recovery code."
                        .into(),
                ))
            }
        },
    }
}

/// Turns two-factor on with the step of the code that confirmed it, and replaces the
/// recovery codes; false when there was no enrolment to confirm.
pub async fn confirm(
    db: &Db,
    user_id: &str,
    step: u64,
    code_hashes: &[String],
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "update two_factor set confirmed_at = $2, last_step = $3 \
         where user_id = $1 and confirmed_at is null",
    )
    .bind(user_id)
    .bind(now_ms())
    .bind(step as i64)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    replace_codes(&mut tx, user_id, code_hashes).await?;
    tx.commit().await?;
    Ok(true)
}

/// A new set of recovery codes; the old ones stop working.
pub async fn replace_recovery_codes(
    db: &Db,
    user_id: &str,
    code_hashes: &[String],
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    replace_codes(&mut tx, user_id, code_hashes).await?;
    tx.commit().await?;
    Ok(())
}

async fn replace_codes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: &str,
    code_hashes: &[String],
) -> Result<(), StoreError> {
    sqlx::query("delete from recovery_codes where user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for hash in code_hashes {
        sqlx::query("insert into recovery_codes (user_id, code_hash) values ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Takes the step of a right code if no code of it (or a later step) was taken before:
/// a code works once, even when two requests bring it at the same moment.
pub async fn take_step(db: &Db, user_id: &str, step: u64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update two_factor set last_step = $2 \
         where user_id = $1 and confirmed_at is not null and last_step < $2",
    )
    .bind(user_id)
    .bind(step as i64)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses up a recovery code; false when it is not one of the person's unused codes.
pub async fn use_recovery_code(
    db: &Db,
    user_id: &str,
    code_hash: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update recovery_codes set used_at = $3 \
         where user_id = $1 and code_hash = $2 and used_at is null",
    )
    .bind(user_id)
    .bind(code_hash)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn status(db: &Db, user_id: &str) -> Result<TwoFactorStatus, StoreError> {
    let on_since: Option<i64> = sqlx::query_scalar(
        "select confirmed_at from two_factor where user_id = $1 and confirmed_at is not null",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    let recovery_codes_left: i64 = sqlx::query_scalar(
        "select count(*) from recovery_codes where user_id = $1 and used_at is null",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    let required_by: Vec<String> = sqlx::query_scalar(
        "select t.name from memberships m join tenants t on t.id = m.tenant_id \
         where m.user_id = $1 and t.require_two_factor = 1 order by lower(t.name)",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(TwoFactorStatus {
        on_since,
        recovery_codes_left: if on_since.is_some() {
            recovery_codes_left
        } else {
            0
        },
        required_by,
    })
}

pub async fn is_on(db: &Db, user_id: &str) -> Result<bool, StoreError> {
    let count: i64 = sqlx::query_scalar(
        "select count(*) from two_factor where user_id = $1 and confirmed_at is not null",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(count > 0)
}

/// Turns two-factor off: the secret and the recovery codes are gone.
pub async fn turn_off(db: &Db, user_id: &str) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sqlx::query("delete from two_factor where user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from recovery_codes where user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

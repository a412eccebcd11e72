//! SQL of the job queue. Claims take a lease; a job whose lease ran out (its worker died)
//! is claimed again. On PostgreSQL, `for update skip locked` lets several processes share it.

use sqlx::{AnyConnection, Row};

use super::Job;
use crate::server::{now_ms, Backend, Db, StoreError};

pub struct NewJob<'a> {
    pub id: &'a str,
    pub tenant_id: Option<&'a str>,
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub run_at: i64,
    pub max_attempts: i64,
}

pub async fn enqueue(conn: &mut AnyConnection, job: NewJob<'_>) -> Result<(), StoreError> {
    let now = now_ms();
    sqlx::query(
        "insert into jobs (id, tenant_id, kind, payload, status, priority, run_at, attempts, max_attempts, \
         created_at, updated_at) values ($1, $2, $3, $4, 'queued', 0, $5, 0, $6, $7, $7)",
    )
    .bind(job.id)
    .bind(job.tenant_id)
    .bind(job.kind)
    .bind(job.payload.to_string())
    .bind(job.run_at)
    .bind(job.max_attempts)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Claims the most urgent due job for `lease_ms`, or None when nothing is due.
pub async fn claim(db: &Db, lease_ms: i64) -> Result<Option<Job>, StoreError> {
    let now = now_ms();
    let lock = match db.backend {
        Backend::Postgres => "for update skip locked",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "update jobs set status = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2 \
         where id = (select id from jobs \
                     where (status = 'queued' and run_at <= $2) or (status = 'running' and lease_until < $2) \
                     order by priority desc, run_at, id limit 1 {lock}) \
         returning id, tenant_id, kind, payload, attempts, max_attempts"
    ))
    .bind(now + lease_ms)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let payload: String = row.try_get("payload")?;
    Ok(Some(Job {
        id: row.try_get("id")?,
        tenant_id: row.try_get("tenant_id")?,
        kind: row.try_get("kind")?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("job payload: {e}")))?,
        attempts: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
    }))
}

pub async fn complete(db: &Db, id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "update jobs set status = 'done', lease_until = null, updated_at = $2 where id = $1",
    )
    .bind(id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Records a failed run: queued again at `retry_at`, or failed for good when None.
pub async fn fail(db: &Db, id: &str, error: &str, retry_at: Option<i64>) -> Result<(), StoreError> {
    let now = now_ms();
    sqlx::query(
        "update jobs set status = $2, run_at = coalesce($3, run_at), last_error = $4, lease_until = null, \
         updated_at = $5 where id = $1",
    )
    .bind(id)
    .bind(if retry_at.is_some() { "queued" } else { "failed" })
    .bind(retry_at)
    .bind(error)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Hands a running job back without counting the attempt (used on shutdown).
pub async fn release(db: &Db, id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "update jobs set status = 'queued', attempts = attempts - 1, lease_until = null, updated_at = $2 \
         where id = $1 and status = 'running'",
    )
    .bind(id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(())
}

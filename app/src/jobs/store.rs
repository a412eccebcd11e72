//! SQL of the job queue. Claims take a lease; a job whose lease ran out (its worker died)
//! is claimed again. On PostgreSQL, `for update skip locked` lets several processes share it.

use sqlx::AnyConnection;

use super::{Job, Schedule};
use crate::server::{now_ms, Backend, Db, StoreError};

pub struct NewJob<'a> {
    pub id: &'a str,
    pub tenant_id: Option<&'a str>,
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub run_at: i64,
    pub max_attempts: i64,
    /// Higher runs first among due jobs.
    pub priority: i64,
}

pub async fn enqueue(conn: &mut AnyConnection, job: NewJob<'_>) -> Result<(), StoreError> {
    let now = now_ms();
    sqlx::query(
        "insert into jobs (id, tenant_id, kind, payload, status, priority, run_at, attempts, max_attempts, \
         created_at, updated_at) values ($1, $2, $3, $4, 'queued', $8, $5, 0, $6, $7, $7)",
    )
    .bind(job.id)
    .bind(job.tenant_id)
    .bind(job.kind)
    .bind(job.payload.to_string())
    .bind(job.run_at)
    .bind(job.max_attempts)
    .bind(now)
    .bind(job.priority)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Claims the most urgent due job for `lease_ms` on behalf of `worker` (a process), or
/// None when nothing is due.
pub async fn claim(db: &Db, worker: &str, lease_ms: i64) -> Result<Option<Job>, StoreError> {
    let now = now_ms();
    let lock = match db.backend {
        Backend::Postgres => "for update skip locked",
        Backend::Sqlite => "",
    };
    Ok(sqlx::query_as(&format!(
        "update jobs set status = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2, \
         locked_by = $3 \
         where id = (select id from jobs \
                     where (status = 'queued' and run_at <= $2) or (status = 'running' and lease_until < $2) \
                     order by priority desc, run_at, id limit 1 {lock}) \
         returning id, tenant_id, kind, payload, attempts, max_attempts"
    ))
    .bind(now + lease_ms)
    .bind(now)
    .bind(worker)
    .fetch_optional(&db.pool)
    .await?)
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

/// Adds a recurring job; its first run is the next time `cron` names. The error is a
/// sentence about the expression.
pub async fn add_schedule(
    db: &Db,
    tenant_id: Option<&str>,
    kind: &str,
    cron: &str,
    payload: serde_json::Value,
) -> Result<Schedule, StoreError> {
    let now = now_ms();
    let next_run_at = super::next_run(cron, now).map_err(StoreError::Invalid)?;
    let schedule = Schedule {
        id: crate::server::new_id(),
        tenant_id: tenant_id.map(str::to_string),
        kind: kind.to_string(),
        cron: cron.trim().to_string(),
        payload,
        next_run_at,
        last_run_at: None,
    };
    sqlx::query(
        "insert into schedules (id, tenant_id, kind, cron, payload, next_run_at, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&schedule.id)
    .bind(&schedule.tenant_id)
    .bind(&schedule.kind)
    .bind(&schedule.cron)
    .bind(schedule.payload.to_string())
    .bind(schedule.next_run_at)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(schedule)
}

/// The schedule of `kind` for a tenant (or the global one), if there is one.
pub async fn schedule_of(
    db: &Db,
    tenant_id: Option<&str>,
    kind: &str,
) -> Result<Option<Schedule>, StoreError> {
    Ok(sqlx::query_as(
        "select id, tenant_id, kind, cron, payload, next_run_at, last_run_at from schedules \
         where kind = $1 and (tenant_id = $2 or (tenant_id is null and $2 is null))",
    )
    .bind(kind)
    .bind(tenant_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// Enqueues a job for every schedule that is due, and moves each to its next time. A
/// run is enqueued by whichever process moves the schedule on first: the others see it
/// moved and enqueue nothing. Returns the jobs enqueued.
pub async fn enqueue_due(db: &Db) -> Result<Vec<Job>, StoreError> {
    let now = now_ms();
    let schedules: Vec<Schedule> = sqlx::query_as(
        "select id, tenant_id, kind, cron, payload, next_run_at, last_run_at from schedules \
         where next_run_at <= $1 order by next_run_at limit 100",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let mut enqueued = Vec::new();
    for schedule in schedules {
        // A run missed while everything was down is made up once, not once per missed time.
        let next = match super::next_run(&schedule.cron, now) {
            Ok(next) => next,
            Err(problem) => {
                tracing::error!(schedule = %schedule.id, problem, "unusable schedule");
                continue;
            }
        };
        let mut tx = db.begin().await?;
        let moved = sqlx::query(
            "update schedules set next_run_at = $1, last_run_at = $2 where id = $3 and next_run_at = $4",
        )
        .bind(next)
        .bind(now)
        .bind(&schedule.id)
        .bind(schedule.next_run_at)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            continue; // another process took this run
        }
        let mut payload = schedule.payload.clone();
        if let Some(object) = payload.as_object_mut() {
            object.insert("schedule_id".into(), schedule.id.clone().into());
            object.insert("scheduled_for".into(), schedule.next_run_at.into());
        }
        let job = Job {
            id: crate::server::new_id(),
            tenant_id: schedule.tenant_id.clone(),
            kind: schedule.kind.clone(),
            payload,
            attempts: 0,
            max_attempts: 3,
        };
        enqueue(
            &mut tx,
            NewJob {
                id: &job.id,
                tenant_id: job.tenant_id.as_deref(),
                kind: &job.kind,
                payload: job.payload.clone(),
                run_at: now,
                max_attempts: job.max_attempts,
                priority: 0,
            },
        )
        .await?;
        tx.commit().await?;
        enqueued.push(job);
    }
    Ok(enqueued)
}

//! SQL for the task log and its events. A task change and its event are written in one
//! transaction, so the feed can never show a change the log does not have (or the reverse).

use sqlx::{AnyConnection, FromRow};

use super::{AgentTask, AgentTaskEvent, TaskStatus};
use crate::server::{now_ms, Db, StoreError};
use crate::signals::{commit, Signal};

const COLUMNS: &str =
    "id, campaign_id, worker_name, job_id, task_type, status, progress, summary, \
                       error, metadata, started_at, completed_at, created_at, updated_at";

pub struct NewTask<'a> {
    pub id: &'a str,
    pub task_type: &'a str,
    pub worker_name: &'a str,
    pub job_id: Option<&'a str>,
    pub campaign_id: Option<&'a str>,
    /// Pending for work about to start; completed for something that happened at once.
    pub status: TaskStatus,
    pub progress: i64,
    pub summary: Option<&'a str>,
    pub metadata: serde_json::Value,
    /// The key an outside agent created it with.
    pub api_key_id: Option<&'a str>,
}

impl<'a> NewTask<'a> {
    /// Work that has not started yet.
    pub fn pending(id: &'a str, task_type: &'a str, worker_name: &'a str) -> Self {
        NewTask {
            id,
            task_type,
            worker_name,
            job_id: None,
            campaign_id: None,
            status: TaskStatus::Pending,
            progress: 0,
            summary: None,
            metadata: serde_json::json!({}),
            api_key_id: None,
        }
    }
}

/// Inserts a task and its first event, inside the caller's transaction; the caller
/// commits with `signals::commit(.., Signal::Feed)`.
pub async fn create_task(
    conn: &mut AnyConnection,
    tenant_id: &str,
    new: NewTask<'_>,
) -> Result<AgentTaskEvent, StoreError> {
    let now = now_ms();
    let started = (new.status != TaskStatus::Pending).then_some(now);
    let completed = new.status.is_finished().then_some(now);
    let task: AgentTask = sqlx::query_as(&format!(
        "insert into agent_tasks (tenant_id, id, campaign_id, worker_name, job_id, task_type, status, \
         progress, summary, metadata, started_at, completed_at, created_at, updated_at, api_key_id) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) returning {COLUMNS}"
    ))
    .bind(tenant_id)
    .bind(new.id)
    .bind(new.campaign_id)
    .bind(new.worker_name)
    .bind(new.job_id)
    .bind(new.task_type)
    .bind(new.status.as_str())
    .bind(new.progress.clamp(0, 100))
    .bind(new.summary)
    .bind(new.metadata.to_string())
    .bind(started)
    .bind(completed)
    .bind(now)
    .bind(new.api_key_id)
    .fetch_one(&mut *conn)
    .await?;
    record_event(conn, tenant_id, task).await
}

/// Starts a task on its own (an outside agent reporting through the API).
pub async fn start_task(
    db: &Db,
    tenant_id: &str,
    new: NewTask<'_>,
) -> Result<AgentTaskEvent, StoreError> {
    let mut tx = db.begin().await?;
    let event = create_task(&mut tx, tenant_id, new).await?;
    commit(db, tx, Signal::Feed).await?;
    Ok(event)
}

/// A change to a task; `None` fields stay as they are.
#[derive(Default)]
pub struct TaskUpdate {
    pub status: Option<TaskStatus>,
    pub progress: Option<i64>,
    pub summary: Option<String>,
    pub error: Option<String>,
    pub metadata: Option<serde_json::Value>,
}

pub async fn update_task(
    db: &Db,
    tenant_id: &str,
    task_id: &str,
    update: TaskUpdate,
) -> Result<AgentTaskEvent, StoreError> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    let status = update.status.map(|s| s.as_str());
    let finished = update.status.map(|s| s.is_finished()).unwrap_or(false);
    let started = update.status == Some(TaskStatus::Running);
    let metadata = update
        .metadata
        .map(|m| serde_json::to_string(&m))
        .transpose()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let task: Option<AgentTask> = sqlx::query_as(&format!(
        "update agent_tasks set \
           status = coalesce($3, status), \
           progress = coalesce($4, progress), \
           summary = coalesce($5, summary), \
           error = coalesce($6, error), \
           metadata = coalesce($7, metadata), \
           started_at = case when $8 = 1 and started_at is null then $10 else started_at end, \
           completed_at = case when $9 = 1 then $10 else completed_at end, \
           updated_at = $10 \
         where tenant_id = $1 and id = $2 returning {COLUMNS}"
    ))
    .bind(tenant_id)
    .bind(task_id)
    .bind(status)
    .bind(update.progress.map(|p| p.clamp(0, 100)))
    .bind(update.summary)
    .bind(update.error)
    .bind(metadata)
    .bind(started as i64)
    .bind(finished as i64)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let task = task.ok_or_else(|| StoreError::NotFound("The task".into()))?;
    let event = record_event(&mut tx, tenant_id, task).await?;
    commit(db, tx, Signal::Feed).await?;
    Ok(event)
}

/// The advisory lock class that orders a tenant's event writes on PostgreSQL (the
/// tenant is the lock's second key).
pub const EVENT_LOG_LOCK: i32 = 0x6269_7a6f; // "bizo"

/// Logs the task as it now is (as the write that changed it returned it).
async fn record_event(
    conn: &mut AnyConnection,
    tenant_id: &str,
    task: AgentTask,
) -> Result<AgentTaskEvent, StoreError> {
    let json = serde_json::to_string(&task).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    // A stream reads its tenant's log in id order and never looks back, so a tenant's
    // events must become visible in id order. PostgreSQL hands out ids before commit,
    // and two writers can commit out of order; a lock per tenant, held to the end of the
    // transaction, lines up that tenant's writers while other tenants write at once (the
    // hub watches for ids that commit late: see `hub`). The insert reads its row from a
    // subquery that takes the lock, so the lock is held before the id is drawn, in the
    // same round trip (a subquery calling a volatile function is never folded away).
    // SQLite has one writer already.
    let postgres = conn.backend_name() == "PostgreSQL";
    let insert = if postgres {
        "insert into agent_task_events (tenant_id, task_id, task, created_at) \
         select $1, $2, $3, $4 from (select pg_advisory_xact_lock($5, hashtext($1))) as locked \
         returning id"
    } else {
        "insert into agent_task_events (tenant_id, task_id, task, created_at) \
         values ($1, $2, $3, $4) returning id"
    };
    let mut query = sqlx::query_scalar(insert)
        .bind(tenant_id)
        .bind(&task.id)
        .bind(json)
        .bind(now_ms());
    if postgres {
        query = query.bind(EVENT_LOG_LOCK);
    }
    let id: i64 = query.fetch_one(&mut *conn).await?;
    Ok(AgentTaskEvent {
        id,
        tenant_id: tenant_id.to_string(),
        task,
    })
}

/// A task an outside agent started (through an API key) of this tenant.
pub async fn reported_task(db: &Db, tenant_id: &str, id: &str) -> Result<AgentTask, StoreError> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from agent_tasks where tenant_id = $1 and id = $2 and api_key_id is not null"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| StoreError::NotFound("The task".into()))
}

/// The tenant's tasks with these ids, in the order of `ids` (unknown ones left out).
pub async fn tasks_by_ids(
    db: &Db,
    tenant_id: &str,
    ids: &[String],
) -> Result<Vec<AgentTask>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|n| format!("${}", n + 2)).collect();
    let sql = format!(
        "select {COLUMNS} from agent_tasks where tenant_id = $1 and id in ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, AgentTask>(&sql).bind(tenant_id);
    for id in ids {
        query = query.bind(id);
    }
    let mut tasks = query.fetch_all(&db.pool).await?;
    tasks.sort_by_key(|task| ids.iter().position(|id| *id == task.id));
    Ok(tasks)
}

pub async fn recent_tasks(
    db: &Db,
    tenant_id: &str,
    limit: i64,
) -> Result<Vec<AgentTask>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from agent_tasks where tenant_id = $1 order by created_at desc, id desc limit $2"
    ))
    .bind(tenant_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn last_event_id(db: &Db, tenant_id: &str) -> Result<i64, StoreError> {
    let id: Option<i64> =
        sqlx::query_scalar("select max(id) from agent_task_events where tenant_id = $1")
            .bind(tenant_id)
            .fetch_one(&db.pool)
            .await?;
    Ok(id.unwrap_or(0))
}

/// The tenant's events after `after`, oldest first (what a reconnecting stream missed).
pub async fn events_after(
    db: &Db,
    tenant_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<AgentTaskEvent>, StoreError> {
    Ok(sqlx::query_as(
        "select id, tenant_id, task from agent_task_events where tenant_id = $1 and id > $2 \
         order by id limit $3",
    )
    .bind(tenant_id)
    .bind(after)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// Every tenant's events after `after`, and those among `late` (ids below it not seen
/// yet), oldest first: what the process's feed hub hands out to open streams.
pub async fn events_after_or_among(
    db: &Db,
    after: i64,
    late: &[i64],
    limit: i64,
) -> Result<Vec<AgentTaskEvent>, StoreError> {
    // Two reads in one statement: `id > $1 or id in (...)` makes PostgreSQL scan far
    // more of the log than either part (milliseconds a read, not microseconds).
    let among = if late.is_empty() {
        String::new()
    } else {
        format!(
            " union all select id, tenant_id, task from agent_task_events where id in ({})",
            crate::server::db::placeholders(3, late.len())
        )
    };
    let sql = format!(
        "select id, tenant_id, task from (select id, tenant_id, task from agent_task_events \
         where id > $1 order by id limit $2) newer{among} order by id"
    );
    let mut query = sqlx::query_as(&sql).bind(after).bind(limit);
    for id in late {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

pub async fn newest_event_id(db: &Db) -> Result<i64, StoreError> {
    let id: Option<i64> = sqlx::query_scalar("select max(id) from agent_task_events")
        .fetch_one(&db.pool)
        .await?;
    Ok(id.unwrap_or(0))
}

pub async fn feed_page(db: &Db, tenant_id: &str) -> Result<super::FeedPage, StoreError> {
    // Read the event id first: anything written after it is replayed by the stream.
    let last_event_id = last_event_id(db, tenant_id).await?;
    let tasks = recent_tasks(db, tenant_id, super::FEED_PAGE_SIZE).await?;
    Ok(super::FeedPage {
        tasks,
        last_event_id,
    })
}

/// Queues a job to run at `run_at` (unix ms) and creates the pending task that reports
/// on it, in one transaction. The job kind is the task type; the job payload gets the
/// task id added.
pub async fn create_task_with_job(
    db: &Db,
    tenant_id: &str,
    work: &crate::jobs::JobKind,
    run_at: i64,
) -> Result<AgentTaskEvent, StoreError> {
    let task_id = crate::server::new_id();
    let job_id = crate::server::new_id();
    let (task_type, mut payload) = work.to_row();
    if let Some(object) = payload.as_object_mut() {
        object.insert("task_id".into(), serde_json::Value::String(task_id.clone()));
    }
    let mut tx = db.begin().await?;
    crate::jobs::store::enqueue(
        &mut tx,
        crate::jobs::store::NewJob {
            id: &job_id,
            tenant_id: Some(tenant_id),
            kind: task_type,
            payload,
            run_at,
            max_attempts: work.retry().max_attempts,
            priority: 0,
        },
    )
    .await?;
    let event = create_task(
        &mut tx,
        tenant_id,
        NewTask {
            job_id: Some(&job_id),
            ..NewTask::pending(&task_id, task_type, work.worker())
        },
    )
    .await?;
    commit(db, tx, Signal::Feed).await?;
    Ok(event)
}

/// A page of the tenant's tasks, newest first, narrowed by `filter`.
pub async fn history(
    db: &Db,
    tenant_id: &str,
    filter: &super::TaskFilter,
) -> Result<super::HistoryPage, StoreError> {
    use super::HISTORY_PAGE_SIZE;
    let day = |text: &Option<String>, what: &str| -> Result<Option<i64>, StoreError> {
        let Some(text) = text.as_deref().filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|start| Some(start.and_utc().timestamp_millis()))
            .ok_or_else(|| {
                StoreError::Invalid(format!("The {what} date must look like 2026-11-22."))
            })
    };
    let mut conditions = crate::server::db::Conditions::default();
    conditions.and("tenant_id =", tenant_id);
    if let Some(from) = day(&filter.from, "from")? {
        conditions.and("created_at >=", from);
    }
    if let Some(until) = day(&filter.until, "until")? {
        conditions.and("created_at <", until + 86_400_000);
    }
    for (column, value) in [
        ("task_type =", filter.task_type.clone()),
        ("status =", filter.status.map(|s| s.as_str().to_string())),
        ("campaign_id =", filter.campaign_id.clone()),
    ] {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            conditions.and(column, value);
        }
    }
    let clause = conditions.sql();
    let count_sql = format!("select count(*) from agent_tasks where {clause}");
    let total: i64 = conditions
        .bind(sqlx::query_scalar(&count_sql))
        .fetch_one(&db.pool)
        .await?;
    let pages = ((total + HISTORY_PAGE_SIZE - 1) / HISTORY_PAGE_SIZE).max(1);
    let page = filter.page.clamp(1, pages);
    let page_sql = format!(
        "select {COLUMNS} from agent_tasks where {clause} \
         order by created_at desc, id desc limit {HISTORY_PAGE_SIZE} offset {}",
        (page - 1) * HISTORY_PAGE_SIZE
    );
    let rows = conditions
        .bind_rows(sqlx::query(&page_sql))
        .fetch_all(&db.pool)
        .await?;
    let tasks = rows
        .iter()
        .map(AgentTask::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let task_types = sqlx::query_scalar(
        "select distinct task_type from agent_tasks where tenant_id = $1 order by task_type",
    )
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    let campaigns = sqlx::query_scalar(
        "select distinct campaign_id from agent_tasks where tenant_id = $1 \
         and campaign_id is not null order by campaign_id",
    )
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(super::HistoryPage {
        tasks,
        total,
        page,
        pages,
        task_types,
        campaigns,
    })
}

/// Runs a failed task's job again from its first attempt; the task is pending again.
pub async fn retry(db: &Db, tenant_id: &str, task_id: &str) -> Result<AgentTaskEvent, StoreError> {
    let mut tx = db.begin().await?;
    let task: AgentTask = sqlx::query_as(&format!(
        "select {COLUMNS} from agent_tasks where tenant_id = $1 and id = $2"
    ))
    .bind(tenant_id)
    .bind(task_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| StoreError::NotFound("The task".into()))?;
    if task.status != TaskStatus::Failed {
        return Err(StoreError::Conflict(
            "Only a failed task can be retried.".into(),
        ));
    }
    let Some(job_id) = task.job_id else {
        return Err(StoreError::Conflict(
            "An outside agent reported this task; retry it from that agent.".into(),
        ));
    };
    let now = now_ms();
    let requeued = sqlx::query(
        "update jobs set status = 'queued', attempts = 0, run_at = $3, last_error = null, \
         lease_until = null, updated_at = $3 where tenant_id = $1 and id = $2 and status = 'failed'",
    )
    .bind(tenant_id)
    .bind(&job_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if requeued.rows_affected() != 1 {
        return Err(StoreError::Conflict(
            "The job behind this task cannot be run again.".into(),
        ));
    }
    let task: AgentTask = sqlx::query_as(&format!(
        "update agent_tasks set status = 'pending', progress = 0, error = null, \
         summary = 'Retrying…', started_at = null, completed_at = null, updated_at = $3 \
         where tenant_id = $1 and id = $2 returning {COLUMNS}"
    ))
    .bind(tenant_id)
    .bind(task_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let event = record_event(&mut tx, tenant_id, task).await?;
    commit(db, tx, Signal::Feed).await?;
    Ok(event)
}

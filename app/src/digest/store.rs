//! SQL of the digest: a tenant's week in numbers, its owners, and the outbox.

use super::{OutboxMessage, WeekOfWork};
use crate::server::{new_id, now_ms, Db, StoreError};

/// Every tenant that has a site (not the platform itself): id and name.
pub async fn tenants(db: &Db) -> Result<Vec<(String, String)>, StoreError> {
    Ok(
        sqlx::query_as("select id, name from tenants where is_platform = 0 order by slug")
            .fetch_all(&db.pool)
            .await?,
    )
}

pub async fn owner_emails(db: &Db, tenant_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "select u.email from memberships m join users u on u.id = m.user_id \
         where m.tenant_id = $1 and m.role = 'owner' order by u.email",
    )
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?)
}

/// What the tenant's agents finished since `since` (unix ms).
pub async fn week_of_work(db: &Db, tenant_id: &str, since: i64) -> Result<WeekOfWork, StoreError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "select task_type, status, count(*) as n from agent_tasks \
         where tenant_id = $1 and created_at >= $2 and status in ('completed', 'failed') \
         group by task_type, status",
    )
    .bind(tenant_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    let mut week = WeekOfWork::default();
    for (task_type, status, n) in rows {
        if status == "failed" {
            week.failed += n;
            continue;
        }
        if task_type == "lead_captured" {
            week.leads += n;
        }
        week.by_type.push((task_type, n));
    }
    week.by_type
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(week)
}

/// Keeps a message: sent (`sent_at`), or not (`error` says why, or nothing when no mail
/// server is configured).
pub async fn keep(
    db: &Db,
    tenant_id: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    sent: bool,
    error: Option<&str>,
) -> Result<OutboxMessage, StoreError> {
    let now = now_ms();
    let message = OutboxMessage {
        id: new_id(),
        recipient: recipient.to_string(),
        subject: subject.to_string(),
        body: body.to_string(),
        created_at: now,
        sent_at: sent.then_some(now),
        error: error.map(str::to_string),
    };
    sqlx::query(
        "insert into outbox (tenant_id, id, recipient, subject, body, created_at, sent_at, error) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenant_id)
    .bind(&message.id)
    .bind(&message.recipient)
    .bind(&message.subject)
    .bind(&message.body)
    .bind(message.created_at)
    .bind(message.sent_at)
    .bind(&message.error)
    .execute(&db.pool)
    .await?;
    Ok(message)
}

pub async fn outbox(db: &Db, tenant_id: &str) -> Result<Vec<OutboxMessage>, StoreError> {
    Ok(sqlx::query_as(
        "select id, recipient, subject, body, created_at, sent_at, error from outbox \
         where tenant_id = $1 and kind = 'digest' order by created_at desc, id desc limit 20",
    )
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?)
}

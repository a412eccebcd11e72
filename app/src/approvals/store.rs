//! SQL of proposals, and the language-model usage count.

use sqlx::AnyConnection;

use super::{Change, Proposal, ProposalStatus};
use crate::server::{new_id, now_ms, Db, StoreError};

const COLUMNS: &str = "id, task_id, title, content, note, status, reason, decided_by, \
                       decided_at, result_id, created_at";

/// Records a proposal waiting for approval, inside the caller's transaction.
pub async fn propose(
    conn: &mut AnyConnection,
    tenant_id: &str,
    task_id: Option<&str>,
    title: &str,
    change: Change,
    note: &str,
) -> Result<Proposal, StoreError> {
    let proposal = Proposal {
        id: new_id(),
        task_id: task_id.map(str::to_string),
        title: title.to_string(),
        change,
        note: note.to_string(),
        status: ProposalStatus::Pending,
        reason: None,
        decided_by: None,
        decided_at: None,
        result_id: None,
        created_at: now_ms(),
    };
    sqlx::query(
        "insert into proposals (tenant_id, id, task_id, kind, title, content, note, status, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)",
    )
    .bind(tenant_id)
    .bind(&proposal.id)
    .bind(&proposal.task_id)
    .bind(proposal.change.kind())
    .bind(&proposal.title)
    .bind(serde_json::to_string(&proposal.change).map_err(|e| StoreError::Corrupt(e.to_string()))?)
    .bind(&proposal.note)
    .bind(proposal.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(proposal)
}

/// Whether a proposal for this page's meta description already waits.
pub async fn meta_description_pending(
    db: &Db,
    tenant_id: &str,
    page_id: &str,
) -> Result<bool, StoreError> {
    let contents: Vec<String> = sqlx::query_scalar(
        "select content from proposals where tenant_id = $1 and kind = 'meta_description' and status = 'pending'",
    )
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(contents.iter().any(|c| {
        matches!(serde_json::from_str::<Change>(c), Ok(Change::MetaDescription { page_id: p, .. }) if p == page_id)
    }))
}

/// Pending proposals first (oldest first), then the latest decided ones.
pub async fn proposals(db: &Db, tenant_id: &str) -> Result<Vec<Proposal>, StoreError> {
    let mut pending: Vec<Proposal> = sqlx::query_as(&format!(
        "select {COLUMNS} from proposals where tenant_id = $1 and status = 'pending' \
         order by created_at, id"
    ))
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    let decided: Vec<Proposal> = sqlx::query_as(&format!(
        "select {COLUMNS} from proposals where tenant_id = $1 and status <> 'pending' \
         order by decided_at desc, id desc limit 20"
    ))
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    pending.extend(decided);
    Ok(pending)
}

pub async fn proposal(db: &Db, tenant_id: &str, id: &str) -> Result<Proposal, StoreError> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from proposals where tenant_id = $1 and id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| StoreError::NotFound("The proposal".into()))
}

/// Marks a pending proposal decided; only one decision wins (a second is a conflict).
pub async fn decide(
    db: &Db,
    tenant_id: &str,
    id: &str,
    status: ProposalStatus,
    reason: Option<&str>,
    decided_by: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "update proposals set status = $3, reason = $4, decided_by = $5, decided_at = $6 \
         where tenant_id = $1 and id = $2 and status = 'pending'",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(status.as_str())
    .bind(reason)
    .bind(decided_by)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        proposal(db, tenant_id, id).await?;
        return Err(StoreError::Conflict(
            "Someone decided on this proposal already.".into(),
        ));
    }
    Ok(())
}

/// Undoes an approval whose result could not be made (so it can be decided again).
pub async fn reopen(db: &Db, tenant_id: &str, id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "update proposals set status = 'pending', reason = null, decided_by = null, decided_at = null \
         where tenant_id = $1 and id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn set_result(
    db: &Db,
    tenant_id: &str,
    id: &str,
    result_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("update proposals set result_id = $3 where tenant_id = $1 and id = $2")
        .bind(tenant_id)
        .bind(id)
        .bind(result_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Counts one language-model call and its tokens for the tenant, today (UTC).
pub async fn count_llm_call(
    db: &Db,
    tenant_id: &str,
    prompt_tokens: i64,
    completion_tokens: i64,
) -> Result<(), StoreError> {
    let day = crate::time::iso_date(now_ms());
    sqlx::query(
        "insert into llm_usage (tenant_id, day, calls, prompt_tokens, completion_tokens) \
         values ($1, $2, 1, $3, $4) on conflict (tenant_id, day) do update set \
         calls = llm_usage.calls + 1, prompt_tokens = llm_usage.prompt_tokens + excluded.prompt_tokens, \
         completion_tokens = llm_usage.completion_tokens + excluded.completion_tokens",
    )
    .bind(tenant_id)
    .bind(day)
    .bind(prompt_tokens)
    .bind(completion_tokens)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Calls and tokens (prompt, completion) the tenant has used, in all.
pub async fn llm_usage(db: &Db, tenant_id: &str) -> Result<(i64, i64, i64), StoreError> {
    Ok(sqlx::query_as(
        // PostgreSQL sums bigints as numeric, which the Any driver cannot read.
        "select cast(coalesce(sum(calls), 0) as bigint) as calls, \
         cast(coalesce(sum(prompt_tokens), 0) as bigint) as prompt, \
         cast(coalesce(sum(completion_tokens), 0) as bigint) as completion \
         from llm_usage where tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_one(&db.pool)
    .await?)
}

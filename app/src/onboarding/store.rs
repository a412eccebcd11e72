//! SQL for the welcome wizard: one row per tenant that has started it.

use super::{Answers, BuildSite, Stage, STEPS};
use crate::activity::store::{create_task, NewTask};
use crate::jobs::JobKind;
use crate::server::{new_id, now_ms, Db, StoreError};
use crate::signals::{commit, Signal};

/// The answers so far, the stage and the last build's step tasks (none before one);
/// None when the wizard was never offered (a business made before it existed).
pub async fn state(
    db: &Db,
    tenant_id: &str,
) -> Result<Option<(Answers, Stage, Vec<String>)>, StoreError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("select answers, stage, steps from onboarding where tenant_id = $1")
            .bind(tenant_id)
            .fetch_optional(&db.pool)
            .await?;
    let Some((answers, stage, steps)) = row else {
        return Ok(None);
    };
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("onboarding: {e}"));
    let answers = serde_json::from_str(&answers).map_err(corrupt)?;
    let steps = serde_json::from_str(&steps).map_err(corrupt)?;
    let stage = Stage::parse(&stage)
        .ok_or_else(|| StoreError::Corrupt(format!("onboarding stage {stage:?}")))?;
    Ok(Some((answers, stage, steps)))
}

/// Offers the wizard to a new business.
pub async fn offer(db: &Db, tenant_id: &str) -> Result<(), StoreError> {
    let mut conn = db.pool.acquire().await?;
    upsert(
        &mut conn,
        tenant_id,
        &Answers::default(),
        Stage::Answering,
        None,
    )
    .await
}

async fn upsert(
    conn: &mut sqlx::AnyConnection,
    tenant_id: &str,
    answers: &Answers,
    stage: Stage,
    steps: Option<&[String]>,
) -> Result<(), StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("onboarding: {e}"));
    let answers = serde_json::to_string(answers).map_err(corrupt)?;
    let steps = steps
        .map(serde_json::to_string)
        .transpose()
        .map_err(corrupt)?;
    sqlx::query(
        "insert into onboarding (tenant_id, answers, stage, steps, updated_at) \
         values ($1, $2, $3, coalesce($4, '[]'), $5) on conflict (tenant_id) do update set \
         answers = excluded.answers, stage = excluded.stage, \
         steps = coalesce($4, onboarding.steps), updated_at = excluded.updated_at",
    )
    .bind(tenant_id)
    .bind(answers)
    .bind(stage.as_str())
    .bind(steps)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Keeps the answers given so far (the wizard resumes from them).
pub async fn save_answers(db: &Db, tenant_id: &str, answers: &Answers) -> Result<(), StoreError> {
    let mut conn = db.pool.acquire().await?;
    upsert(&mut conn, tenant_id, answers, Stage::Answering, None).await
}

pub async fn set_stage(db: &Db, tenant_id: &str, stage: Stage) -> Result<(), StoreError> {
    let changed =
        sqlx::query("update onboarding set stage = $2, updated_at = $3 where tenant_id = $1")
            .bind(tenant_id)
            .bind(stage.as_str())
            .bind(now_ms())
            .execute(&db.pool)
            .await?;
    if changed.rows_affected() == 0 {
        let mut conn = db.pool.acquire().await?;
        upsert(&mut conn, tenant_id, &Answers::default(), stage, None).await?;
    }
    Ok(())
}

/// Starts the build in one transaction: the answers and stage, the job, and a pending
/// task per step in one campaign (so the feed groups them). A build already under way
/// is refused.
pub async fn start_build(db: &Db, tenant_id: &str, answers: &Answers) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let stage: Option<String> =
        sqlx::query_scalar("select stage from onboarding where tenant_id = $1")
            .bind(tenant_id)
            .fetch_optional(&mut *tx)
            .await?;
    if stage.as_deref() == Some(Stage::Building.as_str()) {
        return Err(StoreError::Conflict(
            "Your site is being built already.".into(),
        ));
    }
    let campaign = "Building your site";
    let steps: Vec<String> = STEPS.iter().map(|_| new_id()).collect();
    let job_id = new_id();
    let work = JobKind::BuildSite(BuildSite {
        steps: steps.clone(),
    });
    let (kind, payload) = work.to_row();
    crate::jobs::store::enqueue(
        &mut tx,
        crate::jobs::store::NewJob {
            id: &job_id,
            tenant_id: Some(tenant_id),
            kind,
            payload,
            run_at: now_ms(),
            max_attempts: work.retry().max_attempts,
            // Ahead of routine work: someone is watching the wizard.
            priority: 10,
        },
    )
    .await?;
    for (id, (task_type, _)) in steps.iter().zip(STEPS) {
        create_task(
            &mut tx,
            tenant_id,
            NewTask {
                job_id: Some(&job_id),
                campaign_id: Some(campaign),
                ..NewTask::pending(id, task_type, work.worker())
            },
        )
        .await?;
    }
    upsert(&mut tx, tenant_id, answers, Stage::Building, Some(&steps)).await?;
    commit(db, tx, Signal::Feed).await?;
    Ok(())
}

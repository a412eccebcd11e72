//! The domain check: looks for a custom domain's TXT record and, once found, serves the
//! tenant's site there. Not found is retried with backoff (DNS takes time to spread).

use app::activity::{store as tasks, TaskStatus};
use app::domains::{dns, store as domains};
use app::jobs::Job;
use app::server::{AppState, StoreError};

pub async fn run(state: &AppState, job: &Job) -> Result<(), String> {
    let tenant_id = job
        .tenant_id
        .as_deref()
        .ok_or("The domain check needs a tenant.")?;
    let task_id = super::task_id(job).ok_or("The domain check job has no task.")?;
    let host = job
        .payload
        .get("host")
        .and_then(|v| v.as_str())
        .ok_or("The domain check job names no domain.")?;
    let domain = match domains::domain(&state.db, tenant_id, host).await {
        Ok(domain) => domain,
        Err(StoreError::NotFound(_)) => {
            return finish(
                state,
                tenant_id,
                task_id,
                format!("{host} was removed; nothing to check."),
            )
            .await
        }
        Err(err) => return Err(format!("could not read the domain: {err}")),
    };
    let update = tasks::TaskUpdate {
        status: Some(TaskStatus::Running),
        progress: Some(10),
        summary: Some(format!("Looking up {}…", domain.record_name())),
        ..Default::default()
    };
    let event = tasks::update_task(&state.db, tenant_id, task_id, update)
        .await
        .map_err(|e| format!("could not record progress: {e}"))?;
    state.feed_changed(&event.tenant_id).await;

    let outcome = dns::check(&domain, state.dns_server).await;
    let recorded = domains::record_check(&state.db, tenant_id, host, outcome.clone()).await;
    // Serving starts (or stops) on the next request, in every process.
    state.site_changed(tenant_id).await;
    match (outcome, recorded) {
        (Ok(()), Ok(domain)) => {
            tracing::info!(%host, "custom domain verified");
            finish(
                state,
                tenant_id,
                task_id,
                format!(
                    "{host} is verified: your site is served at {}.",
                    domain.canonical_host()
                ),
            )
            .await
        }
        (Ok(()), Err(StoreError::Conflict(message))) => {
            // Retrying cannot help; say so and stop.
            let update = tasks::TaskUpdate {
                status: Some(TaskStatus::Failed),
                error: Some(message),
                ..Default::default()
            };
            let event = tasks::update_task(&state.db, tenant_id, task_id, update)
                .await
                .map_err(|e| format!("could not record the result: {e}"))?;
            state.feed_changed(&event.tenant_id).await;
            Ok(())
        }
        (Ok(()), Err(err)) => Err(format!("could not record the check: {err}")),
        (Err(problem), _) => Err(problem),
    }
}

async fn finish(
    state: &AppState,
    tenant_id: &str,
    task_id: &str,
    summary: String,
) -> Result<(), String> {
    let update = tasks::TaskUpdate {
        status: Some(TaskStatus::Completed),
        progress: Some(100),
        summary: Some(summary),
        ..Default::default()
    };
    let event = tasks::update_task(&state.db, tenant_id, task_id, update)
        .await
        .map_err(|e| format!("could not record the result: {e}"))?;
    state.feed_changed(&event.tenant_id).await;
    Ok(())
}

//! Server functions of the activity feed.

use leptos::prelude::*;
use server_fn::codec::Json;

use super::{AgentTask, FeedPage, HistoryPage, TaskFilter};
use crate::error::AppError;

/// The newest tasks of the signed-in member's tenant, and the event id they are current to.
#[server(prefix = "/api", endpoint = "activity/feed")]
pub async fn load_feed_page() -> Result<FeedPage, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::feed_page(&state.db, &member.tenant_id).await?)
}

/// Queues the built-in site check for the member's tenant; it shows up in the feed at once.
#[server(prefix = "/api", endpoint = "activity/run_site_check")]
pub async fn run_site_check() -> Result<AgentTask, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let event = super::store::create_task_with_job(
        &state.db,
        &member.tenant_id,
        &crate::jobs::JobKind::SiteCheck(Default::default()),
        crate::server::now_ms(),
    )
    .await?;
    tracing::info!(tenant = %member.tenant_slug, task = %event.task.id, "site check queued");
    let task = event.task.clone();
    state.jobs_wakeup.notify_one();
    Ok(task)
}

/// A page of the tenant's task history, filtered.
#[server(prefix = "/api", endpoint = "activity/history", input = Json)]
pub async fn load_history(filter: TaskFilter) -> Result<HistoryPage, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::history(&state.db, &member.tenant_id, &filter).await?)
}

/// Runs a failed built-in task's job again.
#[server(prefix = "/api", endpoint = "activity/retry")]
pub async fn retry_task(id: String) -> Result<AgentTask, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let event = super::store::retry(&state.db, &member.tenant_id, &id).await?;
    state.jobs_wakeup.notify_one();
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, task = %id, "task retried");
    Ok(event.task)
}

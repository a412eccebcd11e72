//! Built-in agents: each job kind is run by one of these, reporting through its task.

pub mod domain_check;
pub mod drafting;
pub mod llm;
pub mod media_variants;
pub mod scheduled_publish;
pub mod site_check;
pub mod weekly_digest;

use app::activity::api::SITE_CHECK_TASK;
use app::activity::{store as tasks, TaskStatus};
use app::jobs::Job;
use app::server::AppState;

/// Runs the agent for a job; the error is a sentence for the task log.
pub async fn run(state: &AppState, job: &Job) -> Result<(), String> {
    match job.kind.as_str() {
        SITE_CHECK_TASK => site_check::run(state, job).await,
        app::domains::api::DOMAIN_CHECK_TASK => domain_check::run(state, job).await,
        app::cms::api::SCHEDULED_PUBLISH_TASK => scheduled_publish::run(state, job).await,
        app::media::api::MEDIA_VARIANTS_TASK => media_variants::run(state, job).await,
        app::approvals::DRAFT_POST_TASK => drafting::run(state, job).await,
        app::digest::WEEKLY_DIGEST_TASK => weekly_digest::run(state, job).await,
        other => Err(format!("No agent handles jobs of kind {other:?}.")),
    }
}

/// The task a job reports to, from its payload.
pub fn task_id(job: &Job) -> Option<&str> {
    job.payload.get("task_id").and_then(|v| v.as_str())
}

/// How an agent tells its task what it is doing: every call is a change to the task and
/// an event in the tenant's feed.
pub struct Reporter<'a> {
    state: &'a AppState,
    pub tenant_id: &'a str,
    pub task_id: &'a str,
}

impl<'a> Reporter<'a> {
    /// The reporter of a job that belongs to a tenant and has a task; `what` names the
    /// job in the error otherwise.
    pub fn for_job(state: &'a AppState, job: &'a Job, what: &str) -> Result<Self, String> {
        Ok(Reporter {
            state,
            tenant_id: job
                .tenant_id
                .as_deref()
                .ok_or_else(|| format!("{what} needs a tenant."))?,
            task_id: task_id(job).ok_or_else(|| format!("{what} has no task."))?,
        })
    }

    pub async fn update(&self, update: tasks::TaskUpdate) -> Result<(), String> {
        tasks::update_task(&self.state.db, self.tenant_id, self.task_id, update)
            .await
            .map_err(|e| format!("could not record progress: {e}"))?;
        self.state.feed_changed(self.tenant_id).await;
        Ok(())
    }

    /// Still at work: how far, and what it is doing now.
    pub async fn progress(&self, progress: i64, summary: impl Into<String>) -> Result<(), String> {
        self.update(tasks::TaskUpdate {
            status: Some(TaskStatus::Running),
            progress: Some(progress),
            summary: Some(summary.into()),
            ..Default::default()
        })
        .await
    }

    /// Finished: what came of it, and the report the dashboard shows.
    pub async fn done(
        &self,
        summary: impl Into<String>,
        report: Option<serde_json::Value>,
    ) -> Result<(), String> {
        self.update(tasks::TaskUpdate {
            status: Some(TaskStatus::Completed),
            progress: Some(100),
            summary: Some(summary.into()),
            metadata: report,
            ..Default::default()
        })
        .await
    }
}

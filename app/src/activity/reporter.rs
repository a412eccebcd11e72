//! How built-in agents tell their task what they are doing: every call is a change to
//! the task and an event in the tenant's feed.

use crate::activity::{store as tasks, TaskStatus};
use crate::jobs::{Job, JobError};
use crate::server::AppState;

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
    pub fn for_job(
        state: &'a AppState,
        job: &'a Job,
        what: &'static str,
    ) -> Result<Self, JobError> {
        match (job.tenant_id.as_deref(), job.task_id()) {
            (Some(tenant_id), Some(task_id)) => Ok(Reporter {
                state,
                tenant_id,
                task_id,
            }),
            _ => Err(JobError::Unaddressed { what }),
        }
    }

    /// The reporter of one task of a job that reports to several (the site builder's
    /// steps).
    pub fn for_task(state: &'a AppState, tenant_id: &'a str, task_id: &'a str) -> Self {
        Reporter {
            state,
            tenant_id,
            task_id,
        }
    }

    pub async fn update(&self, update: tasks::TaskUpdate) -> Result<(), JobError> {
        tasks::update_task(&self.state.db, self.tenant_id, self.task_id, update)
            .await
            .map_err(JobError::store("record progress"))?;
        Ok(())
    }

    /// Still at work: how far, and what it is doing now.
    pub async fn progress(
        &self,
        progress: i64,
        summary: impl Into<String>,
    ) -> Result<(), JobError> {
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
    ) -> Result<(), JobError> {
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

//! Built-in agents: each job kind is run by one of these, reporting through its task.

pub mod domain_check;
pub mod media_variants;
pub mod scheduled_publish;
pub mod site_check;

use app::activity::api::SITE_CHECK_TASK;
use app::jobs::Job;
use app::server::AppState;

/// Runs the agent for a job; the error is a sentence for the task log.
pub async fn run(state: &AppState, job: &Job) -> Result<(), String> {
    match job.kind.as_str() {
        SITE_CHECK_TASK => site_check::run(state, job).await,
        app::domains::api::DOMAIN_CHECK_TASK => domain_check::run(state, job).await,
        app::cms::api::SCHEDULED_PUBLISH_TASK => scheduled_publish::run(state, job).await,
        app::media::api::MEDIA_VARIANTS_TASK => media_variants::run(state, job).await,
        other => Err(format!("No agent handles jobs of kind {other:?}.")),
    }
}

/// The task a job reports to, from its payload.
pub fn task_id(job: &Job) -> Option<&str> {
    job.payload.get("task_id").and_then(|v| v.as_str())
}

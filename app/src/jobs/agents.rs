//! Which agent does each kind of job. Each agent lives in its feature's folder and
//! reports through its task (`activity::reporter`).

use super::{Job, JobError, JobKind};
use crate::server::AppState;

/// Runs the agent for a job; the error's message goes to the task.
pub async fn run(state: &AppState, job: &Job) -> Result<(), JobError> {
    match job.kind()? {
        JobKind::SiteCheck(_) => crate::sites::check::run(state, job).await,
        JobKind::DomainCheck(check) => crate::domains::check::run(state, job, &check).await,
        JobKind::ScheduledPublish(publish) => {
            crate::cms::scheduled::run(state, job, &publish).await
        }
        JobKind::MediaVariants(sizes) => crate::media::sizes::run(state, job, &sizes).await,
        JobKind::DraftPost(draft) => crate::approvals::writer::run(state, job, &draft).await,
        JobKind::WeeklyDigest(_) => crate::digest::send::run(state).await,
        JobKind::SendEmail(email) => crate::mail::send::run(state, &email).await,
        JobKind::BuildSite(build) => crate::onboarding::builder::run(state, job, &build).await,
    }
}

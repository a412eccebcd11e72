//! The job runner: claims due jobs from the database queue and runs the agent for each.
//! A job that fails is retried with backoff; a job whose process died is claimed again
//! once its lease runs out.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use app::activity::{store as tasks, TaskStatus};
use app::jobs::{store as queue, Job, JobKind, Retry};
use app::server::{now_ms, AppState};

/// How long a claimed job is ours before another worker may take it over.
const LEASE_MS: i64 = 5 * 60 * 1000;
/// How often the queue is checked when nobody wakes the runner.
const POLL: Duration = Duration::from_secs(1);
/// How long a running job may take to finish at shutdown before it is handed back.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

pub async fn run(state: AppState, shutdown: CancellationToken) {
    tracing::info!("job runner started");
    while !shutdown.is_cancelled() {
        match queue::claim(&state.db, &state.process_id, LEASE_MS).await {
            Ok(Some(job)) => run_one(&state, job, &shutdown).await,
            Ok(None) => {
                tokio::select! {
                    _ = state.jobs_wakeup.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                    _ = shutdown.cancelled() => {}
                }
            }
            Err(err) => {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "could not claim a job"
                );
                tokio::time::sleep(POLL).await;
            }
        }
    }
    tracing::info!("job runner stopped");
}

/// Enqueues the runs of recurring schedules as they come due (in every process that runs
/// jobs; each run is enqueued once).
pub async fn schedule(state: AppState, shutdown: CancellationToken) {
    ensure_platform_schedules(&state).await;
    loop {
        match queue::enqueue_due(&state.db).await {
            Ok(enqueued) => {
                for job in &enqueued {
                    tracing::info!(job = %job.id, kind = %job.kind, "scheduled run enqueued");
                    state.jobs_wakeup.notify_one();
                }
            }
            Err(err) => tracing::error!(
                error = &err as &dyn std::error::Error,
                "could not enqueue scheduled runs"
            ),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// The schedules every installation has: the weekly digest. Several processes may try at
/// once; a unique index keeps one.
async fn ensure_platform_schedules(state: &AppState) {
    let (kind, payload) = JobKind::WeeklyDigest(Default::default()).to_row();
    match queue::schedule_of(&state.db, None, kind).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            let cron = app::digest::WEEKLY_DIGEST_CRON;
            let added = queue::add_schedule(&state.db, None, kind, cron, payload).await;
            match added {
                Ok(schedule) => {
                    tracing::info!(next = schedule.next_run_at, "weekly digest scheduled")
                }
                Err(err) if err.is_unique_violation() => {}
                Err(err) => tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "could not schedule the weekly digest"
                ),
            }
        }
        Err(err) => tracing::error!(
            error = &err as &dyn std::error::Error,
            "could not read the schedules"
        ),
    }
}

#[tracing::instrument(skip_all, fields(job = %job.id, kind = %job.kind, tenant = job.tenant_id.as_deref().unwrap_or("-"), attempt = job.attempts))]
async fn run_one(state: &AppState, job: Job, shutdown: &CancellationToken) {
    if job.attempts > job.max_attempts {
        // Its worker died on the last allowed attempt.
        tracing::error!("job stopped responding too many times");
        finish_failed(state, &job, "The job stopped responding too many times.").await;
        return;
    }
    let work = app::jobs::agents::run(state, &job);
    tokio::pin!(work);
    let outcome = tokio::select! {
        outcome = &mut work => Some(outcome),
        _ = shutdown.cancelled() => {
            tokio::time::timeout(SHUTDOWN_GRACE, &mut work).await.ok()
        }
    };
    match outcome {
        Some(Ok(())) => {
            if let Err(err) = queue::complete(&state.db, &job.id).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "could not mark job done"
                );
            }
        }
        Some(Err(err)) if job.attempts < job.max_attempts => {
            let message = err.to_string();
            let retry = job.kind().map_or(Retry::DEFAULT, |kind| kind.retry());
            let wait = retry.wait_ms(job.attempts);
            tracing::warn!(
                error = &err as &dyn std::error::Error,
                retry_in_ms = wait,
                "job failed; will retry"
            );
            if let Err(err) = queue::fail(&state.db, &job.id, &message, Some(now_ms() + wait)).await
            {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "could not reschedule job"
                );
            }
            report(
                state,
                &job,
                TaskStatus::Pending,
                None,
                Some(format!(
                    "Attempt {} of {} failed ({message}). Next try at {}.",
                    job.attempts,
                    job.max_attempts,
                    app::time::day_time_label(now_ms() + wait)
                )),
            )
            .await;
        }
        Some(Err(err)) => {
            tracing::error!(
                error = &err as &dyn std::error::Error,
                "job failed for good"
            );
            finish_failed(state, &job, &err.to_string()).await
        }
        None => {
            tracing::warn!("job still running at shutdown; handing it back to the queue");
            if let Err(err) = queue::release(&state.db, &job.id).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "could not release job"
                );
            }
        }
    }
}

async fn finish_failed(state: &AppState, job: &Job, message: &str) {
    if let Err(err) = queue::fail(&state.db, &job.id, message, None).await {
        tracing::error!(
            error = &err as &dyn std::error::Error,
            "could not mark job failed"
        );
    }
    report(
        state,
        job,
        TaskStatus::Failed,
        Some(message.to_string()),
        None,
    )
    .await;
}

/// Updates the task that reports on this job, if it has one.
async fn report(
    state: &AppState,
    job: &Job,
    status: TaskStatus,
    error: Option<String>,
    summary: Option<String>,
) {
    // A job without a task (a global schedule's run) has nobody to tell.
    let Ok(reporter) = app::activity::reporter::Reporter::for_job(state, job, "The job") else {
        return;
    };
    let update = tasks::TaskUpdate {
        status: Some(status),
        error,
        summary,
        ..Default::default()
    };
    if let Err(err) = reporter.update(update).await {
        tracing::error!(
            error = &err as &dyn std::error::Error,
            "could not update task"
        );
    }
}

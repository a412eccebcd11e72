//! The weekly digest: a platform-wide job (Mondays, from a schedule) that tells each
//! tenant's owners what their agents did in the last 7 days, by email when a mail
//! server is configured, otherwise in the outbox on the settings page. Each tenant sees
//! it as a task in its feed.

use crate::activity::store::{start_task, NewTask, TaskUpdate};
use crate::activity::TaskStatus;
use crate::digest::store;
use crate::jobs::{JobError, JobKind};
use crate::server::{new_id, now_ms, AppState};

const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;

pub async fn run(state: &AppState) -> Result<(), JobError> {
    let digest = JobKind::WeeklyDigest(Default::default());
    let since = now_ms() - WEEK_MS;
    let dashboard = &state.public_url;
    let tenants = store::tenants(&state.db)
        .await
        .map_err(JobError::store("read the tenants"))?;
    for (tenant_id, name) in tenants {
        let task_id = new_id();
        start_task(
            &state.db,
            &tenant_id,
            NewTask::pending(&task_id, digest.name(), digest.worker()),
        )
        .await
        .map_err(JobError::store("start the digest"))?;
        let outcome = digest_one(state, &tenant_id, &name, since, dashboard).await;
        let update = match outcome {
            Ok(summary) => TaskUpdate {
                status: Some(TaskStatus::Completed),
                progress: Some(100),
                summary: Some(summary),
                ..Default::default()
            },
            Err(error) => TaskUpdate {
                status: Some(TaskStatus::Failed),
                error: Some(error.to_string()),
                ..Default::default()
            },
        };
        crate::activity::store::update_task(&state.db, &tenant_id, &task_id, update)
            .await
            .map_err(JobError::store("record the digest"))?;
    }
    Ok(())
}

/// Writes and sends (or keeps) one tenant's digest; the summary says what happened.
async fn digest_one(
    state: &AppState,
    tenant_id: &str,
    name: &str,
    since: i64,
    dashboard: &str,
) -> Result<String, JobError> {
    let week = store::week_of_work(&state.db, tenant_id, since)
        .await
        .map_err(JobError::store("count the week"))?;
    let (subject, body) = week.message(name, dashboard);
    let owners = store::owner_emails(&state.db, tenant_id)
        .await
        .map_err(JobError::store("read the owners"))?;
    if owners.is_empty() {
        return Ok("Weekly digest: this site has no owner to send it to.".into());
    }
    let mut failures = Vec::new();
    for owner in &owners {
        let (sent, error) = match &state.mail {
            Some(mail) => match crate::mail::send::deliver(
                mail,
                &crate::mail::Email {
                    to: owner.clone(),
                    subject: subject.clone(),
                    text: body.clone(),
                    html: String::new(),
                },
            )
            .await
            {
                Ok(()) => (true, None),
                Err(error) => {
                    failures.push(format!("{owner}: {error}"));
                    (false, Some(error))
                }
            },
            None => (false, None),
        };
        store::keep(
            &state.db,
            tenant_id,
            owner,
            &subject,
            &body,
            sent,
            error.as_deref(),
        )
        .await
        .map_err(JobError::store("keep the digest"))?;
    }
    match (&state.mail, failures.is_empty()) {
        (None, _) => Ok(format!(
            "Weekly digest written to the outbox for {} (no mail server is configured).",
            owners.join(", ")
        )),
        (Some(_), true) => Ok(format!("Weekly digest emailed to {}.", owners.join(", "))),
        (Some(_), false) => Err(JobError::Failed(format!(
            "The digest could not be sent: {}",
            failures.join("; ")
        ))),
    }
}

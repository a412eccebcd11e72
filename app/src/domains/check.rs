//! The domain check: looks for a custom domain's TXT record and, once found, serves the
//! tenant's site there. Not found is retried with backoff (DNS takes time to spread).

use crate::activity::{store as tasks, TaskStatus};
use crate::domains::DomainCheck;
use crate::domains::{dns, store as domains};
use crate::jobs::{Job, JobError, Retry};
use crate::server::{AppState, StoreError};

pub async fn run(state: &AppState, job: &Job, check: &DomainCheck) -> Result<(), JobError> {
    let report = crate::activity::reporter::Reporter::for_job(state, job, "The domain check")?;
    let tenant_id = report.tenant_id;
    let host = check.host.as_str();
    let domain = match domains::domain(&state.db, tenant_id, host).await {
        Ok(domain) => domain,
        Err(StoreError::NotFound(_)) => {
            return report
                .done(format!("{host} was removed; nothing to check."), None)
                .await
        }
        Err(err) => return Err(JobError::store("read the domain")(err)),
    };
    report
        .progress(10, format!("Looking up {}…", domain.record_name()))
        .await?;

    // Not found yet: say when the next look is, since the retries span hours.
    let retry = Retry::DOMAIN_CHECK;
    let outcome = dns::check(&domain, state.dns_server)
        .await
        .map_err(|problem| {
            if job.attempts < retry.max_attempts {
                let next = crate::server::now_ms() + retry.wait_ms(job.attempts);
                format!(
                    "{problem} We look again at {}; you can also press Check now.",
                    crate::time::day_time_label(next)
                )
            } else {
                format!(
                    "{problem} We stopped looking after {} tries; press Check now once the record is in place.",
                    retry.max_attempts
                )
            }
        });
    let recorded = domains::record_check(&state.db, tenant_id, host, outcome.clone()).await;
    match (outcome, recorded) {
        (Ok(()), Ok(domain)) => {
            tracing::info!(%host, "custom domain verified");
            report
                .done(
                    format!(
                        "{host} is verified: your site is served at {}.",
                        domain.canonical_host()
                    ),
                    None,
                )
                .await
        }
        (Ok(()), Err(StoreError::Conflict(message))) => {
            // Retrying cannot help; say so and stop.
            report
                .update(tasks::TaskUpdate {
                    status: Some(TaskStatus::Failed),
                    error: Some(message),
                    ..Default::default()
                })
                .await
        }
        (Ok(()), Err(err)) => Err(JobError::store("record the check")(err)),
        (Err(problem), _) => Err(JobError::Failed(problem)),
    }
}

//! Scheduled publishing: when its time comes, publishes the draft as it is then, in the
//! name of whoever scheduled it.

use crate::cms::store::{self, Actor};
use crate::cms::{with_content, Content, ScheduledPublish};
use crate::jobs::{Job, JobError};
use crate::server::{AppState, StoreError};

pub async fn run(
    state: &AppState,
    job: &Job,
    scheduled: &ScheduledPublish,
) -> Result<(), JobError> {
    let report = crate::activity::reporter::Reporter::for_job(state, job, "A scheduled publish")?;
    let tenant_id = report.tenant_id;
    let collection = scheduled.collection;
    let name = format!("{} (scheduled)", scheduled.user_name);
    let actor = Actor {
        user_id: Some(scheduled.user_id.as_str()).filter(|id| !id.is_empty()),
        name: &name,
    };
    let id = scheduled.id.as_str();
    let outcome = with_content!(collection, |C| {
        publish::<C>(state, tenant_id, actor, id).await
    });
    let summary = match outcome {
        Ok(title) => format!("Published “{title}” as scheduled."),
        Err(Outcome::Gone) => format!("The {collection} was deleted; nothing to publish."),
        Err(Outcome::Invalid(problems)) => {
            return Err(JobError::Failed(format!(
                "The draft cannot be published: {problems}"
            )))
        }
        Err(Outcome::Store(err)) => return Err(JobError::store("publish")(err)),
    };
    report.done(summary, None).await
}

enum Outcome {
    Gone,
    Invalid(String),
    Store(StoreError),
}

async fn publish<C: Content>(
    state: &AppState,
    tenant_id: &str,
    actor: Actor<'_>,
    id: &str,
) -> Result<String, Outcome> {
    let document = match store::document::<C>(&state.db, tenant_id, id).await {
        Ok(document) => document,
        Err(StoreError::NotFound(_)) => return Err(Outcome::Gone),
        Err(err) => return Err(Outcome::Store(err)),
    };
    let problems = document.draft.publish_problems();
    if !problems.is_empty() {
        return Err(Outcome::Invalid(problems.join(" ")));
    }
    let published = store::publish::<C>(&state.db, tenant_id, actor, id)
        .await
        .map_err(Outcome::Store)?;
    Ok(published.draft.title().to_string())
}

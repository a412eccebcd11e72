//! The welcome wizard's server functions: any member may look; owners and admins answer,
//! skip and build.

use leptos::prelude::*;

use server_fn::codec::Json;

use super::{Answers, Onboarding};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "onboarding/state")]
pub async fn load_onboarding() -> Result<Onboarding, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let found = super::store::state(&state.db, &member.tenant_id).await?;
    let offered = found.is_some();
    let (answers, stage, steps) =
        found.unwrap_or((Answers::default(), super::Stage::Answering, Vec::new()));
    let steps = crate::activity::store::tasks_by_ids(&state.db, &member.tenant_id, &steps).await?;
    let site_url = crate::sites::host::tenant_origin(&state, &member.tenant_slug);
    Ok(Onboarding {
        offered,
        answers,
        stage,
        steps,
        site_url,
    })
}

/// Keeps the answers so far (each step of the wizard saves; it resumes from them).
#[server(prefix = "/api", endpoint = "onboarding/save", input = Json)]
pub async fn save_answers(answers: Answers) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    // Unfinished answers may be kept; overlong ones may not.
    if answers.offer.chars().count() > super::MAX_ANSWER_CHARS
        || answers.audience.chars().count() > super::MAX_ANSWER_CHARS
    {
        return Err(AppError::invalid(format!(
            "Keep each answer under {} characters.",
            super::MAX_ANSWER_CHARS
        )));
    }
    Ok(super::store::save_answers(&state.db, &member.tenant_id, &answers).await?)
}

/// "Skip for now": the dashboard stops offering the wizard (it stays at its address).
#[server(prefix = "/api", endpoint = "onboarding/skip")]
pub async fn skip() -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    Ok(super::store::set_stage(&state.db, &member.tenant_id, super::Stage::Skipped).await?)
}

/// "Build my site": checks the answers and starts the build.
#[server(prefix = "/api", endpoint = "onboarding/build", input = Json)]
pub async fn build(answers: Answers) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    let problems = answers.problems();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    super::store::start_build(&state.db, &member.tenant_id, &answers).await?;
    state.jobs_wakeup.notify_one();
    tracing::info!("site build started");
    Ok(())
}

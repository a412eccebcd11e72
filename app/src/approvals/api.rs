//! Server functions of approvals: ask an agent for a draft, see what waits, approve
//! (it becomes a CMS draft) or reject with a reason.

use leptos::prelude::*;

use super::Proposal;
use crate::error::AppError;

/// Which language model drafts, and what it has used.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DraftingStatus {
    /// None: drafts come from the template drafter.
    pub model: Option<String>,
    pub calls: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
}

#[server(prefix = "/api", endpoint = "approvals/list")]
pub async fn list_proposals() -> Result<Vec<Proposal>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::proposals(&state.db, &member.tenant_id).await?)
}

#[server(prefix = "/api", endpoint = "approvals/drafting")]
pub async fn load_drafting_status() -> Result<DraftingStatus, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let (calls, prompt_tokens, completion_tokens) =
        super::store::llm_usage(&state.db, &member.tenant_id).await?;
    Ok(DraftingStatus {
        model: state.llm.as_ref().map(|llm| llm.model.clone()),
        calls,
        prompt_tokens,
        completion_tokens,
    })
}

/// Asks the drafting agent for a post from a brief; the draft waits for approval.
#[server(prefix = "/api", endpoint = "approvals/draft_post")]
pub async fn draft_post(brief: String) -> Result<crate::activity::AgentTask, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let brief = brief.trim();
    if brief.chars().count() < 10 || brief.chars().count() > super::MAX_BRIEF_CHARS {
        return Err(AppError::invalid(format!(
            "Describe the post in 10 to {} characters: its subject, who it is for, what it should say.",
            super::MAX_BRIEF_CHARS
        )));
    }
    let event = crate::activity::store::create_task_with_job(
        &state.db,
        &member.tenant_id,
        super::DRAFT_POST_TASK,
        "writer",
        serde_json::json!({ "brief": brief }),
        crate::server::now_ms(),
    )
    .await?;
    state.feed_changed(&member.tenant_id).await;
    state.jobs_wakeup.notify_one();
    Ok(event.task)
}

#[server(prefix = "/api", endpoint = "approvals/approve")]
pub async fn approve_proposal(id: String) -> Result<Proposal, AppError> {
    use crate::auth::session::require_in_server_fn;
    use crate::cms::store::{self as cms, Actor};
    use crate::cms::PostContent;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let (db, tenant) = (&state.db, member.tenant_id.as_str());
    let proposal = super::store::proposal(db, tenant, &id).await?;
    super::store::decide(
        db,
        tenant,
        &id,
        super::ProposalStatus::Approved,
        None,
        member.display_name(),
    )
    .await?;
    let actor = Actor {
        user_id: Some(&member.user_id),
        name: member.display_name(),
    };
    // The title's address, or the first free one after it.
    let base = crate::cms::document::slugify(&proposal.title);
    let mut created = None;
    for n in 1..=20 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        match cms::create::<PostContent>(db, tenant, actor, &slug, &proposal.post, false).await {
            Ok(post) => {
                created = Some(post);
                break;
            }
            Err(crate::server::StoreError::Conflict(_)) => continue,
            Err(err) => {
                super::store::reopen(db, tenant, &id).await?;
                return Err(err.into());
            }
        }
    }
    let Some(post) = created else {
        super::store::reopen(db, tenant, &id).await?;
        return Err(AppError::Conflict(format!(
            "Every address like /blog/{base} is taken; rename a post and approve again."
        )));
    };
    super::store::set_result(db, tenant, &id, &post.id).await?;
    record_decision(
        &state,
        tenant,
        &format!("Approved “{}”: it is a draft post now.", proposal.title),
        serde_json::json!({ "proposal_id": id, "post_id": post.id }),
    )
    .await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, proposal = %id, "proposal approved");
    Ok(super::store::proposal(db, tenant, &id).await?)
}

#[server(prefix = "/api", endpoint = "approvals/reject")]
pub async fn reject_proposal(id: String, reason: String) -> Result<Proposal, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > super::MAX_REASON_CHARS {
        return Err(AppError::invalid(format!(
            "Say why in 1 to {} characters, so the next draft can be better.",
            super::MAX_REASON_CHARS
        )));
    }
    let (db, tenant) = (&state.db, member.tenant_id.as_str());
    let proposal = super::store::proposal(db, tenant, &id).await?;
    super::store::decide(
        db,
        tenant,
        &id,
        super::ProposalStatus::Rejected,
        Some(reason),
        member.display_name(),
    )
    .await?;
    record_decision(
        &state,
        tenant,
        &format!("Rejected “{}”: {reason}", proposal.title),
        serde_json::json!({ "proposal_id": id }),
    )
    .await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, proposal = %id, "proposal rejected");
    Ok(super::store::proposal(db, tenant, &id).await?)
}

/// A decision is a finished task in the feed.
#[cfg(feature = "ssr")]
async fn record_decision(
    state: &crate::server::AppState,
    tenant_id: &str,
    summary: &str,
    metadata: serde_json::Value,
) -> Result<(), AppError> {
    use crate::activity::store::{create_task, NewTask};
    use crate::activity::TaskStatus;
    let id = crate::server::new_id();
    let mut tx = state
        .db
        .pool
        .begin()
        .await
        .map_err(crate::server::StoreError::from)?;
    create_task(
        &mut tx,
        tenant_id,
        NewTask {
            status: TaskStatus::Completed,
            progress: 100,
            summary: Some(summary),
            metadata,
            ..NewTask::pending(&id, "approval", "approvals")
        },
    )
    .await?;
    tx.commit().await.map_err(crate::server::StoreError::from)?;
    state.feed_changed(tenant_id).await;
    Ok(())
}

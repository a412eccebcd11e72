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
pub async fn draft_post(
    brief: String,
    /// Publish the post when it is approved (otherwise it becomes a draft).
    #[server(default)]
    publish: bool,
) -> Result<crate::activity::AgentTask, AppError> {
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
        &crate::jobs::JobKind::DraftPost(super::DraftPost {
            brief: brief.to_string(),
            publish,
        }),
        crate::server::now_ms(),
    )
    .await?;
    state.jobs_wakeup.notify_one();
    Ok(event.task)
}

#[server(prefix = "/api", endpoint = "approvals/approve")]
pub async fn approve_proposal(id: String) -> Result<Proposal, AppError> {
    use super::Change;
    use crate::auth::session::require_in_server_fn;
    use crate::cms::store::Actor;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let (db, tenant) = (&state.db, member.tenant_id.as_str());
    let proposal = super::store::proposal(db, tenant, &id).await?;
    let actor = Actor {
        user_id: Some(&member.user_id),
        name: member.display_name(),
    };
    if let Change::MetaDescription { page_id, .. } = &proposal.change {
        // Checked before deciding: a proposal that no longer fits stays pending.
        meta_description_applies(db, tenant, page_id, &proposal.change).await?;
    }
    super::store::decide(
        db,
        tenant,
        &id,
        super::ProposalStatus::Approved,
        None,
        member.display_name(),
    )
    .await?;
    let applied = match &proposal.change {
        Change::PostDraft { post, publish } => new_post(db, tenant, actor, post, *publish).await,
        Change::MetaDescription { page_id, after, .. } => {
            set_meta_description(db, tenant, actor, page_id, after).await
        }
    };
    let (result_id, outcome) = match applied {
        Ok(done) => done,
        Err(err) => {
            super::store::reopen(db, tenant, &id).await?;
            return Err(err);
        }
    };
    super::store::set_result(db, tenant, &id, &result_id).await?;
    record_decision(
        &state,
        tenant,
        &format!("Approved “{}”: {outcome}", proposal.title),
        serde_json::json!({ "proposal_id": id, "result_id": result_id }),
    )
    .await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, proposal = %id, "proposal approved");
    Ok(super::store::proposal(db, tenant, &id).await?)
}

/// A new post at the title's address (or the first free one after it); its id, and
/// what happened in words.
#[cfg(feature = "ssr")]
async fn new_post(
    db: &crate::server::Db,
    tenant: &str,
    actor: crate::cms::store::Actor<'_>,
    post: &crate::cms::PostContent,
    publish: bool,
) -> Result<(String, String), AppError> {
    use crate::cms::{store as cms, PostContent};
    let base = crate::cms::content::short_slug(&post.title);
    for n in 1..=20 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        match cms::create::<PostContent>(db, tenant, actor, &slug, post, publish).await {
            Ok(created) => {
                let outcome = if publish {
                    format!("published at /blog/{slug}.")
                } else {
                    "it is a draft post now.".to_string()
                };
                return Ok((created.id, outcome));
            }
            Err(crate::server::StoreError::Conflict(_)) => continue,
            Err(err) => return Err(err.into()),
        }
    }
    Err(AppError::Conflict(format!(
        "Every address like /blog/{base} is taken; rename a post and approve again."
    )))
}

/// Whether the page is still as the proposal saw it: published with the old description
/// and no unpublished changes (which publishing would put live unseen).
#[cfg(feature = "ssr")]
async fn meta_description_applies(
    db: &crate::server::Db,
    tenant: &str,
    page_id: &str,
    change: &super::Change,
) -> Result<(), AppError> {
    use crate::cms::PageContent;
    let super::Change::MetaDescription { before, .. } = change else {
        return Ok(());
    };
    let page = crate::cms::store::document::<PageContent>(db, tenant, page_id).await?;
    let Some(published) = &page.published else {
        return Err(AppError::Conflict(
            "The page is no longer published.".into(),
        ));
    };
    if published.meta_description != *before {
        return Err(AppError::Conflict(
            "The page's description changed since this was proposed; run the site check again."
                .into(),
        ));
    }
    if page.draft != *published {
        return Err(AppError::Conflict(
            "The page has unpublished changes; publish or undo them first, then approve.".into(),
        ));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
async fn set_meta_description(
    db: &crate::server::Db,
    tenant: &str,
    actor: crate::cms::store::Actor<'_>,
    page_id: &str,
    description: &str,
) -> Result<(String, String), AppError> {
    use crate::cms::{store as cms, PageContent};
    let page = cms::document::<PageContent>(db, tenant, page_id).await?;
    let mut draft = page.draft.clone();
    draft.meta_description = description.to_string();
    cms::save_draft::<PageContent>(db, tenant, actor, page_id, page.revision, &draft).await?;
    cms::publish::<PageContent>(db, tenant, actor, page_id).await?;
    Ok((
        page_id.to_string(),
        "the new description is published.".to_string(),
    ))
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
    use crate::activity::store::{start_task, NewTask};
    use crate::activity::TaskStatus;
    let id = crate::server::new_id();
    start_task(
        &state.db,
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
    Ok(())
}

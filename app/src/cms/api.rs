//! Server functions of the CMS. Viewers read; editors and above write.

use leptos::prelude::*;
use server_fn::codec::Json;

use super::{Page, PageContent};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "cms/pages")]
pub async fn list_pages() -> Result<Vec<Page>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::pages_of(&state.db, &member.tenant_id).await?)
}

#[server(prefix = "/api", endpoint = "cms/page")]
pub async fn get_page(id: String) -> Result<Page, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::page(&state.db, &member.tenant_id, &id).await?)
}

#[server(prefix = "/api", endpoint = "cms/save_draft", input = Json)]
pub async fn save_page_draft(id: String, content: PageContent) -> Result<Page, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let problems = content.problems();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    let page = super::store::save_draft(&state.db, &member.tenant_id, &id, &content).await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, page = %id, "draft saved");
    Ok(page)
}

#[server(prefix = "/api", endpoint = "cms/publish")]
pub async fn publish_page(id: String) -> Result<Page, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let current = super::store::page(&state.db, &member.tenant_id, &id).await?;
    let problems = current.draft.problems();
    if !problems.is_empty() {
        return Err(AppError::Invalid(format!(
            "Fix the draft before publishing: {}",
            problems.join(" ")
        )));
    }
    let page = super::store::publish(&state.db, &member.tenant_id, &id).await?;
    state.site_changed(&member.tenant_id).await;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, page = %id, "page published");
    Ok(page)
}

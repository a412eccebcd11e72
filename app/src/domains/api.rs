//! Server functions for a tenant's custom domains (owners and admins). The tenant is
//! always the signed-in member's.

use leptos::prelude::*;

use super::CustomDomain;
use crate::activity::AgentTask;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "site/domains")]
pub async fn list_domains() -> Result<Vec<CustomDomain>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    Ok(super::store::domains_of(&state.db, &member.tenant_id).await?)
}

/// Adds a domain and starts checking its TXT record.
#[server(prefix = "/api", endpoint = "site/add_domain")]
pub async fn add_domain(host: String) -> Result<CustomDomain, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    if member.email_verified_at.is_none() {
        return Err(AppError::invalid(format!(
            "Verify your email address first: open the link we sent to {}. A domain points \
             visitors at your site, so we make sure it is you.",
            member.email
        )));
    }
    let host = super::normalize_host(&host).map_err(AppError::Invalid)?;
    let base = &state.base_domain;
    if host == *base || host.ends_with(&format!(".{base}")) {
        return Err(AppError::Invalid(format!(
            "Addresses under {base} are ours; your site already has one. Add a domain you own."
        )));
    }
    let domain = super::store::add(&state.db, &member.tenant_id, &host).await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, %host, "domain added");
    queue_check(&state, &member.tenant_id, &host).await?;
    Ok(domain)
}

/// Checks the domain's TXT record again now (the check is a job, shown in the feed).
#[server(prefix = "/api", endpoint = "site/check_domain")]
pub async fn check_domain(host: String) -> Result<AgentTask, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    let domain = super::store::domain(&state.db, &member.tenant_id, &host).await?;
    queue_check(&state, &member.tenant_id, &domain.host).await
}

#[cfg(feature = "ssr")]
async fn queue_check(
    state: &crate::server::AppState,
    tenant_id: &str,
    host: &str,
) -> Result<AgentTask, AppError> {
    let event = crate::activity::store::create_task_with_job(
        &state.db,
        tenant_id,
        &crate::jobs::JobKind::DomainCheck(super::DomainCheck {
            host: host.to_string(),
        }),
        crate::server::now_ms(),
    )
    .await?;
    let task = event.task.clone();
    state.jobs_wakeup.notify_one();
    Ok(task)
}

#[server(prefix = "/api", endpoint = "site/remove_domain")]
pub async fn remove_domain(host: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    super::store::remove(&state.db, &member.tenant_id, &host).await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, %host, "domain removed");
    Ok(())
}

/// Serve at `www.` (and redirect the bare domain there), or the reverse.
#[server(prefix = "/api", endpoint = "site/domain_www")]
pub async fn set_domain_www(host: String, prefer_www: bool) -> Result<CustomDomain, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    let domain =
        super::store::set_prefer_www(&state.db, &member.tenant_id, &host, prefer_www).await?;
    Ok(domain)
}

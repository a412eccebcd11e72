//! Server functions of the dashboard shell.

use leptos::prelude::*;

use super::Workspace;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "workspace")]
pub async fn load_workspace() -> Result<Workspace, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let parts: Option<http::request::Parts> = use_context();
    let port = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .and_then(|host| host.rsplit_once(':').map(|(_, port)| port.to_string()));
    let site_url = match port {
        Some(port) => format!("http://{}.{}:{port}", member.tenant_slug, state.base_domain),
        None => format!("http://{}.{}", member.tenant_slug, state.base_domain),
    };
    Ok(Workspace { member, site_url })
}

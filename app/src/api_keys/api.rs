//! Server functions of API keys: owners and admins list, create and revoke them.

use leptos::prelude::*;

use super::{ApiKey, CreatedApiKey};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "api_keys/list")]
pub async fn list_api_keys() -> Result<Vec<ApiKey>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    Ok(super::store::keys(&state.db, &member.tenant_id).await?)
}

#[server(prefix = "/api", endpoint = "api_keys/create")]
pub async fn create_api_key(name: String) -> Result<CreatedApiKey, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > super::MAX_KEY_NAME_CHARS {
        return Err(AppError::invalid(format!(
            "Give the key a name of 1 to {} characters (which agent uses it).",
            super::MAX_KEY_NAME_CHARS
        )));
    }
    let created =
        super::store::create(&state.db, &member.tenant_id, name, member.display_name()).await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, key = %created.key.id, "API key created");
    Ok(created)
}

#[server(prefix = "/api", endpoint = "api_keys/revoke")]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    super::store::revoke(&state.db, &member.tenant_id, &id).await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, key = %id, "API key revoked");
    Ok(())
}

/// The agent API reference (docs/agent-api.md) as HTML, for the page the API keys card
/// links to. Public: it says how the API works, nothing about any tenant.
#[server(prefix = "/api", endpoint = "api_keys/reference")]
pub async fn agent_api_reference() -> Result<String, AppError> {
    // Code samples scroll sideways on phones; keyboard users need to reach them.
    Ok(
        crate::sites::markdown::to_safe_html(include_str!("../../../docs/agent-api.md"))
            .replace("<pre>", r#"<pre tabindex="0">"#),
    )
}

//! Server functions of the dashboard shell.

use leptos::prelude::*;

use super::Workspace;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "workspace")]
pub async fn load_workspace() -> Result<Workspace, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let site_url = crate::sites::host::tenant_origin(&state, &member.tenant_slug);
    let businesses = crate::auth::store::businesses_of(&state.db, &member.user_id).await?;
    Ok(Workspace {
        member,
        site_url,
        businesses,
    })
}

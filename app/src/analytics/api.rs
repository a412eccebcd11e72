//! Server functions of the site analytics.

use leptos::prelude::*;

use super::SiteAnalytics;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "analytics/site")]
pub async fn load_site_analytics() -> Result<SiteAnalytics, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::site_analytics(&state.db, &member.tenant_id).await?)
}

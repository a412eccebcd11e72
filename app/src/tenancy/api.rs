//! Server functions for a tenant's own settings. The tenant is always the signed-in
//! member's: it is never a parameter.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

use super::{SiteSettings, Theme};
use crate::error::AppError;

/// A theme as saved, with the contrast problems the editor should see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeReport {
    pub theme: Theme,
    pub contrast_warnings: Vec<String>,
}

#[server(prefix = "/api", endpoint = "site/theme")]
pub async fn load_theme() -> Result<ThemeReport, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(super::Role::Viewer).await?;
    let tenant = super::store::tenant_by_id(&state.db, &member.tenant_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Your site".into()))?;
    let contrast_warnings = tenant.theme.contrast_warnings();
    Ok(ThemeReport {
        theme: tenant.theme,
        contrast_warnings,
    })
}

/// Saves the theme (owners and admins). Invalid values are refused; low contrast is
/// saved and reported.
#[server(prefix = "/api", endpoint = "site/save_theme", input = Json)]
pub async fn save_theme(theme: Theme) -> Result<ThemeReport, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(super::Role::Admin).await?;
    let problems = theme.problems();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    super::store::update_theme(&state.db, &member.tenant_id, &theme).await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, "theme saved");
    let contrast_warnings = theme.contrast_warnings();
    Ok(ThemeReport {
        theme,
        contrast_warnings,
    })
}

#[server(prefix = "/api", endpoint = "site/settings")]
pub async fn load_site_settings() -> Result<SiteSettings, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(super::Role::Viewer).await?;
    let tenant = super::store::tenant_by_id(&state.db, &member.tenant_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Your site".into()))?;
    Ok(tenant.settings)
}

/// Saves the site's navigation and footer (owners and admins).
#[server(prefix = "/api", endpoint = "site/save_settings", input = Json)]
pub async fn save_site_settings(settings: SiteSettings) -> Result<SiteSettings, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(super::Role::Admin).await?;
    let problems = settings.problems();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    super::store::update_site_settings(&state.db, &member.tenant_id, &settings).await?;
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, "site settings saved");
    Ok(settings)
}

/// The home page as it would look with this theme (not saved), drawn by the site
/// renderer; marked `noindex`.
#[server(prefix = "/api", endpoint = "site/preview_theme", input = Json)]
pub async fn preview_theme(theme: Theme) -> Result<String, AppError> {
    use crate::auth::session::require_in_server_fn;
    use crate::cms::PageContent;
    use crate::sites::{extras_for, render};
    let (state, member) = require_in_server_fn(super::Role::Viewer).await?;
    let problems = theme.problems();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    let mut tenant = super::store::tenant_by_id(&state.db, &member.tenant_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Your site".into()))?;
    tenant.theme = theme;
    let home = crate::cms::store::published_by_slug::<PageContent>(&state.db, &tenant.id, "")
        .await?
        .map(|page| page.content)
        .unwrap_or_else(|| PageContent {
            title: tenant.name.clone(),
            ..PageContent::default()
        });
    let origin = crate::sites::host::tenant_origin(&state, &tenant.slug);
    let extras = extras_for(&state.db, &tenant.id, &home, None).await?;
    let at = render::Location {
        origin: &origin,
        path: "/",
    };
    Ok(render::mark_preview(&render::page_document(
        &tenant, &home, at, &extras,
    )))
}

/// Puts a published page in the site's navigation, under its title (owners and admins);
/// nothing changes when the navigation already links to it.
#[server(prefix = "/api", endpoint = "site/add_to_navigation")]
pub async fn add_page_to_navigation(page_id: String) -> Result<SiteSettings, AppError> {
    use crate::auth::session::require_in_server_fn;
    use crate::cms::{Content, Link, PageContent};
    let (state, member) = require_in_server_fn(super::Role::Admin).await?;
    let page =
        crate::cms::store::document::<PageContent>(&state.db, &member.tenant_id, &page_id).await?;
    let Some(published) = &page.published else {
        return Err(AppError::Invalid(
            "Publish the page first: the navigation links only to pages on the site.".into(),
        ));
    };
    let mut settings = load_site_settings().await?;
    let href = PageContent::path(&page.slug);
    if settings.navigation.iter().any(|link| link.href == href) {
        return Ok(settings);
    }
    let label: String = published
        .title
        .chars()
        .take(super::MAX_NAV_LABEL_CHARS)
        .collect();
    settings.navigation.push(Link {
        label: label.trim().to_string(),
        href,
    });
    save_site_settings(settings).await
}

//! Server functions of the media library (uploads are a plain HTTP POST: see the server's
//! media routes). Viewers look; editors change.

use leptos::prelude::*;

use super::{MediaFile, Usage};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "media/list")]
pub async fn list_media() -> Result<Vec<MediaFile>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::files_of(&state.db, &member.tenant_id).await?)
}

#[server(prefix = "/api", endpoint = "media/alt")]
pub async fn set_media_alt(id: String, alt: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    if alt.chars().count() > crate::cms::MAX_SHORT_CHARS {
        return Err(AppError::Invalid(format!(
            "Alt text is longer than {} characters.",
            crate::cms::MAX_SHORT_CHARS
        )));
    }
    Ok(super::store::set_alt(&state.db, &member.tenant_id, &id, alt.trim()).await?)
}

#[server(prefix = "/api", endpoint = "media/usage")]
pub async fn media_usage(id: String) -> Result<Vec<Usage>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    super::store::file(&state.db, &member.tenant_id, &id).await?;
    Ok(super::store::usage(&state.db, &member.tenant_id, &id).await?)
}

/// Deletes a file. One in use is only deleted with `confirm`, after the editor has seen
/// where it is used (the refusal lists the places).
#[server(prefix = "/api", endpoint = "media/delete")]
pub async fn delete_media(id: String, confirm: bool) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    super::store::file(&state.db, &member.tenant_id, &id).await?;
    let usage = super::store::usage(&state.db, &member.tenant_id, &id).await?;
    if !usage.is_empty() && !confirm {
        let places: Vec<String> = usage
            .iter()
            .map(|u| format!("{} “{}” ({})", u.collection, u.title, u.path))
            .collect();
        return Err(AppError::Conflict(format!(
            "This file is used by: {}. Delete it anyway? Those places will show a missing image.",
            places.join(", ")
        )));
    }
    super::store::delete(&state.db, &member.tenant_id, &id).await?;
    let folder = super::files::folder(&state.media_dir, &member.tenant_id, &id);
    if let Err(err) = std::fs::remove_dir_all(&folder) {
        tracing::warn!(error = &err as &dyn std::error::Error, folder = %folder.display(), "could not remove media files");
    }
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, %id, "media deleted");
    Ok(())
}

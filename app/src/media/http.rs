//! Media over HTTP: uploads (the raw file as the request body, so the browser can show
//! progress) and serving the files, each only to its own tenant's hosts and members.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::auth::session::SignedIn;
use crate::error::AppError;
use crate::media::{files, store, MediaFile, MAX_UPLOAD_BYTES, VARIANT_WIDTHS};
use crate::server::AppState;
use crate::tenancy::Role;

/// Uploads, and members' view of their own files on the platform host (the editor's
/// preview); visitors get files through their tenant's site.
pub fn routes<S>() -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: axum::extract::FromRef<S>,
{
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/media/upload", post(upload))
        .route("/media/{id}/{name}", get(platform_file))
}

#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    filename: String,
}

/// Only the last part of a path, printable, at most 200 characters.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "image".into()
    } else {
        clean.trim().to_string()
    }
}

enum Upload {
    Whole(Vec<u8>),
    TooLarge,
    Broken,
}

/// How much of a too-large upload is read (and thrown away) so the browser finishes
/// sending and sees our answer, instead of a connection closed under it.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

async fn read_upload(body: Body) -> Upload {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Upload::Broken;
        };
        total += chunk.len();
        if total > DRAIN_LIMIT {
            return Upload::TooLarge;
        }
        if total <= MAX_UPLOAD_BYTES {
            bytes.extend_from_slice(&chunk);
        }
    }
    if total > MAX_UPLOAD_BYTES {
        Upload::TooLarge
    } else {
        Upload::Whole(bytes)
    }
}

pub async fn upload(
    State(app): State<AppState>,
    SignedIn(member): SignedIn,
    Query(query): Query<UploadQuery>,
    body: Body,
) -> Response {
    let member = match member.require(Role::Editor) {
        Ok(member) => member,
        Err(err) => return err.into_response(),
    };
    let bytes = match read_upload(body).await {
        Upload::Whole(bytes) => bytes,
        Upload::TooLarge => {
            return AppError::TooLarge(format!(
                "The file is larger than {} MB. Make it smaller (for example 2000 pixels wide) and upload it again.",
                MAX_UPLOAD_BYTES / 1024 / 1024
            ))
            .into_response()
        }
        Upload::Broken => {
            return AppError::Malformed("The upload was interrupted. Please try again.".into())
                .into_response()
        }
    };
    let inspected = match files::inspect(&bytes) {
        Ok(inspected) => inspected,
        Err(message) => return AppError::Unsupported(message).into_response(),
    };
    let file = MediaFile {
        id: crate::server::new_id(),
        filename: clean_filename(&query.filename),
        content_type: inspected.content_type.to_string(),
        bytes: bytes.len() as i64,
        width: i64::from(inspected.width),
        height: i64::from(inspected.height),
        alt: String::new(),
        variants: Vec::new(),
        created_at: crate::server::now_ms(),
    };
    // The original is kept exactly as uploaded.
    let folder = files::folder(&app.media_dir, &member.tenant_id, &file.id);
    let written = std::fs::create_dir_all(&folder).and_then(|()| {
        std::fs::write(
            folder.join(format!("original.{}", file.extension())),
            &bytes,
        )
    });
    if let Err(err) = written {
        tracing::error!(
            error = &err as &dyn std::error::Error,
            "could not store an upload"
        );
        return AppError::Internal.into_response();
    }
    if let Err(err) = store::insert(&app.db, &member.tenant_id, &file).await {
        let _ = std::fs::remove_dir_all(&folder);
        return AppError::from(err).into_response();
    }
    let queued = crate::activity::store::create_task_with_job(
        &app.db,
        &member.tenant_id,
        &crate::jobs::JobKind::MediaVariants(crate::media::MakeSizes {
            media_id: file.id.clone(),
        }),
        crate::server::now_ms(),
    )
    .await;
    match queued {
        Ok(_) => app.jobs_wakeup.notify_one(),
        Err(err) => tracing::error!(
            error = &err as &dyn std::error::Error,
            "could not queue image variants"
        ),
    }
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, id = %file.id, bytes = file.bytes, "media uploaded");
    (StatusCode::CREATED, Json(file)).into_response()
}

/// `/media/{id}/{name}` on the platform host: for signed-in members (the editor's preview).
pub async fn platform_file(
    State(app): State<AppState>,
    member: Option<SignedIn>,
    Path((id, name)): Path<(String, String)>,
) -> Response {
    match member {
        Some(SignedIn(member)) => serve(&app, &member.tenant_id, &id, &name).await,
        _ => not_found(),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "No such file.").into_response()
}

/// One of a tenant's files: the original or a variant that has been made.
pub async fn serve(app: &AppState, tenant_id: &str, id: &str, name: &str) -> Response {
    let Ok(file) = store::file(&app.db, tenant_id, id).await else {
        return not_found();
    };
    let (path_name, content_type) = if name == format!("original.{}", file.extension()) {
        (name.to_string(), file.content_type.clone())
    } else {
        let width = name
            .strip_prefix('w')
            .and_then(|rest| rest.strip_suffix(".webp"))
            .and_then(|w| w.parse::<u32>().ok());
        match width {
            Some(width) if VARIANT_WIDTHS.contains(&width) && file.variants.contains(&width) => {
                (name.to_string(), "image/webp".to_string())
            }
            _ => return not_found(),
        }
    };
    let path = files::folder(&app.media_dir, tenant_id, &file.id).join(path_name);
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_str(&content_type)
                        .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                ),
                // A file's URL never changes what it serves.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => {
            tracing::warn!(error = &err as &dyn std::error::Error, path = %path.display(), "media file missing on disk");
            not_found()
        }
    }
}

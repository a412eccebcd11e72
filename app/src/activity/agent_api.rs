//! The REST API outside agents report their work through: `POST /api/v1/agent-tasks`
//! starts a task, `PATCH /api/v1/agent-tasks/{id}` changes it. The tenant comes from the
//! API key (`Authorization: Bearer bzk_...`), never from the request. docs/agent-api.md
//! is the reference.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRef, FromRequestParts, Path, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::Json;
use serde::de::DeserializeOwned;

use super::store::{self as tasks, NewTask, TaskUpdate};
use super::{AgentTask, TaskChange, TaskStart, TaskStatus};
use crate::error::AppError;
use crate::server::rate_limit::RateLimit;
use crate::server::{new_id, AppState};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Requests per second one key may make (50), and the burst it may save up (200).
#[derive(Clone)]
pub struct KeyLimiter(pub Arc<RateLimit<String>>);

impl Default for KeyLimiter {
    fn default() -> Self {
        let per_second = NonZeroU32::new(50).expect("non-zero");
        let burst = NonZeroU32::new(200).expect("non-zero");
        let quota = governor::Quota::per_second(per_second).allow_burst(burst);
        KeyLimiter(Arc::new(RateLimit::new(quota)))
    }
}

pub fn routes<S>() -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    KeyLimiter: FromRef<S>,
{
    use axum::routing::{patch, post};
    axum::Router::new()
        .route("/api/v1/agent-tasks", post(start_task))
        .route("/api/v1/agent-tasks/{id}", patch(change_task))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// The tenant behind the request's API key, within the key's rate limit.
pub struct ApiTenant {
    pub tenant_id: String,
    pub key_id: String,
}

impl<S> FromRequestParts<S> for ApiTenant
where
    S: Send + Sync,
    AppState: FromRef<S>,
    KeyLimiter: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::NoApiKey)?;
        let app = AppState::from_ref(state);
        let (tenant_id, key_id) = crate::api_keys::store::authenticate(&app.db, secret)
            .await?
            .ok_or(AppError::NoApiKey)?;
        crate::auth::session::record_caller(&tenant_id, &format!("api key {key_id}"));
        if let Err(retry_after_s) = KeyLimiter::from_ref(state).0.check(&key_id) {
            return Err(AppError::RateLimited { retry_after_s });
        }
        Ok(ApiTenant { tenant_id, key_id })
    }
}

fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, AppError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(format!(
            "The request body is larger than {} KiB.",
            MAX_BODY_BYTES / 1024
        )),
        _ => AppError::Malformed("The request body could not be read.".into()),
    })?;
    serde_json::from_slice(&body)
        .map_err(|err| AppError::Malformed(format!("The body is not the JSON expected: {err}.")))
}

async fn start_task(
    State(app): State<AppState>,
    key: ApiTenant,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<AgentTask>), AppError> {
    let start: TaskStart = parse(body)?;
    if let Some(problem) = start.problem() {
        return Err(AppError::Invalid(problem));
    }
    let id = new_id();
    let worker = start
        .worker_name
        .as_deref()
        .map(str::trim)
        .unwrap_or("external-agent");
    let status = start.status.unwrap_or(TaskStatus::Pending);
    let event = tasks::start_task(
        &app.db,
        &key.tenant_id,
        NewTask {
            campaign_id: start.campaign_id.as_deref().map(str::trim),
            status,
            progress: start
                .progress
                .unwrap_or(if status == TaskStatus::Completed {
                    100
                } else {
                    0
                }),
            summary: start.summary.as_deref(),
            metadata: start
                .metadata
                .clone()
                .unwrap_or_else(|| serde_json::json!({})),
            api_key_id: Some(&key.key_id),
            ..NewTask::pending(&id, &start.task_type, worker)
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(event.task)))
}

async fn change_task(
    State(app): State<AppState>,
    key: ApiTenant,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<AgentTask>, AppError> {
    let change: TaskChange = parse(body)?;
    // Only tasks outside agents started, and only this tenant's: anything else is unknown.
    let current = tasks::reported_task(&app.db, &key.tenant_id, &id).await?;
    if let Some(problem) = change.problem(current.status) {
        return Err(if current.status.is_finished() {
            AppError::Conflict(problem)
        } else {
            AppError::Invalid(problem)
        });
    }
    let event = tasks::update_task(
        &app.db,
        &key.tenant_id,
        &id,
        TaskUpdate {
            status: change.status,
            progress: change.progress,
            summary: change.summary,
            error: change.error,
            metadata: change.metadata,
        },
    )
    .await?;
    Ok(Json(event.task))
}

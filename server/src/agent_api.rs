//! The REST API outside agents report their work through: `POST /api/v1/agent-tasks`
//! starts a task, `PATCH /api/v1/agent-tasks/{id}` changes it. The tenant comes from the
//! API key (`Authorization: Bearer bzk_...`), never from the request. docs/agent-api.md
//! is the reference.

use std::num::NonZeroU32;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use governor::clock::{Clock, DefaultClock};
use serde::de::DeserializeOwned;

use app::activity::store::{self as tasks, NewTask, TaskUpdate};
use app::activity::{TaskChange, TaskStart, TaskStatus};
use app::error::AppError;
use app::server::new_id;

use crate::ServerState;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Requests per second one key may make, and the burst it may save up.
pub fn key_limiter() -> governor::DefaultKeyedRateLimiter<String> {
    let per_second = NonZeroU32::new(50).expect("non-zero");
    let burst = NonZeroU32::new(200).expect("non-zero");
    governor::RateLimiter::keyed(governor::Quota::per_second(per_second).allow_burst(burst))
}

/// Why a request was turned away; answered as `{"error": kind, "message": sentence}`.
enum Refusal {
    App(AppError),
    NoKey,
    TooLarge,
    TooMany { retry_after_s: u64 },
}

impl From<AppError> for Refusal {
    fn from(err: AppError) -> Self {
        Refusal::App(err)
    }
}

impl From<app::server::StoreError> for Refusal {
    fn from(err: app::server::StoreError) -> Self {
        Refusal::App(err.into())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = |status: StatusCode, kind: &str, message: String| {
            (
                status,
                Json(serde_json::json!({ "error": kind, "message": message })),
            )
        };
        match self {
            Refusal::App(err) => err.into_response(),
            Refusal::NoKey => (
                [(header::WWW_AUTHENTICATE, "Bearer")],
                body(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Send a working API key as `Authorization: Bearer <key>`; owners and admins create keys in Settings.".into(),
                ),
            )
                .into_response(),
            Refusal::TooLarge => body(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("The request body is larger than {} KiB.", MAX_BODY_BYTES / 1024),
            )
            .into_response(),
            Refusal::TooMany { retry_after_s } => (
                [(header::RETRY_AFTER, retry_after_s.to_string())],
                body(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("Too many requests with this key; try again in {retry_after_s} s."),
                ),
            )
                .into_response(),
        }
    }
}

/// The tenant and key id behind the request's key, within the key's rate limit.
async fn authenticate(
    state: &ServerState,
    headers: &HeaderMap,
) -> Result<(String, String), Refusal> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(Refusal::NoKey)?;
    let (tenant_id, key_id) = app::api_keys::store::authenticate(&state.app.db, secret)
        .await?
        .ok_or(Refusal::NoKey)?;
    if let Err(wait) = state.api_limiter.check_key(&key_id) {
        let retry_after_s = wait.wait_time_from(DefaultClock::default().now()).as_secs() + 1;
        return Err(Refusal::TooMany { retry_after_s });
    }
    Ok((tenant_id, key_id))
}

fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, Refusal> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Refusal::TooLarge,
        _ => Refusal::App(AppError::Malformed(
            "The request body could not be read.".into(),
        )),
    })?;
    serde_json::from_slice(&body).map_err(|err| {
        Refusal::App(AppError::Malformed(format!(
            "The body is not the JSON expected: {err}."
        )))
    })
}

pub async fn start_task(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match start(&state, &headers, body).await {
        Ok(task) => (StatusCode::CREATED, Json(task)).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

async fn start(
    state: &ServerState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<app::activity::AgentTask, Refusal> {
    let (tenant_id, key_id) = authenticate(state, headers).await?;
    let start: TaskStart = parse(body)?;
    if let Some(problem) = start.problem() {
        return Err(AppError::Invalid(problem).into());
    }
    let id = new_id();
    let worker = start
        .worker_name
        .as_deref()
        .map(str::trim)
        .unwrap_or("external-agent");
    let status = start.status.unwrap_or(TaskStatus::Pending);
    let mut tx = state
        .app
        .db
        .pool
        .begin()
        .await
        .map_err(app::server::StoreError::from)?;
    let event = tasks::create_task(
        &mut tx,
        &tenant_id,
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
            api_key_id: Some(&key_id),
            ..NewTask::pending(&id, &start.task_type, worker)
        },
    )
    .await?;
    tx.commit().await.map_err(app::server::StoreError::from)?;
    state.app.feed_changed(&tenant_id).await;
    Ok(event.task)
}

pub async fn change_task(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match change(&state, &id, &headers, body).await {
        Ok(task) => Json(task).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

async fn change(
    state: &ServerState,
    id: &str,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<app::activity::AgentTask, Refusal> {
    let (tenant_id, _) = authenticate(state, headers).await?;
    let change: TaskChange = parse(body)?;
    // Only tasks outside agents started, and only this tenant's: anything else is unknown.
    let current = tasks::reported_task(&state.app.db, &tenant_id, id).await?;
    if let Some(problem) = change.problem(current.status) {
        return Err(if current.status.is_finished() {
            AppError::Conflict(problem)
        } else {
            AppError::Invalid(problem)
        }
        .into());
    }
    let event = tasks::update_task(
        &state.app.db,
        &tenant_id,
        id,
        TaskUpdate {
            status: change.status,
            progress: change.progress,
            summary: change.summary,
            error: change.error,
            metadata: change.metadata,
        },
    )
    .await?;
    state.app.feed_changed(&tenant_id).await;
    Ok(event.task)
}

//! Server-only plumbing shared by every feature: the database, the state handed to
//! server functions, and the conversion of store errors into `AppError`.

pub mod db;

use std::sync::Arc;

use tokio::sync::{broadcast, Notify};

use crate::activity::AgentTaskEvent;
use crate::error::AppError;
pub use db::{Backend, Db, StoreError};

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Live agent-task events of every tenant; subscribers filter by tenant.
    pub feed: broadcast::Sender<AgentTaskEvent>,
    /// Woken when a job is enqueued so the runner does not wait for its next poll.
    pub jobs_wakeup: Arc<Notify>,
    pub base_domain: String,
}

impl AppState {
    pub fn new(db: Db, base_domain: String) -> Self {
        let (feed, _) = broadcast::channel(1024);
        AppState {
            db,
            feed,
            jobs_wakeup: Arc::new(Notify::new()),
            base_domain,
        }
    }
}

impl AppState {
    /// Sends an event to the open streams of this process (they filter by tenant).
    pub fn publish(&self, event: AgentTaskEvent) {
        // No receivers is normal: nobody has a dashboard open.
        let _ = self.feed.send(event);
    }
}

/// The state, inside a server function or a Leptos render.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Ids are UUID v7 text: sortable by creation time and fine on both engines.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Database(err) => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
            StoreError::Corrupt(what) => {
                tracing::error!(what, "corrupt row");
                AppError::Internal
            }
        }
    }
}

/// Plain HTTP handlers (REST, SSE) answer errors as JSON with the matching status.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self)).into_response()
    }
}

//! The activity feed over HTTP: the first page as JSON, then live events over SSE.
//! The tenant always comes from the session, never from the request.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRef, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures::Stream;
use futures::StreamExt;
use serde::Deserialize;
use tokio::sync::broadcast;

use super::{store, AgentTaskEvent};
use crate::auth::session::SignedIn;
use crate::error::AppError;
use crate::server::{AppState, Shutdown};
use crate::tenancy::Role;

pub fn routes<S>() -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Shutdown: FromRef<S>,
{
    use axum::routing::get;
    axum::Router::new()
        .route("/api/agent-tasks", get(first_page))
        .route("/api/agent-tasks/stream", get(stream))
}

/// Events sent to a browser per database read when catching up.
const REPLAY_BATCH: i64 = 500;

async fn first_page(
    State(app): State<AppState>,
    SignedIn(member): SignedIn,
) -> Result<Json<super::FeedPage>, AppError> {
    let member = member.require(Role::Viewer)?;
    Ok(Json(store::feed_page(&app.db, &member.tenant_id).await?))
}

#[derive(Deserialize)]
pub struct StreamQuery {
    /// The event the page was rendered with (EventSource cannot set headers itself).
    after: Option<i64>,
}

async fn stream(
    State(app): State<AppState>,
    State(shutdown): State<Shutdown>,
    SignedIn(member): SignedIn,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let member = member.require(Role::Viewer)?;
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let after = match last_event_id.or(query.after) {
        Some(id) => id.max(0),
        None => store::last_event_id(&app.db, &member.tenant_id).await?,
    };
    // Subscribe before the first read, so nothing slips between the two.
    let live = app
        .part::<super::hub::FeedHub>()
        .subscribe(&member.tenant_id);
    let follower = Follower {
        app,
        tenant_id: member.tenant_id,
        cursor: after,
        live,
        backlog: VecDeque::new(),
        catching_up: true,
    };
    let events = follower
        .events()
        .take_until(shutdown.0.cancelled_owned())
        .map(|event| {
            let data = serde_json::to_string(&*event).unwrap_or_default();
            Ok(Event::default()
                .id(event.id.to_string())
                .event("task")
                .data(data))
        });
    Ok(Sse::new(events).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("heartbeat"),
    ))
}

/// One browser's place in its tenant's feed: the tenant's events after `cursor` from
/// the database, then those the feed hub hands out. The hub delivers in id order, so
/// anything at or below the cursor was sent already. The stream is the connection's
/// own: nothing runs for it while the browser is not reading, and a browser that fell
/// behind the hub's channel (it lags) reads what it missed from the database.
struct Follower {
    app: AppState,
    tenant_id: String,
    cursor: i64,
    live: broadcast::Receiver<Arc<AgentTaskEvent>>,
    /// Events read from the database, not sent yet.
    backlog: VecDeque<AgentTaskEvent>,
    catching_up: bool,
}

impl Follower {
    fn events(self) -> impl Stream<Item = Arc<AgentTaskEvent>> {
        futures::stream::unfold(self, |mut follower| async move {
            let event = follower.next().await?;
            Some((event, follower))
        })
    }

    async fn next(&mut self) -> Option<Arc<AgentTaskEvent>> {
        loop {
            if let Some(event) = self.backlog.pop_front() {
                self.cursor = event.id;
                return Some(Arc::new(event));
            }
            if self.catching_up {
                match store::events_after(&self.app.db, &self.tenant_id, self.cursor, REPLAY_BATCH)
                    .await
                {
                    Ok(events) => {
                        self.catching_up = events.len() as i64 == REPLAY_BATCH;
                        self.backlog = events.into();
                        continue;
                    }
                    Err(err) => {
                        tracing::error!(
                            error = &err as &dyn std::error::Error,
                            "feed replay failed; closing the stream"
                        );
                        return None;
                    }
                }
            }
            match self.live.recv().await {
                Ok(event) if event.id > self.cursor => {
                    self.cursor = event.id;
                    return Some(event);
                }
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => self.catching_up = true,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

//! The activity feed over HTTP: the first page as JSON, then live events over SSE.
//! The tenant always comes from the session, never from the request.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRef, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures::Stream;
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

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
/// Events waiting for one browser before it counts as slow.
const CLIENT_BUFFER: usize = 64;
/// How long a slow browser may keep its buffer full before its stream is closed; it
/// reconnects with Last-Event-ID and catches up from the database.
const RESYNC_AFTER: Duration = Duration::from_secs(10);

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
    let (sender, receiver) = mpsc::channel(CLIENT_BUFFER);
    tokio::spawn(follow(app, shutdown, member.tenant_id, after, live, sender));
    let events = ReceiverStream::new(receiver).map(|event: Arc<AgentTaskEvent>| {
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

/// Sends the tenant's events after `cursor` from the database, then those the feed hub
/// hands out. The hub delivers in id order, so anything at or below the cursor was sent
/// already; a stream that lagged behind the hub reads the database again.
async fn follow(
    app: AppState,
    shutdown: Shutdown,
    tenant_id: String,
    mut cursor: i64,
    mut live: broadcast::Receiver<Arc<AgentTaskEvent>>,
    sender: mpsc::Sender<Arc<AgentTaskEvent>>,
) {
    loop {
        // Catch up from the database.
        loop {
            let events = match store::events_after(&app.db, &tenant_id, cursor, REPLAY_BATCH).await
            {
                Ok(events) => events,
                Err(err) => {
                    tracing::error!(
                        error = &err as &dyn std::error::Error,
                        "feed replay failed; closing the stream"
                    );
                    return;
                }
            };
            let caught_up = (events.len() as i64) < REPLAY_BATCH;
            for event in events {
                cursor = event.id;
                if !deliver(&sender, Arc::new(event)).await {
                    return;
                }
            }
            if caught_up {
                break;
            }
        }
        // Then live, until the browser leaves, we shut down, or this stream lags.
        loop {
            tokio::select! {
                _ = shutdown.0.cancelled() => return,
                _ = sender.closed() => return,
                received = live.recv() => match received {
                    Ok(event) if event.id > cursor => {
                        cursor = event.id;
                        if !deliver(&sender, event).await {
                            return;
                        }
                    }
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => break,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }
}

/// Hands an event to the browser's buffer; false when the browser left, or when it has
/// not read for so long that its stream is closed (it resyncs from the database).
async fn deliver(sender: &mpsc::Sender<Arc<AgentTaskEvent>>, event: Arc<AgentTaskEvent>) -> bool {
    match tokio::time::timeout(RESYNC_AFTER, sender.send(event)).await {
        Ok(Ok(())) => true,
        Ok(Err(_)) => false,
        Err(_) => {
            tracing::info!("a browser stopped reading its feed; closing it so it resyncs");
            false
        }
    }
}

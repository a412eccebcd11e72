//! The activity feed over HTTP: the first page as JSON, then live events over SSE.
//! The tenant always comes from the session, never from the request.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::Stream;
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;
use tower_sessions::Session;

use app::activity::{store, AgentTaskEvent};
use app::cms::presence::EditorsSignal;
use app::error::AppError;
use app::server::{AppState, Backend, FeedSignal, EDITORS_CHANNEL, FEED_CHANNEL, SITE_CHANNEL};
use app::tenancy::Role;

use crate::ServerState;

/// Events sent to a browser per database read when catching up.
const REPLAY_BATCH: i64 = 500;
/// Events waiting for one slow browser before its stream stops reading (it catches up from
/// the database afterwards, so nothing is lost and nobody else waits).
const CLIENT_BUFFER: usize = 64;

pub async fn first_page(State(state): State<ServerState>, session: Session) -> Response {
    match app::auth::session::require(&state.app.db, &session, Role::Viewer).await {
        Ok(member) => match store::feed_page(&state.app.db, &member.tenant_id).await {
            Ok(page) => Json(page).into_response(),
            Err(err) => AppError::from(err).into_response(),
        },
        Err(err) => err.into_response(),
    }
}

#[derive(Deserialize)]
pub struct StreamQuery {
    /// The event the page was rendered with (EventSource cannot set headers itself).
    after: Option<i64>,
}

pub async fn stream(
    State(state): State<ServerState>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let member = app::auth::session::require(&state.app.db, &session, Role::Viewer).await?;
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let after = match last_event_id.or(query.after) {
        Some(id) => id.max(0),
        None => store::last_event_id(&state.app.db, &member.tenant_id).await?,
    };
    // Subscribe before the first read, so nothing slips between the two.
    let live = state.app.feed.subscribe();
    let (sender, receiver) = mpsc::channel(CLIENT_BUFFER);
    tokio::spawn(follow(state, member.tenant_id, after, live, sender));
    let events = ReceiverStream::new(receiver).map(|event: AgentTaskEvent| {
        let data = serde_json::to_string(&event).unwrap_or_default();
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

/// Sends the tenant's events after `cursor` from the database, then each time the
/// broadcast says something new was written. The database is the source of truth, so
/// an event is never lost even if this stream falls behind the broadcast.
async fn follow(
    state: ServerState,
    tenant_id: String,
    mut cursor: i64,
    mut live: broadcast::Receiver<FeedSignal>,
    sender: mpsc::Sender<AgentTaskEvent>,
) {
    loop {
        let events =
            match store::events_after(&state.app.db, &tenant_id, cursor, REPLAY_BATCH).await {
                Ok(events) => events,
                Err(err) => {
                    tracing::error!(error = %err, "feed replay failed; closing the stream");
                    return;
                }
            };
        let caught_up = (events.len() as i64) < REPLAY_BATCH;
        for event in events {
            cursor = event.id;
            if sender.send(event).await.is_err() {
                return; // the browser went away
            }
        }
        if !caught_up {
            continue;
        }
        // Wait until this tenant has something new, the browser leaves, or we shut down.
        loop {
            tokio::select! {
                _ = state.shutdown.cancelled() => return,
                _ = sender.closed() => return,
                received = live.recv() => match received {
                    Ok(signal) if signal.tenant_id == tenant_id && signal.event_id > cursor => break,
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => break,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }
}

/// On PostgreSQL, relays what other processes announce: feed events and editors coming
/// and going to this process's streams, site changes to its page cache.
pub async fn relay_notifications(state: AppState, shutdown: tokio_util::sync::CancellationToken) {
    if state.db.backend != Backend::Postgres {
        return;
    }
    loop {
        let listening = async {
            let mut listener = sqlx::postgres::PgListener::connect(&state.db.url).await?;
            listener
                .listen_all([FEED_CHANNEL, SITE_CHANNEL, EDITORS_CHANNEL])
                .await?;
            tracing::info!("listening for feed events and site changes from other processes");
            loop {
                // recv() reconnects by itself when the connection drops.
                let notification = listener.recv().await?;
                if notification.channel() == SITE_CHANNEL {
                    state.site_cache.invalidate_tenant(notification.payload());
                } else if notification.channel() == EDITORS_CHANNEL {
                    if let Some(document) = EditorsSignal::from_payload(notification.payload()) {
                        let _ = state.editors.send(document);
                    }
                } else if let Some(signal) = FeedSignal::from_payload(notification.payload()) {
                    let _ = state.feed.send(signal);
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            result = listening => {
                if let Err(err) = result {
                    tracing::warn!(error = %err, "feed listener failed; retrying in 1 s");
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

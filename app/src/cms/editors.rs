//! Editors' presence over SSE: the stream an open editor holds. Opening it says "I have
//! this document open"; its events say who else has; closing it (the tab or the editor)
//! says "I left".

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{FromRef, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use super::presence::{store, EditorsSignal, REFRESH_SECONDS};
use super::Collection;
use crate::auth::session::SignedIn;
use crate::error::AppError;
use crate::server::{new_id, AppState, Shutdown};
use crate::tenancy::Role;

pub fn routes<S>() -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Shutdown: FromRef<S>,
{
    axum::Router::new().route("/api/cms/editors/stream", axum::routing::get(stream))
}

/// This process's open presence streams hear here that someone opened or closed a
/// document (`Signal::Editors`, from this process or, through the relay, another).
pub struct EditorsChannel(broadcast::Sender<EditorsSignal>);

impl Default for EditorsChannel {
    fn default() -> Self {
        EditorsChannel(broadcast::channel(256).0)
    }
}

impl EditorsChannel {
    pub fn subscribe(&self) -> broadcast::Receiver<EditorsSignal> {
        self.0.subscribe()
    }

    pub fn send(&self, document: EditorsSignal) {
        // Nobody listening is fine: no editor has the document open here.
        let _ = self.0.send(document);
    }
}

#[derive(Deserialize)]
pub struct EditorsQuery {
    collection: Collection,
    id: String,
}

async fn stream(
    State(app): State<AppState>,
    State(shutdown): State<Shutdown>,
    SignedIn(member): SignedIn,
    Query(query): Query<EditorsQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let member = member.require(Role::Viewer)?;
    let document = EditorsSignal {
        tenant_id: member.tenant_id.clone(),
        collection: query.collection,
        document_id: query.id,
    };
    // Subscribe before announcing, so no change between the two goes unseen.
    let live = app.part::<EditorsChannel>().subscribe();
    let connection = new_id();
    store::open(
        &app.db,
        &document,
        &connection,
        &member.user_id,
        member.display_name(),
    )
    .await?;
    crate::signals::publish(&app.db, crate::signals::Signal::Editors(document.clone())).await;
    let (sender, receiver) = mpsc::channel(8);
    tokio::spawn(follow(
        app,
        shutdown,
        document,
        connection,
        member.user_id,
        live,
        sender,
    ));
    let events = ReceiverStream::new(receiver).map(|names: Vec<String>| {
        Ok(Event::default()
            .event("editors")
            .data(serde_json::to_string(&names).unwrap_or_default()))
    });
    // Frequent comments find a closed tab soon: the write to it fails.
    Ok(Sse::new(events).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(5))
            .text("heartbeat"),
    ))
}

/// Sends who else is there now and whenever that changes, until the browser leaves;
/// then removes this editor and tells the others.
async fn follow(
    app: AppState,
    shutdown: Shutdown,
    document: EditorsSignal,
    connection: String,
    user_id: String,
    mut live: broadcast::Receiver<EditorsSignal>,
    sender: mpsc::Sender<Vec<String>>,
) {
    let db = &app.db;
    let mut refresh = tokio::time::interval(Duration::from_secs(REFRESH_SECONDS));
    refresh.tick().await;
    let mut shown: Option<Vec<String>> = None;
    loop {
        match store::others(db, &document, &user_id).await {
            Ok(names) if shown.as_ref() != Some(&names) => {
                if sender.send(names.clone()).await.is_err() {
                    break;
                }
                shown = Some(names);
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(
                error = &err as &dyn std::error::Error,
                "could not read who is editing"
            ),
        }
        let open = loop {
            tokio::select! {
                _ = shutdown.0.cancelled() => break false,
                _ = sender.closed() => break false,
                _ = refresh.tick() => {
                    if let Err(err) = store::still_open(db, &connection).await {
                        tracing::warn!(error = &err as &dyn std::error::Error, "could not refresh an open editor");
                    }
                    break true;
                }
                received = live.recv() => match received {
                    Ok(signal) if signal == document => break true,
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => break true,
                    Err(broadcast::error::RecvError::Closed) => break false,
                },
            }
        };
        if !open {
            break;
        }
    }
    if let Err(err) = store::close(db, &connection).await {
        tracing::warn!(
            error = &err as &dyn std::error::Error,
            "could not note that an editor closed"
        );
    }
    crate::signals::publish(&app.db, crate::signals::Signal::Editors(document.clone())).await;
}

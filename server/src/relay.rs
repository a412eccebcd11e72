//! The cross-process bus on PostgreSQL: the signals other processes publish
//! (`app::signals`) reach this one's feed streams, editors and page cache.

use std::time::Duration;

use app::server::{AppState, Backend, Db};
use app::signals::{Signal, CHANNEL};
use sqlx::postgres::PgListener;

/// Listens for other processes' signals (on PostgreSQL; None on SQLite, which has one
/// process). Made before the process takes connections, so a page it draws at once
/// cannot miss the signal that would drop it.
pub async fn listen(db: &Db) -> Result<Option<PgListener>, sqlx::Error> {
    if db.backend != Backend::Postgres {
        return Ok(None);
    }
    let mut listener = PgListener::connect(&db.url).await?;
    listener.listen(CHANNEL).await?;
    Ok(Some(listener))
}

/// Relays what other processes announce: feed events and editors coming and going to
/// this process's streams, site changes to its page cache. When the connection drops,
/// what was said meanwhile is lost: everything it could have changed is read again.
pub async fn relay_notifications(
    state: AppState,
    listener: Option<PgListener>,
    shutdown: tokio_util::sync::CancellationToken,
) {
    let Some(mut listener) = listener else {
        return;
    };
    loop {
        let next = tokio::select! {
            _ = shutdown.cancelled() => return,
            next = listener.try_recv() => next,
        };
        match next {
            Ok(Some(notification)) => {
                match serde_json::from_str::<Signal>(notification.payload()) {
                    Ok(signal) => signal.act(&state.db.parts),
                    Err(err) => {
                        tracing::warn!(error = &err as &dyn std::error::Error, "unreadable signal")
                    }
                }
            }
            // sqlx has connected again already.
            Ok(None) => missed_signals(&state),
            Err(err) => {
                tracing::warn!(
                    error = &err as &dyn std::error::Error,
                    "listening for other processes' signals failed; retrying every second"
                );
                listener = loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                    if let Ok(Some(listener)) = listen(&state.db).await {
                        break listener;
                    }
                };
                missed_signals(&state);
            }
        }
    }
}

fn missed_signals(state: &AppState) {
    tracing::warn!("signals from other processes may have been missed: cached pages dropped");
    Signal::missed(&state.db.parts);
}

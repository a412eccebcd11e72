//! The cross-process bus on PostgreSQL: the signals other processes publish
//! (`app::signals`) reach this one's feed streams, editors and page cache.

use std::time::Duration;

use app::server::{AppState, Backend};
use app::signals::{Signal, CHANNEL};

/// On PostgreSQL, relays what other processes announce: feed events and editors coming
/// and going to this process's streams, site changes to its page cache.
pub async fn relay_notifications(state: AppState, shutdown: tokio_util::sync::CancellationToken) {
    if state.db.backend != Backend::Postgres {
        return;
    }
    loop {
        let listening = async {
            let mut listener = sqlx::postgres::PgListener::connect(&state.db.url).await?;
            listener.listen(CHANNEL).await?;
            tracing::info!("listening for signals from other processes");
            loop {
                // recv() reconnects by itself when the connection drops.
                let notification = listener.recv().await?;
                match serde_json::from_str::<Signal>(notification.payload()) {
                    Ok(signal) => signal.act(&state.db.parts),
                    Err(err) => {
                        tracing::warn!(error = &err as &dyn std::error::Error, "unreadable signal")
                    }
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            result = listening => {
                if let Err(err) = result {
                    tracing::warn!(error = &err as &dyn std::error::Error, "feed listener failed; retrying in 1 s");
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

//! The cross-process bus on PostgreSQL: what other processes announce reaches this
//! one's feed streams, editors and page cache.

use std::time::Duration;

use app::cms::presence::EditorsSignal;
use app::server::{AppState, Backend, EDITORS_CHANNEL, FEED_CHANNEL, SITE_CHANNEL};

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
                } else {
                    state.feed.wake();
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

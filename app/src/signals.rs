//! What a process tells every process (itself included) after a write: one typed signal,
//! published through `publish`, which acts on it here and, on PostgreSQL, sends it to
//! the others as JSON on one NOTIFY channel (`server/src/relay.rs` receives it there).
//! The store call that commits a change publishes its signal, so no caller can forget.

use serde::{Deserialize, Serialize};

use crate::cms::presence::EditorsSignal;
use crate::server::{Backend, Db, Parts};

/// The PostgreSQL channel every signal travels on.
pub const CHANNEL: &str = "bizosaas_signal";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Signal {
    /// New task events are in the log: feed hubs read them and hand them to the open
    /// streams of their tenants.
    Feed,
    /// The tenant's published site changed (content, theme, settings, domains, images):
    /// pages drawn for it are dropped.
    Site { tenant_id: String },
    /// Someone opened or closed a document in the editor: its editors look again.
    Editors(EditorsSignal),
}

impl Signal {
    pub fn site(tenant_id: &str) -> Signal {
        Signal::Site {
            tenant_id: tenant_id.to_string(),
        }
    }

    /// Acts on the signal in this process (a command such as `seed` holds no feed hub or
    /// page cache, and has nothing to act on).
    pub fn act(&self, parts: &Parts) {
        match self {
            Signal::Feed => {
                if let Some(hub) = parts.get::<crate::activity::hub::FeedHub>() {
                    hub.wake();
                }
            }
            Signal::Site { tenant_id } => {
                if let Some(cache) = parts.get::<crate::sites::cache::SiteCache>() {
                    cache.invalidate_tenant(tenant_id);
                }
            }
            Signal::Editors(document) => {
                if let Some(editors) = parts.get::<crate::cms::editors::EditorsChannel>() {
                    editors.send(document.clone());
                }
            }
        }
    }

    /// Does what any signal could have done, after some may have been missed (the
    /// connection they come on dropped): every cached page is dropped, the feed hub reads
    /// the log. Who has a document open is shown as it was until its next signal.
    pub fn missed(parts: &Parts) {
        if let Some(hub) = parts.get::<crate::activity::hub::FeedHub>() {
            hub.wake();
        }
        if let Some(cache) = parts.get::<crate::sites::cache::SiteCache>() {
            cache.clear();
        }
    }
}

/// Commits a store's transaction, then publishes what it changed: the one way a store
/// function that must ring ends, so the signal cannot be forgotten or sent for a write
/// that did not happen.
pub async fn commit(
    db: &Db,
    tx: sqlx::Transaction<'_, sqlx::Any>,
    signal: Signal,
) -> Result<(), sqlx::Error> {
    tx.commit().await?;
    publish(db, signal).await;
    Ok(())
}

/// Acts on `signal` here and tells every other process. Called by the store function
/// that commits the change the signal announces (or, for what is not stored, such as
/// an editor opening a document, by whoever sees it happen).
pub async fn publish(db: &Db, signal: Signal) {
    signal.act(&db.parts);
    // SQLite has one process: nobody else to tell.
    if db.backend != Backend::Postgres {
        return;
    }
    if signal == Signal::Feed {
        if let Some(bell) = db.parts.get::<FeedBell>() {
            return bell.0.notify_one();
        }
    }
    notify_others(db, &signal).await;
}

async fn notify_others(db: &Db, signal: &Signal) {
    let payload = match serde_json::to_string(signal) {
        Ok(payload) => payload,
        Err(err) => {
            return tracing::error!(
                error = &err as &dyn std::error::Error,
                "could not write a signal"
            )
        }
    };
    if let Err(err) = sqlx::query("select pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(&db.pool)
        .await
    {
        tracing::warn!(
            error = &err as &dyn std::error::Error,
            "could not notify other processes"
        );
    }
}

/// Tells other processes that feed events were written: one NOTIFY for however many
/// commits rang while the last one was on its way, instead of one per event (at a
/// thousand events a second those were a good part of PostgreSQL's work).
#[derive(Default)]
pub struct FeedBell(tokio::sync::Notify);

impl FeedBell {
    /// Sends the bell's notifications until `stop` resolves.
    pub async fn ring_others(&self, db: &Db, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => return,
                _ = self.0.notified() => notify_others(db, &Signal::Feed).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Signal;

    #[test]
    fn signals_travel_as_json_and_come_back_whole() {
        let signals = [
            Signal::Feed,
            Signal::site("t1"),
            Signal::Editors(crate::cms::presence::EditorsSignal {
                tenant_id: "t1".into(),
                collection: crate::cms::Collection::Post,
                document_id: "p|1".into(),
            }),
        ];
        for signal in signals {
            let json = serde_json::to_string(&signal).unwrap();
            assert_eq!(serde_json::from_str::<Signal>(&json).unwrap(), signal);
        }
    }
}

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
    /// New task events of this tenant are in the log: feed hubs read them and hand them
    /// to open streams.
    Feed { tenant_id: String },
    /// The tenant's published site changed (content, theme, settings, domains, images):
    /// pages drawn for it are dropped.
    Site { tenant_id: String },
    /// Someone opened or closed a document in the editor: its editors look again.
    Editors(EditorsSignal),
}

impl Signal {
    pub fn feed(tenant_id: &str) -> Signal {
        Signal::Feed {
            tenant_id: tenant_id.to_string(),
        }
    }

    pub fn site(tenant_id: &str) -> Signal {
        Signal::Site {
            tenant_id: tenant_id.to_string(),
        }
    }

    /// Acts on the signal in this process (a command such as `seed` holds no feed hub or
    /// page cache, and has nothing to act on).
    pub fn act(&self, parts: &Parts) {
        match self {
            Signal::Feed { .. } => {
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
    let payload = match serde_json::to_string(&signal) {
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

#[cfg(test)]
mod tests {
    use super::Signal;

    #[test]
    fn signals_travel_as_json_and_come_back_whole() {
        let signals = [
            Signal::feed("t1"),
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

//! What a process tells every process (itself included) after a write: one typed signal,
//! published through `publish`, which acts on it here and, on PostgreSQL, sends it to
//! the others as JSON on one NOTIFY channel (`server/src/relay.rs` receives it there).

use serde::{Deserialize, Serialize};

use crate::cms::presence::EditorsSignal;
use crate::server::{AppState, Backend};

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

    /// Acts on the signal in this process.
    pub fn act(&self, state: &AppState) {
        match self {
            Signal::Feed { .. } => state.part::<crate::activity::hub::FeedHub>().wake(),
            Signal::Site { tenant_id } => state
                .part::<crate::sites::cache::SiteCache>()
                .invalidate_tenant(tenant_id),
            Signal::Editors(document) => state
                .part::<crate::cms::editors::EditorsChannel>()
                .send(document.clone()),
        }
    }
}

/// Acts on `signal` here and tells every other process.
pub async fn publish(state: &AppState, signal: Signal) {
    signal.act(state);
    // SQLite has one process: nobody else to tell.
    if state.db.backend != Backend::Postgres {
        return;
    }
    let payload = match serde_json::to_string(&signal) {
        Ok(payload) => payload,
        Err(err) => return tracing::error!(error = %err, "could not write a signal"),
    };
    if let Err(err) = sqlx::query("select pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(&state.db.pool)
        .await
    {
        tracing::warn!(error = %err, "could not notify other processes");
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

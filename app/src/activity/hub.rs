//! Fan-out of task events to the open streams of this process. One reader follows the
//! event log in id order (events commit in id order: see `store::record_event`) and hands
//! each event to the streams of its tenant only; a stream that falls behind its channel
//! reads what it missed from the database, so nothing is lost and nobody waits for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{broadcast, Notify};

use super::{store, AgentTaskEvent};
use crate::server::Db;

/// Events a tenant's channel holds for its slowest stream before that stream is told it
/// lagged (and catches up from the database).
const TENANT_CHANNEL: usize = 256;
/// Events read from the log at once.
const BATCH: i64 = 1000;
/// A read of the log even when nobody rang: a safety net, not the way events travel.
const SAFETY_NET: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct FeedHub {
    tenants: Mutex<HashMap<String, broadcast::Sender<Arc<AgentTaskEvent>>>>,
    wakeup: Notify,
}

impl FeedHub {
    /// The live events of one tenant from now on.
    pub fn subscribe(&self, tenant_id: &str) -> broadcast::Receiver<Arc<AgentTaskEvent>> {
        let mut tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        tenants
            .entry(tenant_id.to_string())
            .or_insert_with(|| broadcast::channel(TENANT_CHANNEL).0)
            .subscribe()
    }

    /// Something was written to the event log (here or, on PostgreSQL, by another process).
    pub fn wake(&self) {
        self.wakeup.notify_one();
    }

    fn deliver(&self, event: AgentTaskEvent) {
        let mut tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(channel) = tenants.get(&event.tenant_id) {
            if channel.receiver_count() == 0 {
                // Nobody of that tenant is watching any more.
                tenants.remove(&event.tenant_id);
            } else {
                let _ = channel.send(Arc::new(event));
            }
        }
    }

    /// Reads new events from the log whenever woken, and delivers them in id order;
    /// returns when `stop` resolves.
    pub async fn follow(&self, db: &Db, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        let mut cursor = loop {
            match store::newest_event_id(db).await {
                Ok(id) => break id,
                Err(err) => {
                    tracing::error!(
                        error = &err as &dyn std::error::Error,
                        "cannot read the event log; retrying"
                    );
                    tokio::select! {
                        _ = &mut stop => return,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
            }
        };
        loop {
            loop {
                match store::all_events_after(db, cursor, BATCH).await {
                    Ok(events) => {
                        let complete = (events.len() as i64) < BATCH;
                        for event in events {
                            cursor = event.id;
                            self.deliver(event);
                        }
                        if complete {
                            break;
                        }
                    }
                    Err(err) => {
                        tracing::error!(
                            error = &err as &dyn std::error::Error,
                            "could not read new events"
                        );
                        break;
                    }
                }
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = self.wakeup.notified() => {}
                _ = tokio::time::sleep(SAFETY_NET) => {}
            }
        }
    }
}

//! Fan-out of task events to the open streams of this process. One reader follows the
//! event log in id order and hands each event to the streams of its tenant only; a
//! stream that falls behind its channel reads what it missed from the database, so
//! nothing is lost and nobody waits for it. A tenant's events commit in id order (see
//! `store::record_event`), but on PostgreSQL two tenants' need not: an id passed over
//! because its transaction was still open is watched for a while and delivered when it
//! commits.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
/// How long an id passed over is watched for. A writer's transaction lasts milliseconds;
/// an id still missing after this was rolled back.
const LATE_PATIENCE: Duration = Duration::from_secs(30);
/// Ids watched at most (each is a placeholder in the hub's read).
const LATE_MAX: usize = 500;

pub struct FeedHub {
    tenants: Mutex<HashMap<String, broadcast::Sender<Arc<AgentTaskEvent>>>>,
    wakeup: Notify,
    /// The log's newest id when the process started; the hub hands out what follows.
    start: i64,
}

impl FeedHub {
    /// A hub for the events written after `newest`, read from the log before the process
    /// takes connections: a stream opened before the hub knew its place would miss the
    /// events written in between (the hub would start after them).
    pub fn after(newest: i64) -> FeedHub {
        FeedHub {
            tenants: Mutex::default(),
            wakeup: Notify::new(),
            start: newest,
        }
    }

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
        let mut cursor = self.start;
        let mut late = LateIds::default();
        loop {
            loop {
                let watched = late.ids();
                match store::events_after_or_among(db, cursor, &watched, BATCH).await {
                    Ok(events) => {
                        let complete = (events.len() as i64) < BATCH;
                        for event in events {
                            if event.id > cursor {
                                late.passed_over(cursor, event.id);
                                cursor = event.id;
                            } else {
                                late.arrived(event.id);
                            }
                            self.deliver(event);
                        }
                        late.forget_older_than(LATE_PATIENCE);
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

/// Ids below the hub's cursor it has not seen: events whose transactions were still open
/// when a later id committed, or rolled back.
#[derive(Default)]
struct LateIds(BTreeMap<i64, Instant>);

impl LateIds {
    fn ids(&self) -> Vec<i64> {
        self.0.keys().copied().collect()
    }

    /// The log went from `cursor` straight to `next`: the ids between may come later.
    fn passed_over(&mut self, cursor: i64, next: i64) {
        let now = Instant::now();
        let from = (cursor + 1).max(next - LATE_MAX as i64);
        for id in from..next {
            self.0.insert(id, now);
        }
        while self.0.len() > LATE_MAX {
            self.0.pop_first();
        }
    }

    fn arrived(&mut self, id: i64) {
        self.0.remove(&id);
    }

    fn forget_older_than(&mut self, patience: Duration) {
        self.0.retain(|_, since| since.elapsed() < patience);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_passed_over_are_watched_until_they_arrive_or_time_runs_out() {
        let mut late = LateIds::default();
        late.passed_over(10, 11);
        assert!(late.ids().is_empty(), "no id between 10 and 11");
        late.passed_over(11, 15);
        assert_eq!(late.ids(), vec![12, 13, 14]);
        late.arrived(13);
        assert_eq!(late.ids(), vec![12, 14]);
        late.forget_older_than(Duration::from_secs(30));
        assert_eq!(late.ids(), vec![12, 14], "still within patience");
        late.forget_older_than(Duration::ZERO);
        assert!(late.ids().is_empty(), "rolled back, given up");
        // A jump of a million ids watches only the nearest.
        late.passed_over(0, 1_000_000);
        assert_eq!(late.ids().len(), LATE_MAX);
        assert_eq!(late.ids()[0], 1_000_000 - LATE_MAX as i64);
    }
}

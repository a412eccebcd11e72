//! Per-client rate limits (lead forms and sign-ups by IP, the agent API by key): a token
//! bucket per client, in a table of at most `MAX_CLIENTS` entries, so neither time nor a
//! flood of new addresses grows it without end.

use std::hash::Hash;
use std::sync::{PoisonError, RwLock};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Clients one table keeps (a few MB at most).
pub const MAX_CLIENTS: usize = 50_000;

pub struct RateLimit<K: Hash + Eq + Clone> {
    quota: Quota,
    max_clients: usize,
    table: RwLock<DefaultKeyedRateLimiter<K>>,
}

impl<K: Hash + Eq + Clone> RateLimit<K> {
    pub fn new(quota: Quota) -> Self {
        Self::with_max_clients(quota, MAX_CLIENTS)
    }

    fn with_max_clients(quota: Quota, max_clients: usize) -> Self {
        RateLimit {
            quota,
            max_clients,
            table: RwLock::new(governor::RateLimiter::keyed(quota)),
        }
    }

    /// Ok when `client` may go on now, else the whole seconds until it may (at least one:
    /// what a `Retry-After` header says).
    pub fn check(&self, client: &K) -> Result<(), u64> {
        {
            let table = self.table.read().unwrap_or_else(PoisonError::into_inner);
            if table.len() < self.max_clients {
                return Self::verdict(&table, client);
            }
        }
        let mut table = self.table.write().unwrap_or_else(PoisonError::into_inner);
        table.retain_recent();
        if table.len() >= self.max_clients {
            // Every client is recent: a flood of new addresses, which no per-client limit
            // holds back anyway. Starting afresh keeps the memory bounded and the door open.
            tracing::warn!(
                clients = table.len(),
                "rate-limit table full of recent clients; starting afresh"
            );
            *table = governor::RateLimiter::keyed(self.quota);
        }
        Self::verdict(&table, client)
    }

    fn verdict(table: &DefaultKeyedRateLimiter<K>, client: &K) -> Result<(), u64> {
        table
            .check_key(client)
            .map_err(|wait| wait.wait_time_from(DefaultClock::default().now()).as_secs() + 1)
    }

    /// Forgets clients whose allowance is full again (they would be let through anyway).
    pub fn forget_idle(&self) {
        let table = self.table.read().unwrap_or_else(PoisonError::into_inner);
        table.retain_recent();
        table.shrink_to_fit();
    }

    #[cfg(test)]
    fn clients(&self) -> usize {
        self.table
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};
    use std::num::NonZeroU32;

    fn ip(n: u32) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from(n))
    }

    #[test]
    fn a_client_past_its_burst_waits_and_others_do_not() {
        let limit = RateLimit::new(Quota::per_minute(NonZeroU32::new(2).unwrap()));
        assert!(limit.check(&ip(1)).is_ok());
        assert!(limit.check(&ip(1)).is_ok());
        let wait_s = limit.check(&ip(1)).unwrap_err();
        assert!((21..=30).contains(&wait_s), "{wait_s} s");
        assert!(limit.check(&ip(2)).is_ok());
    }

    #[test]
    fn a_flood_of_new_clients_never_grows_the_table_past_its_bound() {
        let limit =
            RateLimit::with_max_clients(Quota::per_minute(NonZeroU32::new(1).unwrap()), 100);
        for n in 0..1_000 {
            let _ = limit.check(&ip(n));
            assert!(
                limit.clients() <= 100,
                "{} clients after {n}",
                limit.clients()
            );
        }
        // A client seen after the flood is still limited.
        assert!(limit.check(&ip(5_000)).is_ok());
        assert!(limit.check(&ip(5_000)).is_err());
    }
}

//! The durable job queue in the database: what is enqueued and claimed. The runner that
//! executes jobs lives in the server crate.

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// A claimed job. `attempts` counts this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub tenant_id: Option<String>,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// A recurring job: `kind` is enqueued at every time the cron expression names, for one
/// tenant or (without one) for the whole platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub id: String,
    pub tenant_id: Option<String>,
    pub kind: String,
    /// Standard five fields (minute hour day month weekday), in UTC: `0 7 * * MON`.
    pub cron: String,
    pub payload: serde_json::Value,
    pub next_run_at: i64,
    pub last_run_at: Option<i64>,
}

/// The first time after `after_ms` (unix ms) that `cron` names, in UTC; the error says
/// what is wrong with the expression.
#[cfg(feature = "ssr")]
pub fn next_run(cron: &str, after_ms: i64) -> Result<i64, String> {
    use std::str::FromStr;
    let pattern = croner::Cron::from_str(cron.trim())
        .map_err(|e| format!("{cron:?} is not a cron expression ({e}); try \"0 7 * * MON\"."))?;
    let after = chrono::DateTime::from_timestamp_millis(after_ms)
        .ok_or_else(|| "The time is out of range.".to_string())?;
    pattern
        .find_next_occurrence(&after, false)
        .map(|next| next.timestamp_millis())
        .map_err(|e| format!("{cron:?} never matches a time ({e})."))
}

/// How often a kind of job is tried, and how long it waits between tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub max_attempts: i64,
    /// The wait after the first failure; each later wait doubles, up to `longest_ms`.
    pub first_wait_ms: i64,
    pub longest_ms: i64,
}

impl Retry {
    /// Most jobs fail for passing reasons: three tries, seconds apart.
    pub const DEFAULT: Retry = Retry {
        max_attempts: 3,
        first_wait_ms: 2_000,
        longest_ms: 600_000,
    };

    /// The retry policy of a job kind. A custom domain's record can take hours to spread
    /// through DNS, so its check keeps looking for about half a day: 30 s, 1 min, 2 min...
    /// then every 4 hours.
    pub fn for_kind(kind: &str) -> Retry {
        match kind {
            crate::domains::api::DOMAIN_CHECK_TASK => Retry {
                max_attempts: 12,
                first_wait_ms: 30_000,
                longest_ms: 4 * 3_600_000,
            },
            _ => Retry::DEFAULT,
        }
    }

    /// Wait before retry number `attempt` (1-based).
    pub fn wait_ms(self, attempt: i64) -> i64 {
        let doublings = (attempt.clamp(1, 30) - 1) as u32;
        self.first_wait_ms
            .saturating_mul(1_i64 << doublings)
            .min(self.longest_ms)
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn cron_expressions_name_the_next_time_in_utc() {
        // 2026-11-22 (a Sunday) 16:27:31 UTC.
        let now = 1_795_364_851_000;
        let next_monday_seven = 1_795_417_200_000; // 2026-11-23 07:00 UTC
        assert_eq!(super::next_run("0 7 * * MON", now), Ok(next_monday_seven));
        assert_eq!(super::next_run("*/15 * * * *", now), Ok(1_795_365_000_000));
        // Exactly at a matching time, the next one is the one after.
        assert_eq!(
            super::next_run("0 7 * * MON", next_monday_seven),
            Ok(next_monday_seven + 7 * 86_400_000)
        );
        assert!(super::next_run("every monday", now)
            .unwrap_err()
            .contains("not a cron expression"));
        assert!(super::next_run("61 * * * *", now).is_err());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let retry = super::Retry::DEFAULT;
        assert_eq!(retry.wait_ms(1), 2_000);
        assert_eq!(retry.wait_ms(2), 4_000);
        assert_eq!(retry.wait_ms(30), 600_000);
        // A domain check keeps trying for hours, not seconds.
        let domains = super::Retry::for_kind(crate::domains::api::DOMAIN_CHECK_TASK);
        let total: i64 = (1..domains.max_attempts).map(|n| domains.wait_ms(n)).sum();
        assert!(total > 10 * 3_600_000, "{total} ms");
        assert_eq!(domains.wait_ms(1), 30_000);
    }
}

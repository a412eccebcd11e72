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

/// Wait before retry number `attempt` (1-based): 2 s, 4 s, 8 s ... capped at 10 minutes.
pub fn backoff_ms(attempt: i64) -> i64 {
    let exponent = attempt.clamp(1, 20) as u32;
    (1000_i64 << exponent).min(600_000)
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
        assert_eq!(super::backoff_ms(1), 2_000);
        assert_eq!(super::backoff_ms(2), 4_000);
        assert_eq!(super::backoff_ms(30), 600_000);
    }
}

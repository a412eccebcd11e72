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

/// Wait before retry number `attempt` (1-based): 2 s, 4 s, 8 s ... capped at 10 minutes.
pub fn backoff_ms(attempt: i64) -> i64 {
    let exponent = attempt.clamp(1, 20) as u32;
    (1000_i64 << exponent).min(600_000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(super::backoff_ms(1), 2_000);
        assert_eq!(super::backoff_ms(2), 4_000);
        assert_eq!(super::backoff_ms(30), 600_000);
    }
}

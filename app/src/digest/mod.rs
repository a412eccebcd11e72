//! The weekly digest: every Monday each tenant's owners get what their agents did that
//! week. Sent by SMTP when a mail server is configured, otherwise kept in the outbox the
//! settings page shows.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod send;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The digest's job, for every tenant at once (from the platform's schedule).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeeklyDigest {}
/// Mondays, 07:00 UTC.
pub const WEEKLY_DIGEST_CRON: &str = "0 7 * * MON";

/// A message the platform sent, or keeps because it could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OutboxMessage {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub error: Option<String>,
}

/// What a tenant's agents did in a week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekOfWork {
    /// Finished tasks by type, most first.
    pub by_type: Vec<(String, i64)>,
    pub failed: i64,
    pub leads: i64,
}

impl WeekOfWork {
    /// The digest's subject and plain-text body.
    pub fn message(&self, tenant_name: &str, dashboard: &str) -> (String, String) {
        let done: i64 = self.by_type.iter().map(|(_, n)| n).sum();
        let subject = format!(
            "{tenant_name}: {done} task{} done, {} lead{} this week",
            if done == 1 { "" } else { "s" },
            self.leads,
            if self.leads == 1 { "" } else { "s" }
        );
        let mut body = format!("What your agents did for {tenant_name} in the last 7 days:\n\n");
        if self.by_type.is_empty() {
            body.push_str("- Nothing finished this week.\n");
        }
        for (task_type, count) in &self.by_type {
            body.push_str(&format!("- {}: {count}\n", task_type.replace('_', " ")));
        }
        body.push_str(&format!("\nLeads captured: {}\n", self.leads));
        if self.failed > 0 {
            body.push_str(&format!(
                "Failed tasks: {} (see what went wrong and retry: {dashboard}/dashboard/activity)\n",
                self.failed
            ));
        } else {
            body.push_str("Failed tasks: none\n");
        }
        body.push_str(&format!(
            "\nEverything as it happens: {dashboard}/dashboard\n"
        ));
        (subject, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_says_what_happened_in_words() {
        let week = WeekOfWork {
            by_type: vec![("site_check".into(), 3), ("lead_captured".into(), 2)],
            failed: 1,
            leads: 2,
        };
        let (subject, body) = week.message("Acme", "http://localhost:3000");
        assert_eq!(subject, "Acme: 5 tasks done, 2 leads this week");
        assert!(body.contains("- site check: 3\n"));
        assert!(body.contains("Failed tasks: 1 (see what went wrong"));
        let (quiet, body) = WeekOfWork::default().message("Acme", "x");
        assert_eq!(quiet, "Acme: 0 tasks done, 0 leads this week");
        assert!(body.contains("Nothing finished this week."));
    }
}

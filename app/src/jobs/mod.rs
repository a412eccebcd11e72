//! The durable job queue in the database: what is enqueued and claimed, and `JobKind`,
//! every kind of background work with what it needs. The loop that claims and runs jobs
//! lives in the server crate; each kind's work lives beside its feature.

#[cfg(feature = "ssr")]
pub mod agents;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Every kind of background work, with what it needs. The tag is the queue's `kind`
/// column (and the type of the task that reports on it); the content is its `payload`.
/// A new kind does not compile until the runner handles it and it has a retry policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum JobKind {
    SiteCheck(crate::sites::SiteCheck),
    DomainCheck(crate::domains::DomainCheck),
    ScheduledPublish(crate::cms::ScheduledPublish),
    MediaVariants(crate::media::MakeSizes),
    DraftPost(crate::approvals::DraftPost),
    WeeklyDigest(crate::digest::WeeklyDigest),
    SendEmail(crate::mail::SendEmail),
    BuildSite(crate::onboarding::BuildSite),
}

impl JobKind {
    /// The `kind` column and task type, as serde writes it.
    pub fn name(&self) -> &'static str {
        match self {
            JobKind::SiteCheck(_) => "site_check",
            JobKind::DomainCheck(_) => "domain_check",
            JobKind::ScheduledPublish(_) => "scheduled_publish",
            JobKind::MediaVariants(_) => "media_variants",
            JobKind::DraftPost(_) => "draft_post",
            JobKind::WeeklyDigest(_) => "weekly_digest",
            JobKind::SendEmail(_) => "send_email",
            JobKind::BuildSite(_) => "build_site",
        }
    }

    /// Who does it, as the feed names the worker.
    pub fn worker(&self) -> &'static str {
        match self {
            JobKind::SiteCheck(_) => "site-checker",
            JobKind::DomainCheck(_) => "domain-checker",
            JobKind::ScheduledPublish(_) => "scheduler",
            JobKind::MediaVariants(_) => "image-resizer",
            JobKind::DraftPost(_) => "writer",
            JobKind::WeeklyDigest(_) => "digest",
            JobKind::SendEmail(_) => "mailer",
            JobKind::BuildSite(_) => "site-builder",
        }
    }

    /// How often it is tried.
    pub fn retry(&self) -> Retry {
        match self {
            JobKind::DomainCheck(_) => Retry::DOMAIN_CHECK,
            // Someone is watching: a failure is shown at once, with "Try again".
            JobKind::BuildSite(_) => Retry::ONCE,
            JobKind::SiteCheck(_)
            | JobKind::ScheduledPublish(_)
            | JobKind::MediaVariants(_)
            | JobKind::DraftPost(_)
            | JobKind::WeeklyDigest(_)
            | JobKind::SendEmail(_) => Retry::DEFAULT,
        }
    }

    /// The `kind` and `payload` columns.
    pub fn to_row(&self) -> (&'static str, serde_json::Value) {
        let mut tagged = serde_json::to_value(self).unwrap_or_default();
        (self.name(), tagged["payload"].take())
    }

    /// Reads the `kind` and `payload` columns back; the payload may carry more (the
    /// task id, a schedule's run), which is ignored here.
    pub fn from_row(kind: &str, payload: &serde_json::Value) -> Result<JobKind, UnreadableJob> {
        let tagged = serde_json::json!({ "kind": kind, "payload": payload });
        serde_json::from_value(tagged).map_err(|err| {
            if err.to_string().starts_with("unknown variant") {
                UnreadableJob::UnknownKind(kind.to_string())
            } else {
                UnreadableJob::Payload {
                    kind: kind.to_string(),
                    reason: err.to_string(),
                }
            }
        })
    }
}

/// A queued row that names no work this version knows (written by a newer version, or
/// by hand).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnreadableJob {
    #[error("No agent handles jobs of kind {0:?}.")]
    UnknownKind(String),
    #[error("The {kind} job's details cannot be read ({reason}).")]
    Payload { kind: String, reason: String },
}

/// Why a job's work failed; the message is what the task's reader sees.
#[cfg(feature = "ssr")]
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Unreadable(#[from] UnreadableJob),
    /// A job of a tenant's work that was queued without its tenant or task.
    #[error("{what} needs a tenant and a task to report to.")]
    Unaddressed { what: &'static str },
    #[error("could not {doing}: {source}")]
    Store {
        doing: &'static str,
        #[source]
        source: crate::server::StoreError,
    },
    /// What the work ran into, in a sentence for the task's reader.
    #[error("{0}")]
    Failed(String),
}

#[cfg(feature = "ssr")]
impl JobError {
    /// `.map_err(JobError::store("read the site"))`: the store failed while doing that.
    pub fn store<E: Into<crate::server::StoreError>>(
        doing: &'static str,
    ) -> impl FnOnce(E) -> JobError {
        move |err| JobError::Store {
            doing,
            source: err.into(),
        }
    }
}

/// A claimed job. `attempts` counts this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Job {
    pub id: String,
    pub tenant_id: Option<String>,
    pub kind: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::server::db::JsonText"))]
    pub payload: serde_json::Value,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// A recurring job: `kind` is enqueued at every time the cron expression names, for one
/// tenant or (without one) for the whole platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Schedule {
    pub id: String,
    pub tenant_id: Option<String>,
    pub kind: String,
    /// Standard five fields (minute hour day month weekday), in UTC: `0 7 * * MON`.
    pub cron: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::server::db::JsonText"))]
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

impl Job {
    /// The work this row asks for.
    pub fn kind(&self) -> Result<JobKind, UnreadableJob> {
        JobKind::from_row(&self.kind, &self.payload)
    }

    /// The task that reports on this job, if it has one.
    pub fn task_id(&self) -> Option<&str> {
        self.payload.get("task_id").and_then(|v| v.as_str())
    }
}

impl Retry {
    /// A custom domain's record can take hours to spread through DNS, so its check keeps
    /// looking for about half a day: 30 s, 1 min, 2 min... then every 4 hours.
    pub const DOMAIN_CHECK: Retry = Retry {
        max_attempts: 12,
        first_wait_ms: 30_000,
        longest_ms: 4 * 3_600_000,
    };

    pub const ONCE: Retry = Retry {
        max_attempts: 1,
        first_wait_ms: 0,
        longest_ms: 0,
    };

    /// Most jobs fail for passing reasons: three tries, seconds apart.
    pub const DEFAULT: Retry = Retry {
        max_attempts: 3,
        first_wait_ms: 2_000,
        longest_ms: 600_000,
    };

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
    use super::JobKind;

    #[test]
    fn every_kind_is_stored_under_its_name_and_read_back_whole() {
        let kinds = [
            JobKind::SiteCheck(Default::default()),
            JobKind::DomainCheck(crate::domains::DomainCheck {
                host: "shop.example.com".into(),
            }),
            JobKind::ScheduledPublish(crate::cms::ScheduledPublish {
                collection: crate::cms::Collection::Post,
                id: "post-1".into(),
                user_id: "user-1".into(),
                user_name: "Ada".into(),
            }),
            JobKind::MediaVariants(crate::media::MakeSizes {
                media_id: "media-1".into(),
            }),
            JobKind::DraftPost(crate::approvals::DraftPost {
                brief: "Why we bake at night".into(),
                publish: true,
            }),
            JobKind::WeeklyDigest(Default::default()),
        ];
        for kind in kinds {
            let (name, mut payload) = kind.to_row();
            assert_eq!(serde_json::to_value(&kind).unwrap()["kind"], name);
            // The queue adds the task id; reading ignores it.
            if let Some(object) = payload.as_object_mut() {
                object.insert("task_id".into(), "task-1".into());
            }
            assert_eq!(JobKind::from_row(name, &payload), Ok(kind));
        }
        assert_eq!(
            JobKind::from_row("mystery", &serde_json::json!({})),
            Err(super::UnreadableJob::UnknownKind("mystery".into()))
        );
        assert!(matches!(
            JobKind::from_row("domain_check", &serde_json::json!({})),
            Err(super::UnreadableJob::Payload { .. })
        ));
    }

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
        let domains = super::JobKind::DomainCheck(crate::domains::DomainCheck {
            host: "shop.example.com".into(),
        })
        .retry();
        let total: i64 = (1..domains.max_attempts).map(|n| domains.wait_ms(n)).sum();
        assert!(total > 10 * 3_600_000, "{total} ms");
        assert_eq!(domains.wait_ms(1), 30_000);
    }
}

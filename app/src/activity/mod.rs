//! The live AI activity feed: every step an agent takes for a tenant is an `AgentTask`
//! row, and every change to a row is an `AgentTaskEvent` pushed to open dashboards.

#[cfg(feature = "ssr")]
pub mod agent_api;
pub mod api;
pub mod history;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod reporter;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Pending,
    Running,
    Completed,
    Failed,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Running => "running",
            TaskStatus::Completed => "completed",
            TaskStatus::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<TaskStatus> {
        match value {
            "pending" => Some(TaskStatus::Pending),
            "running" => Some(TaskStatus::Running),
            "completed" => Some(TaskStatus::Completed),
            "failed" => Some(TaskStatus::Failed),
            _ => None,
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(self, TaskStatus::Completed | TaskStatus::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AgentTask {
    pub id: String,
    pub campaign_id: Option<String>,
    pub worker_name: String,
    pub job_id: Option<String>,
    pub task_type: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: TaskStatus,
    /// 0 to 100.
    pub progress: i64,
    pub summary: Option<String>,
    pub error: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::server::db::JsonText"))]
    pub metadata: serde_json::Value,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl AgentTask {
    /// What a person calls this kind of task.
    /// Built-in kinds have their own words; an outside agent's `seo_audit` reads "Seo
    /// audit", in the same sentence case.
    pub fn title(&self) -> String {
        let known = match self.task_type.as_str() {
            "site_check" => "Site check",
            "lead_captured" => "Lead captured",
            "domain_check" => "Domain check",
            "media_variants" => "Image sizes",
            "scheduled_publish" => "Scheduled publish",
            "draft_post" => "Post draft",
            "build_home" => "Home page",
            "build_about" => "About page",
            "build_contact" => "Contact page",
            "build_offers" => "Products and services",
            "build_post" => "First blog post draft",
            "publish_site" => "Publishing the site",
            "weekly_digest" => "Weekly digest",
            other => {
                let words = other.replace('_', " ");
                let mut chars = words.chars();
                return chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default();
            }
        };
        known.to_string()
    }

    /// Whether the task took long enough for its progress to be worth a bar: a lead
    /// captured in one step is simply done.
    pub fn shows_progress(&self) -> bool {
        match self.status {
            TaskStatus::Running => true,
            TaskStatus::Pending => self.progress > 0,
            TaskStatus::Completed | TaskStatus::Failed => false,
        }
    }
}

/// One change to a task; `id` increases monotonically and is the SSE `id:`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AgentTaskEvent {
    pub id: i64,
    pub tenant_id: String,
    /// The task as it was after the change (stored as JSON).
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::server::db::JsonText"))]
    pub task: AgentTask,
}

/// A status as stored.
impl TryFrom<String> for TaskStatus {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value).ok_or_else(|| format!("there is no task status {value:?}"))
    }
}

/// A task as kept in an event (JSON).
#[cfg(feature = "ssr")]
impl TryFrom<crate::server::db::JsonText> for AgentTask {
    type Error = serde_json::Error;
    fn try_from(json: crate::server::db::JsonText) -> Result<Self, serde_json::Error> {
        serde_json::from_str(&json.0)
    }
}

/// What an outside agent sends to start a task (`POST /api/v1/agent-tasks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskStart {
    /// What kind of work: lowercase letters, digits and underscores (`seo_audit`).
    pub task_type: String,
    /// Which agent does it (shown in the feed); "external-agent" when not given.
    #[serde(default)]
    pub worker_name: Option<String>,
    #[serde(default)]
    pub campaign_id: Option<String>,
    #[serde(default)]
    pub status: Option<TaskStatus>,
    #[serde(default)]
    pub progress: Option<i64>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
}

/// A change an outside agent reports (`PATCH /api/v1/agent-tasks/{id}`); what is left
/// out stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskChange {
    #[serde(default)]
    pub status: Option<TaskStatus>,
    #[serde(default)]
    pub progress: Option<i64>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
}

pub const MAX_TASK_TYPE_CHARS: usize = 64;
pub const MAX_WORKER_NAME_CHARS: usize = 64;
pub const MAX_SUMMARY_CHARS: usize = 500;
pub const MAX_ERROR_CHARS: usize = 4000;
pub const MAX_METADATA_BYTES: usize = 16 * 1024;

impl TaskStart {
    /// What is wrong with it, in a sentence; None when it can be stored.
    pub fn problem(&self) -> Option<String> {
        let task_type = self.task_type.as_str();
        if task_type.is_empty()
            || task_type.len() > MAX_TASK_TYPE_CHARS
            || !task_type
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Some(format!(
                "task_type must be 1 to {MAX_TASK_TYPE_CHARS} lowercase letters, digits or underscores, like \"seo_audit\"."
            ));
        }
        if let Some(name) = &self.worker_name {
            if name.trim().is_empty() || name.chars().count() > MAX_WORKER_NAME_CHARS {
                return Some(format!(
                    "worker_name must be 1 to {MAX_WORKER_NAME_CHARS} characters."
                ));
            }
        }
        if let Some(campaign) = &self.campaign_id {
            if campaign.trim().is_empty() || campaign.chars().count() > MAX_TASK_TYPE_CHARS {
                return Some(format!(
                    "campaign_id must be 1 to {MAX_TASK_TYPE_CHARS} characters."
                ));
            }
        }
        let change = TaskChange {
            status: self.status,
            progress: self.progress,
            summary: self.summary.clone(),
            error: None,
            metadata: self.metadata.clone(),
        };
        change.problem(TaskStatus::Pending)
    }
}

impl TaskChange {
    /// What is wrong with this change to a task that is now `current`; None when it can
    /// be stored. A finished task stays finished, and a started one is not pending again.
    pub fn problem(&self, current: TaskStatus) -> Option<String> {
        if current.is_finished() {
            return Some(format!(
                "The task is {} already; a finished task cannot change.",
                current.as_str()
            ));
        }
        if current == TaskStatus::Running && self.status == Some(TaskStatus::Pending) {
            return Some("A running task cannot go back to pending.".into());
        }
        if let Some(progress) = self.progress {
            if !(0..=100).contains(&progress) {
                return Some(format!(
                    "progress must be between 0 and 100 (it was {progress})."
                ));
            }
        }
        if self
            .summary
            .as_ref()
            .is_some_and(|s| s.chars().count() > MAX_SUMMARY_CHARS)
        {
            return Some(format!(
                "summary must be at most {MAX_SUMMARY_CHARS} characters."
            ));
        }
        if self
            .error
            .as_ref()
            .is_some_and(|e| e.chars().count() > MAX_ERROR_CHARS)
        {
            return Some(format!(
                "error must be at most {MAX_ERROR_CHARS} characters."
            ));
        }
        if let Some(metadata) = &self.metadata {
            if !metadata.is_object() {
                return Some("metadata must be a JSON object.".into());
            }
            if metadata.to_string().len() > MAX_METADATA_BYTES {
                return Some(format!(
                    "metadata must be at most {} KiB of JSON.",
                    MAX_METADATA_BYTES / 1024
                ));
            }
        }
        None
    }
}

/// What the activity history shows: every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskFilter {
    /// First day shown, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Last day shown, `YYYY-MM-DD` (UTC), included.
    pub until: Option<String>,
    pub task_type: Option<String>,
    pub status: Option<TaskStatus>,
    pub campaign_id: Option<String>,
    /// 1-based.
    pub page: i64,
}

/// One page of the history, and what the filters can choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub tasks: Vec<AgentTask>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub task_types: Vec<String>,
    pub campaigns: Vec<String>,
}

pub const HISTORY_PAGE_SIZE: i64 = 25;

/// The first page of the feed, and the event it is current up to, so the live stream
/// can continue from exactly there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedPage {
    pub tasks: Vec<AgentTask>,
    pub last_event_id: i64,
}

pub const FEED_PAGE_SIZE: i64 = 50;

/// Applies a streamed change to a newest-first list. Stream events arrive in event-id
/// order, so the newest event always wins (timestamps can tie within a millisecond).
pub fn apply_task_event(tasks: &mut Vec<AgentTask>, task: AgentTask) {
    match tasks.iter_mut().find(|t| t.id == task.id) {
        Some(existing) => *existing = task,
        None => insert_newest_first(tasks, task),
    }
}

/// Adds a task the user just started, unless the stream already brought a later state.
pub fn add_started_task(tasks: &mut Vec<AgentTask>, task: AgentTask) {
    if !tasks.iter().any(|t| t.id == task.id) {
        insert_newest_first(tasks, task);
    }
}

fn insert_newest_first(tasks: &mut Vec<AgentTask>, task: AgentTask) {
    tasks.push(task);
    tasks.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, created_at: i64, updated_at: i64, progress: i64) -> AgentTask {
        AgentTask {
            id: id.into(),
            campaign_id: None,
            worker_name: "w".into(),
            job_id: None,
            task_type: "site_check".into(),
            status: TaskStatus::Running,
            progress,
            summary: None,
            error: None,
            metadata: serde_json::json!({}),
            started_at: None,
            completed_at: None,
            created_at,
            updated_at,
        }
    }

    #[test]
    fn reports_from_outside_agents_are_checked() {
        let start = |json: serde_json::Value| serde_json::from_value::<TaskStart>(json);
        assert_eq!(
            start(serde_json::json!({ "task_type": "seo_audit" }))
                .unwrap()
                .problem(),
            None
        );
        for bad in ["", "SEO audit", "x<script>", &"a".repeat(65)] {
            assert!(start(serde_json::json!({ "task_type": bad }))
                .unwrap()
                .problem()
                .unwrap()
                .contains("task_type"));
        }
        assert!(start(serde_json::json!({ "task_type": "a", "colour": "red" })).is_err());
        let progress = start(serde_json::json!({ "task_type": "a", "progress": 101 })).unwrap();
        assert!(progress.problem().unwrap().contains("between 0 and 100"));
        let list = start(serde_json::json!({ "task_type": "a", "metadata": [1] })).unwrap();
        assert!(list.problem().unwrap().contains("JSON object"));
        let big =
            start(serde_json::json!({ "task_type": "a", "metadata": { "x": "y".repeat(17_000) } }))
                .unwrap();
        assert!(big.problem().unwrap().contains("16 KiB"));

        let back = TaskChange {
            status: Some(TaskStatus::Pending),
            ..Default::default()
        };
        assert!(back.problem(TaskStatus::Running).is_some());
        assert!(back.problem(TaskStatus::Pending).is_none());
        let after_end = TaskChange {
            progress: Some(50),
            ..Default::default()
        };
        assert!(after_end
            .problem(TaskStatus::Completed)
            .unwrap()
            .contains("finished"));
        assert!(after_end.problem(TaskStatus::Running).is_none());
    }

    #[test]
    fn stream_events_win_and_a_late_start_result_does_not_undo_them() {
        let mut tasks = vec![task("a", 1, 1, 0)];
        apply_task_event(&mut tasks, task("b", 2, 2, 0));
        assert_eq!(tasks[0].id, "b", "newest first");
        // The stream finished "c" before the button's answer arrived, in the same ms.
        let mut done = task("c", 3, 3, 100);
        done.status = TaskStatus::Completed;
        apply_task_event(&mut tasks, done);
        add_started_task(&mut tasks, task("c", 3, 3, 0));
        assert_eq!(tasks[0].status, TaskStatus::Completed);
        assert_eq!(tasks.len(), 3);
        add_started_task(&mut tasks, task("d", 4, 4, 0));
        assert_eq!(tasks[0].id, "d");
    }
}

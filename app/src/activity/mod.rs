//! The live AI activity feed: every step an agent takes for a tenant is an `AgentTask`
//! row, and every change to a row is an `AgentTaskEvent` pushed to open dashboards.

pub mod api;
#[cfg(feature = "ssr")]
pub mod hub;
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
pub struct AgentTask {
    pub id: String,
    pub campaign_id: Option<String>,
    pub worker_name: String,
    pub job_id: Option<String>,
    pub task_type: String,
    pub status: TaskStatus,
    /// 0 to 100.
    pub progress: i64,
    pub summary: Option<String>,
    pub error: Option<String>,
    pub metadata: serde_json::Value,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl AgentTask {
    /// What a person calls this kind of task.
    pub fn title(&self) -> String {
        match self.task_type.as_str() {
            "site_check" => "Site check".to_string(),
            "lead_captured" => "Lead captured".to_string(),
            other => other.replace('_', " "),
        }
    }
}

/// One change to a task; `id` increases monotonically and is the SSE `id:`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentTaskEvent {
    pub id: i64,
    pub tenant_id: String,
    pub task: AgentTask,
}

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
